//! Where the words are: a window of a task's text around the first match, with every match
//! in it as a range of characters; and whether a label holds the words.

use std::ops::Range;

use serde::Serialize;

use super::grams::normal_chars;

/// Characters shown before the first match.
const BEFORE: usize = 24;
/// Characters in a snippet, at most (unless a match is longer).
const WIDTH: usize = 96;

/// A piece of a text with the words marked. Plain text: the page escapes it and marks the
/// ranges itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The characters of the text shown, as they are in the text.
    pub text: String,
    /// The matches in `text`, as code-point offsets into it; sorted, not overlapping.
    pub marks: Vec<Range<usize>>,
    /// Whether text was left out before the snippet.
    pub cut_before: bool,
    /// Whether text was left out after it.
    pub cut_after: bool,
}

/// Where each word occurs in `haystack`, as character ranges; overlapping and adjacent
/// ranges merged.
fn occurrences(haystack: &[char], words: &[Vec<char>]) -> Vec<Range<usize>> {
    let mut found: Vec<Range<usize>> = Vec::new();
    for word in words {
        if word.is_empty() || word.len() > haystack.len() {
            continue;
        }
        for (at, window) in haystack.windows(word.len()).enumerate() {
            if window == word.as_slice() {
                found.push(at..at + word.len());
            }
        }
    }
    found.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in found {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Whether `text` (in any form) holds every word (in search form).
pub(crate) fn holds_all(text: &str, words: &[Vec<char>]) -> bool {
    let chars = normal_chars(text);
    words
        .iter()
        .all(|w| !w.is_empty() && chars.windows(w.len()).any(|x| x == w.as_slice()))
}

/// Whether `text` holds every character of every word, anywhere.
pub(crate) fn holds_chars(text: &str, words: &[Vec<char>]) -> bool {
    let chars = normal_chars(text);
    words.iter().flatten().all(|c| chars.contains(c))
}

/// The snippet of `text` around the first place a word occurs, or `None` when none does.
pub(crate) fn snippet(text: &str, words: &[Vec<char>]) -> Option<Snippet> {
    let original: Vec<char> = text.chars().collect();
    let found = occurrences(&normal_chars(text), words);
    let first = found.first()?.clone();
    let start = first.start.saturating_sub(BEFORE);
    let end = original.len().min((start + WIDTH).max(first.end));
    let marks = found
        .iter()
        .filter(|r| r.start >= start && r.end <= end)
        .map(|r| r.start - start..r.end - start)
        .collect();
    Some(Snippet {
        text: original[start..end].iter().collect(),
        marks,
        cut_before: start > 0,
        cut_after: end < original.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<Vec<char>> {
        list.iter().map(|w| w.chars().collect()).collect()
    }

    #[test]
    fn marks_every_match_in_the_window() {
        let text = format!(
            "{}推进ＡＩ研发，AI应用{}",
            "前".repeat(30),
            "后".repeat(100)
        );
        let s = snippet(&text, &words(&["ai"])).expect("found");
        assert!(s.cut_before && s.cut_after);
        let chars: Vec<char> = s.text.chars().collect();
        let marked: Vec<String> = s
            .marks
            .iter()
            .map(|r| chars[r.clone()].iter().collect())
            .collect();
        assert_eq!(marked, ["ＡＩ", "AI"]);
        assert_eq!(s.marks[0], 24..26);
        assert_eq!(chars.len(), 96);
    }

    #[test]
    fn overlapping_matches_merge() {
        let s = snippet("甲乙丙丁", &words(&["甲乙", "乙丙"])).expect("found");
        assert_eq!(s.marks.len(), 1);
        assert_eq!(s.marks[0], 0..3);
        assert!(!s.cut_before && !s.cut_after);
        assert_eq!(snippet("甲乙丙丁", &words(&["戊"])), None);
    }

    #[test]
    fn labels_hold_words() {
        assert!(holds_all("省科技厅", &words(&["科技"])));
        assert!(!holds_all("省科技厅", &words(&["科技", "财政"])));
        assert!(holds_chars("省科学技术厅", &words(&["科技厅"])));
    }
}
