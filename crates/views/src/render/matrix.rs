//! The responsibility matrix as files: CSV for any spreadsheet or script, XLSX as planners
//! keep it (kinds over the units, frozen headings, totals), and SVG drawn directly (a grid
//! is no graph: Graphviz would only get in the way). Each is deterministic.

use std::fmt::Write as _;
use std::str::FromStr;

use quick_xml::escape::escape;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};
use unicode_width::UnicodeWidthStr;

use crate::graph::{Mark, Matrix};
use policykg_extract::text::one_of;

/// The files a matrix can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "clap",
    derive(clap::ValueEnum),
    value(rename_all = "lowercase")
)]
pub enum MatrixFormat {
    Csv,
    Xlsx,
    Svg,
    Json,
}

impl MatrixFormat {
    pub const ALL: [MatrixFormat; 4] = [
        MatrixFormat::Csv,
        MatrixFormat::Xlsx,
        MatrixFormat::Svg,
        MatrixFormat::Json,
    ];

    pub fn media_type(self) -> &'static str {
        match self {
            MatrixFormat::Csv => "text/csv; charset=utf-8",
            MatrixFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            MatrixFormat::Svg => "image/svg+xml",
            MatrixFormat::Json => "application/json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            MatrixFormat::Csv => "csv",
            MatrixFormat::Xlsx => "xlsx",
            MatrixFormat::Svg => "svg",
            MatrixFormat::Json => "json",
        }
    }
}

/// A matrix format name that is not one.
#[derive(Debug, thiserror::Error)]
#[error("no matrix format {0}: use {names}", names = one_of(MatrixFormat::ALL.map(MatrixFormat::extension)))]
pub struct UnknownMatrixFormat(pub String);

impl FromStr for MatrixFormat {
    type Err = UnknownMatrixFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MatrixFormat::ALL
            .into_iter()
            .find(|f| f.extension() == s)
            .ok_or_else(|| UnknownMatrixFormat(s.to_string()))
    }
}

impl std::fmt::Display for MatrixFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

/// Why a matrix could not be written.
#[derive(Debug, thiserror::Error)]
pub enum MatrixWriteError {
    #[error("cannot write the matrix as XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot write the matrix as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl policykg_extract::Classified for MatrixWriteError {
    fn kind(&self) -> policykg_extract::ErrorKind {
        policykg_extract::ErrorKind::Internal
    }
}

impl policykg_extract::Classified for UnknownMatrixFormat {
    fn kind(&self) -> policykg_extract::ErrorKind {
        policykg_extract::ErrorKind::NotFound
    }
}

/// Writes `matrix` as `format`; `base_url` starts the links of SVG cells to their evidence.
pub fn render_matrix(
    matrix: &Matrix,
    format: MatrixFormat,
    base_url: &str,
) -> Result<Vec<u8>, MatrixWriteError> {
    Ok(match format {
        MatrixFormat::Csv => matrix_csv(matrix).into_bytes(),
        MatrixFormat::Xlsx => matrix_xlsx(matrix)?,
        MatrixFormat::Svg => matrix_svg(matrix, base_url).into_bytes(),
        MatrixFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(matrix)?;
            bytes.push(b'\n');
            bytes
        }
    })
}

