//! `ego`: the neighbourhood of one node, across all relations.

use std::collections::{BTreeSet, VecDeque};

use super::{Field, Layout, ViewSpec};
use crate::graph::filters::ViewOptions;
use crate::graph::traversal::{everything, resolve, subview};
use crate::graph::{View, ViewError};
use crate::store::PolicyStore;

/// `ego`: the nodes within `depth` relations of the focus, across all relations.
pub(crate) fn graph(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let focus = options.focus.as_deref().ok_or(ViewError::Missing {
        view: "ego",
        parameter: "focus",
    })?;
    let depth = options.depth.unwrap_or(1);
    let all = everything(store, options)?;
    let start = resolve(&all, "focus", focus)?;
    let mut seen = BTreeSet::from([start]);
    let mut queue = VecDeque::from([(start, 0)]);
    while let Some((n, d)) = queue.pop_front() {
        if d == depth {
            continue;
        }
        for m in all.graph.neighbors_undirected(n) {
            if seen.insert(m) {
                queue.push_back((m, d + 1));
            }
        }
    }
    Ok(subview(&all, "ego", &seen, None))
}

pub(crate) const SPEC: ViewSpec = ViewSpec {
    name: "ego",
    about: "the nodes within --depth relations of --focus",
    layout: Layout::Small,
    fields: &[Field::Focus, Field::Depth],
    corpus: false,
    build: graph,
};
