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

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use quick_xml::Reader;
use quick_xml::events::Event;
use regex::Regex;

use super::docx::reference_char;
use super::{DecodeError, Decoded};
use crate::model::SourceFormat;

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

/// Runs a Poppler tool, stopping it after `time_limit`.
fn run(
    tool: &'static str,
    args: &[OsString],
    dir: &Path,
    time_limit: Duration,
) -> Result<(), DecodeError> {
    let failed = |message: String| DecodeError::ToolFailed { tool, message };
    let log = dir.join(format!("{tool}.log"));
    let stderr = std::fs::File::create(&log).map_err(|e| failed(e.to_string()))?;
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => DecodeError::ToolMissing {
                tool,
                package: "poppler-utils",
            },
            _ => failed(e.to_string()),
        })?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= time_limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(DecodeError::TimeLimit {
                    tool,
                    seconds: time_limit.as_secs(),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(15)),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(e.to_string()));
            }
        }
    };
    if status.success() {
        return Ok(());
    }
    let message = std::fs::read_to_string(&log).unwrap_or_default();
    // pdftotext: exit status 3 is a permissions error; a wrong (or missing) password is
    // "Incorrect password".
    if message.contains("Incorrect password") || status.code() == Some(3) {
        return Err(DecodeError::PdfEncrypted);
    }
    let detail = message
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .map_or_else(|| status.to_string(), str::to_string);
    Err(DecodeError::Pdf { reason: detail })
}

/// A word of the text layer, its box in points from the page's top left.
#[derive(Debug, Clone)]
struct Word {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    text: String,
}

impl Word {
    fn center(&self) -> (f32, f32) {
        ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }

    /// The size of the type: the width of a CJK character, estimated from the width.
    fn em(&self) -> f32 {
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

fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3FFFD}')
}

#[derive(Debug, Default)]
struct Page {
    height: f32,
    lines: Vec<Vec<Word>>,
}

