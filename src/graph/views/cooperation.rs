//! `cooperation`: who works with whom — units that share tasks.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::NodeIndex;

use super::{Field, Layout, ViewSpec};
use crate::graph::filters::{ViewOptions, edge, get, node, role_relation, unit_rows};
use crate::graph::{NodeKind, Relation, View, ViewError};
use crate::store::PolicyStore;

/// `cooperation`: units as nodes, an undirected edge between two units for the tasks they
/// share, weighted by the count, with the shared task titles as its evidence.
pub(crate) fn graph(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let mut view = View::new("cooperation", false);
    // task → (title, unit → (label, type))
    type Units = BTreeMap<String, (String, String)>;
    let mut tasks: BTreeMap<String, (String, Units)> = BTreeMap::new();
    for r in unit_rows(
        store,
        &ViewOptions {
            unit: None,
            ..options.clone()
        },
    )? {
        if !options.role_matches(role_relation(get(&r, "role"))) {
            continue;
        }
        let entry = tasks
            .entry(get(&r, "task").to_string())
            .or_insert_with(|| (get(&r, "taskTitle").to_string(), BTreeMap::new()));
        entry.1.insert(
            get(&r, "unit").to_string(),
            (
                get(&r, "unitLabel").to_string(),
                get(&r, "unitType").to_string(),
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
    fields: &Field::FILTERS,
    corpus: true,
    build: graph,
};
