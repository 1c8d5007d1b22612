//! Word documents (`.docx`): the paragraphs of `word/document.xml` in order, one a line,
//! with the labels of automatic numbering (一、, （一）, 1.) written out; tables as one line
//! per row with TAB-separated cells, cells merged across columns (`w:gridSpan`) or down
//! rows (`w:vMerge`) repeated into every position they cover. Deleted revisions, field
//! instructions and the fallback copies of drawings are left out.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::format::OLE_MAGIC;
use super::grid::{Grid, clean_cell};
use super::{DecodeError, Decoded};
use crate::model::SourceFormat;

/// A part larger than this (uncompressed) is refused, against ZIP bombs.
const MAX_PART: u64 = 256 << 20;

/// Reads a `.docx` file's text.
pub(crate) fn read(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(DecodeError::LegacyOffice);
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DecodeError::Docx {
        reason: format!("damaged or truncated ZIP archive ({e})"),
    })?;
    let document = part(&mut archive, "word/document.xml")?.ok_or_else(|| DecodeError::Docx {
        reason: "a ZIP archive without word/document.xml, not a Word document".to_string(),
    })?;
    let mut numbering = Numbering::default();
    if let Some(xml) = part(&mut archive, "word/numbering.xml")? {
        numbering.read_definitions(&xml);
    }
    if let Some(xml) = part(&mut archive, "word/styles.xml")? {
        numbering.read_styles(&xml);
    }
    let text = body_text(&document, &mut numbering)?;
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded {
        text,
        encoding: "UTF-8",
        format: SourceFormat::Docx,
    })
}

/// A part of the package, `None` when the package has no such part.
fn part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<Vec<u8>>, DecodeError> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(DecodeError::Docx {
                reason: format!("cannot open {name} ({e})"),
            });
        }
    };
    let mut data = Vec::new();
    file.take(MAX_PART + 1)
        .read_to_end(&mut data)
        .map_err(|e| DecodeError::Docx {
            reason: format!("cannot read {name} ({e})"),
        })?;
    if data.len() as u64 > MAX_PART {
        return Err(DecodeError::Docx {
            reason: format!("{name} is larger than {} MB", MAX_PART >> 20),
        });
    }
    Ok(Some(data))
}

