//! The coverage audit: after the annotations are read, every bracketed clause and every
//! short line of its own that names units (names of unit shape, see [`unit_shaped`], or
//! names the caller knows to be units) but was not read as an annotation is reported, so
//! that a form the parser does not know is never lost in silence.

use std::collections::HashSet;

use super::lines::{Line, depths, top_level_groups};
use super::metadata::is_date_line;
use super::roles::read_label;
use super::structure::heading_of;
use super::units::unit_shaped;
use super::words::{has_office_ending, is_han};
use crate::model::{Coverage, Span, Unread, Warning};
use crate::text::{fold, trim_range};

/// Longest stand-alone line that the audit looks at (longer lines are prose paragraphs).
const LINE_MAX: usize = 80;

/// Longest lead-in before a colon (`责任主体：`) that the audit looks past.
const LEAD_IN_MAX: usize = 10;

/// Lead-ins that name the addressees or the copies of a document, not a task's units.
const ADDRESS_WORDS: [&str; 5] = ["抄送", "主送", "发送", "印发", "分送"];

/// What the parser read, for the audit.
pub struct Read<'a> {
    /// Spans of the annotations and table rows read.
    pub spans: &'a [Span],
    /// How many annotations (inline, stand-alone, table rows) were read.
    pub annotations: usize,
    /// Lines not to look at: web-page leftovers and the lines the metadata came from.
    pub skip: &'a HashSet<usize>,
    /// Names known to be units whatever their shape (a gazetteer's), in matching form.
    pub known_unit: &'a dyn Fn(&str) -> bool,
}

/// Audits `lines`: the coverage summary, and a warning for every candidate not read.
pub fn audit(lines: &[Line], read: &Read, warnings: &mut Vec<Warning>) -> Coverage {
    let mut unread = Vec::new();
    let overlaps_read = |span: Span| {
        read.spans
            .iter()
            .any(|r| r.start < span.end && span.start < r.end)
    };
    for (index, line) in lines.iter().enumerate() {
        if line.is_blank() || read.skip.contains(&index) || is_signature(lines, index) {
            continue;
        }
        let (from, to) = line.content_range();
        if line.is_table_row() {
            if !overlaps_read(line.span(from, to)) && table_row_names_units(line, read.known_unit) {
                unread.push(candidate(line, from, to));
            }
            continue;
        }
        let (groups, _) = top_level_groups(&line.chars, 0, line.len());
        let mut found_in_groups = false;
        for group in &groups {
            let span = line.span(group.open, group.close + 1);
            if !overlaps_read(span)
                && !is_title_or_alias(line, group.open)
                && !is_inside_a_sentence(line, group.open, group.close)
                && names_units(line, group.open + 1, group.close, read.known_unit)
            {
                unread.push(candidate(line, group.open, group.close + 1));
                found_in_groups = true;
            }
        }
        let line_span = line.span(from, to);
        if !found_in_groups
            && !overlaps_read(line_span)
            && to - from <= LINE_MAX
            && heading_of(line, index).is_none()
            && !line.trimmed().ends_with(':')
            && names_units(line, from, to, read.known_unit)
        {
            unread.push(candidate(line, from, to));
        }
    }
    for u in &unread {
        warnings.push(Warning {
            line: Some(u.line),
            message: format!("possible unit annotation not read: {}", u.text),
        });
    }
    Coverage {
        annotations: read.annotations,
        candidates: read.annotations + unread.len(),
        unread,
    }
}

/// Whether the bracket group opening at `open` is a title (`《…》`) or gives another name
/// of the unit written right before it (`市人工智能产业链专班办公室（市科技局）`).
fn is_title_or_alias(line: &Line, open: usize) -> bool {
    if matches!(line.folded_char(open), '《' | '〈') {
        return true;
    }
    let mut start = open;
    while start > 0 && is_han(line.folded_char(start - 1)) {
        start -= 1;
    }
    start < open && has_office_ending(&line.folded_chars(start, open))
}

/// Whether the bracket group `[open, close]` sits inside a sentence, between two words
/// (`鼓励金融机构（中国银行、工商银行）加大投放`): it then gives examples or another name.
/// An annotation closes a sentence or a line, or opens a clause.
fn is_inside_a_sentence(line: &Line, open: usize, close: usize) -> bool {
    let before = (0..open)
        .rev()
        .map(|i| line.folded_char(i))
        .find(|c| !c.is_whitespace());
    let after = (close + 1..line.len())
        .map(|i| line.folded_char(i))
        .find(|c| !c.is_whitespace());
    let word = |c: Option<char>| c.is_some_and(|c| is_han(c) || c.is_alphanumeric());
    word(before) && word(after)
}

