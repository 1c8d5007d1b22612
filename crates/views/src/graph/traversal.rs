//! Views across all relations at once, for `ego` and `path`: the dependency, strategy and
//! region views merged, nodes found by IRI or label, sub-views, shortest paths.

use std::collections::BTreeSet;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::filters::Reading;
use super::views::{dependency, region, strategy};
use super::{View, ViewError};
use policykg_store::Backend;

/// Everything at once: dependency, strategy and region views merged, for `ego` and `path`.
pub(crate) fn everything(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    let mut all = View::new("all", false);
    for part in [
        dependency::graph(store, options)?,
        strategy::graph(store, options)?,
        region::graph(store, options)?,
    ] {
        for e in part.graph.edge_indices() {
            let (a, b) = part.graph.edge_endpoints(e).expect("edge of this graph");
            let na = all.node(part.graph[a].clone());
            let nb = all.node(part.graph[b].clone());
            all.edge(na, nb, part.graph[e].clone());
        }
    }
    Ok(all)
}

/// Finds a node by IRI, or by label when the label is unique.
pub(crate) fn resolve(
    view: &View,
    parameter: &'static str,
    value: &str,
) -> Result<NodeIndex, ViewError> {
    if let Some(i) = view.find(value) {
        return Ok(i);
    }
    let matches: Vec<NodeIndex> = view
        .sorted_nodes()
        .into_iter()
        .filter(|&i| view.graph[i].label == value)
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => {
            let similar: Vec<&str> = view
                .sorted_nodes()
                .into_iter()
                .map(|i| view.graph[i].label.as_str())
                .filter(|l| l.contains(value) || value.contains(*l))
                .take(5)
                .collect();
            Err(ViewError::NoSuchNode {
                parameter,
                value: value.to_string(),
                hint: if similar.is_empty() {
                    String::new()
                } else {
                    format!(" (similar: {})", similar.join(", "))
                },
            })
        }
        many => Err(ViewError::Ambiguous {
            parameter,
            value: value.to_string(),
            candidates: many
                .iter()
                .map(|&i| view.graph[i].id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// Copies the nodes `keep` and the edges among them into a new view.
pub(crate) fn subview(
    source: &View,
    name: &str,
    keep: &BTreeSet<NodeIndex>,
    edges: Option<&BTreeSet<(NodeIndex, NodeIndex)>>,
) -> View {
    let mut out = View::new(name, false);
    for &n in keep {
        out.node(source.graph[n].clone());
    }
    for e in source.graph.edge_references() {
        let (a, b) = (e.source(), e.target());
        let wanted = match edges {
            Some(set) => set.contains(&(a, b)) || set.contains(&(b, a)),
            None => keep.contains(&a) && keep.contains(&b),
        };
        if wanted {
            let na = out.node(source.graph[a].clone());
            let nb = out.node(source.graph[b].clone());
            out.edge(na, nb, e.weight().clone());
        }
    }
    out
}

pub(crate) fn shortest_paths(
    all: &View,
    options: &Reading,
) -> Result<Vec<Vec<NodeIndex>>, ViewError> {
    let from = options.from.as_deref().ok_or(ViewError::Missing {
        view: "path",
        parameter: "from",
    })?;
    let to = options.to.as_deref().ok_or(ViewError::Missing {
        view: "path",
        parameter: "to",
    })?;
    let a = resolve(all, "from", from)?;
    let b = resolve(all, "to", to)?;
    let undirected = all.graph.clone().into_edge_type::<petgraph::Undirected>();
    let mut paths = rustworkx_core::shortest_path::all_shortest_paths(&undirected, a, b, |_| {
        Ok::<usize, std::convert::Infallible>(1)
    })
    .unwrap_or_default();
    paths.sort_by_cached_key(|p| {
        p.iter()
            .map(|&n| all.graph[n].label.clone())
            .collect::<Vec<_>>()
    });
    Ok(paths)
}
