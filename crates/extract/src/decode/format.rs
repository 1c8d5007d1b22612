//! How a file's format is recognised: by its first bytes
//! (`%PDF`, a ZIP archive holding `word/document.xml`, an HTML start tag), then by its
//! extension; plain text otherwise.

use std::path::Path;

use crate::model::SourceFormat;

/// The OLE compound-file signature of legacy Office files (`.doc`) and of encrypted
/// Office Open XML files.
pub(crate) const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Recognises a document's format: by content first (a PDF header in the first kilobyte,
/// a ZIP archive naming `word/document.xml`, an OLE compound file, a page opening with
/// `<!DOCTYPE html`/`<html` after a BOM and whitespace), then by `path`'s extension.
/// Anything else is plain text.
pub fn detect_format(bytes: &[u8], path: &Path) -> SourceFormat {
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return SourceFormat::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") && find(bytes, b"word/document.xml").is_some() {
        return SourceFormat::Docx;
    }
    if bytes.starts_with(&OLE_MAGIC) {
        // A legacy or encrypted Word file: the Word reader names the problem.
        return SourceFormat::Docx;
    }
    if looks_like_html(bytes) {
        return SourceFormat::Html;
    }
    SourceFormat::from_extension(path).unwrap_or(SourceFormat::Text)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// An HTML page: after a BOM, whitespace, an XML declaration and comments, the first tag
/// is `<!DOCTYPE html`, `<html`, `<head` or `<meta`.
fn looks_like_html(bytes: &[u8]) -> bool {
    let head: Vec<u8> = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        // UTF-16 with a BOM: keep the ASCII bytes of the start.
        bytes[2..bytes.len().min(2050)]
            .iter()
            .copied()
            .filter(|&b| b != 0)
            .collect()
    } else {
        let start = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            3
        } else {
            0
        };
        bytes[start..bytes.len().min(start + 2048)].to_vec()
    };
    let lower = head.to_ascii_lowercase();
    let mut rest: &[u8] = &lower;
    loop {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"<!--") {
            match find(rest, b"-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return false,
            }
        } else if rest.starts_with(b"<?xml") {
            match find(rest, b"?>") {
                Some(end) => rest = &rest[end + 2..],
                None => return false,
            }
        } else {
            break;
        }
    }
    [&b"<!doctype html"[..], b"<html", b"<head", b"<meta"]
        .iter()
        .any(|tag| rest.starts_with(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_content_then_extension() {
        let p = Path::new("a.txt");
        assert_eq!(detect_format(b"%PDF-1.7\n...", p), SourceFormat::Pdf);
        assert_eq!(
            detect_format(b"\xEF\xBB\xBF  <!DOCTYPE html><html>", p),
            SourceFormat::Html
        );
        assert_eq!(
            detect_format(b"<!-- x -->\n<HTML lang=zh>", p),
            SourceFormat::Html
        );
        assert_eq!(
            detect_format(b"PK\x03\x04....word/document.xml....", p),
            SourceFormat::Docx
        );
        assert_eq!(
            detect_format("一、总体要求".as_bytes(), p),
            SourceFormat::Text
        );
        assert_eq!(
            detect_format("一、总体要求".as_bytes(), Path::new("a.HTM")),
            SourceFormat::Html
        );
        assert_eq!(
            detect_format(b"<p>fragment</p>", Path::new("a.pdf")),
            SourceFormat::Pdf
        );
    }

    #[test]
    fn names_round_trip() {
        for format in SourceFormat::ALL {
            assert_eq!(format.to_string().parse::<SourceFormat>(), Ok(format));
        }
        assert!("odt".parse::<SourceFormat>().is_err());
    }
}
