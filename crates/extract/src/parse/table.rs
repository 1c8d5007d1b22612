//! Task-assignment tables (任务分工表): a header row with unit columns (牵头单位, 配合单位,
//! 责任单位 …, read by the same rule as inline labels, see [`read_label`]) and one task per
//! data row, cells separated by tabs or `|`. Merged cells that the copy left empty are
//! carried down from the row above.

use regex::Regex;
use std::sync::LazyLock;

use super::lines::Line;
use super::roles::{Label, read_label};
use super::units::{ListItem, split_list};
use crate::model::{Role, Span, Warning};
use crate::text::{fold, trim_range};

static NUMBER_COLUMN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(序号|编号|序)$").expect("valid regex"));
static TITLE_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(工作事项|重点任务|工作任务|主要任务|任务名称|任务|事项|重点工作|工作项目|具体任务|任务内容|工作内容|工作措施|具体措施|重点举措|改革任务|改革举措)$")
        .expect("valid regex")
});
static TEXT_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(主要内容|具体内容|工作内容|任务内容|工作措施|具体措施|具体任务|主要措施|工作要求|任务要求|目标任务|内容)$")
        .expect("valid regex")
});

/// One data row of a task table.
#[derive(Debug, Clone)]
pub struct Row {
    pub number: String,
    pub title: String,
    pub text: String,
    /// Where the text cell is.
    pub text_span: Span,
    /// The whole row.
    pub span: Span,
    /// The units named in the unit columns, with the column's role.
    pub units: Vec<(Role, ListItem)>,
}

#[derive(Debug, Clone, Default)]
struct Columns {
    number: Option<usize>,
    title: Option<usize>,
    text: Option<usize>,
    units: Vec<(usize, Role)>,
    /// Unit columns whose label names no known role, as written.
    unknown: Vec<String>,
    count: usize,
}

/// Line-relative `[from, to)` of each cell of a table row.
fn cells(line: &Line) -> Vec<(usize, usize)> {
    let pipe = !line.folded.contains('\t');
    let (from, to) = if pipe {
        let (from, to) = line.content_range();
        (from + 1, to.saturating_sub(1).max(from + 1)) // drop the outer | … |
    } else {
        // Leading tabs are empty (merged) cells: keep them.
        let to = line
            .chars
            .iter()
            .rposition(|&c| fold(c) != ' ')
            .map_or(0, |p| p + 1);
        (0, to)
    };
    let mut out = Vec::new();
    let mut start = from;
    for i in from..to {
        let c = fold(line.chars[i]);
        if (pipe && c == '|') || (!pipe && c == '\t') {
            out.push(trim_range(&line.chars, start, i));
            start = i + 1;
        }
    }
    out.push(trim_range(&line.chars, start, to));
    out
}

fn header(line: &Line) -> Option<Columns> {
    let cells = cells(line);
    let mut columns = Columns {
        count: cells.len(),
        ..Columns::default()
    };
    for (i, &(s, e)) in cells.iter().enumerate() {
        let name: String = line
            .folded_chars(s, e)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if let Some(label) = read_label(&name) {
            match label {
                Label::Units { role, known } => {
                    columns.units.push((i, role));
                    if !known {
                        columns.unknown.push(line.original(s, e));
                    }
                }
                Label::Internal => {}
            }
        } else if NUMBER_COLUMN.is_match(&name) {
            columns.number = Some(i);
        } else if TITLE_COLUMN.is_match(&name) && columns.title.is_none() {
            columns.title = Some(i);
        } else if TEXT_COLUMN.is_match(&name) && columns.text.is_none() {
            // `重点任务 | 具体措施`: a column that may name either is the text after a title.
            columns.text = Some(i);
        }
    }
    // A header names at least one column by a known role: a data row holding a lone
    // label-like cell is no header.
    (columns.units.len() > columns.unknown.len()).then_some(columns)
}

/// The warning for a label whose words name no known role.
pub fn unknown_label_message(label: &str) -> String {
    format!(
        "unit label \"{label}\" names no known role (牵头/配合/责任 …): its units are read as responsible"
    )
}

/// Cells that mean "none".
fn is_empty_cell(text: &str) -> bool {
    matches!(
        text.trim(),
        "" | "/" | "／" | "-" | "—" | "——" | "无" | "—/—"
    )
}

