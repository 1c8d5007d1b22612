//! `cooperation`: who works with whom — units that share tasks.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::NodeIndex;

use super::trim::{self, heaviest};
use super::{Layout, Scope, ViewSpec};
use crate::graph::Field;
use crate::graph::filters::{Reading, edge, node, role_relation, unit_rows};
use crate::queries::COOPERATION_WEIGHTS;
use crate::graph::{Edge, NodeKind, Relation, View, ViewError};
use policykg_store::Backend;
use policykg_extract::vocab::{pol, rdfs};


/// How many units a corpus-wide drawing shows unless asked for more.
pub const DEFAULT_LIMIT: usize = 150;

/// How many edges a corpus-wide drawing shows at most unless a minimum weight is given.
const EDGE_BUDGET: usize = 600;

/// Above this many tasks, the unfiltered view is drawn from the kept cooperation weights
/// rather than from every task.
const CORPUS_TASKS: u64 = 2_000;

/// `cooperation`: units as nodes, an undirected edge between two units for the tasks they
/// share, weighted by the count, with the shared task titles as its evidence. Unfiltered
/// on a corpus (more tasks than [`CORPUS_TASKS`] or more units than the limit), it is drawn
/// from the weights the store keeps: the most connected units and the heaviest pairs
/// among them, with a note saying what is left out.
pub(crate) fn graph(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    let unfiltered = options.document.is_none()
        && options.section.is_none()
        && options.strategy.is_none()
        && options.unit.is_none()
        && options.role.is_none();
    let limit = options.limit.unwrap_or(DEFAULT_LIMIT);
    if unfiltered {
        let totals = store.totals()?;
        if totals.tasks > CORPUS_TASKS || totals.units as usize > limit {
            return corpus(store, options, limit);
        }
    }
    by_task(store, options)
}

/// The view drawn from the kept weights.
fn corpus(store: &dyn Backend, options: &Reading, limit: usize) -> Result<View, ViewError> {
    let pairs: Vec<(String, String, f64)> = COOPERATION_WEIGHTS
        .select()
        .within(options.cancellation.clone())
        .rows(store)?
        .into_iter()
        .map(|r| (r.a, r.b, r.weight))
        .collect();
    let top = heaviest(
        pairs.iter().map(|(a, b, w)| (a.as_str(), b.as_str(), *w)),
        limit,
    );
    let mut among: Vec<&(String, String, f64)> = pairs
        .iter()
        .filter(|(a, b, _)| top.kept.contains(a.as_str()) && top.kept.contains(b.as_str()))
        .collect();
    among.sort_by(|x, y| y.2.total_cmp(&x.2).then((&x.0, &x.1).cmp(&(&y.0, &y.1))));
    let weights: Vec<f64> = among.iter().map(|p| p.2).collect();
    let min_weight = trim::min_weight(options.min_weight, &weights, EDGE_BUDGET);
    let shown: Vec<&&(String, String, f64)> =
        among.iter().filter(|(_, _, w)| *w >= min_weight).collect();
    let labels = unit_labels(
        store,
        shown.iter().flat_map(|(a, b, _)| [a.as_str(), b.as_str()]),
    )?;
    let mut view = View::new("cooperation", false);
    let label = |u: &str| {
        labels
            .get(u)
            .cloned()
            .unwrap_or_else(|| (u.to_string(), String::new()))
    };
    for (a, b, w) in shown.iter().map(|p| (&p.0, &p.1, p.2)) {
        let (la, ta) = label(a);
        let (lb, tb) = label(b);
        let na = view.node(node(a, &la, NodeKind::Unit, Some(&ta), &la));
        let nb = view.node(node(b, &lb, NodeKind::Unit, Some(&tb), &lb));
        view.edge(
            na,
            nb,
            Edge {
                relation: Relation::Cooperation,
                weight: w,
                label: (w > 1.0).then(|| format!("{w}")),
                evidence: vec![format!("{w} shared tasks")],
            },
        );
    }
    view.note = Some(format!(
        "showing {} of {} units (the most connected) and {} of {} pairs (at least {} shared tasks) — raise limit or min_weight, or filter",
        view.graph.node_count(),
        top.of,
        view.graph.edge_count(),
        pairs.len(),
        min_weight
    ));
    Ok(view)
}

/// The label and type of each unit, by IRI; a unit without a label is left out. The
/// smallest of the copies of each: a unit named by a thousand documents has a thousand.
pub(crate) fn unit_labels<'a>(
    store: &dyn Backend,
    units: impl IntoIterator<Item = &'a str>,
) -> Result<BTreeMap<String, (String, String)>, ViewError> {
    let units: Vec<&str> = units.into_iter().collect::<BTreeSet<_>>().into_iter().collect();
    let labels = store.smallest_values(&units, rdfs::LABEL)?;
    let mut kinds = store.smallest_values(&units, pol::UNIT_TYPE)?;
    Ok(labels
        .into_iter()
        .map(|(unit, label)| {
            let kind = kinds.remove(&unit).unwrap_or_default();
            (unit, (label, kind))
        })
        .collect())
}

/// The view drawn from the tasks that pass the filters.
fn by_task(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    let mut view = View::new("cooperation", false);
    // task → (title, unit → (label, type))
    type Units = BTreeMap<String, (String, String)>;
    let mut tasks: BTreeMap<String, (String, Units)> = BTreeMap::new();
    for r in unit_rows(
        store,
        &options.with(|o| o.unit = None),
    )? {
        if !options.role_matches(role_relation(&r.role)) {
            continue;
        }
        let entry = tasks
            .entry(r.task.clone())
            .or_insert_with(|| (r.task_title.clone(), BTreeMap::new()));
        entry.1.insert(
            r.unit.clone(),
            (
                r.unit_label.clone(),
                r.unit_type.clone(),
            ),
        );
    }
    for (title, units) in tasks.values() {
        let units: Vec<_> = units.iter().collect();
        for (i, (a, (la, ta))) in units.iter().enumerate() {
            let na = view.node(node(a, la, NodeKind::Unit, Some(ta), la));
            for (b, (lb, tb)) in &units[i + 1..] {
                let nb = view.node(node(b, lb, NodeKind::Unit, Some(tb), lb));
                view.edge(na, nb, edge(Relation::Cooperation, vec![title.clone()]));
            }
        }
    }
    for e in view.graph.edge_weights_mut() {
        e.label = (e.weight > 1.0).then(|| format!("{}", e.weight));
    }
    let mut view = match options.min_weight {
        Some(w) => view.with_min_weight(w),
        None => view,
    };
    if let Some(unit) = &options.unit {
        let keep: BTreeSet<NodeIndex> = view
            .graph
            .node_indices()
            .filter(|&n| view.graph[n].label == *unit)
            .flat_map(|n| std::iter::once(n).chain(view.graph.neighbors_undirected(n)))
            .collect();
        view.graph.retain_nodes(|_, n| keep.contains(&n));
        view.reindex();
    }
    Ok(view)
}

pub(crate) const SPEC: ViewSpec = ViewSpec {
    name: "cooperation",
    about: "units as nodes, an edge for the tasks two units share",
    layout: Layout::Network,
    fields: &Field::COOPERATION_FILTERS,
    corpus: true,
    scope: Scope::OneDocument,
    crowded_above: None,
    build: graph,
};