fn candidate(line: &Line, from: usize, to: usize) -> Unread {
    Unread {
        line: line.number,
        span: line.span(from, to),
        text: line.original(from, to),
    }
}

/// Whether `line[from..to)` is a clause that names units: past a short lead-in (`责任主体：`),
/// its pieces (split on `、` `，` `；` outside brackets) are names of unit shape, maybe with a
/// verb of their own, or a time (`2025年底前完成`); at least one is a name.
fn names_units(line: &Line, from: usize, to: usize, known_unit: &dyn Fn(&str) -> bool) -> bool {
    let (mut from, mut to) = trim_range(&line.chars, from, to);
    while to > from && matches!(fold(line.chars[to - 1]), '。' | ';' | '.') {
        to -= 1;
    }
    if from >= to {
        return false;
    }
    let depth = depths(&line.chars, from, to);
    // A lead-in before a colon.
    if let Some(colon) = (from..to).find(|&i| depth[i - from] == 0 && fold(line.chars[i]) == ':') {
        let lead_in = line.folded_chars(from, colon);
        if colon - from > LEAD_IN_MAX || ADDRESS_WORDS.iter().any(|w| lead_in.contains(w)) {
            return false;
        }
        from = colon + 1;
    }
    let depth = depths(&line.chars, from, to);
    let mut pieces = Vec::new();
    let mut start = from;
    for i in from..to {
        if depth[i - from] == 0 && matches!(fold(line.chars[i]), '、' | ',' | ';') {
            pieces.push((start, i));
            start = i + 1;
        }
    }
    pieces.push((start, to));
    let mut names = 0;
    for (s, e) in pieces {
        let piece = line.folded_chars(s, e);
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        if unit_shaped(piece) || names_a_known_unit(piece, known_unit) {
            names += 1;
        } else if !is_time(piece) {
            return false;
        }
    }
    names > 0
}

/// Whether `piece` is a known unit's name, maybe followed by at most four characters of its
/// own (`市总工会主抓`).
fn names_a_known_unit(piece: &str, known_unit: &dyn Fn(&str) -> bool) -> bool {
    let chars: Vec<char> = piece.chars().collect();
    (0..=4.min(chars.len().saturating_sub(2))).any(|tail| {
        let own = &chars[chars.len() - tail..];
        own.iter().all(|&c| is_han(c))
            && known_unit(&chars[..chars.len() - tail].iter().collect::<String>())
    })
}

/// A piece that gives a time, not a unit: `2025年底前`, `长期坚持`.
fn is_time(piece: &str) -> bool {
    piece.chars().any(|c| c.is_ascii_digit())
        && ["年", "月", "季度", "前", "底"]
            .iter()
            .any(|w| piece.contains(w))
        || ["持续", "长期", "常态化", "逐步"]
            .iter()
            .any(|w| piece.starts_with(w))
}

/// A table row that no header was read for, with a cell naming units (not a label).
fn table_row_names_units(line: &Line, known_unit: &dyn Fn(&str) -> bool) -> bool {
    let cells: Vec<(usize, usize)> = {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, &c) in line.chars.iter().enumerate() {
            if matches!(fold(c), '\t' | '|') {
                out.push((start, i));
                start = i + 1;
            }
        }
        out.push((start, line.len()));
        out
    };
    cells.into_iter().any(|(s, e)| {
        let text: String = line
            .folded_chars(s, e)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        !text.is_empty() && read_label(&text).is_none() && names_units(line, s, e, known_unit)
    })
}

/// Whether line `index` belongs to a signature: short lines of names (and brackets) that a
/// date line closes within a few lines.
fn is_signature(lines: &[Line], index: usize) -> bool {
    for line in lines.iter().skip(index).take(5) {
        let text = line.trimmed();
        if is_date_line(text) {
            return true;
        }
        if !line.is_blank() && (text.chars().count() > 40 || text.contains('。')) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::lines::lines;
    use super::*;

    fn clause(text: &str) -> bool {
        let line = &lines(text)[0];
        names_units(line, 0, line.len(), &|_| false)
    }

    #[test]
    fn clauses_that_name_units() {
        assert!(clause("省商务厅主抓，省财政厅、省发展改革委支撑"));
        assert!(clause("责任主体：市科技局、市财政局"));
        assert!(clause("由市场监管局承担，2022年底前完成"));
        assert!(clause("各有关部门"));
        assert!(!clause("One Person Company，一人公司"));
        assert!(!clause("以下简称市科技局"));
        assert!(!clause("含开发区、长江新区、风景区管委会"));
        assert!(!clause("抄送：省委各部门，省人大常委会办公厅"));
        assert!(!clause("资金由省财政厅安排"));
        assert!(!clause("2021年起由省财政负责"));
        assert!(!clause("CRO"));
        assert!(!clause("试行"));
    }
}