/// Pages, lines and words of `pdftotext -bbox-layout`'s XHTML.
fn parse_layout(xml: &[u8]) -> Result<Vec<Page>, DecodeError> {
    let mut reader = Reader::from_reader(xml);
    let mut pages: Vec<Page> = Vec::new();
    let mut word: Option<Word> = None;
    let number = |e: &quick_xml::events::BytesStart<'_>, name: &[u8]| -> f32 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .and_then(|a| {
                std::str::from_utf8(&a.value)
                    .ok()?
                    .trim()
                    .parse::<f32>()
                    .ok()
            })
            .filter(|v| v.is_finite())
            .unwrap_or(0.0)
    };
    loop {
        let event = reader.read_event().map_err(|e| DecodeError::Pdf {
            reason: format!("unreadable pdftotext output ({e})"),
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"page" => pages.push(Page {
                    height: number(&e, b"height"),
                    lines: Vec::new(),
                }),
                b"line" => {
                    if let Some(page) = pages.last_mut() {
                        page.lines.push(Vec::new());
                    }
                }
                b"word" => {
                    word = Some(Word {
                        x0: number(&e, b"xMin"),
                        y0: number(&e, b"yMin"),
                        x1: number(&e, b"xMax"),
                        y1: number(&e, b"yMax"),
                        text: String::new(),
                    });
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(w) = &mut word {
                    w.text.push_str(&t.decode().unwrap_or_default());
                }
            }
            Event::GeneralRef(r) => {
                if let (Some(w), Some(c)) = (&mut word, reference_char(&r)) {
                    w.text.push(c);
                }
            }
            Event::End(e) if e.name().as_ref() == b"word" => {
                if let Some(w) = word.take()
                    && !w.text.trim().is_empty()
                    && let Some(line) = pages.last_mut().and_then(|p| p.lines.last_mut())
                {
                    line.push(w);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    for page in &mut pages {
        page.lines.retain(|l| !l.is_empty());
    }
    Ok(pages)
}

/// Pages rendered at a time.
const RENDER_BATCH: usize = 16;

/// Renders pages `first` to `last` in grey into `dir`; the images by page number.
fn render(
    input: &Path,
    dir: &Path,
    first: usize,
    last: usize,
    time_limit: Duration,
) -> Result<HashMap<usize, PathBuf>, DecodeError> {
    run(
        "pdftoppm",
        &[
            "-f".into(),
            first.to_string().into(),
            "-l".into(),
            last.to_string().into(),
            "-r".into(),
            "144".into(),
            "-gray".into(),
            input.into(),
            dir.join("page").into(),
        ],
        dir,
        time_limit,
    )?;
    Ok(page_images(dir))
}

/// The rendered page images by page number (`page-07.pgm` is page 7).
fn page_images(dir: &Path) -> HashMap<usize, PathBuf> {
    let mut out = HashMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let number = name
            .strip_prefix("page-")
            .and_then(|n| n.strip_suffix(".pgm"))
            .and_then(|n| n.parse::<usize>().ok());
        if let Some(number) = number {
            out.insert(number, path);
        }
    }
    out
}

/// A grey image.
struct Image {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Image {
    fn ink(&self, x: usize, y: usize) -> bool {
        self.pixels
            .get(y * self.width + x)
            .is_some_and(|&p| p < INK)
    }
}

/// A binary PGM (P5, 8 bits).
fn read_pgm(bytes: &[u8]) -> Option<Image> {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) == Some(&b'#') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if start == i {
            return None;
        }
        fields.push(std::str::from_utf8(&bytes[start..i]).ok()?);
    }
    if fields[0] != "P5" {
        return None;
    }
    let width: usize = fields[1].parse().ok()?;
    let height: usize = fields[2].parse().ok()?;
    let max: usize = fields[3].parse().ok()?;
    let pixels = bytes.get(i + 1..)?;
    if max > 255 || pixels.len() < width.checked_mul(height)? {
        return None;
    }
    Some(Image {
        width,
        height,
        pixels: pixels[..width * height].to_vec(),
    })
}

/// A ruling line, in points: at `at` (y of a horizontal rule, x of a vertical one) from
/// `from` to `to`.
#[derive(Debug, Clone, Copy)]
struct Rule {
    at: f32,
    from: f32,
    to: f32,
}

/// Ruling lines: runs of ink at least `min` points long and at most 3 points thick.
fn rules(image: &Image, horizontal: bool) -> Vec<Rule> {
    let (length, breadth) = if horizontal {
        (image.width, image.height)
    } else {
        (image.height, image.width)
    };
    let ink = |along: usize, across: usize| {
        if horizontal {
            image.ink(along, across)
        } else {
            image.ink(across, along)
        }
    };
    let min_run = (8.0 * SCALE) as usize;
    let max_thickness = (3.0 * SCALE) as usize;
    // A band: runs on consecutive pixel lines that overlap.
    struct Band {
        from: usize,
        to: usize,
        first: usize,
        last: usize,
    }
    let mut open: Vec<Band> = Vec::new();
    let mut out = Vec::new();
    let close = |band: Band, out: &mut Vec<Rule>| {
        if band.last - band.first < max_thickness {
            out.push(Rule {
                at: (band.first + band.last + 1) as f32 / 2.0 / SCALE,
                from: band.from as f32 / SCALE,
                to: (band.to + 1) as f32 / SCALE,
            });
        }
    };
    for across in 0..breadth {
        let mut runs = Vec::new();
        let mut along = 0;
        while along < length {
            if !ink(along, across) {
                along += 1;
                continue;
            }
            let start = along;
            let mut end = along;
            // Gaps of one pixel (anti-aliasing) do not end a run.
            while along < length
                && (ink(along, across) || (along + 1 < length && ink(along + 1, across)))
            {
                if ink(along, across) {
                    end = along;
                }
                along += 1;
            }
            if end + 1 - start >= min_run {
                runs.push((start, end));
            }
        }
        let mut still_open = Vec::new();
        for band in open.drain(..) {
            let continued = runs.iter().position(|&(s, e)| {
                let overlap = e.min(band.to) as isize - s.max(band.from) as isize;
                overlap * 2 >= (e - s).min(band.to - band.from) as isize
            });
            match continued {
                Some(i) => {
                    let (s, e) = runs.remove(i);
                    still_open.push(Band {
                        from: band.from.min(s),
                        to: band.to.max(e),
                        first: band.first,
                        last: across,
                    });
                }
                None => close(band, &mut out),
            }
        }
        for (s, e) in runs {
            still_open.push(Band {
                from: s,
                to: e,
                first: across,
                last: across,
            });
        }
        open = still_open;
    }
    for band in open {
        close(band, &mut out);
    }
    out
}

const TOUCH: f32 = 2.5;

fn touches(h: &Rule, v: &Rule) -> bool {
    v.at >= h.from - TOUCH && v.at <= h.to + TOUCH && h.at >= v.from - TOUCH && h.at <= v.to + TOUCH
}

/// A table found on a page: the grid lines, the merged cell (region) at each grid position
/// and each region's text; which columns are open at the top and the bottom.
#[derive(Debug, Clone)]
struct Table {
    xs: Vec<f32>,
    ys: Vec<f32>,
    cells: Vec<Vec<usize>>,
    texts: Vec<String>,
    open_top: Vec<bool>,
    open_bottom: Vec<bool>,
}

impl Table {
    fn top(&self) -> f32 {
        self.ys.first().copied().unwrap_or(0.0)
    }

    /// The grid position under a point. Text that overflows a cell cut by the page (a
    /// column open at the top or bottom) by a few points still belongs to it.
    fn contains(&self, x: f32, y: f32) -> Option<(usize, usize)> {
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
    fn lines(&self) -> Vec<String> {
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

/// Values within `tolerance` of each other, as the mean of each group.
fn cluster(mut values: Vec<f32>, tolerance: f32) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, f32, usize)> = Vec::new(); // (last, sum, count)
    for v in values {
        match out.last_mut() {
            Some((last, sum, count)) if v - *last <= tolerance => {
                *last = v;
                *sum += v;
                *count += 1;
            }
            _ => out.push((v, v, 1)),
        }
    }
    out.into_iter().map(|(_, s, c)| s / c as f32).collect()
}

fn find_root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The tables of a page; their words are taken out of the page's lines.
fn find_tables(image: &Image, page: &mut Page) -> Vec<Table> {
    // Strokes of characters are no rules: drop those whose middle is inside a word.
    let cores: Vec<(f32, f32, f32, f32)> = page
        .lines
        .iter()
        .flatten()
        .map(|w| {
            let (em, (_, y)) = (w.em(), w.center());
            (
                w.x0 + 0.15 * em,
                y - 0.5 * em,
                w.x1 - 0.15 * em,
                y + 0.5 * em,
            )
        })
        .collect();
    let in_text = |x: f32, y: f32| {
        cores
            .iter()
            .any(|&(x0, y0, x1, y1)| x > x0 && x < x1 && y > y0 && y < y1)
    };
    let mut horizontal = rules(image, true);
    let mut vertical = rules(image, false);
    horizontal.retain(|r| !in_text((r.from + r.to) / 2.0, r.at));
    vertical.retain(|r| !in_text(r.at, (r.from + r.to) / 2.0));
    // Keep only horizontal rules that cross or meet two vertical ones, and vertical rules
    // that meet one of those (a table cut by the page may lack its bottom rule).
    loop {
        let h_before = horizontal.len();
        let v_before = vertical.len();
        horizontal.retain(|h| vertical.iter().filter(|v| touches(h, v)).count() >= 2);
        vertical.retain(|v| horizontal.iter().any(|h| touches(h, v)));
        if horizontal.len() == h_before && vertical.len() == v_before {
            break;
        }
    }
    if horizontal.is_empty() || vertical.is_empty() {
        return Vec::new();
    }
    // Connected groups of rules are tables.
    let n = horizontal.len();
    let mut parent: Vec<usize> = (0..n + vertical.len()).collect();
    for (i, h) in horizontal.iter().enumerate() {
        for (j, v) in vertical.iter().enumerate() {
            if touches(h, v) {
                let (a, b) = (find_root(&mut parent, i), find_root(&mut parent, n + j));
                parent[a] = b;
            }
        }
    }
    let mut groups: HashMap<usize, (Vec<Rule>, Vec<Rule>)> = HashMap::new();
    for (i, h) in horizontal.iter().enumerate() {
        groups
            .entry(find_root(&mut parent, i))
            .or_default()
            .0
            .push(*h);
    }
    for (j, v) in vertical.iter().enumerate() {
        groups
            .entry(find_root(&mut parent, n + j))
            .or_default()
            .1
            .push(*v);
    }
    let mut tables: Vec<Table> = groups
        .into_values()
        .filter_map(|(h, v)| grid(&h, &v))
        .collect();
    tables.sort_by(|a, b| a.top().total_cmp(&b.top()));

    // Words inside a table go to its cells.
    let mut cell_words: Vec<Vec<Vec<Word>>> = tables
        .iter()
        .map(|t| vec![Vec::new(); t.texts.len()])
        .collect();
    for line in &mut page.lines {
        line.retain(|word| {
            let (x, y) = word.center();
            for (t, table) in tables.iter().enumerate() {
                if let Some((r, c)) = table.contains(x, y) {
                    let region = table.cells[r][c];
                    cell_words[t][region].push(word.clone());
                    return false;
                }
            }
            true
        });
    }
    page.lines.retain(|l| !l.is_empty());
    for (table, words) in tables.iter_mut().zip(cell_words) {
        for (region, words) in words.into_iter().enumerate() {
            table.texts[region] = block_text(words);
        }
    }
    tables
}

/// The grid of one group of rules, `None` when it has fewer than two columns or rows.
fn grid(horizontal: &[Rule], vertical: &[Rule]) -> Option<Table> {
    let left = horizontal
        .iter()
        .map(|h| h.from)
        .fold(f32::INFINITY, f32::min);
    let right = horizontal
        .iter()
        .map(|h| h.to)
        .fold(f32::NEG_INFINITY, f32::max);
    let top = vertical
        .iter()
        .map(|v| v.from)
        .fold(f32::INFINITY, f32::min);
    let bottom = vertical
        .iter()
        .map(|v| v.to)
        .fold(f32::NEG_INFINITY, f32::max);
    let mut xs: Vec<f32> = vertical.iter().map(|v| v.at).collect();
    xs.extend([left, right]);
    let mut ys: Vec<f32> = horizontal.iter().map(|h| h.at).collect();
    ys.extend([top, bottom]);
    let xs = cluster(xs, 4.0);
    let ys = cluster(ys, 4.0);
    // Fewer than two columns, or smaller than a few characters: a frame or a glyph.
    if xs.len() < 3 || ys.len() < 2 || right - left < 50.0 || bottom - top < 12.0 {
        return None;
    }
    let (columns, rows) = (xs.len() - 1, ys.len() - 1);
    let covered = |rules: &[Rule], at: f32, from: f32, to: f32| {
        let wanted = (to - from).max(0.1);
        let cover: f32 = rules
            .iter()
            .filter(|r| (r.at - at).abs() <= 4.0)
            .map(|r| (r.to.min(to) - r.from.max(from)).max(0.0))
            .sum();
        cover >= wanted * 0.5
    };
    let index = |r: usize, c: usize| r * columns + c;
    let mut parent: Vec<usize> = (0..rows * columns).collect();
    for r in 0..rows {
        for c in 0..columns {
            if c + 1 < columns && !covered(vertical, xs[c + 1], ys[r], ys[r + 1]) {
                let (a, b) = (
                    find_root(&mut parent, index(r, c)),
                    find_root(&mut parent, index(r, c + 1)),
                );
                parent[b] = a;
            }
            if r + 1 < rows && !covered(horizontal, ys[r + 1], xs[c], xs[c + 1]) {
                let (a, b) = (
                    find_root(&mut parent, index(r, c)),
                    find_root(&mut parent, index(r + 1, c)),
                );
                parent[b] = a;
            }
        }
    }
    let mut ids: HashMap<usize, usize> = HashMap::new();
    let mut cells = vec![vec![0; columns]; rows];
    for (r, row) in cells.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            let root = find_root(&mut parent, index(r, c));
            let next = ids.len();
            *cell = *ids.entry(root).or_insert(next);
        }
    }
    let open_top = (0..columns)
        .map(|c| !covered(horizontal, ys[0], xs[c], xs[c + 1]))
        .collect();
    let open_bottom = (0..columns)
        .map(|c| !covered(horizontal, ys[rows], xs[c], xs[c + 1]))
        .collect();
    Some(Table {
        xs,
        ys,
        cells,
        texts: vec![String::new(); ids.len()],
        open_top,
        open_bottom,
    })
}

/// Joins two pieces of text that a line end separated: nothing between CJK text, a space
/// between two Latin words.
fn join_into(out: &mut String, next: &str) {
    let (Some(a), Some(b)) = (out.chars().last(), next.chars().next()) else {
        out.push_str(next);
        return;
    };
    let latin = a.is_ascii_alphanumeric() || matches!(a, ',' | ';' | ':');
    if latin && b.is_ascii_alphanumeric() {
        out.push(' ');
    }
    out.push_str(next);
}

/// The words of a line in order, a space where there is a gap.
fn line_text(words: &[Word]) -> String {
    let mut out = String::new();
    let mut previous: Option<&Word> = None;
    for word in words {
        if let Some(p) = previous
            && word.x0 - p.x1 > 0.1 * p.em().min(word.em())
        {
            out.push(' ');
        }
        out.push_str(word.text.trim());
        previous = Some(word);
    }
    out
}

/// The words of a table cell: grouped into lines by their centres, the lines joined.
fn block_text(mut words: Vec<Word>) -> String {
    words.sort_by(|a, b| a.center().1.total_cmp(&b.center().1));
    let mut lines: Vec<Vec<Word>> = Vec::new();
    for word in words {
        let y = word.center().1;
        match lines.last_mut() {
            Some(line)
                if line
                    .first()
                    .is_some_and(|w| (w.center().1 - y).abs() < 0.5 * w.em().min(word.em())) =>
            {
                line.push(word);
            }
            _ => lines.push(vec![word]),
        }
    }
    let mut out = String::new();
    for mut line in lines {
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        join_into(&mut out, &line_text(&line));
    }
    out
}

/// The width of a text in characters: CJK characters count one, others about half.
fn text_units(text: &str) -> f32 {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if is_wide(c) { 1.0 } else { 0.55 })
        .sum()
}

