//! A line-by-line view of the decoded text, each line also in matching form (simplified
//! and folded, see [`crate::text::match_form`]) so that patterns can be written once while
//! every offset still points into the original text; and the bracket groups that
//! annotations sit in.

use crate::model::Span;
use crate::text::{char_offsets, fold, match_form, trim_range};

/// One line of the document.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// Code-point offset of the line's first character in the document.
    pub start: usize,
    /// The original characters, without the line break.
    pub chars: Vec<char>,
    /// The characters in matching form (simplified and folded, see
    /// [`crate::text::match_form`]) as a string, with as many code points as `chars`.
    pub folded: String,
    /// The same, one `char` each.
    key_chars: Vec<char>,
    /// Code-point offset of each byte boundary of `folded` (index: byte, value: char).
    byte_to_char: Vec<usize>,
}

impl Line {
    fn new(number: usize, start: usize, chars: Vec<char>) -> Self {
        let original: String = chars.iter().collect();
        let folded = match_form(&original);
        let key_chars: Vec<char> = folded.chars().collect();
        debug_assert_eq!(key_chars.len(), chars.len());
        let byte_to_char = char_offsets(&folded);
        Line {
            number,
            start,
            chars,
            folded,
            key_chars,
            byte_to_char,
        }
    }

    /// Converts a byte offset in `folded` to a code-point offset within the line.
    pub fn char_at(&self, byte: usize) -> usize {
        self.byte_to_char[byte.min(self.folded.len())]
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Document span of line-relative code points `[from, to)`.
    pub fn span(&self, from: usize, to: usize) -> Span {
        Span::new(self.start + from, self.start + to)
    }

    /// The original text of line-relative code points `[from, to)`.
    pub fn original(&self, from: usize, to: usize) -> String {
        self.chars[from..to].iter().collect()
    }

    /// The matching form of line-relative code points `[from, to)`.
    pub fn folded_chars(&self, from: usize, to: usize) -> String {
        self.key_chars[from..to].iter().collect()
    }

    /// The matching form of the character at line-relative position `at`.
    pub fn folded_char(&self, at: usize) -> char {
        self.key_chars[at]
    }

    /// The folded line with surrounding whitespace removed.
    pub fn trimmed(&self) -> &str {
        self.folded.trim()
    }

    /// Line-relative `[from, to)` of the content without surrounding whitespace.
    pub fn content_range(&self) -> (usize, usize) {
        trim_range(&self.chars, 0, self.chars.len())
    }

    pub fn is_blank(&self) -> bool {
        self.trimmed().is_empty()
    }

    pub fn is_table_row(&self) -> bool {
        self.folded.contains('\t') || {
            let t = self.trimmed();
            t.len() > 2 && t.starts_with('|') && t.ends_with('|')
        }
    }
}

/// Splits the text into lines at `\n`; a `\r` before it is kept in the line as whitespace.
pub fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for c in text.chars() {
        offset += 1;
        if c == '\n' {
            out.push(Line::new(
                out.len() + 1,
                start,
                std::mem::take(&mut current),
            ));
            start = offset;
        } else {
            current.push(c);
        }
    }
    out.push(Line::new(out.len() + 1, start, current));
    out
}

/// Opening and closing bracket pairs, in folded form.
const BRACKETS: [(char, char); 8] = [
    ('(', ')'),
    ('[', ']'),
    ('〔', '〕'),
    ('【', '】'),
    ('{', '}'),
    ('《', '》'),
    ('〈', '〉'),
    ('〖', '〗'),
];

pub fn closing_for(open: char) -> Option<char> {
    BRACKETS.iter().find(|(o, _)| *o == open).map(|(_, c)| *c)
}

pub fn is_close(c: char) -> bool {
    BRACKETS.iter().any(|(_, cl)| *cl == c)
}

/// A matched bracket pair in a line: positions of the opening and closing characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    pub open: usize,
    pub close: usize,
}

/// Finds the outermost bracket groups of `chars[from..to]` (folded), matching nested
/// brackets of any kind. Unbalanced brackets are reported by position.
pub fn top_level_groups(chars: &[char], from: usize, to: usize) -> (Vec<Group>, Vec<usize>) {
    let mut groups = Vec::new();
    let mut stray = Vec::new();
    let mut stack: Vec<(char, usize)> = Vec::new();
    for (i, &raw) in chars.iter().enumerate().take(to).skip(from) {
        let c = fold(raw);
        if let Some(close) = closing_for(c) {
            stack.push((close, i));
        } else if is_close(c) {
            match stack.iter().rposition(|(expected, _)| *expected == c) {
                Some(depth) => {
                    let (_, open) = stack[depth];
                    // Anything opened inside and never closed is dropped with the group.
                    stray.extend(stack[depth + 1..].iter().map(|(_, p)| *p));
                    stack.truncate(depth);
                    if stack.is_empty() {
                        groups.push(Group { open, close: i });
                    }
                }
                None => stray.push(i),
            }
        }
    }
    stray.extend(stack.iter().map(|(_, p)| *p));
    stray.sort_unstable();
    (groups, stray)
}

/// Bracket depth of every position of `chars[from..to]`: 0 outside any bracket.
pub fn depths(chars: &[char], from: usize, to: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(to.saturating_sub(from));
    let mut stack: Vec<char> = Vec::new();
    for &raw in &chars[from..to] {
        let c = fold(raw);
        if let Some(close) = closing_for(c) {
            out.push(stack.len());
            stack.push(close);
        } else if is_close(c) {
            if let Some(depth) = stack.iter().rposition(|e| *e == c) {
                stack.truncate(depth);
            }
            out.push(stack.len());
        } else {
            out.push(stack.len());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_track_offsets() {
        let ls = lines("甲乙\r\n丙\n\n丁");
        assert_eq!(ls.len(), 4);
        assert_eq!(ls[1].start, 4);
        assert_eq!(ls[3].start, 7);
        assert_eq!(ls[0].trimmed(), "甲乙");
    }

    #[test]
    fn nested_groups_of_mixed_kinds() {
        let chars: Vec<char> = "甲〔责任单位：市局、各县（市、区）政府〕乙（丙）"
            .chars()
            .collect();
        let (groups, stray) = top_level_groups(&chars, 0, chars.len());
        assert_eq!(groups.len(), 2);
        assert_eq!(chars[groups[0].open], '〔');
        assert_eq!(chars[groups[0].close], '〕');
        assert!(stray.is_empty());
    }
}
