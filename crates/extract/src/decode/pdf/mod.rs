//! PDF documents, read with Poppler's command-line tools (Debian `poppler-utils`), each
//! run under a time limit:
//!
//! - `pdftotext -bbox-layout` gives the words of the text layer with their boxes, in
//!   reading order, line by line;
//! - `pdftoppm` renders each page in grey, in which the ruling lines of tables are found:
//!   thin dark runs, horizontal and vertical, that cross each other form a table's grid. A
//!   missing rule inside the grid merges two cells (a `rowspan`/`colspan`); words are put in
//!   the cell under their centre; each grid row becomes a line of TAB-separated cells, a
//!   merged cell's text repeated in every row and column it covers. A table whose last row
//!   has no bottom rule, followed on the next page by one with the same columns and no top
//!   rule, is one table broken by the page: its cells are joined again.
//!
//! Outside tables, lines repeated at the top or bottom of the pages (running headers and
//! footers) and page numbers are dropped, and the lines of a paragraph are joined: a line
//! that reaches the right margin continues on the next unless that one is indented, set
//! apart, in another size, or opens a numbered heading after a finished sentence.

//!
//! `poppler.rs` runs the tools and reads what they give; `rules.rs` finds the tables'
//! grids in the page images; `layout.rs` puts words, lines and tables back into text.

mod layout;
mod poppler;
mod rules;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use super::{DecodeError, Decoded};
use crate::model::SourceFormat;

use layout::{assemble, page_items};
use poppler::{RENDER_BATCH, parse_layout, read_pgm, render, run};
use rules::find_tables;

/// Pages are rendered at 144 dpi: two pixels a point.
const SCALE: f32 = 2.0;
/// A pixel darker than this is ink (light table rules such as #ccc included).
const INK: u8 = 215;

/// Reads a PDF's text layer.
pub(crate) fn read(bytes: &[u8], time_limit: Duration) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(DecodeError::Pdf {
            reason: "no %PDF header".to_string(),
        });
    }
    let io = |what: &str, e: std::io::Error| DecodeError::Pdf {
        reason: format!("{what}: {e}"),
    };
    let dir = tempfile::Builder::new()
        .prefix("policykg-pdf-")
        .tempdir()
        .map_err(|e| io("cannot create a temporary directory", e))?;
    let input = dir.path().join("input.pdf");
    std::fs::write(&input, bytes).map_err(|e| io("cannot write a temporary copy", e))?;
    let layout = dir.path().join("layout.html");
    run(
        "pdftotext",
        &[
            "-bbox-layout".into(),
            "-enc".into(),
            "UTF-8".into(),
            input.clone().into(),
            layout.clone().into(),
        ],
        dir.path(),
        time_limit,
    )?;
    let xml = std::fs::read(&layout).map_err(|e| io("cannot read pdftotext's output", e))?;
    let mut pages = parse_layout(&xml)?;
    if pages.iter().all(|p| p.lines.is_empty()) {
        return Err(DecodeError::NoTextLayer { pages: pages.len() });
    }
    // Tables need the rendered pages, a few at a time (a page is about 2 MB); a page that
    // cannot be rendered is still read, line by line.
    let count = pages.len();
    let mut items = Vec::new();
    let mut renders: HashMap<usize, PathBuf> = HashMap::new();
    let mut rendering = true;
    for (index, page) in pages.iter_mut().enumerate() {
        let number = index + 1;
        if rendering && index % RENDER_BATCH == 0 {
            for path in renders.values() {
                let _ = std::fs::remove_file(path);
            }
            let last = (number + RENDER_BATCH - 1).min(count);
            renders = match render(&input, dir.path(), number, last, time_limit) {
                Ok(renders) => renders,
                Err(_) => {
                    rendering = false;
                    HashMap::new()
                }
            };
        }
        let tables = renders
            .get(&number)
            .and_then(|path| std::fs::read(path).ok())
            .and_then(|bytes| read_pgm(&bytes))
            .map(|image| find_tables(&image, page))
            .unwrap_or_default();
        items.push(page_items(index, page, tables));
    }
    let text = assemble(&pages, items);
    if text.trim().is_empty() {
        return Err(DecodeError::NoTextLayer { pages: pages.len() });
    }
    Ok(Decoded {
        text,
        encoding: "UTF-8",
        format: SourceFormat::Pdf,
    })
}

/// A word of the text layer, its box in points from the page's top left.
#[derive(Debug, Clone)]
pub(super) struct Word {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    pub(super) text: String,
}

impl Word {
    pub(super) fn center(&self) -> (f32, f32) {
        ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }

    /// The size of the type: the width of a CJK character, estimated from the width.
    pub(super) fn em(&self) -> f32 {
        let (wide, narrow) = self.text.chars().fold((0.0f32, 0.0f32), |(w, n), c| {
            if is_wide(c) {
                (w + 1.0, n)
            } else {
                (w, n + 1.0)
            }
        });
        let units = wide + 0.55 * narrow;
        if wide >= 1.0 && units > 0.0 {
            ((self.x1 - self.x0) / units).max(1.0)
        } else {
            ((self.y1 - self.y0) * 0.45).max(1.0)
        }
    }
}

pub(super) fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3FFFD}')
}

#[derive(Debug, Default)]
pub(super) struct Page {
    pub(super) height: f32,
    pub(super) lines: Vec<Vec<Word>>,
}

/// A table found on a page: the grid lines, the merged cell (region) at each grid position
/// and each region's text; which columns are open at the top and the bottom.
#[derive(Debug, Clone)]
pub(super) struct Table {
    pub(super) xs: Vec<f32>,
    pub(super) ys: Vec<f32>,
    pub(super) cells: Vec<Vec<usize>>,
    pub(super) texts: Vec<String>,
    pub(super) open_top: Vec<bool>,
    pub(super) open_bottom: Vec<bool>,
}

impl Table {
    pub(super) fn top(&self) -> f32 {
        self.ys.first().copied().unwrap_or(0.0)
    }

    /// The grid position under a point. Text that overflows a cell cut by the page (a
    /// column open at the top or bottom) by a few points still belongs to it.
    pub(super) fn contains(&self, x: f32, y: f32) -> Option<(usize, usize)> {
        let column = self.xs.windows(2).position(|w| x >= w[0] && x < w[1])?;
        if let Some(row) = self.ys.windows(2).position(|w| y >= w[0] && y < w[1]) {
            return Some((row, column));
        }
        let (top, bottom) = (*self.ys.first()?, *self.ys.last()?);
        let rows = self.ys.len() - 1;
        if y < top && y > top - 6.0 && self.open_top.get(column) == Some(&true) {
            Some((0, column))
        } else if y >= bottom && y < bottom + 6.0 && self.open_bottom.get(column) == Some(&true) {
            Some((rows - 1, column))
        } else {
            None
        }
    }

    /// Rows as lines: cells joined by TAB; a row that is one cell across is a plain line.
    pub(super) fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for row in &self.cells {
            let texts: Vec<&str> = row
                .iter()
                .map(|&r| self.texts.get(r).map_or("", String::as_str))
                .collect();
            if texts.iter().all(|t| t.is_empty()) {
                continue;
            }
            if row.windows(2).all(|w| w[0] == w[1]) {
                out.push(texts[0].to_string());
            } else {
                out.push(texts.join("\t"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::layout::{HEADING_START, PAGE_NUMBER};
    use super::poppler::Image;
    use super::*;

    #[test]
    fn rules_of_a_grid_become_merged_cells() {
        // A 3×2 grid (in points, ×2 in pixels): columns at x 10, 60, 110; rows at y 10,
        // 40, 70; the rule between the two rows missing in the first column.
        let (w, h) = (240, 160);
        let mut pixels = vec![255u8; w * h];
        let mut line = |x0: usize, y0: usize, x1: usize, y1: usize| {
            for y in y0..=y1 {
                for x in x0..=x1 {
                    pixels[y * w + x] = 0;
                }
            }
        };
        line(20, 20, 220, 21);
        line(20, 140, 220, 141);
        line(120, 80, 220, 81);
        line(20, 20, 21, 141);
        line(120, 20, 121, 141);
        line(219, 20, 220, 141);
        let image = Image {
            width: w,
            height: h,
            pixels,
        };
        let word = |x: f32, y: f32, text: &str| Word {
            x0: x,
            y0: y - 6.0,
            x1: x + 12.0 * text.chars().count() as f32,
            y1: y + 6.0,
            text: text.to_string(),
        };
        let mut page = Page {
            height: 80.0,
            lines: vec![
                vec![word(15.0, 25.0, "一"), word(65.0, 25.0, "甲")],
                vec![word(65.0, 55.0, "乙")],
            ],
        };
        let tables = find_tables(&image, &mut page);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].lines(), ["一\t甲", "一\t乙"]);
        assert!(page.lines.is_empty());
    }

    #[test]
    fn page_numbers_and_headings() {
        for number in ["- 3 -", "— 12 —", "第 3 页", "第3页 共10页", "3/10", "7"] {
            assert!(PAGE_NUMBER.is_match(number), "{number}");
        }
        assert!(!PAGE_NUMBER.is_match("2023年"));
        assert!(HEADING_START.is_match("（一）加强"));
        assert!(!HEADING_START.is_match("加强（一）"));
    }

    #[test]
    fn not_a_pdf() {
        assert!(matches!(
            read(b"hello", Duration::from_secs(5)),
            Err(DecodeError::Pdf { .. })
        ));
    }
}