/// The cells as text: its mark's sign, or nothing.
fn sign(cell: Option<Mark>) -> &'static str {
    cell.map_or("", Mark::symbol)
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
pub(super) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// One header line (section, task, the units, total), a line per task, and a line of
/// column totals; CRLF line ends, as RFC 4180 has them.
pub fn matrix_csv(matrix: &Matrix) -> String {
    let mut out = String::new();
    let mut line = |fields: Vec<String>| {
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    let mut header = vec!["section".to_string(), "task".to_string()];
    header.extend(matrix.columns.iter().map(|c| csv_field(&c.label)));
    header.push("total".to_string());
    line(header);
    for row in &matrix.rows {
        let mut fields = vec![
            csv_field(&matrix.sections[row.section]),
            csv_field(&row.label),
        ];
        fields.extend(row.cells.iter().map(|c| sign(*c).to_string()));
        fields.push(Matrix::row_total(row).to_string());
        line(fields);
    }
    let mut totals = vec!["total".to_string(), String::new()];
    totals.extend(matrix.columns.iter().map(|c| c.total().to_string()));
    totals.push(matrix.mark_counts().iter().sum::<usize>().to_string());
    line(totals);
    out
}

/// A worksheet: the units' kinds over their columns, the units' names turned upright,
/// the tasks under their sections, totals on the right and at the bottom, the headings
/// frozen. Dated 2000-01-01 so that the same matrix gives the same bytes.
pub fn matrix_xlsx(matrix: &Matrix) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title("责任分工矩阵 responsibility matrix")
            .set_creation_datetime(&fixed),
    );
    let sheet = workbook.add_worksheet();
    sheet.set_name("matrix")?;
    let bold = Format::new().set_bold();
    let kind = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let upright = Format::new()
        .set_rotation(270)
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let cell = Format::new()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let section = Format::new().set_bold().set_background_color("#EEF2F7");
    let first_unit: u16 = 2;
    let total_column = first_unit + u16::try_from(matrix.columns.len()).unwrap_or(u16::MAX - 3);
    sheet.write_string_with_format(1, 0, "section", &bold)?;
    sheet.write_string_with_format(1, 1, "task", &bold)?;
    for (name, range) in matrix.column_groups() {
        let (first, last) = (
            first_unit + range.start as u16,
            first_unit + range.end as u16 - 1,
        );
        if first == last {
            sheet.write_string_with_format(0, first, name, &kind)?;
        } else {
            sheet.merge_range(0, first, 0, last, name, &kind)?;
        }
    }
    for (i, column) in matrix.columns.iter().enumerate() {
        let at = first_unit + i as u16;
        sheet.write_string_with_format(1, at, &column.label, &upright)?;
        sheet.set_column_width(at, 3.2)?;
    }
    sheet.write_string_with_format(1, total_column, "total", &bold)?;
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 40)?;
    sheet.set_row_height(1, 150)?;
    let mut at: u32 = 2;
    let mut last_section = None;
    for row in &matrix.rows {
        if last_section != Some(row.section) {
            sheet.write_string_with_format(at, 0, &matrix.sections[row.section], &section)?;
            last_section = Some(row.section);
        }
        sheet.write_string(at, 1, &row.label)?;
        for (i, mark) in row.cells.iter().enumerate() {
            let column = first_unit + i as u16;
            match mark {
                Some(m) => sheet.write_string_with_format(at, column, m.symbol(), &cell)?,
                None => sheet.write_blank(at, column, &cell)?,
            };
        }
        sheet.write_number(at, total_column, Matrix::row_total(row) as f64)?;
        at += 1;
    }
    sheet.write_string_with_format(at, 0, "total", &bold)?;
    for (i, column) in matrix.columns.iter().enumerate() {
        sheet.write_number_with_format(at, first_unit + i as u16, column.total() as f64, &bold)?;
    }
    let all: usize = matrix.mark_counts().iter().sum();
    sheet.write_number_with_format(at, total_column, all as f64, &bold)?;
    if let Some(note) = &matrix.note {
        sheet.write_string(at + 2, 0, note)?;
    }
    sheet.write_string(
        at + 1,
        0,
        "● 牵头 lead   ○ 责任 responsible   △ 配合 supporting   ◇ 承接 implied",
    )?;
    sheet.set_freeze_panes(2, first_unit)?;
    workbook.save_to_buffer()
}

const CELL: f64 = 18.0;
const FONT: &str = "Noto Sans CJK SC, Noto Sans SC, WenQuanYi Micro Hei, sans-serif";

/// Width in pixels of `text` at 12 px, counting a CJK character as two columns.
fn text_width(text: &str) -> f64 {
    text.width() as f64 * 6.6
}

