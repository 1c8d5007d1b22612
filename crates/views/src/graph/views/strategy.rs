//! `strategy`: which strategies, partner regions and platforms the tasks tie to.

use std::collections::{BTreeMap, BTreeSet};

use super::trim;
use super::{Layout, Scope, ViewSpec};
use crate::graph::Field;
use crate::graph::filters::{
    Reading, edge, local, node, rows, strategy_tasks, unit_rows,
};
use crate::queries::{STRATEGY_TARGETS, TASK_ENTITIES};
use crate::graph::{Edge, NodeKind, Relation, View, ViewError};
use policykg_store::Backend;


/// Above this many tasks the unfiltered view folds its tasks away: a hierarchy of thousands
/// of tasks is neither drawn in time nor read.
const CORPUS_TASKS: u64 = 300;

/// How many regions and platforms a folded drawing shows unless asked for more.
const DEFAULT_LIMIT: usize = 120;

/// How many edges a folded drawing shows at most unless a minimum weight is given.
const EDGE_BUDGET: usize = 400;

/// `strategy`: strategies → tasks → partner regions and platforms; stated and inferred
/// links are different relations (drawn solid and dashed). Unfiltered on a corpus (more
/// than [`CORPUS_TASKS`] tasks), the tasks are folded away: each strategy links straight
/// to the regions and platforms its tasks name, weighted by those tasks.
pub(crate) fn graph(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    let unfiltered = options.document.is_none()
        && options.section.is_none()
        && options.strategy.is_none()
        && options.unit.is_none()
        && options.role.is_none()
        && options.graphs.is_none();
    if unfiltered && store.totals()?.tasks > CORPUS_TASKS {
        return folded(store, options);
    }
    by_task(store, options)
}

/// The view with its tasks folded away, from one aggregate query.
fn folded(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    store.require_current_statistics()?;
    // (strategy, target, stated) → tasks; labels and kinds apart.
    let mut weights: BTreeMap<(String, String, bool), f64> = BTreeMap::new();
    let mut labels: BTreeMap<String, (String, NodeKind)> = BTreeMap::new();
    let targets = STRATEGY_TARGETS
        .select()
        .within(options.cancellation.clone())
        .rows(store)?;
    for r in targets {
        let (stated, tasks) = (r.stated, r.tasks);
        if options.stated_only && !stated {
            continue;
        }
        let (strategy, target) = (&r.strategy, &r.target);
        let kind = match local(&r.class) {
            "Platform" => NodeKind::Platform,
            _ => NodeKind::Region,
        };
        // A node with several labels comes once per label: keep the smallest.
        for (iri, label, kind) in [
            (strategy, r.strategy_label.as_str(), NodeKind::Strategy),
            (target, r.target_label.as_str(), kind),
        ] {
            let label = if label.is_empty() { iri } else { label };
            let entry = labels
                .entry(iri.clone())
                .or_insert_with(|| (label.to_string(), kind));
            if label < entry.0.as_str() {
                entry.0 = label.to_string();
            }
        }
        weights.insert((strategy.clone(), target.clone(), stated), tasks);
    }
    let mut named: BTreeMap<&str, f64> = BTreeMap::new();
    for ((_, target, _), w) in &weights {
        *named.entry(target).or_default() += w;
    }
    let mut ranked: Vec<(&str, f64)> = named.iter().map(|(t, w)| (*t, *w)).collect();
    ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(y.0)));
    let limit = options.limit.unwrap_or(DEFAULT_LIMIT);
    let kept: BTreeSet<&str> = ranked.iter().take(limit).map(|(t, _)| *t).collect();
    let mut edges: Vec<(&(String, String, bool), f64)> = weights
        .iter()
        .filter(|((_, target, _), _)| kept.contains(target.as_str()))
        .map(|(key, w)| (key, *w))
        .collect();
    edges.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(y.0)));
    let all: Vec<f64> = edges.iter().map(|(_, w)| *w).collect();
    let min_weight = trim::min_weight(options.min_weight, &all, EDGE_BUDGET);
    edges.retain(|(_, w)| *w >= min_weight);
    edges.sort_by(|x, y| x.0.cmp(y.0));
    let mut view = View::new("strategy", true);
    for ((strategy, target, stated), w) in &edges {
        let (strategy_label, _) = &labels[strategy];
        let (target_label, kind) = &labels[target];
        let s = view.node(node(
            strategy,
            strategy_label,
            NodeKind::Strategy,
            None,
            strategy_label,
        ));
        let t = view.node(node(target, target_label, *kind, None, target_label));
        let relation = match (kind, stated) {
            (NodeKind::Platform, true) => Relation::StatedPlatform,
            (NodeKind::Platform, false) => Relation::InferredPlatform,
            (_, true) => Relation::StatedRegion,
            (_, false) => Relation::InferredRegion,
        };
        view.edge(
            s,
            t,
            Edge {
                relation,
                weight: *w,
                label: (*w > 1.0).then(|| format!("{w}")),
                evidence: vec![format!("{w} tasks link both")],
            },
        );
    }
    let shown = edges
        .iter()
        .map(|((_, target, _), _)| target.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    view.note = Some(format!(
        "tasks folded away: each strategy links to the regions and platforms its tasks name, weighted by those tasks; showing {shown} of {} regions and platforms (the most named) and {} of {} links (at least {min_weight} tasks) — filter by document, section, strategy or unit to see the tasks, or raise limit or min_weight",
        named.len(),
        edges.len(),
        weights.len(),
    ));
    Ok(view)
}

