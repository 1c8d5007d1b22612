//! Bytes to text. A document arrives as plain text, an HTML page, a Word `.docx` file or a
//! PDF ([`SourceFormat`], detected from the bytes and the file name); each reader turns it
//! into the plain text the parser reads: one paragraph or heading a line, task tables as one
//! line per row with TAB-separated cells, merged cells repeated into every row and column
//! they span.
//!
//! Plain text ([`decode`]): detects the encoding (UTF-8 with or without BOM, UTF-16 with or
//! without BOM, GB18030/GBK and the other legacy encodings `chardetng` recognises) and
//! refuses empty, binary and undecodable input.

mod docx;
mod error;
mod format;
mod grid;
mod html;
mod pdf;

use std::path::Path;
use std::time::Duration;

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

pub use crate::model::{SourceFormat, UnknownSourceFormat};
pub use error::DecodeError;
pub use format::detect_format;

/// Decoded text, the name of the encoding it was read as and the format it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text without a byte-order mark.
    pub text: String,
    pub encoding: &'static str,
    pub format: SourceFormat,
}

/// How documents are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Read every file in this format instead of detecting it.
    pub format: Option<SourceFormat>,
    /// How long an outside program (`pdftotext`, `pdftoppm`) may run on one file before it
    /// is stopped.
    pub time_limit: Duration,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            time_limit: Duration::from_secs(120),
        }
    }
}

/// Reads a document's bytes in its format — `options.format`, or the one [`detect_format`]
/// finds from the bytes and `path` — into text. `path` only helps detection and names the
/// temporary copy a PDF is read from.
pub fn decode_document(
    bytes: &[u8],
    path: &Path,
    options: &ReadOptions,
) -> Result<Decoded, DecodeError> {
    let format = options.format.unwrap_or_else(|| detect_format(bytes, path));
    match format {
        SourceFormat::Text => decode(bytes),
        SourceFormat::Html => html::read(bytes),
        SourceFormat::Docx => docx::read(bytes),
        SourceFormat::Pdf => pdf::read(bytes, options.time_limit),
    }
}

/// Decodes a plain-text document file's bytes.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_strict(encoding, &bytes[bom_len..]);
    }
    if let Some(encoding) = sniff_utf16(bytes) {
        return decode_strict(encoding, bytes);
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return check_text(text.to_owned(), UTF_8.name());
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guessed = detector.guess(None, true);
    // GBK and GB2312 texts are subsets of GB18030; decoding as the superset loses nothing.
    let encoding = if guessed == encoding_rs::GBK {
        GB18030
    } else {
        guessed
    };
    decode_strict(encoding, bytes)
}

fn decode_strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => check_text(text, encoding.name()),
        // Unreachable: `decode_to_string_without_replacement` grows the string as needed.
        encoding_rs::DecoderResult::OutputFull => Err(DecodeError::Undecodable {
            encoding: encoding.name(),
            offset: read,
        }),
        encoding_rs::DecoderResult::Malformed(_, _) => Err(DecodeError::Undecodable {
            encoding: encoding.name(),
            offset: read,
        }),
    }
}

/// Rejects texts that decoded but are not prose: only whitespace, or mostly control codes.
fn check_text(text: String, encoding: &'static str) -> Result<Decoded, DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    let total = text.chars().count();
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 20 > total {
        let offset = text
            .char_indices()
            .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
            .map_or(0, |(i, _)| i);
        return Err(DecodeError::Binary { offset });
    }
    Ok(Decoded {
        text,
        encoding,
        format: SourceFormat::Text,
    })
}

/// UTF-16 without a BOM: text in UTF-8 or a legacy encoding never holds NUL bytes, so a
/// file with NULs is read both ways and kept in the byte order that gives plausible text
/// (line breaks, CJK, printable ASCII).
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) || !bytes.contains(&0) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let plausibility = |encoding: &'static Encoding| -> Option<usize> {
        let (text, had_errors) = encoding.decode_without_bom_handling(sample);
        if had_errors {
            return None;
        }
        let total = text.chars().count().max(1);
        let good = text
            .chars()
            .filter(|&c| {
                matches!(c, '\n' | '\r' | '\t' | ' '..='~')
                    || ('\u{3000}'..='\u{9fff}').contains(&c)
                    || ('\u{ff00}'..='\u{ffef}').contains(&c)
            })
            .count();
        let has_break = text.contains('\n');
        (has_break && good * 10 >= total * 9).then_some(good)
    };
    match (plausibility(UTF_16LE), plausibility(UTF_16BE)) {
        (Some(le), Some(be)) => Some(if le >= be { UTF_16LE } else { UTF_16BE }),
        (Some(_), None) => Some(UTF_16LE),
        (None, Some(_)) => Some(UTF_16BE),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("一、总体要求\n".as_bytes()).expect("utf-8 decodes");
        assert_eq!(plain.encoding, "UTF-8");
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice("一、总体要求\n".as_bytes());
        let bom = decode(&with_bom).expect("utf-8 with BOM decodes");
        assert_eq!(bom.text, plain.text);
    }

    #[test]
    fn gb18030_is_detected() {
        let text = "辽宁省人民政府办公厅关于对接国家重大区域发展战略的实施意见\n一、总体要求\n（一）指导思想。以习近平新时代中国特色社会主义思想为指导。\n";
        let (bytes, _, _) = GB18030.encode(text);
        let decoded = decode(&bytes).expect("gb18030 decodes");
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, "gb18030");
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let text = "一、总体要求\r\n（一）指导思想。\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(&le).expect("utf-16le").text, text);
        assert_eq!(decode(&be).expect("utf-16be").text, text);
        let mut le_bom = vec![0xFF, 0xFE];
        le_bom.extend_from_slice(&le);
        let decoded = decode(&le_bom).expect("utf-16le with BOM");
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, "UTF-16LE");
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\r\n\t"), Err(DecodeError::Empty));
        assert!(matches!(
            decode(&[
                0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D
            ]),
            Err(DecodeError::Binary { .. })
        ));
        assert!(matches!(
            decode(&[1, 2, 3, 4, 5, 6, 7, 8, b'a']),
            Err(DecodeError::Binary { .. })
        ));
    }
}