/// The width (as [`text_units`]) of what opens a line up to its first break
/// opportunity: closing punctuation, quotation marks and the characters after them, and
/// runs of Latin letters and digits cannot be parted from what precedes them.
fn leading_chunk(text: &str) -> f32 {
    let chars: Vec<char> = text.trim_start().chars().collect();
    let Some(&first) = chars.first() else {
        return 0.0;
    };
    let width = |c: char| if is_wide(c) { 1.0 } else { 0.55 };
    let closing = |c: char| "，。、；：！？）》」』】〕…,.;:!?)]%".contains(c);
    let quote = |c: char| "“”‘’\"'".contains(c);
    let opening = |c: char| "（《「『【〔([".contains(c);
    let mut units = width(first);
    for pair in chars.windows(2) {
        let (p, c) = (pair[0], pair[1]);
        let glued = closing(c)
            || quote(c)
            || quote(p)
            || opening(p)
            || (p.is_ascii_alphanumeric() && (c.is_ascii_alphanumeric() || c == '.'));
        if !glued {
            break;
        }
        units += width(c);
    }
    units
}

/// The type size of a line: measured on its CJK words, whose characters are square;
/// else the largest estimate of its words.
fn line_em(words: &[Word]) -> f32 {
    let cjk: Vec<&Word> = words
        .iter()
        .filter(|w| w.text.chars().any(is_wide))
        .collect();
    let units: f32 = cjk.iter().map(|w| text_units(&w.text)).sum();
    if units > 0.0 {
        let width: f32 = cjk.iter().map(|w| w.x1 - w.x0).sum();
        return (width / units).max(1.0);
    }
    words.iter().map(Word::em).fold(1.0, f32::max)
}