/// The view drawn task by task.
fn by_task(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    let mut view = View::new("strategy", true);
    let all = rows(store, options, &TASK_ENTITIES)?;
    let by_strategy = strategy_tasks(store, options)?;
    let doc_ok: BTreeSet<String> = if options.document.is_some() {
        unit_rows(
            store,
            &options.with(|o| {
                o.strategy = None;
                o.unit = None;
            }),
        )?
        .iter()
        .map(|r| r.task.clone())
        .collect()
    } else {
        all.iter().map(|r| r.task.clone()).collect()
    };
    for r in &all {
        let task_id = &r.task;
        if !doc_ok.contains(task_id) || by_strategy.as_ref().is_some_and(|s| !s.contains(task_id)) {
            continue;
        }
        let stated = &r.kind == "stated";
        if options.stated_only && !stated {
            continue;
        }
        let (kind, relation) = match (local(&r.class), stated) {
            ("Strategy", true) => (NodeKind::Strategy, Relation::StatedStrategy),
            ("Strategy", false) => (NodeKind::Strategy, Relation::InferredStrategy),
            ("Region" | "RegionGroup", true) => (NodeKind::Region, Relation::StatedRegion),
            ("Region" | "RegionGroup", false) => (NodeKind::Region, Relation::InferredRegion),
            (_, true) => (NodeKind::Platform, Relation::StatedPlatform),
            (_, false) => (NodeKind::Platform, Relation::InferredPlatform),
        };
        let task_label = format!("{} {}", &r.task_number, &r.task_title);
        let task = view.node(node(
            task_id,
            &task_label,
            NodeKind::Task,
            None,
            &r.task_title,
        ));
        let target = view.node(node(
            &r.target,
            &r.target_label,
            kind,
            Some(&r.platform_type),
            &r.target_label,
        ));
        let evidence = match (r.reason.as_str(), r.rule.as_str()) {
            ("", "") => r.quote.clone(),
            ("", rule) => format!("{rule} ({})", &r.quote),
            (reason, _) => format!("{reason} ({})", &r.quote),
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
    fields: &Field::STRATEGY_FIELDS,
    corpus: true,
    scope: Scope::OneDocument,
    crowded_above: None,
    build: |store, options| Ok(graph(store, options)?.with_min_weight_option(options.min_weight)),
};
