//! `ego`: the neighbourhood of one node, across all relations.

use std::collections::{BTreeSet, VecDeque};

use super::{Field, Layout, ViewSpec};
use crate::graph::filters::{ViewOptions, graphs_naming};
use crate::graph::traversal::{everything, resolve, subview};
use crate::graph::{NodeKind, View, ViewError};
use crate::store::PolicyStore;

/// `ego`: the nodes within `depth` relations of the focus, across all relations.
///
/// It reads only the documents that can hold such nodes: those naming the focus, then
/// those naming any unit, strategy, region or platform found nearer than `depth` (such a
/// node is shared between documents, a section or task is not), until no document is
/// added — the same nodes as over the whole store, at the cost of those documents.
pub(crate) fn graph(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let focus = options.focus.as_deref().ok_or(ViewError::Missing {
        view: "ego",
        parameter: "focus",
    })?;
    let depth = options.depth.unwrap_or(1);
    let chosen = options.document.is_some() || options.graphs.is_some();
    let mut graphs: BTreeSet<String> = if chosen {
        BTreeSet::new()
    } else {
        graphs_naming(store, options, focus)?
    };
    loop {
        let scoped = ViewOptions {
            graphs: (!chosen).then(|| graphs.iter().cloned().collect()),
            ..options.clone()
        };
        let all = everything(store, &scoped)?;
        let start = resolve(&all, "focus", focus)?;
        let mut seen = BTreeSet::from([start]);
        let mut shared = Vec::new();
        let mut queue = VecDeque::from([(start, 0)]);
        while let Some((n, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            if d > 0 && is_shared(all.graph[n].kind) {
                shared.push(all.graph[n].id.clone());
            }
            for m in all.graph.neighbors_undirected(n) {
                if seen.insert(m) {
                    queue.push_back((m, d + 1));
                }
            }
        }
        let before = graphs.len();
        if !chosen {
            for node in &shared {
                graphs.extend(graphs_naming(store, options, node)?);
            }
        }
        if graphs.len() == before {
            return Ok(subview(&all, "ego", &seen, None));
        }
    }
}

/// Whether nodes of this kind can be named by several documents.
fn is_shared(kind: NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::Unit | NodeKind::Strategy | NodeKind::Region | NodeKind::Platform
    )
}

pub(crate) const SPEC: ViewSpec = ViewSpec {
    name: "ego",
    about: "the nodes within --depth relations of --focus",
    layout: Layout::Small,
    fields: &[Field::Focus, Field::Depth],
    corpus: false,
    build: graph,
};
