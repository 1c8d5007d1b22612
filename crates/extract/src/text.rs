//! Text primitives every stage shares: folding full-width forms to half-width ones and
//! traditional characters to simplified ones, one character for one (so that patterns are
//! written once while offsets still point into the original text), byte-to-character offset
//! tables, and the normal form of a unit's name. It depends on nothing else in the crate.

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

/// The simplified form of `text` for matching (`牽頭單位` → `牵头单位`), with exactly as
/// many characters as `text`: phrases are converted where the conversion keeps the length,
/// and else character by character; a character whose simplified form is longer stays as
/// it is. Text already simplified comes back unchanged.
pub fn simplify(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let converted = zhconv::zhconv(text, zhconv::Variant::ZhHans);
    if converted.chars().count() == text.chars().count() {
        return converted.chars().map(official_form).collect();
    }
    text.chars().map(simplify_char).collect()
}

/// The tables keep 於 (a surname in simplified writing too); official documents write it
/// 于 (`關於` → `关于`).
fn official_form(c: char) -> char {
    if c == '於' { '于' } else { c }
}

/// The simplified form of one character, or the character itself.
pub fn simplify_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    let mut buffer = [0; 4];
    let converted = zhconv::zhconv(c.encode_utf8(&mut buffer), zhconv::Variant::ZhHans);
    let mut chars = converted.chars();
    match (chars.next(), chars.next()) {
        (Some(s), None) => official_form(s),
        _ => c,
    }
}

/// The matching form of `text`: simplified (see [`simplify`]), then folded (see [`fold`]).
/// It has as many characters as `text`.
pub fn match_form(text: &str) -> String {
    simplify(text).chars().map(fold).collect()
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

/// Names as a list for a message: `a, b or c`.
pub fn one_of<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
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
    fn simplification_keeps_one_char_per_char() {
        assert_eq!(simplify("牽頭單位：省發展改革委"), "牵头单位：省发展改革委");
        assert_eq!(simplify("辦公廳關於印發"), "办公厅关于印发");
        assert_eq!(match_form("（責任單位：市財政廳）"), "(责任单位:市财政厅)");
        let simplified = "牵头单位：省科技厅、各县（市、区）政府";
        assert_eq!(simplify(simplified), simplified);
        let mixed = "瀋陽、大連市政府會同有關部門";
        assert_eq!(simplify(mixed).chars().count(), mixed.chars().count());
        assert_eq!(simplify_char('廳'), '厅');
        assert_eq!(simplify_char('A'), 'A');
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