/// Finds the task rows of all task tables in the document.
pub fn rows(lines: &[Line], warnings: &mut Vec<Warning>) -> Vec<Row> {
    let mut out = Vec::new();
    let mut columns: Option<Columns> = None;
    let mut carried = (String::new(), String::new());
    for line in lines {
        if !line.is_table_row() {
            if !line.is_blank() {
                columns = None;
            }
            continue;
        }
        if let Some(found) = header(line) {
            for label in &found.unknown {
                warnings.push(Warning {
                    line: Some(line.number),
                    message: unknown_label_message(label),
                });
            }
            columns = Some(found);
            carried = (String::new(), String::new());
            continue;
        }
        let Some(cols) = &columns else { continue };
        let cells = cells(line);
        if cells.iter().all(|&(s, e)| {
            line.folded_chars(s, e)
                .chars()
                .all(|c| matches!(c, '-' | ':' | ' '))
        }) {
            continue; // a markdown rule line
        }
        if cells.len() != cols.count {
            warnings.push(Warning {
                line: Some(line.number),
                message: format!(
                    "table row has {} cells where the header has {}; units read by position",
                    cells.len(),
                    cols.count
                ),
            });
        }
        let cell_text = |i: Option<usize>| -> String {
            i.and_then(|i| cells.get(i))
                .map(|&(s, e)| line.original(s, e))
                .unwrap_or_default()
        };
        let mut number = cell_text(cols.number);
        let mut title = cell_text(cols.title)
            .trim_end_matches(['。', '.'])
            .to_string();
        if number.is_empty() {
            number = carried.0.clone();
        }
        if title.is_empty() {
            title = carried.1.clone();
        }
        carried = (number.clone(), title.clone());
        let text = cell_text(cols.text);
        let text_span = cols
            .text
            .and_then(|i| cells.get(i))
            .map_or_else(|| line.span(0, 0), |&(s, e)| line.span(s, e));
        if title.is_empty() {
            title = text.split('。').next().unwrap_or_default().to_string();
        }
        let mut units = Vec::new();
        for &(column, role) in &cols.units {
            let Some(&(s, e)) = cells.get(column) else {
                continue;
            };
            if is_empty_cell(&line.folded_chars(s, e)) {
                continue;
            }
            units.extend(split_list(line, s, e).into_iter().map(|item| (role, item)));
        }
        let (from, to) = line.content_range();
        out.push(Row {
            number,
            title,
            text,
            text_span,
            span: line.span(from, to),
            units,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::lines::lines;
    use super::*;

    #[test]
    fn rows_with_merged_cells_and_empty_units() {
        let ls = lines(
            "序号\t工作事项\t主要内容\t牵头单位\t配合单位\t市卫健委内牵头处室\n1\t扩大来源。\t内容甲。\t各区政府\t市卫生健康委\t基层处\n\t\t内容乙。\t各区政府、市卫生健康委\t/\t科教处\n",
        );
        let mut warnings = Vec::new();
        let got = rows(&ls, &mut warnings);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].number, "1");
        assert_eq!(got[1].title, "扩大来源");
        let second: Vec<(Role, &str)> = got[1]
            .units
            .iter()
            .map(|(r, i)| (*r, i.unit.name.as_str()))
            .collect();
        assert_eq!(
            second,
            [(Role::Lead, "各区政府"), (Role::Lead, "市卫生健康委")]
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn column_names_of_other_places() {
        let ls = lines(
            "序号\t具体任务\t牵头责任单位\t协同责任单位\t完成时限\n1\t推进甲项改革\t县发展改革局\t县财政局、县商务局\t2022年6月底前\n",
        );
        let mut warnings = Vec::new();
        let got = rows(&ls, &mut warnings);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].title, "推进甲项改革");
        let units: Vec<(Role, &str)> = got[0]
            .units
            .iter()
            .map(|(r, i)| (*r, i.unit.name.as_str()))
            .collect();
        assert_eq!(
            units,
            [
                (Role::Lead, "县发展改革局"),
                (Role::Supporting, "县财政局"),
                (Role::Supporting, "县商务局")
            ]
        );
    }

    #[test]
    fn markdown_rows_with_title_and_text_columns() {
        let ls = lines(
            "| 序号 | 重点任务 | 具体措施 | 牵头部门 | 责任部门（单位） | 完成时限 |\n| --- | --- | --- | --- | --- | --- |\n| 1 | 推进甲项 | 做甲 | 省工业和信息化厅 | 省财政厅、各市州人民政府 | 2024年底 |\n",
        );
        let mut warnings = Vec::new();
        let got = rows(&ls, &mut warnings);
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].title.as_str(), got[0].text.as_str()),
            ("推进甲项", "做甲")
        );
        let units: Vec<(Role, &str)> = got[0]
            .units
            .iter()
            .map(|(r, i)| (*r, i.unit.name.as_str()))
            .collect();
        assert_eq!(
            units,
            [
                (Role::Lead, "省工业和信息化厅"),
                (Role::Responsible, "省财政厅"),
                (Role::Responsible, "各市州人民政府")
            ]
        );
        assert!(warnings.is_empty());
    }
}
