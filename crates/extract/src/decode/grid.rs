//! Tables as the parser reads them: one line per row, cells separated by TAB, a merged
//! cell's text repeated into every row and column it spans.

/// No table is laid out wider than this; cells past it are dropped.
const MAX_COLUMNS: usize = 256;
/// Nor with more positions than this (a guard against `rowspan`/`colspan` bombs).
const MAX_POSITIONS: usize = 1 << 20;

/// A table being laid out cell by cell.
#[derive(Debug, Default)]
pub(crate) struct Grid {
    /// Each position holds the index of the cell covering it.
    rows: Vec<Vec<Option<usize>>>,
    texts: Vec<String>,
}

impl Grid {
    pub fn new() -> Self {
        Grid::default()
    }

    /// Places a cell in `row` at the first free column at or after `from`, spanning
    /// `rowspan` rows and `colspan` columns; returns the column after it. Rows are added
    /// as needed.
    pub fn place(
        &mut self,
        row: usize,
        from: usize,
        text: String,
        rowspan: usize,
        colspan: usize,
    ) -> usize {
        let rowspan = rowspan.max(1);
        let colspan = colspan.max(1);
        while self.rows.len() <= row {
            self.rows.push(Vec::new());
        }
        let mut column = from;
        while self.rows[row].get(column).is_some_and(Option::is_some) {
            column += 1;
        }
        if column >= MAX_COLUMNS {
            return column;
        }
        let colspan = colspan.min(MAX_COLUMNS - column);
        let used: usize = self.rows.iter().map(Vec::len).sum();
        let rowspan = rowspan
            .min(MAX_POSITIONS.saturating_sub(used) / colspan)
            .max(1);
        let id = self.texts.len();
        self.texts.push(clean_cell(&text));
        for r in row..row + rowspan {
            while self.rows.len() <= r {
                self.rows.push(Vec::new());
            }
            let cells = &mut self.rows[r];
            if cells.len() < column + colspan {
                cells.resize(column + colspan, None);
            }
            for position in &mut cells[column..column + colspan] {
                if position.is_none() {
                    *position = Some(id);
                }
            }
        }
        column + colspan
    }

    /// Drops rows past `count` (a `rowspan` reaching beyond the table).
    pub fn truncate(&mut self, count: usize) {
        self.rows.truncate(count);
    }

    /// The text of the cell covering `row`, `column`, if any.
    pub fn text(&self, row: usize, column: usize) -> Option<&str> {
        let id = (*self.rows.get(row)?.get(column)?)?;
        self.texts.get(id).map(String::as_str)
    }

    /// The rows as lines. A table of one column, and a row that is one cell across the
    /// whole table (a caption, a group heading), give plain lines; rows without text are
    /// dropped.
    pub fn lines(&self) -> Vec<String> {
        let width = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut out = Vec::new();
        for cells in &self.rows {
            let texts: Vec<&str> = (0..width)
                .map(|c| {
                    cells
                        .get(c)
                        .copied()
                        .flatten()
                        .and_then(|id| self.texts.get(id))
                        .map_or("", String::as_str)
                })
                .collect();
            if texts.iter().all(|t| t.is_empty()) {
                continue;
            }
            let first = cells.first().copied().flatten();
            let one_cell = width <= 1
                || (first.is_some() && cells.len() == width && cells.iter().all(|&c| c == first));
            if one_cell {
                out.push(texts[0].to_string());
            } else {
                out.push(texts.join("\t"));
            }
        }
        out
    }
}

/// A cell's text on one line: tabs and line breaks become spaces, runs of spaces one.
pub(crate) fn clean_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{3000}' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out.trim_matches('\u{3000}').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_cells_are_repeated() {
        let mut grid = Grid::new();
        // | 1 (rowspan 2) | a | x |
        // |               | b (colspan 2) |
        let c = grid.place(0, 0, "1".into(), 2, 1);
        let c = grid.place(0, c, "a".into(), 1, 1);
        grid.place(0, c, "x".into(), 1, 1);
        grid.place(1, 0, "b".into(), 1, 2);
        grid.place(2, 0, "all".into(), 1, 3);
        assert_eq!(grid.lines(), ["1\ta\tx", "1\tb\tb", "all"]);
    }

    #[test]
    fn spans_are_bounded() {
        let mut grid = Grid::new();
        grid.place(0, 0, "x".into(), 1_000_000, 1_000_000);
        assert!(grid.rows.iter().map(Vec::len).sum::<usize>() <= MAX_POSITIONS);
        assert_eq!(clean_cell(" a\tb \n c "), "a b c");
    }
}
