//! `strategy`: which strategies, partner regions and platforms the tasks tie to.

use std::collections::BTreeSet;

use super::{Field, Layout, ViewSpec};
use crate::graph::filters::{
    TASK_ENTITIES, ViewOptions, edge, get, local, node, rows, strategy_tasks, unit_rows,
};
use crate::graph::{NodeKind, Relation, View, ViewError};
use crate::store::PolicyStore;

/// `strategy`: strategies → tasks → partner regions and platforms; stated and inferred
/// links are different relations (drawn solid and dashed).
pub(crate) fn graph(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let mut view = View::new("strategy", true);
    let all = rows(store, options, TASK_ENTITIES)?;
    let by_strategy = strategy_tasks(store, options)?;
    let doc_ok: BTreeSet<String> = if options.document.is_some() {
        unit_rows(
            store,
            &ViewOptions {
                strategy: None,
                unit: None,
                ..options.clone()
            },
        )?
        .iter()
        .map(|r| get(r, "task").to_string())
        .collect()
    } else {
        all.iter().map(|r| get(r, "task").to_string()).collect()
    };
    for r in &all {
        let task_id = get(r, "task");
        if !doc_ok.contains(task_id) || by_strategy.as_ref().is_some_and(|s| !s.contains(task_id)) {
            continue;
        }
        let stated = get(r, "kind") == "stated";
        if options.stated_only && !stated {
            continue;
        }
        let (kind, relation) = match (local(get(r, "class")), stated) {
            ("Strategy", true) => (NodeKind::Strategy, Relation::StatedStrategy),
            ("Strategy", false) => (NodeKind::Strategy, Relation::InferredStrategy),
            ("Region" | "RegionGroup", true) => (NodeKind::Region, Relation::StatedRegion),
            ("Region" | "RegionGroup", false) => (NodeKind::Region, Relation::InferredRegion),
            (_, true) => (NodeKind::Platform, Relation::StatedPlatform),
            (_, false) => (NodeKind::Platform, Relation::InferredPlatform),
        };
        let task_label = format!("{} {}", get(r, "taskNumber"), get(r, "taskTitle"));
        let task = view.node(node(
            task_id,
            &task_label,
            NodeKind::Task,
            None,
            get(r, "taskTitle"),
        ));
        let target = view.node(node(
            get(r, "target"),
            get(r, "targetLabel"),
            kind,
            Some(get(r, "type")),
            get(r, "targetLabel"),
        ));
        let evidence = match (get(r, "reason"), get(r, "rule")) {
            ("", "") => get(r, "quote").to_string(),
            ("", rule) => format!("{rule} ({})", get(r, "quote")),
            (reason, _) => format!("{reason} ({})", get(r, "quote")),
        };
        if kind == NodeKind::Strategy {
            view.edge(target, task, edge(relation, vec![evidence]));
        } else {
            view.edge(task, target, edge(relation, vec![evidence]));
        }
    }
    Ok(view)
}

pub(crate) const SPEC: ViewSpec = ViewSpec {
    name: "strategy",
    about: "strategies → tasks → partner regions and platforms",
    layout: Layout::Hierarchy,
    fields: &Field::STRATEGY_FILTERS,
    corpus: true,
    build: |store, options| Ok(graph(store, options)?.with_min_weight_option(options.min_weight)),
};