/// A line of text outside tables.
#[derive(Debug, Clone)]
struct TextLine {
    page: usize,
    x0: f32,
    x1: f32,
    y: f32,
    em: f32,
    text: String,
}

#[derive(Debug)]
enum Item {
    Line(TextLine),
    Table { page: usize, table: Table },
}

/// Lines as `pdftotext` gives them, with the pieces it set apart rejoined: a word in
/// another font (a number, a bracket) on the same baseline as a line and touching it.
fn merge_fragments(lines: &[Vec<Word>]) -> Vec<Vec<Word>> {
    let mut lines: Vec<Vec<Word>> = lines.to_vec();
    let extent = |line: &[Word]| {
        let x0 = line.iter().map(|w| w.x0).fold(f32::INFINITY, f32::min);
        let x1 = line.iter().map(|w| w.x1).fold(f32::NEG_INFINITY, f32::max);
        let y = line.iter().map(|w| w.center().1).sum::<f32>() / line.len().max(1) as f32;
        let em = line.iter().map(Word::em).fold(0.0, f32::max);
        (x0, x1, y, em)
    };
    let mut i = 0;
    while i < lines.len() {
        let mut j = i + 1;
        while j < lines.len() {
            let (a0, a1, ay, aem) = extent(&lines[i]);
            let (b0, b1, by, bem) = extent(&lines[j]);
            let em = aem.max(bem);
            let touching =
                (b0 - a1 >= -0.5 * em && b0 - a1 <= em) || (a0 - b1 >= -0.5 * em && a0 - b1 <= em);
            if touching && (ay - by).abs() < 0.4 * em {
                let moved = lines.remove(j);
                lines[i].extend(moved);
                lines[i].sort_by(|a, b| a.x0.total_cmp(&b.x0));
                j = i + 1;
            } else {
                j += 1;
            }
        }
        i += 1;
    }
    lines
}

