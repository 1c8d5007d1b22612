//! The parser: decoded text → [`ParsedDocument`]. It reads the metadata, the heading tree,
//! the unit annotations (inline, on their own line, or in task tables) with the
//! conventions the document states, and the dated goals; then it cuts the text into
//! tasks, one per annotation, and audits what it read: every clause that names units
//! like an annotation but was not read is reported ([`crate::model::Coverage`]).
//! Traditional characters are matched in their simplified form and reported as written.

mod annotation;
mod coverage;
mod goals;
mod lines;
mod metadata;
mod roles;
mod structure;
mod table;
mod units;
mod words;

use std::collections::HashSet;

use crate::model::{
    ByRole, Convention, Goal, ParsedDocument, Role, Section, Source, Span, Task, UnitRef, Warning,
};
use crate::text::{fold, trim_range};
use annotation::{Annotation, Rules, SIDE_NOTE};
use lines::Line;

pub use metadata::{iso_date, jurisdiction_of};

/// The units a list of names denotes, as the parser splits it (`省发展改革委、省财政厅，各市
/// 政府`): each with its span in `list`. The splitter's own entry, for its fuzz target and
/// property tests; a document's lists are split by [`parse_text`].
pub fn split_unit_list(list: &str) -> Vec<UnitRef> {
    lines::lines(list)
        .iter()
        .flat_map(|line| units::split_list(line, 0, line.chars.len()))
        .map(|item| item.unit)
        .collect()
}

/// Parses decoded text into tasks, sections, goals and metadata. Never fails: what cannot
/// be read becomes a warning. Entities are left unlinked: linking is the next stage.
pub fn parse_text(text: String, source: Source) -> ParsedDocument {
    parse_text_with(text, source, &|_| false)
}

/// [`parse_text`], where the coverage audit also counts as a unit every name that
/// `known_unit` knows (the names of a gazetteer, whatever their shape: 国务院, 市总工会).
pub fn parse_text_with(
    text: String,
    source: Source,
    known_unit: &dyn Fn(&str) -> bool,
) -> ParsedDocument {
    let lines = lines::lines(&text);
    let mut warnings = Vec::new();

    let headings = structure::headings(&lines, &mut warnings);
    let header = metadata::extract(
        &lines,
        headings.first().map(|h| h.line_index),
        headings.last().map(|h| h.line_index),
        &mut warnings,
    );
    let total_chars = lines.last().map_or(0, |l| l.start + l.len());
    let body_end = header.signature_start.unwrap_or(total_chars);
    let mut sections = structure::sections(&lines, &headings, body_end);

    let skip: HashSet<usize> = header
        .leftovers
        .iter()
        .chain(&header.used)
        .copied()
        .collect();
    let (annotations, global_conventions) = find_annotations(&lines, &skip, &mut warnings);
    trim_titles_at_annotations(&mut sections, &lines, &annotations);
    let rows = table::rows(&lines, &mut warnings);

    let mut builder = TaskBuilder {
        lines: &lines,
        sections: &sections,
        tasks: Vec::new(),
    };
    let conventions = builder.add_annotations(&annotations, &global_conventions);
    builder.add_rows(&rows);
    let mut tasks = builder.tasks;
    tasks.sort_by_key(|t| t.span.start);

    let read_spans: Vec<Span> = annotations
        .iter()
        .map(|a| a.span)
        .chain(rows.iter().map(|r| r.span))
        .collect();
    let coverage = coverage::audit(
        &lines,
        &coverage::Read {
            spans: &read_spans,
            annotations: annotations.len() + rows.len(),
            skip: &skip,
            known_unit,
        },
        &mut warnings,
    );
    for (i, task) in tasks.iter_mut().enumerate() {
        task.id = format!("t{}", i + 1);
    }
    if tasks.is_empty() {
        warnings.push(Warning {
            line: None,
            message: "no unit annotations (牵头单位/责任单位/…) found: the document has no tasks"
                .to_string(),
        });
    }

    let mut goals: Vec<Goal> = lines
        .iter()
        .filter(|l| !l.is_table_row())
        .flat_map(goals::find_in_line)
        .collect();
    for goal in &mut goals {
        goal.section = innermost(&sections, goal.span.start).map(|s| s.id.clone());
    }

    warnings.sort_by_key(|w| w.line.unwrap_or(0));
    ParsedDocument {
        source,
        document: header.metadata,
        sections,
        tasks,
        goals,
        conventions,
        pairings: Vec::new(),
        warnings,
        text,
        resolved: Default::default(),
        coverage,
    }
}

