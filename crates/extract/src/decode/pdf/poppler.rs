//! Poppler's tools run under the time limit, and what they give read back: the words of
//! the text layer with their boxes (`pdftotext -bbox-layout`), and the pages as grey
//! images (`pdftoppm`).

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::decode::DecodeError;
use crate::decode::docx::reference_char;

use super::*;

/// Runs a Poppler tool, stopping it after `time_limit`.
pub(super) fn run(
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

/// Pages, lines and words of `pdftotext -bbox-layout`'s XHTML.
pub(super) fn parse_layout(xml: &[u8]) -> Result<Vec<Page>, DecodeError> {
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
pub(super) const RENDER_BATCH: usize = 16;

/// Renders pages `first` to `last` in grey into `dir`; the images by page number.
pub(super) fn render(
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
pub(super) fn page_images(dir: &Path) -> HashMap<usize, PathBuf> {
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
pub(super) struct Image {
    pub(super) width: usize,
    pub(super) height: usize,
    pub(super) pixels: Vec<u8>,
}

impl Image {
    pub(super) fn ink(&self, x: usize, y: usize) -> bool {
        self.pixels
            .get(y * self.width + x)
            .is_some_and(|&p| p < INK)
    }
}

/// A binary PGM (P5, 8 bits).
pub(super) fn read_pgm(bytes: &[u8]) -> Option<Image> {
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
