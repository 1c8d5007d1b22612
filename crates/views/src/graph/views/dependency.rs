//! `dependency`: who answers for what — document → sections → tasks → units.

use std::collections::BTreeMap;

use super::{Field, Layout, ViewSpec};
use crate::graph::filters::{
    Row, SECTIONS, ViewOptions, edge, get, node, role_relation, rows, unit_rows,
};
use crate::graph::{NodeKind, Relation, View, ViewError};
use policykg_store::PolicyStore;

/// Above this many tasks, an unfiltered dependency view is refused: `dot` lays out a few
/// hundred tasks in seconds and a corpus's thousands not at all, and nobody follows the
/// arrows of even the few hundred.
const MOST_TASKS: u64 = 300;

/// `dependency`: document → sections → tasks → lead and responsible units (supporting
/// and implied too), the chain of who answers for what. Directed; sections are grouped
/// by their top-level section in drawings.
pub(crate) fn graph(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    options.refuse_whole_corpus(store, "dependency view", MOST_TASKS)?;
    let mut view = View::new("dependency", true);
    view.left_to_right = true;
    view.section_clusters = true;
    let unit_rows = unit_rows(store, options)?;
    let sections: BTreeMap<String, Row> = rows(store, options, SECTIONS)?
        .into_iter()
        .map(|r| (get(&r, "section").to_string(), r))
        .collect();
    let top_of = |mut s: String| -> String {
        while let Some(parent) = sections.get(&s).map(|r| get(r, "parent").to_string()) {
            if parent.is_empty() {
                break;
            }
            s = parent;
        }
        s
    };
    for r in &unit_rows {
        let relation = role_relation(get(r, "role"));
        if !options.role_matches(relation) {
            continue;
        }
        let doc = view.node(node(
            get(r, "doc"),
            get(r, "docLabel"),
            NodeKind::Document,
            None,
            get(r, "docLabel"),
        ));
        let task_label = format!("{} {}", get(r, "taskNumber"), get(r, "taskTitle"));
        let task = view.node(node(
            get(r, "task"),
            &task_label,
            NodeKind::Task,
            None,
            get(r, "text"),
        ));
        // The chain of sections above the task, up to the document.
        let mut child = task;
        let mut current = get(r, "section").to_string();
        let top = top_of(current.clone());
        while let Some(s) = sections.get(&current) {
            let label = format!("{} {}", get(s, "number"), get(s, "title"));
            let mut section = node(
                &current,
                &label,
                NodeKind::Section,
                Some(get(s, "style")),
                get(s, "title"),
            );
            section.cluster = Some(top.clone());
            let si = view.node(section);
            view.edge(si, child, edge(Relation::Contains, Vec::new()));
            child = si;
            current = get(s, "parent").to_string();
            if current.is_empty() {
                break;
            }
        }
        view.edge(doc, child, edge(Relation::Contains, Vec::new()));
        let unit = view.node(node(
            get(r, "unit"),
            get(r, "unitLabel"),
            NodeKind::Unit,
            Some(get(r, "unitType")),
            get(r, "unitLabel"),
        ));
        view.edge(
            task,
            unit,
            edge(relation, vec![get(r, "annotation").to_string()]),
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
fn place_in_sections(view: &mut View, unit_rows: &[Row]) {
    let mut task_section: BTreeMap<&str, &str> = BTreeMap::new();
    let mut unit_sections: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for r in unit_rows {
        let section = get(r, "section");
        if section.is_empty() {
            continue;
        }
        task_section.insert(get(r, "task"), section);
        *unit_sections
            .entry(get(r, "unit"))
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
    build: |store, options| Ok(graph(store, options)?.with_min_weight_option(options.min_weight)),
};