/// A convention stated outside any annotation (a note in the text), in force everywhere.
struct NoteConvention {
    convention: Convention,
    implied: Vec<units::ListItem>,
}

fn find_annotations(
    lines: &[Line],
    skip: &HashSet<usize>,
    warnings: &mut Vec<Warning>,
) -> (Vec<Annotation>, Vec<NoteConvention>) {
    let mut found = Vec::new();
    let mut notes = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if line.is_table_row() || skip.contains(&index) {
            continue;
        }
        let (annotations, stray) = annotation::find_in_line(line, index);
        for label in annotations
            .iter()
            .flat_map(|a| &a.segments)
            .filter_map(|s| s.unknown_label.as_ref())
        {
            warnings.push(Warning {
                line: Some(line.number),
                message: table::unknown_label_message(label),
            });
        }
        for position in stray {
            warnings.push(Warning {
                line: Some(line.number),
                message: format!(
                    "unbalanced bracket '{}' at column {} in a line with unit labels",
                    line.chars[position],
                    position + 1
                ),
            });
        }
        // Notes outside annotations: 注：标*的为牵头单位 and the like.
        let mut outside = vec![(0, line.len())];
        for a in &annotations {
            let (s, e) = (a.span.start - line.start, a.span.end - line.start);
            outside = outside
                .into_iter()
                .flat_map(|(f, t)| {
                    if e <= f || s >= t {
                        vec![(f, t)]
                    } else {
                        vec![(f, s.max(f)), (e.min(t), t)]
                    }
                })
                .filter(|(f, t)| f < t)
                .collect();
        }
        for (f, t) in outside {
            let (conventions, implied) = annotation::stated_in(line, f, t);
            for convention in conventions {
                let implied = if matches!(convention, Convention::ImpliedForLaterTasks { .. }) {
                    implied.clone()
                } else {
                    Vec::new()
                };
                notes.push(NoteConvention {
                    convention,
                    implied,
                });
            }
        }
        found.extend(annotations);
    }
    (found, notes)
}

/// A heading without a 。 may run into its annotation (`1. 甲项（省科技厅牵头）`): the
/// title stops where the annotation begins.
fn trim_titles_at_annotations(
    sections: &mut [Section],
    lines: &[Line],
    annotations: &[Annotation],
) {
    for section in sections {
        let Some(cut) = annotations
            .iter()
            .map(|a| a.span.start)
            .find(|&s| s > section.title_span.start && s < section.title_span.end)
        else {
            continue;
        };
        let Some(line) = lines.iter().find(|l| {
            l.start <= section.title_span.start && section.title_span.start < l.start + l.len()
        }) else {
            continue;
        };
        let (from, mut to) = trim_range(
            &line.chars,
            section.title_span.start - line.start,
            cut - line.start,
        );
        while to > from && matches!(fold(line.chars[to - 1]), ':' | ',' | ';' | '。') {
            to -= 1;
        }
        section.title_span = line.span(from, to);
        section.title = line.original(from, to);
    }
}

/// The innermost section whose span holds `offset`.
fn innermost(sections: &[Section], offset: usize) -> Option<&Section> {
    sections
        .iter()
        .filter(|s| s.span.contains(offset))
        .max_by_key(|s| s.level)
}

struct TaskBuilder<'a> {
    lines: &'a [Line],
    sections: &'a [Section],
    tasks: Vec<Task>,
}

