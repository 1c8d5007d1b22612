//! `path`: the shortest chains of relations between two nodes, hop by hop.

use std::collections::BTreeSet;

use petgraph::graph::NodeIndex;

use super::{Layout, Scope, ViewSpec};
use crate::graph::Field;
use oxigraph::sparql::CancellationToken;

use crate::graph::ViewOptions;
use crate::graph::filters::Reading;
use crate::graph::traversal::{everything, shortest_paths, subview};
use crate::graph::{Relation, View, ViewError};
use policykg_store::Backend;

/// One step of a chain between two nodes, with its evidence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hop {
    pub from: String,
    pub relation: Relation,
    pub to: String,
    pub evidence: Vec<String>,
}

/// `path`: the shortest chains of relations between `--from` and `--to`.
pub(crate) fn graph(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    let all = everything(store, options)?;
    let paths = shortest_paths(&all, options)?;
    let keep: BTreeSet<NodeIndex> = paths.iter().flatten().copied().collect();
    let pairs: BTreeSet<(NodeIndex, NodeIndex)> = paths
        .iter()
        .flat_map(|p| p.windows(2).map(|w| (w[0], w[1])))
        .collect();
    Ok(subview(&all, "path", &keep, Some(&pairs)))
}

/// The shortest chains between `--from` and `--to`, hop by hop with the evidence.
pub fn path_hops(
    store: &dyn Backend,
    options: &ViewOptions,
    cancellation: CancellationToken,
) -> Result<Vec<Vec<Hop>>, ViewError> {
    let options = &Reading::new(options, cancellation);
    let all = everything(store, options)?;
    let paths = shortest_paths(&all, options)?;
    Ok(paths
        .iter()
        .map(|p| {
            p.windows(2)
                .map(|w| {
                    let e = all
                        .graph
                        .edges_connecting(w[0], w[1])
                        .chain(all.graph.edges_connecting(w[1], w[0]))
                        .map(|e| e.weight().clone())
                        .min_by_key(|e| e.relation)
                        .expect("consecutive nodes of a path are adjacent");
                    Hop {
                        from: all.graph[w[0]].label.clone(),
                        relation: e.relation,
                        to: all.graph[w[1]].label.clone(),
                        evidence: e.evidence,
                    }
                })
                .collect()
        })
        .collect())
}

pub(crate) const SPEC: ViewSpec = ViewSpec {
    name: "path",
    about: "the shortest chains of relations between --from and --to",
    layout: Layout::Hierarchy,
    fields: &[Field::From, Field::To],
    corpus: false,
    scope: Scope::Store,
    crowded_above: None,
    build: graph,
};
