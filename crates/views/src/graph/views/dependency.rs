//! `dependency`: who answers for what — document → sections → tasks → units.

use std::collections::BTreeMap;

use super::{Layout, Scope, ViewSpec};
use crate::graph::Field;
use crate::graph::filters::{Reading, edge, node, role_relation, rows, unit_rows};
use crate::queries::{SECTIONS, SectionRow, TaskUnit};
use crate::graph::{NodeKind, Relation, View, ViewError};
use policykg_store::Backend;

/// Above this many tasks, an unfiltered dependency view is refused: `dot` lays out a few
/// hundred tasks in seconds and a corpus's thousands not at all, and nobody follows the
/// arrows of even the few hundred.
const MOST_TASKS: u64 = 300;

/// `dependency`: document → sections → tasks → lead and responsible units (supporting
/// and implied too), the chain of who answers for what. Directed; sections are grouped
/// by their top-level section in drawings.
pub(crate) fn graph(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    options.refuse_whole_corpus(store, "dependency view", MOST_TASKS)?;
    let mut view = View::new("dependency", true);
    view.left_to_right = true;
    view.section_clusters = true;
    let unit_rows = unit_rows(store, options)?;
    let sections: BTreeMap<String, SectionRow> = rows(store, options, &SECTIONS)?
        .into_iter()
        .map(|r| (r.section.clone(), r))
        .collect();
    let top_of = |mut s: String| -> String {
        while let Some(parent) = sections.get(&s).map(|r| r.parent.clone()) {
            if parent.is_empty() {
                break;
            }
            s = parent;
        }
        s
    };
    for r in &unit_rows {
        let relation = role_relation(&r.role);
        if !options.role_matches(relation) {
            continue;
        }
        let doc = view.node(node(
            &r.doc,
            &r.doc_label,
            NodeKind::Document,
            None,
            &r.doc_label,
        ));
        let task_label = format!("{} {}", &r.task_number, &r.task_title);
        let task = view.node(node(
            &r.task,
            &task_label,
            NodeKind::Task,
            None,
            &r.text,
        ));
        // The chain of sections above the task, up to the document.
        let mut child = task;
        let mut current = r.section.clone();
        let top = top_of(current.clone());
        while let Some(s) = sections.get(&current) {
            let label = format!("{} {}", &s.number, &s.title);
            let mut section = node(
                &current,
                &label,
                NodeKind::Section,
                Some(&s.style),
                &s.title,
            );
            section.cluster = Some(top.clone());
            let si = view.node(section);
            view.edge(si, child, edge(Relation::Contains, Vec::new()));
            child = si;
            current = s.parent.clone();
            if current.is_empty() {
                break;
            }
        }
        view.edge(doc, child, edge(Relation::Contains, Vec::new()));
        let unit = view.node(node(
            &r.unit,
            &r.unit_label,
            NodeKind::Unit,
            Some(&r.unit_type),
            &r.unit_label,
        ));
        view.edge(
            task,
            unit,
            edge(relation, vec![r.annotation.clone()]),
        );
    }
    // Within a task, Contains edges were added once per unit row; count them once.
    for e in view.graph.edge_weights_mut() {
        if e.relation == Relation::Contains {
            e.weight = 1.0;
        }
    }
    place_in_sections(&mut view, &unit_rows);
    Ok(view)
}

/// One box per section that holds tasks: the section, its tasks, and each unit beside the
/// section whose tasks name it most (ties: the first section), so that most arrows stay
/// short and inside their box. Sections that only hold sections stay outside.
fn place_in_sections(view: &mut View, unit_rows: &[TaskUnit]) {
    let mut task_section: BTreeMap<&str, &str> = BTreeMap::new();
    let mut unit_sections: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for r in unit_rows {
        let section = &r.section;
        if section.is_empty() {
            continue;
        }
        task_section.insert(&r.task, section);
        *unit_sections
            .entry(&r.unit)
            .or_default()
            .entry(section)
            .or_default() += 1;
    }
    let holding: std::collections::BTreeSet<&str> = task_section.values().copied().collect();
    let indices: Vec<_> = view.graph.node_indices().collect();
    for n in indices {
        let node = &view.graph[n];
        let cluster = match node.kind {
            NodeKind::Task => task_section.get(node.id.as_str()).map(|s| s.to_string()),
            NodeKind::Section => holding.contains(node.id.as_str()).then(|| node.id.clone()),
            NodeKind::Unit => unit_sections.get(node.id.as_str()).and_then(|counts| {
                counts
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(s, _)| s.to_string())
            }),
            _ => None,
        };
        view.graph[n].cluster = cluster;
    }
}

pub(crate) const SPEC: ViewSpec = ViewSpec {
    name: "dependency",
    about: "document → sections → tasks → units: who answers for what",
    layout: Layout::Hierarchy,
    fields: &Field::FILTERS,
    corpus: true,
    scope: Scope::OneDocument,
    // Past a few dozen boxes nobody follows the arrows.
    crowded_above: Some(60),
    build: |store, options| Ok(graph(store, options)?.with_min_weight_option(options.min_weight)),
};
