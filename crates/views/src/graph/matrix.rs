//! The responsibility matrix (责任分工矩阵), the table planners already keep beside a
//! 任务分工 document: one row per task, grouped by section; one column per unit, grouped by
//! kind with the busiest first; in each cell the unit's role in the task. It is read from
//! the same rows and filters as the dependency view, so the two never disagree.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use oxigraph::sparql::CancellationToken;

use super::ViewOptions;
use super::filters::{Reading, role_relation, rows, unit_rows};
use super::{Relation, ViewError};
use crate::queries::{SECTIONS, SectionRow};
use policykg_store::Backend;

/// A unit's part in a task, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    Lead,
    Responsible,
    Supporting,
    Implied,
}

impl Mark {
    pub const ALL: [Mark; 4] = [
        Mark::Lead,
        Mark::Responsible,
        Mark::Supporting,
        Mark::Implied,
    ];

    /// The sign written in the cell: 牵头 ●, 责任 ○, 配合 △; a unit only implied by a
    /// carried-forward note is marked apart, ◇.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Lead => "●",
            Mark::Responsible => "○",
            Mark::Supporting => "△",
            Mark::Implied => "◇",
        }
    }

    /// The role's name in the documents' own words.
    pub fn chinese(self) -> &'static str {
        match self {
            Mark::Lead => "牵头",
            Mark::Responsible => "责任",
            Mark::Supporting => "配合",
            Mark::Implied => "承接",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mark::Lead => "lead",
            Mark::Responsible => "responsible",
            Mark::Supporting => "supporting",
            Mark::Implied => "implied",
        }
    }

    fn of(relation: Relation) -> Option<Mark> {
        match relation {
            Relation::Lead => Some(Mark::Lead),
            Relation::Responsible => Some(Mark::Responsible),
            Relation::Supporting => Some(Mark::Supporting),
            Relation::Implied => Some(Mark::Implied),
            _ => None,
        }
    }
}

/// One task of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixRow {
    /// The task's IRI.
    pub task: String,
    /// Its number and title.
    pub label: String,
    /// Index into [`Matrix::sections`].
    pub section: usize,
    /// One mark or none per column, in column order.
    pub cells: Vec<Option<Mark>>,
}

/// One unit of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixColumn {
    /// The unit's IRI.
    pub unit: String,
    pub label: String,
    /// Its kind (`government-department`, `central-branch` …), or `other`.
    pub kind: String,
    /// Tasks it takes part in, by mark, in [`Mark::ALL`] order.
    pub counts: [usize; 4],
}

impl MatrixColumn {
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// The matrix, its rows in document and section order, its columns grouped by kind (the
/// kind with most marks first) and, within a kind, by load: most tasks, then most leads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    /// Section labels (`2.3 强化人才队伍建设`), in the order the rows use them.
    pub sections: Vec<String>,
    pub rows: Vec<MatrixRow>,
    pub columns: Vec<MatrixColumn>,
    /// What a limit left out, when it did.
    pub note: Option<String>,
}

/// Above this many tasks an unfiltered matrix is refused: reading every task of a corpus
/// takes longer than a query may, for a table nobody reads.
const MOST_TASKS: u64 = 2_000;

/// Most rows a matrix shows unless asked for more: a corpus-wide matrix is a table nobody
/// reads; a document or a section gives one that fits.
pub const DEFAULT_ROW_LIMIT: usize = 400;
/// Most columns unless asked for more.
pub const DEFAULT_COLUMN_LIMIT: usize = 120;

impl Matrix {
    /// How many cells hold each mark, in [`Mark::ALL`] order.
    pub fn mark_counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for cell in self.rows.iter().flat_map(|r| r.cells.iter().flatten()) {
            counts[*cell as usize] += 1;
        }
        counts
    }

    /// Units named in a row.
    pub fn row_total(row: &MatrixRow) -> usize {
        row.cells.iter().flatten().count()
    }

    /// The kinds of the columns, each with the range of columns it spans.
    pub fn column_groups(&self) -> Vec<(&str, std::ops::Range<usize>)> {
        let mut groups: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
        for (i, column) in self.columns.iter().enumerate() {
            match groups.last_mut() {
                Some((kind, range)) if *kind == column.kind => range.end = i + 1,
                _ => groups.push((column.kind.as_str(), i..i + 1)),
            }
        }
        groups
    }
}

/// A dotted section id (`2.10.1`) or task number as numbers, so that 2.10 sorts after 2.9.
fn numeric_key(text: &str) -> Vec<(u64, String)> {
    text.split(['.', '-'])
        .map(|part| {
            let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
            (digits.parse().unwrap_or(u64::MAX), part.to_string())
        })
        .collect()
}

fn section_id(iri: &str) -> &str {
    iri.rsplit_once("/section/").map_or(iri, |(_, id)| id)
}

