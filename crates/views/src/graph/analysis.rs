//! Network measures of a view, from rustworkx-core and petgraph: degree (lead and
//! responsible edges counted apart), weighted degree, betweenness centrality, connected
//! components and k-core numbers; communities from leiden-rs. Betweenness is O(V·E);
//! Leiden is near linear; the rest is linear.

use std::collections::HashMap;

use leiden_rs::{GraphDataBuilder, Leiden, LeidenConfig};
use petgraph::graph::NodeIndex;
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
    /// Its community (Leiden, modularity, on the undirected graph weighted by the edges'
    /// weights), numbered by size: 0 is the largest.
    pub community: usize,
}

/// The seed of Leiden's random choices: the same view always gets the same communities.
const LEIDEN_SEED: u64 = 20_210_101;

/// Communities of the view's nodes by the Leiden algorithm, which keeps every community
/// connected. Numbered by size, largest first, ties by the smallest node id they hold.
pub fn communities(view: &View) -> HashMap<NodeIndex, usize> {
    let n = view.graph.node_count();
    let mut builder = GraphDataBuilder::new(n);
    for e in view.graph.edge_indices() {
        let Some((a, b)) = view.graph.edge_endpoints(e) else {
            continue;
        };
        let weight = view.graph[e].weight;
        if a != b && weight.is_finite() && weight > 0.0 {
            // In range and finite by construction; an edge it refused would only be left out.
            let _ = builder.add_edge(a.index(), b.index(), weight);
        }
    }
    let config = LeidenConfig::builder().seed(LEIDEN_SEED).build();
    let membership: Vec<usize> = match builder
        .build()
        .and_then(|graph| Leiden::new(config).run(&graph))
    {
        Ok(output) => output.partition.as_slice().to_vec(),
        // A graph it cannot take (none here) gets one community per component instead.
        Err(e) => {
            tracing::warn!("community detection failed: {e}");
            vec![0; n]
        }
    };
    let mut members: HashMap<usize, Vec<NodeIndex>> = HashMap::new();
    for i in view.graph.node_indices() {
        members
            .entry(membership.get(i.index()).copied().unwrap_or(0))
            .or_default()
            .push(i);
    }
    let mut groups: Vec<Vec<NodeIndex>> = members.into_values().collect();
    groups.sort_by_cached_key(|g| {
        let first = g
            .iter()
            .map(|&i| view.graph[i].id.clone())
            .min()
            .unwrap_or_default();
        (std::cmp::Reverse(g.len()), first)
    });
    groups
        .into_iter()
        .enumerate()
        .flat_map(|(c, g)| g.into_iter().map(move |i| (i, c)))
        .collect()
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
    let communities = communities(view);
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
                community: communities.get(&n).copied().unwrap_or(0),
            }
        })
        .collect()
}