/// Lines in reading order. `pdftotext` orders the text of a page by its own reading of the
/// layout, which sets a line apart now and then (one that starts further left than the
/// line above it); on a page of one column, lines are read top to bottom, those side by
/// side left to right. Pages of several columns keep `pdftotext`'s order.
fn reading_order(mut lines: Vec<Vec<Word>>) -> Vec<Vec<Word>> {
    let extent = |line: &[Word]| {
        let x0 = line.iter().map(|w| w.x0).fold(f32::INFINITY, f32::min);
        let x1 = line.iter().map(|w| w.x1).fold(f32::NEG_INFINITY, f32::max);
        let y = line.iter().map(|w| w.center().1).sum::<f32>() / line.len().max(1) as f32;
        let em = line.iter().map(Word::em).fold(1.0, f32::max);
        (x0, x1, y, em)
    };
    let extents: Vec<_> = lines.iter().map(|l| extent(l)).collect();
    let side_by_side = extents
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            extents.iter().enumerate().any(|(j, b)| {
                *i != j
                    && (a.2 - b.2).abs() < 0.4 * a.3.max(b.3)
                    && (b.0 - a.1 > 2.0 * a.3 || a.0 - b.1 > 2.0 * a.3)
            })
        })
        .count();
    if side_by_side * 10 > lines.len() * 3 {
        return lines;
    }
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| extents[a].2.total_cmp(&extents[b].2));
    let mut rows = vec![0usize; lines.len()];
    let mut row = 0;
    let mut row_y = f32::NEG_INFINITY;
    for &i in &order {
        let (_, _, y, em) = extents[i];
        if y - row_y > 0.4 * em {
            row += 1;
            row_y = y;
        }
        rows[i] = row;
    }
    let mut keyed: Vec<(usize, f32, Vec<Word>)> = lines
        .drain(..)
        .enumerate()
        .map(|(i, line)| (rows[i], extents[i].0, line))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    keyed.into_iter().map(|(_, _, line)| line).collect()
}

