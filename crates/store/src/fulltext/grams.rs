//! The search form of text and its tokens. Chinese is written without spaces, so text is
//! cut into character unigrams and bigrams rather than words: any substring of one or more
//! characters is then a term (one character) or a phrase of bigrams (two or more), and a
//! substring match can never be missed the way a word segmenter misses a word it cut
//! differently. Only letters and digits make tokens; punctuation and spaces separate runs,
//! and no bigram spans them.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use policykg_extract::text::fold;

/// The name the tokenizer is registered under. It is part of the schema, so an index
/// written with another tokenizer (another name) is refused rather than misread.
pub(crate) const TOKENIZER: &str = "policykg-cjk-grams-1";

/// Longest query word kept, in characters: a longer one is cut (its hits are still a
/// superset of the substring matches).
const MAX_WORD: usize = 64;
/// Most query words kept.
const MAX_WORDS: usize = 16;

/// One character in search form: full-width forms folded (see [`fold`]), then lower-cased
/// where that gives a single character. One character always gives one, so offsets into the
/// search form are offsets into the original.
pub(crate) fn normal(c: char) -> char {
    let folded = fold(c);
    let mut lower = folded.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => folded,
    }
}

/// Whether a character (in search form) belongs to a token.
pub(crate) fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// `text` in search form, one character for one.
pub(crate) fn normal_chars(text: &str) -> Vec<char> {
    text.chars().map(normal).collect()
}

/// The words of a query in search form: runs of letters and digits, in order, each once.
/// Blank or punctuation-only input has none.
pub(crate) fn query_words(query: &str) -> Vec<Vec<char>> {
    let mut words: Vec<Vec<char>> = Vec::new();
    for run in normal_chars(query).split(|c| !is_word(*c)) {
        if run.is_empty() {
            continue;
        }
        let word: Vec<char> = run.iter().copied().take(MAX_WORD).collect();
        if !words.contains(&word) {
            words.push(word);
        }
        if words.len() == MAX_WORDS {
            break;
        }
    }
    words
}

/// The terms of a word: its one character, or its bigrams in order (a phrase).
pub(crate) fn word_terms(word: &[char]) -> Vec<String> {
    if word.len() == 1 {
        vec![word[0].to_string()]
    } else {
        word.windows(2).map(|w| w.iter().collect()).collect()
    }
}

/// Every token of `text`: for each character of a run of letters and digits its unigram,
/// and its bigram with the next character of the run, both at the character's position.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().map(|(b, c)| (b, normal(c))).collect();
    let end_of = |i: usize| chars.get(i + 1).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    for (i, &(from, c)) in chars.iter().enumerate() {
        if !is_word(c) {
            continue;
        }
        out.push(Token {
            offset_from: from,
            offset_to: end_of(i),
            position: i,
            text: c.to_string(),
            position_length: 1,
        });
        if let Some(&(_, next)) = chars.get(i + 1).filter(|(_, n)| is_word(*n)) {
            out.push(Token {
                offset_from: from,
                offset_to: end_of(i + 1),
                position: i,
                text: [c, next].iter().collect(),
                position_length: 1,
            });
        }
    }
    out
}

/// The tantivy tokenizer of labels and texts (see the module documentation).
#[derive(Clone, Debug, Default)]
pub(crate) struct Grams;

/// The tokens of one text.
pub(crate) struct GramStream {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl Tokenizer for Grams {
    type TokenStream<'a> = GramStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GramStream {
        GramStream {
            tokens: tokens(text).into_iter(),
            current: Token::default(),
        }
    }
}

impl TokenStream for GramStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<(String, usize)> {
        let mut stream = Grams.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            assert_eq!(
                text[t.offset_from..t.offset_to].chars().count(),
                t.text.chars().count()
            );
            out.push((t.text.clone(), t.position));
        }
        out
    }

    #[test]
    fn unigrams_and_bigrams_within_runs() {
        let tokens = texts("省科技，ＡＩ");
        let expected = [
            ("省", 0),
            ("省科", 0),
            ("科", 1),
            ("科技", 1),
            ("技", 2),
            ("a", 4),
            ("ai", 4),
            ("i", 5),
        ];
        assert_eq!(
            tokens,
            expected
                .iter()
                .map(|(t, p)| (t.to_string(), *p))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn query_words_are_folded_runs() {
        let words: Vec<String> = query_words(" ＡＩ+科技厅、\"ai\" ")
            .into_iter()
            .map(|w| w.into_iter().collect())
            .collect();
        assert_eq!(words, ["ai", "科技厅"]);
        assert!(query_words("（）、。!? ").is_empty());
        assert!(query_words("").is_empty());
        assert_eq!(word_terms(&['科']), ["科"]);
        assert_eq!(word_terms(&['科', '技', '厅']), ["科技", "技厅"]);
    }

    #[test]
    fn one_character_for_one() {
        assert_eq!(normal('İ'), 'İ');
        assert_eq!(normal('Ａ'), 'a');
    }
}