/// Builds the matrix of the tasks and units that `options` select. `limit` caps the columns
/// (the busiest units stay); rows beyond [`DEFAULT_ROW_LIMIT`] (or `limit`, if larger) are
/// left out with a note. `cancellation` stops the queries.
pub fn build_matrix(
    store: &dyn Backend,
    options: &ViewOptions,
    cancellation: CancellationToken,
) -> Result<Matrix, ViewError> {
    let options = &Reading::new(options, cancellation);
    options.refuse_whole_corpus(store, "matrix", MOST_TASKS)?;
    let unit_rows = unit_rows(store, options)?;
    if let Some(document) = &options.document
        && unit_rows.is_empty()
    {
        return Err(ViewError::NoSuchNode {
            parameter: "document",
            value: document.clone(),
            hint: ": no document with tasks has that key, IRI, title or 文号".to_string(),
        });
    }
    let sections: HashMap<String, SectionRow> = rows(store, options, &SECTIONS)?
        .into_iter()
        .map(|r| (r.section.clone(), r))
        .collect();

    // Each task's strongest mark per unit.
    struct TaskEntry {
        doc_label: String,
        section: String,
        number: String,
        label: String,
        marks: BTreeMap<String, Mark>,
    }
    let mut tasks: BTreeMap<String, TaskEntry> = BTreeMap::new();
    let mut units: BTreeMap<String, (String, String)> = BTreeMap::new();
    for r in &unit_rows {
        let relation = role_relation(&r.role);
        let Some(mark) = Mark::of(relation).filter(|_| options.role_matches(relation)) else {
            continue;
        };
        let entry = tasks.entry(r.task.clone()).or_insert_with(|| TaskEntry {
            doc_label: r.doc_label.clone(),
            section: r.section.clone(),
            number: r.task_number.clone(),
            label: format!("{} {}", &r.task_number, &r.task_title),
            marks: BTreeMap::new(),
        });
        let unit = r.unit.clone();
        let slot = entry.marks.entry(unit.clone()).or_insert(mark);
        *slot = (*slot).min(mark);
        let kind = match r.unit_type.as_str() {
            "" => "other".to_string(),
            kind => kind.rsplit(['#', '/']).next().unwrap_or(kind).to_string(),
        };
        units
            .entry(unit)
            .or_insert_with(|| (r.unit_label.clone(), kind));
    }

    // Rows: by document, then section, then task number.
    let mut order: Vec<(&String, &TaskEntry)> = tasks.iter().collect();
    order.sort_by_cached_key(|(iri, t)| {
        (
            t.doc_label.clone(),
            numeric_key(section_id(&t.section)),
            numeric_key(&t.number),
            (*iri).clone(),
        )
    });
    let row_limit = options.limit.unwrap_or(0).max(DEFAULT_ROW_LIMIT);
    let all_rows = order.len();
    order.truncate(row_limit);

    // Columns: counts over the rows kept.
    let mut counts: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for (_, t) in &order {
        for (unit, mark) in &t.marks {
            counts.entry(unit.as_str()).or_default()[*mark as usize] += 1;
        }
    }
    let mut columns: Vec<MatrixColumn> = counts
        .into_iter()
        .map(|(unit, counts)| {
            let (label, kind) = units.get(unit).cloned().unwrap_or_default();
            MatrixColumn {
                unit: unit.to_string(),
                label,
                kind,
                counts,
            }
        })
        .collect();
    let all_columns = columns.len();
    let by_load = |c: &MatrixColumn| (std::cmp::Reverse(c.total()), std::cmp::Reverse(c.counts[0]));
    columns.sort_by(|a, b| {
        by_load(a)
            .cmp(&by_load(b))
            .then_with(|| a.label.cmp(&b.label))
    });
    let column_limit = options.limit.unwrap_or(DEFAULT_COLUMN_LIMIT).max(1);
    columns.truncate(column_limit);
    let mut kind_load: HashMap<String, usize> = HashMap::new();
    for c in &columns {
        *kind_load.entry(c.kind.clone()).or_default() += c.total();
    }
    // Grouped by kind, the kinds with most marks first; the order within a kind is kept.
    columns.sort_by(|a, b| {
        kind_load[&b.kind]
            .cmp(&kind_load[&a.kind])
            .then_with(|| a.kind.cmp(&b.kind))
    });

    let index: HashMap<&str, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.unit.as_str(), i))
        .collect();
    let mut section_labels: Vec<String> = Vec::new();
    let mut section_index: HashMap<String, usize> = HashMap::new();
    let rows_out = order
        .into_iter()
        .map(|(iri, t)| {
            let section_label = match sections.get(&t.section) {
                Some(s) => format!("{} {} {}", section_id(&t.section), &s.number, &s.title),
                None if t.section.is_empty() => "—".to_string(),
                None => section_id(&t.section).to_string(),
            };
            let key = format!("{}\u{0}{}", t.doc_label, section_label);
            let section = *section_index.entry(key).or_insert_with(|| {
                section_labels.push(section_label);
                section_labels.len() - 1
            });
            let mut cells = vec![None; columns.len()];
            for (unit, mark) in &t.marks {
                if let Some(&i) = index.get(unit.as_str()) {
                    cells[i] = Some(*mark);
                }
            }
            MatrixRow {
                task: iri.clone(),
                label: t.label.clone(),
                section,
                cells,
            }
        })
        .collect::<Vec<_>>();

    let mut left_out = Vec::new();
    if rows_out.len() < all_rows {
        left_out.push(format!("{} of {all_rows} tasks", rows_out.len()));
    }
    if columns.len() < all_columns {
        left_out.push(format!(
            "the {} busiest of {all_columns} units",
            columns.len()
        ));
    }
    let note = (!left_out.is_empty()).then(|| {
        format!(
            "showing {}: choose a document or a section, or raise the limit",
            left_out.join(" and ")
        )
    });
    Ok(Matrix {
        sections: section_labels,
        rows: rows_out,
        columns,
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_numbers_sort_as_numbers() {
        let mut ids = vec!["2.10", "2.9", "10", "2.1.3", "2"];
        ids.sort_by_key(|s| numeric_key(s));
        assert_eq!(ids, ["2", "2.1.3", "2.9", "2.10", "10"]);
    }
}