/// A page's lines and tables in reading order: a table goes before the first line below
/// its top.
fn page_items(index: usize, page: &Page, tables: Vec<Table>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut tables = tables.into_iter().peekable();
    for words in &reading_order(merge_fragments(&page.lines)) {
        let x0 = words.iter().map(|w| w.x0).fold(f32::INFINITY, f32::min);
        let x1 = words.iter().map(|w| w.x1).fold(f32::NEG_INFINITY, f32::max);
        let y = words.iter().map(|w| w.center().1).sum::<f32>() / words.len() as f32;
        let em = line_em(words);
        while let Some(table) = tables.next_if(|t| t.top() < y) {
            items.push(Item::Table { page: index, table });
        }
        items.push(Item::Line(TextLine {
            page: index,
            x0,
            x1,
            y,
            em,
            text: line_text(words),
        }));
    }
    items.extend(tables.map(|table| Item::Table { page: index, table }));
    items
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)[-—–－\s]*(第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*(/|of)\s*\d+|page\s*\d+(\s*of\s*\d+)?|\d+)[-—–－\s]*$")
        .expect("valid regex")
});

static HEADING_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|[①-⑳]|第[一二三四五六七八九十百\d]+[章节条]|附件)")
        .expect("valid regex")
});

/// The document's text: running headers, footers and page numbers dropped, tables broken
/// by a page joined, the lines of each paragraph joined.
fn assemble(pages: &[Page], items: Vec<Vec<Item>>) -> String {
    // Running headers and footers: lines in the top or bottom tenth of the page that recur
    // on other pages (digits aside), and page numbers there.
    let zone = |line: &TextLine| {
        let height = pages.get(line.page).map_or(0.0, |p| p.height);
        height > 0.0 && (line.y < height * 0.1 || line.y > height * 0.9)
    };
    let key = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    let mut recurring: HashMap<String, std::collections::HashSet<usize>> = HashMap::new();
    for item in items.iter().flatten() {
        if let Item::Line(line) = item
            && zone(line)
        {
            recurring
                .entry(key(&line.text))
                .or_default()
                .insert(line.page);
        }
    }
    // A line of a few letters (a list number such as 1.) may open a page twice by chance.
    let repeated = |line: &TextLine| {
        let key = key(&line.text);
        key.chars().count() >= 4 && recurring.get(&key).is_some_and(|pages| pages.len() >= 2)
    };
    let mut kept: Vec<Item> = Vec::new();
    for page_items in items {
        for item in page_items {
            if let Item::Line(line) = &item
                && zone(line)
                && (repeated(line) || PAGE_NUMBER.is_match(line.text.trim()))
            {
                continue;
            }
            kept.push(item);
        }
    }
    let kept = join_tables(kept);

    // Margins and spacing of the body text.
    let lines: Vec<&TextLine> = kept
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) => Some(l),
            Item::Table { .. } => None,
        })
        .collect();
    let mode = |values: Vec<f32>| -> f32 {
        let mut counts: HashMap<i32, usize> = HashMap::new();
        for v in values {
            *counts.entry(v.round() as i32).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|&(v, n)| (n, -v))
            .map_or(0.0, |(v, _)| v as f32)
    };
    let left = mode(lines.iter().map(|l| l.x0).collect());
    // Unjustified lines end short of the margin by up to a character or two.
    let mut ends: Vec<f32> = lines.iter().map(|l| l.x1).collect();
    ends.sort_by(f32::total_cmp);
    let right = ends.get(ends.len() * 9 / 10).copied().unwrap_or(0.0);
    let mut ems: Vec<f32> = lines.iter().map(|l| l.em).collect();
    ems.sort_by(f32::total_cmp);
    let body_em = ems.get(ems.len() / 2).copied().unwrap_or(10.0);
    let mut pitches: Vec<f32> = lines
        .windows(2)
        .filter(|w| w[0].page == w[1].page)
        .map(|w| (w[1].y - w[0].y) / w[0].em)
        .filter(|p| *p > 0.5 && *p < 4.0)
        .collect();
    pitches.sort_by(f32::total_cmp);
    let line_pitch = pitches.get(pitches.len() / 4).copied().unwrap_or(1.5);

    let continues = |a: &TextLine, b: &TextLine| -> bool {
        let em = a.em.max(b.em);
        if (a.em - b.em).abs() > 0.15 * em {
            return false;
        }
        if a.page == b.page && (b.y - a.y) / a.em > line_pitch + 0.3 {
            return false;
        }
        if a.page != b.page && a.page + 1 != b.page {
            return false;
        }
        // The line ended early only if what opens the next line would have fitted.
        let room = right - a.x1;
        let (chunk, units) = (leading_chunk(&b.text), text_units(&b.text));
        let advance = if units > 0.0 {
            (b.x1 - b.x0) / units
        } else {
            b.em
        };
        if room > (chunk + 1.0) * advance {
            return false;
        }
        let centered = |l: &TextLine| ((l.x0 - left) - (right - l.x1)).abs() <= 2.5 * l.em;
        let indented = b.x0 > left + 0.8 * b.em;
        if indented && !(a.em > body_em * 1.15 && centered(a) && centered(b)) {
            return false;
        }
        let finished = a
            .text
            .trim_end()
            .ends_with(['。', '；', '：', ';', ':', '！', '？', '!', '?']);
        !(finished && HEADING_START.is_match(b.text.trim_start()))
    };

    let mut out = String::new();
    let mut previous: Option<&TextLine> = None;
    for item in &kept {
        match item {
            Item::Line(line) => {
                match previous {
                    Some(p) if continues(p, line) => join_into(&mut out, line.text.trim()),
                    _ => {
                        if !out.is_empty() {
                            out.push('\n');
                        }
                        out.push_str(line.text.trim());
                    }
                }
                previous = Some(line);
            }
            Item::Table { table, .. } => {
                for row in table.lines() {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    out.push_str(&row);
                }
                previous = None;
            }
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Joins each table that ends a page to the one that starts the next page when their
/// columns agree: a column without a rule on either side of the break continues its cell.
fn join_tables(items: Vec<Item>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for item in items {
        let Item::Table { page, table } = item else {
            out.push(item);
            continue;
        };
        if let Some(Item::Table {
            page: last_page,
            table: last,
        }) = out.last_mut()
            && *last_page + 1 == page
            && last.xs.len() == table.xs.len()
            && last
                .xs
                .iter()
                .zip(&table.xs)
                .all(|(a, b)| (a - b).abs() <= 4.0)
        {
            append(last, table);
            *last_page = page;
            continue;
        }
        out.push(Item::Table { page, table });
    }
    out
}

/// `next` appended to `table`, the cells open between them merged.
fn append(table: &mut Table, next: Table) {
    let offset = table.texts.len();
    let columns = table.xs.len() - 1;
    let mut texts = std::mem::take(&mut table.texts);
    texts.extend(next.texts);
    let mut parent: Vec<usize> = (0..texts.len()).collect();
    let (Some(last_row), Some(first_row)) = (table.cells.last().cloned(), next.cells.first())
    else {
        table.texts = texts;
        return;
    };
    let mut all_open = true;
    for c in 0..columns {
        // Renderers differ in which side of the break they leave open; a cell that goes
        // on is open on both.
        let open = next.open_top.get(c).copied().unwrap_or(false)
            && table.open_bottom.get(c).copied().unwrap_or(false);
        if !open {
            all_open = false;
            continue;
        }
        let (a, b) = (last_row[c], first_row[c] + offset);
        let (ra, rb) = (find_root(&mut parent, a), find_root(&mut parent, b));
        if ra != rb {
            let moved = std::mem::take(&mut texts[rb]);
            join_into(&mut texts[ra], &moved);
            parent[rb] = ra;
        }
    }
    let mut rows: Vec<Vec<usize>> = std::mem::take(&mut table.cells);
    rows.extend(
        next.cells
            .iter()
            .skip(usize::from(all_open))
            .map(|row| row.iter().map(|&r| r + offset).collect()),
    );
    for row in &mut rows {
        for cell in row.iter_mut() {
            *cell = find_root(&mut parent, *cell);
        }
    }
    table.cells = rows;
    table.texts = texts;
    table.open_bottom = next.open_bottom;
    table.ys.extend(next.ys.iter().skip(1));
}

#[cfg(test)]
mod tests {
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