/// The character an entity or character reference stands for.
pub(super) fn reference_char(reference: &BytesRef<'_>) -> Option<char> {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return Some(c);
    }
    match reference.decode().ok()?.as_ref() {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// The value of attribute `w:<local>` (any prefix).
fn attribute(element: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn number(element: &BytesStart<'_>) -> Option<u32> {
    attribute(element, b"val").and_then(|v| v.trim().parse().ok())
}

fn xml_error(e: impl std::fmt::Display) -> DecodeError {
    DecodeError::Docx {
        reason: format!("damaged document XML ({e})"),
    }
}

#[derive(Debug, Default)]
struct Paragraph {
    text: String,
    num_id: Option<u32>,
    level: Option<u8>,
    style: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Merge {
    None,
    Restart,
    Continue,
}

#[derive(Debug)]
struct Cell {
    paragraphs: Vec<String>,
    span: usize,
    vertical: Merge,
    horizontal: Merge,
}

#[derive(Debug, Default)]
struct Row {
    before: usize,
    cells: Vec<Cell>,
}

#[derive(Debug, Default)]
struct Table {
    rows: Vec<Row>,
}

impl Table {
    fn cell(&mut self) -> Option<&mut Cell> {
        self.rows.last_mut()?.cells.last_mut()
    }

    /// The rows as lines: a table of one column gives its paragraphs as lines.
    fn lines(&self) -> Vec<String> {
        let width = self
            .rows
            .iter()
            .map(|r| r.before + r.cells.iter().map(|c| c.span.max(1)).sum::<usize>())
            .max()
            .unwrap_or(0);
        if width <= 1 {
            return self
                .rows
                .iter()
                .flat_map(|r| &r.cells)
                .flat_map(|c| &c.paragraphs)
                .flat_map(|p| p.lines())
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
        }
        let mut grid = Grid::new();
        for (r, row) in self.rows.iter().enumerate() {
            let mut column = 0;
            if row.before > 0 {
                column = grid.place(r, 0, String::new(), 1, row.before);
            }
            let mut left = String::new();
            for cell in &row.cells {
                let own = clean_cell(&cell.paragraphs.join(" "));
                let text = if cell.vertical == Merge::Continue && r > 0 {
                    grid.text(r - 1, column).unwrap_or_default().to_string()
                } else if cell.horizontal == Merge::Continue {
                    left.clone()
                } else {
                    own
                };
                left = text.clone();
                column = grid.place(r, column, text, 1, cell.span);
            }
        }
        grid.lines()
    }
}

/// The text of `word/document.xml`.
fn body_text(xml: &[u8], numbering: &mut Numbering) -> Result<String, DecodeError> {
    let mut reader = Reader::from_reader(xml);
    let mut lines: Vec<String> = Vec::new();
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut skip = 0usize;
    let (mut in_text, mut in_run, mut in_properties) = (false, false, false);
    loop {
        let event = reader.read_event().map_err(xml_error)?;
        if skip > 0 {
            match event {
                Event::Start(_) => skip += 1,
                Event::End(_) => skip -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                // Deleted and moved-away text, field instructions, the fallback copy of
                // a drawing (its text is read from the drawing itself).
                b"del" | b"moveFrom" | b"delText" | b"instrText" | b"Fallback" => skip = 1,
                b"p" => paragraphs.push(Paragraph::default()),
                b"pPr" => in_properties = true,
                b"r" => in_run = true,
                b"t" => in_text = in_run || !paragraphs.is_empty(),
                b"tbl" => tables.push(Table::default()),
                b"tr" => {
                    if let Some(t) = tables.last_mut() {
                        t.rows.push(Row::default());
                    }
                }
                b"tc" => {
                    if let Some(row) = tables.last_mut().and_then(|t| t.rows.last_mut()) {
                        row.cells.push(Cell {
                            paragraphs: Vec::new(),
                            span: 1,
                            vertical: Merge::None,
                            horizontal: Merge::None,
                        });
                    }
                }
                _ => property(&e, &mut paragraphs, &mut tables, in_properties),
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" if in_run && !in_properties => push(&mut paragraphs, " "),
                b"br" | b"cr" if in_run => push(&mut paragraphs, "\n"),
                b"noBreakHyphen" if in_run => push(&mut paragraphs, "-"),
                b"sym" if in_run => {
                    let c = attribute(&e, b"char")
                        .and_then(|h| u32::from_str_radix(h.trim(), 16).ok())
                        .and_then(char::from_u32)
                        .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c));
                    if let Some(c) = c {
                        push(&mut paragraphs, c.encode_utf8(&mut [0; 4]));
                    }
                }
                b"p" => {}
                _ => property(&e, &mut paragraphs, &mut tables, in_properties),
            },
            Event::Text(t) if in_text => {
                let text = t.decode().map_err(xml_error)?;
                push(&mut paragraphs, &text);
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(c) = reference_char(&r) {
                    push(&mut paragraphs, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::CData(t) if in_text => {
                let text = t.decode().map_err(xml_error)?;
                push(&mut paragraphs, &text);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"r" => in_run = false,
                b"pPr" => in_properties = false,
                b"p" => {
                    let Some(paragraph) = paragraphs.pop() else {
                        continue;
                    };
                    let label = numbering.label(&paragraph);
                    let text = format!("{label}{}", paragraph.text);
                    if let Some(outer) = paragraphs.last_mut() {
                        // A text box inside a paragraph: its lines go with the paragraph.
                        outer.text.push('\n');
                        outer.text.push_str(&text);
                        outer.text.push('\n');
                    } else if let Some(cell) = tables.last_mut().and_then(Table::cell) {
                        cell.paragraphs.push(text);
                    } else {
                        lines.extend(text.lines().map(|l| l.trim().to_string()));
                    }
                }
                b"tbl" => {
                    let Some(table) = tables.pop() else { continue };
                    let rows = table.lines();
                    if let Some(cell) = tables.last_mut().and_then(Table::cell) {
                        cell.paragraphs.push(rows.join(" "));
                    } else if let Some(outer) = paragraphs.last_mut() {
                        outer.text.push('\n');
                        outer.text.push_str(&rows.join("\n"));
                        outer.text.push('\n');
                    } else {
                        lines.extend(rows);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let mut text = String::new();
    for line in lines.iter().filter(|l| !l.is_empty()) {
        text.push_str(line);
        text.push('\n');
    }
    Ok(text)
}

fn push(paragraphs: &mut [Paragraph], text: &str) {
    if let Some(p) = paragraphs.last_mut() {
        p.text.push_str(text);
    }
}

/// Paragraph and cell properties: numbering, style, merges and spans.
fn property(
    e: &BytesStart<'_>,
    paragraphs: &mut [Paragraph],
    tables: &mut [Table],
    in_properties: bool,
) {
    match e.local_name().as_ref() {
        b"numId" if in_properties => {
            if let Some(p) = paragraphs.last_mut() {
                p.num_id = number(e);
            }
        }
        b"ilvl" if in_properties => {
            if let Some(p) = paragraphs.last_mut() {
                p.level = number(e).and_then(|n| u8::try_from(n).ok());
            }
        }
        b"pStyle" if in_properties => {
            if let Some(p) = paragraphs.last_mut() {
                p.style = attribute(e, b"val");
            }
        }
        b"gridSpan" => {
            if let Some(cell) = tables.last_mut().and_then(Table::cell) {
                cell.span = number(e).map_or(1, |n| (n as usize).clamp(1, 256));
            }
        }
        b"vMerge" | b"hMerge" => {
            let merge = match attribute(e, b"val").as_deref() {
                Some("restart") => Merge::Restart,
                _ => Merge::Continue,
            };
            let vertical = e.local_name().as_ref() == b"vMerge";
            if let Some(cell) = tables.last_mut().and_then(Table::cell) {
                if vertical {
                    cell.vertical = merge;
                } else {
                    cell.horizontal = merge;
                }
            }
        }
        b"gridBefore" => {
            if let Some(row) = tables.last_mut().and_then(|t| t.rows.last_mut()) {
                row.before = number(e).map_or(0, |n| (n as usize).min(256));
            }
        }
        _ => {}
    }
}

/// One level of a numbering definition.
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// A paragraph style's numbering (numId, level) and the style it is based on.
#[derive(Debug, Clone, Default)]
struct StyleNumbering {
    num_id: Option<u32>,
    level: Option<u8>,
    based_on: Option<String>,
}

/// Automatic numbering (`word/numbering.xml`) and the styles that use it, with the
/// counters of the lists met so far.
#[derive(Debug, Default)]
struct Numbering {
    /// abstractNumId → levels.
    abstracts: HashMap<u32, HashMap<u8, Level>>,
    /// numId → (abstractNumId, start overrides by level).
    nums: HashMap<u32, (u32, HashMap<u8, u32>)>,
    /// styleId → its numbering and the style it is based on.
    styles: HashMap<String, StyleNumbering>,
    /// abstractNumId → the current value of each level.
    counters: HashMap<u32, [Option<u32>; 9]>,
    /// numIds whose start overrides have been applied.
    started: Vec<u32>,
}

impl Numbering {
    fn read_definitions(&mut self, xml: &[u8]) {
        let mut reader = Reader::from_reader(xml);
        let mut abstract_id: Option<u32> = None;
        let mut level: Option<u8> = None;
        let mut num_id: Option<u32> = None;
        let mut override_level: Option<u8> = None;
        while let Ok(event) = reader.read_event() {
            let e = match event {
                Event::Start(e) | Event::Empty(e) => e,
                Event::End(e) => {
                    match e.local_name().as_ref() {
                        b"abstractNum" => abstract_id = None,
                        b"lvl" => level = None,
                        b"num" => num_id = None,
                        b"lvlOverride" => override_level = None,
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            match e.local_name().as_ref() {
                b"abstractNum" => {
                    abstract_id = attribute(&e, b"abstractNumId").and_then(|v| v.parse().ok());
                }
                b"lvl" => level = attribute(&e, b"ilvl").and_then(|v| v.parse().ok()),
                b"num" => {
                    num_id = attribute(&e, b"numId").and_then(|v| v.parse().ok());
                }
                b"abstractNumId" => {
                    if let (Some(n), Some(a)) = (num_id, number(&e)) {
                        self.nums.entry(n).or_default().0 = a;
                    }
                }
                b"lvlOverride" => {
                    override_level = attribute(&e, b"ilvl").and_then(|v| v.parse().ok());
                }
                b"startOverride" => {
                    if let (Some(n), Some(l), Some(v)) = (num_id, override_level, number(&e)) {
                        self.nums.entry(n).or_default().1.insert(l, v);
                    }
                }
                b"start" | b"numFmt" | b"lvlText" => {
                    let (Some(a), Some(l)) = (abstract_id, level) else {
                        continue;
                    };
                    let entry = self.abstracts.entry(a).or_default().entry(l).or_default();
                    match e.local_name().as_ref() {
                        b"start" => entry.start = number(&e).unwrap_or(1),
                        b"numFmt" => entry.format = attribute(&e, b"val").unwrap_or_default(),
                        _ => entry.text = attribute(&e, b"val").unwrap_or_default(),
                    }
                }
                _ => {}
            }
        }
    }

    fn read_styles(&mut self, xml: &[u8]) {
        let mut reader = Reader::from_reader(xml);
        let mut style: Option<String> = None;
        while let Ok(event) = reader.read_event() {
            match &event {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    b"style" => style = attribute(e, b"styleId"),
                    b"numId" | b"ilvl" | b"basedOn" => {
                        let Some(id) = &style else { continue };
                        let entry = self.styles.entry(id.clone()).or_default();
                        match e.local_name().as_ref() {
                            b"numId" => entry.num_id = number(e),
                            b"ilvl" => {
                                entry.level = number(e).and_then(|n| u8::try_from(n).ok());
                            }
                            _ => entry.based_on = attribute(e, b"val"),
                        }
                    }
                    _ => {}
                },
                Event::End(e) if e.local_name().as_ref() == b"style" => style = None,
                Event::Eof => break,
                _ => {}
            }
        }
    }

    /// The numbering label of a paragraph (empty when it is not numbered), counting it.
    fn label(&mut self, paragraph: &Paragraph) -> String {
        let (mut num_id, mut level) = (paragraph.num_id, paragraph.level);
        let mut style = paragraph.style.clone();
        for _ in 0..10 {
            let Some(id) = style.take() else { break };
            let Some(numbering) = self.styles.get(&id) else {
                break;
            };
            num_id = num_id.or(numbering.num_id);
            level = level.or(numbering.level);
            style = numbering.based_on.clone();
        }
        let Some(num_id) = num_id.filter(|&n| n != 0) else {
            return String::new();
        };
        let level = level.unwrap_or(0).min(8);
        let Some((abstract_id, overrides)) = self.nums.get(&num_id).cloned() else {
            return String::new();
        };
        let Some(levels) = self.abstracts.get(&abstract_id).cloned() else {
            return String::new();
        };
        let counters = self.counters.entry(abstract_id).or_insert([None; 9]);
        if !self.started.contains(&num_id) {
            self.started.push(num_id);
            if !overrides.is_empty() {
                *counters = [None; 9];
            }
        }
        let start = |l: u8| {
            overrides
                .get(&l)
                .copied()
                .or_else(|| levels.get(&l).map(|d| d.start))
                .unwrap_or(1)
        };
        let index = usize::from(level);
        counters[index] = Some(counters[index].map_or(start(level), |v| v + 1));
        for deeper in counters.iter_mut().skip(index + 1) {
            *deeper = None;
        }
        let Some(definition) = levels.get(&level) else {
            return String::new();
        };
        if matches!(definition.format.as_str(), "bullet" | "none") {
            return String::new();
        }
        let mut label = definition.text.clone();
        for l in (0..=level).rev() {
            let value = counters[usize::from(l)].unwrap_or_else(|| start(l));
            let format = levels.get(&l).map_or("decimal", |d| d.format.as_str());
            label = label.replace(&format!("%{}", l + 1), &format_number(value, format));
        }
        label
    }
}

/// A list number in a Word numbering format.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographDigital"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "chineseLegalSimplified" => chinese_number(n),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c))
            .collect(),
        "ideographTraditional" if (1..=10).contains(&n) => "甲乙丙丁戊己庚辛壬癸"
            .chars()
            .nth(n as usize - 1)
            .map_or_else(|| n.to_string(), String::from),
        "lowerLetter" | "upperLetter" if (1..=26).contains(&n) => {
            let c = char::from(b'a' + (n - 1) as u8);
            if format == "upperLetter" {
                c.to_ascii_uppercase().to_string()
            } else {
                c.to_string()
            }
        }
        "lowerRoman" | "upperRoman" if (1..40).contains(&n) => {
            let roman = roman(n);
            if format == "lowerRoman" {
                roman.to_ascii_lowercase()
            } else {
                roman
            }
        }
        "decimalZero" if n < 10 => format!("0{n}"),
        _ => n.to_string(),
    }
}

fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if n > 10 {
                DIGITS[(n % 10) as usize]
            } else {
                ""
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if !n.is_multiple_of(10) {
                DIGITS[(n % 10) as usize]
            } else {
                ""
            }
        ),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    let mut out = String::new();
    for (value, numeral) in [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")] {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(body: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        )
        .into_bytes()
    }

    #[test]
    fn paragraphs_and_merged_table_cells() {
        let xml = document(
            r#"<w:p><w:r><w:t>一、总体</w:t></w:r><w:r><w:t xml:space="preserve">要求 &amp; 目标</w:t></w:r></w:p>
            <w:p><w:del><w:r><w:delText>删去</w:delText></w:r></w:del><w:r><w:t>（一）加强</w:t><w:br/><w:t>领导。</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>牵头单位</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>配合单位</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>市卫生</w:t></w:r></w:p><w:p><w:r><w:t>健康委</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>各区政府</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>/</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        );
        let text = body_text(&xml, &mut Numbering::default()).expect("reads");
        assert_eq!(
            text,
            "一、总体要求 & 目标\n（一）加强\n领导。\n序号\t牵头单位\t配合单位\n1\t市卫生 健康委\t市卫生 健康委\n1\t各区政府\t/\n"
        );
    }

    #[test]
    fn automatic_numbering_is_written_out() {
        let mut numbering = Numbering::default();
        numbering.read_definitions(
            r#"<w:numbering xmlns:w="w"><w:abstractNum w:abstractNumId="3">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
            </w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num></w:numbering>"#
                .as_bytes(),
        );
        let xml = document(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>总体要求</w:t></w:r></w:p>
            <w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>指导思想</w:t></w:r></w:p>
            <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>主要任务</w:t></w:r></w:p>
            <w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr><w:r><w:t>强化对接</w:t></w:r></w:p>"#,
        );
        let text = body_text(&xml, &mut numbering).expect("reads");
        assert_eq!(
            text,
            "一、总体要求\n（一）指导思想\n二、主要任务\n（一）强化对接\n"
        );
        assert_eq!(chinese_number(21), "二十一");
    }

    #[test]
    fn damaged_input_is_an_error() {
        assert!(matches!(
            read(b"PK\x03\x04word/document.xml"),
            Err(DecodeError::Docx { .. })
        ));
        assert_eq!(read(&OLE_MAGIC), Err(DecodeError::LegacyOffice));
        let broken = document("<w:p><w:r><w:t>一、</w:t></w:p></w:r>");
        assert!(body_text(&broken, &mut Numbering::default()).is_err());
    }
}
