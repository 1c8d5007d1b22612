//! Network measures of a view, from rustworkx-core and petgraph: degree (lead and
//! responsible edges counted apart), weighted degree, betweenness centrality, connected
//! components and k-core numbers. Betweenness is O(V·E); the rest is linear.

use serde::Serialize;

use super::{NodeKind, Relation, View};

/// The measures of one node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeMeasures {
    pub id: String,
    pub label: String,
    pub kind: NodeKind,
    pub degree: usize,
    pub lead_degree: usize,
    pub responsible_degree: usize,
    pub weighted_degree: f64,
    /// Normalised betweenness centrality on the undirected graph.
    pub betweenness: f64,
    /// Index of the connected component (0 = the largest).
    pub component: usize,
    /// The node's k-core number: the largest k such that it lies in a k-core.
    pub core: usize,
}

/// Measures every node of `view`, in the view's stable node order.
pub fn analyze(view: &View) -> Vec<NodeMeasures> {
    let undirected = view.graph.clone().into_edge_type::<petgraph::Undirected>();
    // In parallel the sums come in another order each run and differ in the last digits:
    // sequential, the same view always gives the same numbers.
    let betweenness =
        rustworkx_core::centrality::betweenness_centrality(&undirected, false, true, usize::MAX);
    let mut components = rustworkx_core::connectivity::connected_components(&undirected);
    // Largest first; ties by the smallest node id they hold, so the order is stable.
    components.sort_by_cached_key(|c| {
        let first = c
            .iter()
            .map(|&n| view.graph[n].id.clone())
            .min()
            .unwrap_or_default();
        (std::cmp::Reverse(c.len()), first)
    });
    let cores = rustworkx_core::connectivity::core_number(&undirected);
    view.sorted_nodes()
        .into_iter()
        .map(|n| {
            let edges: Vec<_> = undirected.edges(n).collect();
            let count = |r: Relation| edges.iter().filter(|e| e.weight().relation == r).count();
            NodeMeasures {
                id: view.graph[n].id.clone(),
                label: view.graph[n].label.clone(),
                kind: view.graph[n].kind,
                degree: edges.len(),
                lead_degree: count(Relation::Lead),
                responsible_degree: count(Relation::Responsible),
                weighted_degree: edges.iter().map(|e| e.weight().weight).sum(),
                betweenness: betweenness.get(n.index()).copied().flatten().unwrap_or(0.0),
                component: components.iter().position(|c| c.contains(&n)).unwrap_or(0),
                core: cores.get(&n).copied().unwrap_or(0),
            }
        })
        .collect()
}