/// The grid drawn directly: unit names upright over their columns under their kinds, the
/// tasks on the left under their sections, a sign in each cell linking to the task's page
/// (its evidence), and totals on the right and at the bottom.
pub fn matrix_svg(matrix: &Matrix, base_url: &str) -> String {
    let left = matrix
        .rows
        .iter()
        .map(|r| text_width(&r.label))
        .chain(matrix.sections.iter().map(|s| text_width(s)))
        .fold(120.0_f64, f64::max)
        .min(520.0)
        + 16.0;
    let header = matrix
        .columns
        .iter()
        .map(|c| text_width(&c.label))
        .fold(60.0_f64, f64::max)
        .min(260.0)
        + 36.0;
    let columns = matrix.columns.len() as f64;
    // A section heading takes a line of its own above its tasks.
    let mut lines = 0.0;
    let mut last = None;
    for row in &matrix.rows {
        if last != Some(row.section) {
            lines += 1.0;
            last = Some(row.section);
        }
        lines += 1.0;
    }
    let width = left + (columns + 1.5) * CELL + 8.0;
    let height = header + (lines + 3.5) * CELL + 8.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{FONT}" font-size="12">"#
    );
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/><title>责任分工矩阵 responsibility matrix</title>"##
    );
    // Kinds over the unit names, in alternating bands.
    for (i, (kind, range)) in matrix.column_groups().into_iter().enumerate() {
        let x = left + range.start as f64 * CELL;
        let w = range.len() as f64 * CELL;
        let fill = if i % 2 == 0 { "#eef2f7" } else { "#f7f4ea" };
        let _ = writeln!(
            out,
            r#"<rect x="{x:.1}" y="0" width="{w:.1}" height="{:.1}" fill="{fill}"><title>{}</title></rect>"#,
            header + (lines + 1.0) * CELL,
            escape(kind)
        );
        if w >= 40.0 {
            let _ = writeln!(
                out,
                r##"<text x="{:.1}" y="13" text-anchor="middle" font-size="10" fill="#555">{}</text>"##,
                x + w / 2.0,
                escape(kind)
            );
        }
    }
    for (i, column) in matrix.columns.iter().enumerate() {
        let x = left + (i as f64 + 0.5) * CELL + 4.0;
        let _ = writeln!(
            out,
            r#"<text transform="translate({x:.1},{:.1}) rotate(-90)"><title>{} — {} tasks</title>{}</text>"#,
            header - 4.0,
            escape(&column.label),
            column.total(),
            escape(&column.label)
        );
    }
    let total_x = left + columns * CELL;
    let _ = writeln!(
        out,
        r#"<text transform="translate({:.1},{:.1}) rotate(-90)" font-weight="bold">total</text>"#,
        total_x + CELL * 0.75 + 4.0,
        header - 4.0
    );
    let mut y = header;
    let mut last = None;
    for row in &matrix.rows {
        if last != Some(row.section) {
            let _ = writeln!(
                out,
                r##"<text x="4" y="{:.1}" font-weight="bold" fill="#1f3a5f">{}</text>"##,
                y + CELL - 5.0,
                escape(&matrix.sections[row.section])
            );
            last = Some(row.section);
            y += CELL;
        }
        let _ = writeln!(
            out,
            r##"<line x1="4" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#dddddd"/>"##,
            total_x + CELL * 1.5
        );
        let link = format!(
            "{base_url}/entity?iri={}",
            super::dot::percent_encode(&row.task)
        );
        let _ = writeln!(
            out,
            r#"<a xlink:href="{}"><text x="12" y="{:.1}">{}</text></a>"#,
            escape(&link),
            y + CELL - 5.0,
            escape(&row.label)
        );
        for (i, mark) in row.cells.iter().enumerate() {
            let Some(mark) = mark else { continue };
            let x = left + (i as f64 + 0.5) * CELL;
            let _ = writeln!(
                out,
                r#"<a xlink:href="{}"><text x="{x:.1}" y="{:.1}" text-anchor="middle"><title>{} {} {}</title>{}</text></a>"#,
                escape(&link),
                y + CELL - 5.0,
                escape(&matrix.columns[i].label),
                mark.chinese(),
                escape(&row.label),
                mark.symbol()
            );
        }
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            total_x + CELL * 0.75,
            y + CELL - 5.0,
            Matrix::row_total(row)
        );
        y += CELL;
    }
    let _ = writeln!(
        out,
        r##"<line x1="4" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#888888"/>"##,
        total_x + CELL * 1.5
    );
    let _ = writeln!(
        out,
        r#"<text x="4" y="{:.1}" font-weight="bold">total</text>"#,
        y + CELL - 5.0
    );
    for (i, column) in matrix.columns.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="10">{}</text>"#,
            left + (i as f64 + 0.5) * CELL,
            y + CELL - 5.0,
            column.total()
        );
    }
    let _ = writeln!(
        out,
        r##"<text x="4" y="{:.1}" fill="#444">● 牵头 lead   ○ 责任 responsible   △ 配合 supporting   ◇ 承接 implied{}</text>"##,
        y + CELL * 2.2,
        matrix
            .note
            .as_ref()
            .map(|n| format!("   ({})", escape(n)))
            .unwrap_or_default()
    );
    out.push_str("</svg>\n");
    out
}
