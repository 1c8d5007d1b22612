//! `region`: each document's jurisdiction, its partner regions and the pairings.

use super::{Field, Layout, ViewSpec};
use crate::graph::filters::{REGIONS, ViewOptions, edge, get, node, rows};
use crate::graph::{NodeKind, Relation, View, ViewError};
use crate::store::PolicyStore;

/// `region`: each document's jurisdiction and its partner regions, edges weighted by the
/// tasks naming them, and the pairing arrangements as their own edges.
pub(crate) fn graph(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let mut view = View::new("region", false);
    for r in rows(store, options, REGIONS)? {
        let home = view.node(node(
            get(&r, "home"),
            get(&r, "homeLabel"),
            NodeKind::Region,
            Some("jurisdiction"),
            get(&r, "homeLabel"),
        ));
        if !get(&r, "region").is_empty() {
            let partner = view.node(node(
                get(&r, "region"),
                get(&r, "regionLabel"),
                NodeKind::Region,
                None,
                get(&r, "regionLabel"),
            ));
            view.edge(
                home,
                partner,
                edge(Relation::Partner, vec![get(&r, "taskTitle").to_string()]),
            );
        }
        if !get(&r, "pairing").is_empty() {
            let a = view.node(node(
                get(&r, "first"),
                get(&r, "firstLabel"),
                NodeKind::Region,
                None,
                get(&r, "firstLabel"),
            ));
            let b = view.node(node(
                get(&r, "second"),
                get(&r, "secondLabel"),
                NodeKind::Region,
                None,
                get(&r, "secondLabel"),
            ));
            view.edge(
                a,
                b,
                edge(Relation::Pairing, vec![get(&r, "quote").to_string()]),
            );
        }
    }
    for e in view.graph.edge_weights_mut() {
        if e.relation == Relation::Partner {
            e.label = Some(format!("{}", e.weight));
        }
    }
    Ok(match options.min_weight {
        Some(w) => view.with_min_weight(w),
        None => view,
    })
}

pub(crate) const SPEC: ViewSpec = ViewSpec {
    name: "region",
    about: "jurisdictions, partner regions and pairing arrangements",
    layout: Layout::Small,
    fields: &Field::FILTERS,
    corpus: true,
    build: graph,
};