impl TaskBuilder<'_> {
    /// Turns annotations into tasks, applying conventions in document order. Returns the
    /// conventions met.
    fn add_annotations(
        &mut self,
        annotations: &[Annotation],
        notes: &[NoteConvention],
    ) -> Vec<Convention> {
        let mut rules = Rules::default();
        let mut conventions = Vec::new();
        // Implied units and the offset after which they hold.
        let mut implied: Vec<(usize, Vec<UnitRef>)> = Vec::new();
        for note in notes {
            rules.adopt(&note.convention);
            if let Convention::ImpliedForLaterTasks { span, .. } = &note.convention {
                implied.push((
                    span.end,
                    note.implied.iter().map(|i| i.unit.clone()).collect(),
                ));
            }
            conventions.push(note.convention.clone());
        }
        let mut previous: Option<(&Annotation, Option<usize>)> = None;
        let mut count_in_item = 0;
        for annotation in annotations {
            for convention in &annotation.conventions {
                rules.adopt(convention);
                if let Convention::ImpliedForLaterTasks { .. } = convention {
                    implied.push((
                        annotation.span.end,
                        annotation.implied.iter().map(|i| i.unit.clone()).collect(),
                    ));
                }
                conventions.push(convention.clone());
            }
            let item_index = self
                .sections
                .iter()
                .enumerate()
                .filter(|(_, s)| s.span.contains(annotation.span.start))
                .max_by_key(|(_, s)| s.level)
                .map(|(i, _)| i);
            let same_item = previous.is_some_and(|(_, p)| p == item_index);
            // A label line right under another annotation adds to its task
            // (`牵头责任单位：A。` then `协同责任单位：B、C。`).
            if let Some((before, _)) = previous
                && same_item
                && self.continues(before, annotation)
                && let Some(task) = self.tasks.last_mut()
            {
                for (role, unit) in annotation.resolve(&rules) {
                    task.units_mut(role).push(unit.unit);
                }
                task.span.end = annotation.span.end;
                task.annotation_span.end = annotation.span.end;
                previous = Some((annotation, item_index));
                continue;
            }
            count_in_item = if same_item { count_in_item + 1 } else { 1 };
            let line = &self.lines[annotation.line_index];
            let start = match (previous, item_index) {
                (Some((p, _)), _) if same_item => p.span.end,
                (_, Some(i)) => self.sections[i].span.start,
                (_, None) => line.start + line.content_range().0,
            };
            let item = item_index.map(|i| &self.sections[i]);
            let mut task = self.task_shell(start, annotation.span, item, count_in_item);
            for (role, unit) in annotation.resolve(&rules) {
                task.units_mut(role).push(unit.unit);
            }
            for (from, units) in &implied {
                if annotation.span.start < *from {
                    continue;
                }
                for unit in units {
                    if !task_names(&task).any(|n| n == unit.name) {
                        task.units.implied.push(unit.clone());
                    }
                }
            }
            self.tasks.push(task);
            previous = Some((annotation, item_index));
        }
        conventions.sort_by_key(convention_start);
        conventions
    }

    /// Whether `annotation` opens its line and only blank lines or side notes
    /// (`牵头负责领导：…`, `完成时限：…`) lie between it and `before`.
    fn continues(&self, before: &Annotation, annotation: &Annotation) -> bool {
        let line = &self.lines[annotation.line_index];
        if annotation.line_index <= before.line_index
            || annotation.span.start != line.start + line.content_range().0
        {
            return false;
        }
        let before_line = &self.lines[before.line_index];
        let rest = (before.span.end - before_line.start).min(before_line.len());
        let rest_is_empty = before_line.chars[rest..]
            .iter()
            .all(|&c| c.is_whitespace() || matches!(fold(c), '。' | ';' | ','));
        rest_is_empty
            && self.lines[before.line_index + 1..annotation.line_index]
                .iter()
                .all(|l| l.is_blank() || SIDE_NOTE.is_match(&l.folded))
    }

    /// A task for the text from `start` to the end of `annotation`, in `item`.
    fn task_shell(
        &self,
        start: usize,
        annotation: Span,
        item: Option<&Section>,
        count_in_item: usize,
    ) -> Task {
        let at_item_start = item.is_some_and(|s| s.span.start == start);
        // Text starts after the heading's number when the task opens the item.
        let text_start = match item {
            Some(s) if at_item_start => s.title_span.start,
            _ => start,
        };
        let text = self.trimmed_text(text_start, annotation.start);
        // A task that follows an annotation in mid-paragraph starts after its full stop.
        let text = text
            .trim_start_matches(|c: char| {
                matches!(fold(c), '。' | ',' | ';' | '、' | ':') || c.is_whitespace()
            })
            .to_string();
        let title = match item {
            Some(s) if at_item_start => s.title.clone(),
            _ => first_sentence(&text),
        };
        let number = match item {
            Some(s) if count_in_item > 1 => format!("{}-{}", s.number, count_in_item),
            Some(s) => s.number.clone(),
            None => String::new(),
        };
        let section = item.map(|s| s.parent.clone().unwrap_or_else(|| s.id.clone()));
        Task {
            id: String::new(),
            section,
            item: item.map(|s| s.id.clone()),
            number,
            title,
            text,
            text_span: Span::new(text_start, annotation.start.max(text_start)),
            span: Span::new(start, annotation.end),
            annotation_span: annotation,
            units: ByRole::default(),
            links: Default::default(),
        }
    }

    /// Tasks from task-table rows. A row whose title names a numbered item of the body is
    /// placed in that item's section.
    fn add_rows(&mut self, rows: &[table::Row]) {
        for row in rows {
            let named_item = self.sections.iter().find(|s| {
                s.title.trim_end_matches('。') == row.title && s.span.end <= row.span.start
            });
            let item = named_item.or_else(|| innermost(self.sections, row.span.start));
            let section = item.map(|s| match named_item {
                Some(_) => s.parent.clone().unwrap_or_else(|| s.id.clone()),
                None => s.id.clone(),
            });
            let mut task = Task {
                id: String::new(),
                section,
                item: item.map(|s| s.id.clone()),
                number: row.number.clone(),
                title: row.title.clone(),
                text: row.text.clone(),
                text_span: row.text_span,
                span: row.span,
                annotation_span: row.span,
                units: ByRole::default(),
                links: Default::default(),
            };
            for (role, item) in &row.units {
                task.units_mut(*role).push(item.unit.clone());
            }
            self.tasks.push(task);
        }
    }

    /// The original text of `[from, to)` without surrounding whitespace.
    fn trimmed_text(&self, from: usize, to: usize) -> String {
        let mut out = String::new();
        for line in self.lines {
            let (ls, le) = (line.start, line.start + line.len());
            if le < from || ls >= to {
                continue;
            }
            let a = from.max(ls) - ls;
            let b = to.min(le) - ls;
            let (a, b) = trim_range(&line.chars, a, b);
            if a < b {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&line.original(a, b));
            }
        }
        out
    }
}

fn task_names(task: &Task) -> impl Iterator<Item = &str> {
    Role::ALL
        .into_iter()
        .flat_map(|r| task.units(r).iter().map(|u| u.name.as_str()))
}

fn convention_start(c: &Convention) -> usize {
    match c {
        Convention::FirstListedIsLead { span }
        | Convention::BeforeFirstCommaIsLead { span }
        | Convention::MarkIsLead { span, .. }
        | Convention::ImpliedForLaterTasks { span, .. } => span.start,
    }
}

/// The first sentence of a text, for a task that does not open its item.
fn first_sentence(text: &str) -> String {
    let sentence: String = text
        .chars()
        .take_while(|&c| !matches!(fold(c), '。' | '!' | '?' | ';' | '\n'))
        .collect();
    if sentence.chars().count() <= 40 {
        return sentence;
    }
    sentence
        .chars()
        .take_while(|&c| fold(c) != ',')
        .take(40)
        .collect()
}
