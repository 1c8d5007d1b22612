//! Text primitives every stage shares: folding full-width forms to half-width ones one
//! character for one (so that patterns are written once while offsets still point into the
//! original text), byte-to-character offset tables, and the normal form of a unit's name.
//! It depends on nothing else in the crate.

/// Folds one character: full-width ASCII forms to ASCII, odd spaces to a plain space.
/// The mapping is strictly one code point to one code point.
pub fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200B}' | '\u{202F}' | '\u{FEFF}' | '\r' => ' ',
        _ => c,
    }
}

/// Folds every character of `text` (see [`fold`]); the result has as many code points.
pub fn fold_str(text: &str) -> String {
    text.chars().map(fold).collect()
}

/// For each byte offset of `text` (and its end), the index of the character it falls in:
/// regex and matcher positions are bytes, spans are characters.
pub fn char_offsets(text: &str) -> Vec<usize> {
    let mut offsets = vec![0; text.len() + 1];
    let mut index = 0;
    for (byte, c) in text.char_indices() {
        offsets[byte..byte + c.len_utf8()].fill(index);
        index += 1;
    }
    offsets[text.len()] = index;
    offsets
}

/// Shrinks `[from, to)` of `chars` past whitespace (after folding) on both ends.
pub fn trim_range(chars: &[char], mut from: usize, mut to: usize) -> (usize, usize) {
    while from < to && fold(chars[from]).is_whitespace() {
        from += 1;
    }
    while to > from && fold(chars[to - 1]).is_whitespace() {
        to -= 1;
    }
    (from, to)
}

/// The normal form of a unit's name as written: full-width forms folded, round brackets
/// written full-width, whitespace dropped.
pub fn normalise_name(surface: &str) -> String {
    surface
        .chars()
        .filter_map(|c| match fold(c) {
            '(' => Some('（'),
            ')' => Some('）'),
            c if c.is_whitespace() => None,
            _ => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_one_char_per_char() {
        let s = "（一）１．ＡＢ：，\u{3000}\u{a0}";
        let folded = fold_str(s);
        assert_eq!(folded, "(一)1.AB:,  ");
        assert_eq!(folded.chars().count(), s.chars().count());
    }

    #[test]
    fn offsets_map_bytes_to_characters() {
        assert_eq!(char_offsets("a省b"), vec![0, 1, 1, 1, 2, 3]);
    }

    #[test]
    fn names_in_normal_form() {
        assert_eq!(
            normalise_name("市委组织部 (人才办)"),
            "市委组织部（人才办）"
        );
    }
}
