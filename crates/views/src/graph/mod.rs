//! Graph views of the store: named functions that turn SPARQL results into petgraph graphs
//! (who answers for what, who works with whom, which strategies and partners tasks tie to,
//! the neighbourhood of a node, the chains between two nodes, or any CONSTRUCT query),
//! and the network measures computed on them.

mod analysis;
mod compare;
mod filters;
mod matrix;
mod options;
mod traversal;
mod views;

use std::collections::BTreeMap;

use petgraph::graph::{Graph, NodeIndex};
use serde::Serialize;

pub use analysis::{NodeMeasures, analyze, communities};
pub use compare::{
    ComparedDocument, ComparedItem, Comparison, ItemKind, Load, Presence, compare_documents,
};
pub use matrix::{
    DEFAULT_COLUMN_LIMIT, DEFAULT_ROW_LIMIT, Mark, Matrix, MatrixColumn, MatrixRow, build_matrix,
};
pub use options::{Field, OptionsError, ViewOptions};
pub use views::{
    Hop, Layout, Scope, UnknownView, ViewError, ViewKind, ViewSpec, build_view, construct_from,
    path_hops,
};

/// What a node stands for; renderers pick shapes and colours by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    Document,
    Section,
    Task,
    Unit,
    Strategy,
    Region,
    Platform,
    /// A node of a user's CONSTRUCT query: an IRI.
    Resource,
    /// A node of a user's CONSTRUCT query: a literal value.
    Literal,
}

/// What an edge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// Document or section to the section or task it contains.
    Contains,
    Lead,
    Responsible,
    Supporting,
    Implied,
    /// Two units share tasks (undirected, weighted by the count).
    Cooperation,
    StatedStrategy,
    InferredStrategy,
    StatedRegion,
    InferredRegion,
    StatedPlatform,
    InferredPlatform,
    /// A jurisdiction to a partner region, weighted by the tasks naming it.
    Partner,
    /// A pairing arrangement (对口合作) between two regions.
    Pairing,
    /// An edge of a user's CONSTRUCT query; the predicate is in the label.
    Predicate,
}

impl Relation {
    pub fn label(self) -> &'static str {
        match self {
            Relation::Contains => "contains",
            Relation::Lead => "lead",
            Relation::Responsible => "responsible",
            Relation::Supporting => "supporting",
            Relation::Implied => "implied",
            Relation::Cooperation => "cooperation",
            Relation::StatedStrategy => "stated strategy",
            Relation::InferredStrategy => "inferred strategy",
            Relation::StatedRegion => "stated region",
            Relation::InferredRegion => "inferred region",
            Relation::StatedPlatform => "stated platform",
            Relation::InferredPlatform => "inferred platform",
            Relation::Partner => "partner",
            Relation::Pairing => "pairing",
            Relation::Predicate => "predicate",
        }
    }

    /// Whether the edge comes from a rule rather than from the text.
    pub fn is_inferred(self) -> bool {
        matches!(
            self,
            Relation::InferredStrategy | Relation::InferredRegion | Relation::InferredPlatform
        )
    }
}

/// A node of a view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// The node's IRI (or, for a literal, its value).
    pub id: String,
    pub label: String,
    pub kind: NodeKind,
    /// A finer type: the unit type, platform type, heading style …
    pub subtype: Option<String>,
    /// For a section, the section that groups it in a drawing (its document-level cluster).
    pub cluster: Option<String>,
    /// Text shown on hover: the evidence or a description.
    pub tooltip: String,
}

/// An edge of a view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    pub relation: Relation,
    pub weight: f64,
    /// A label to draw (a predicate, a count).
    pub label: Option<String>,
    /// The evidence: the annotation, the sentence naming a strategy, the tasks shared.
    pub evidence: Vec<String>,
}

/// A named view: a graph with nodes kept in a stable order.
#[derive(Debug, Clone)]
pub struct View {
    pub name: String,
    pub directed: bool,
    pub graph: Graph<Node, Edge>,
    /// The kind of drawing it makes.
    pub layout: Layout,
    /// Drawn from left to right rather than top to bottom.
    pub left_to_right: bool,
    /// Sections drawn in a box per top-level section (see [`Node::cluster`]).
    pub section_clusters: bool,
    /// What the drawing leaves out and how to see it, when it shows part of the data.
    pub note: Option<String>,
    index: BTreeMap<String, NodeIndex>,
}

impl View {
    pub fn new(name: &str, directed: bool) -> Self {
        View {
            name: name.to_string(),
            directed,
            graph: Graph::new(),
            layout: Layout::Small,
            left_to_right: false,
            section_clusters: false,
            note: None,
            index: BTreeMap::new(),
        }
    }

    /// Adds a node, or returns the one with the same id.
    pub fn node(&mut self, node: Node) -> NodeIndex {
        if let Some(&i) = self.index.get(&node.id) {
            return i;
        }
        let id = node.id.clone();
        let i = self.graph.add_node(node);
        self.index.insert(id, i);
        i
    }

    pub fn find(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }

    /// Adds an edge, or adds weight and evidence to the edge of the same relation between
    /// the same nodes.
    pub fn edge(&mut self, a: NodeIndex, b: NodeIndex, edge: Edge) {
        let (a, b) = if !self.directed && self.graph[a].id > self.graph[b].id {
            (b, a)
        } else {
            (a, b)
        };
        let existing = self
            .graph
            .edges_connecting(a, b)
            .find(|e| e.weight().relation == edge.relation)
            .map(|e| petgraph::visit::EdgeRef::id(&e));
        match existing {
            Some(e) => {
                let current = &mut self.graph[e];
                current.weight += edge.weight;
                for item in edge.evidence {
                    if !current.evidence.contains(&item) {
                        current.evidence.push(item);
                    }
                }
            }
            None => {
                self.graph.add_edge(a, b, edge);
            }
        }
    }

    /// Node indices sorted by node id: the order every output uses.
    pub fn sorted_nodes(&self) -> Vec<NodeIndex> {
        self.index.values().copied().collect()
    }

    /// Short stable node ids (`n0`, `n1` … in node order) for DOT and GraphML.
    pub fn short_ids(&self) -> BTreeMap<NodeIndex, String> {
        self.sorted_nodes()
            .into_iter()
            .enumerate()
            .map(|(i, n)| (n, format!("n{i}")))
            .collect()
    }

    /// Edges sorted by (source id, target id, relation): the order every output uses.
    pub fn sorted_edges(&self) -> Vec<petgraph::graph::EdgeIndex> {
        let mut edges: Vec<_> = self.graph.edge_indices().collect();
        edges.sort_by(|&x, &y| {
            let key = |e| {
                let (a, b) = self.graph.edge_endpoints(e).expect("edge of this graph");
                (
                    self.graph[a].id.clone(),
                    self.graph[b].id.clone(),
                    self.graph[e].relation,
                )
            };
            key(x).cmp(&key(y))
        });
        edges
    }

    /// The edge between two labelled nodes, in either direction.
    pub fn edge_between(&self, a: &str, b: &str, relation: Relation) -> Option<&Edge> {
        let by_label = |l: &str| {
            self.graph
                .node_indices()
                .find(|&i| self.graph[i].label == l)
        };
        let (x, y) = (by_label(a)?, by_label(b)?);
        self.graph
            .edges_connecting(x, y)
            .chain(self.graph.edges_connecting(y, x))
            .map(|e| e.weight())
            .find(|e| e.relation == relation)
    }

    /// [`View::with_min_weight`] when a minimum is given.
    pub fn with_min_weight_option(self, weight: Option<f64>) -> Self {
        match weight {
            Some(w) => self.with_min_weight(w),
            None => self,
        }
    }

    /// Keeps only edges of at least `weight`, then drops nodes left without edges.
    pub fn with_min_weight(mut self, weight: f64) -> Self {
        self.graph.retain_edges(|g, e| g[e].weight >= weight);
        self.drop_isolated();
        self
    }

    fn drop_isolated(&mut self) {
        self.graph
            .retain_nodes(|g, n| g.neighbors_undirected(n).next().is_some());
        self.reindex();
    }

    fn reindex(&mut self) {
        self.index = self
            .graph
            .node_indices()
            .map(|i| (self.graph[i].id.clone(), i))
            .collect();
    }
}

/// The serialisable form of a view (nodes and edges with their attributes).
#[derive(Debug, Serialize)]
pub struct ViewJson<'a> {
    pub view: &'a str,
    pub directed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
    pub nodes: Vec<NodeJson<'a>>,
    pub edges: Vec<EdgeJson<'a>>,
}

/// A node with the measures that Gephi users look for beside its attributes.
#[derive(Debug, Serialize)]
pub struct NodeJson<'a> {
    #[serde(flatten)]
    pub node: &'a Node,
    pub weighted_degree: f64,
    pub betweenness: f64,
    pub community: usize,
}

#[derive(Debug, Serialize)]
pub struct EdgeJson<'a> {
    pub source: &'a str,
    pub target: &'a str,
    #[serde(flatten)]
    pub edge: &'a Edge,
}

impl View {
    /// Nodes (with their `measures`, see [`analyze`]) and edges in a stable order, ready
    /// for JSON.
    pub fn to_json<'a>(&'a self, measures: &[NodeMeasures]) -> ViewJson<'a> {
        let measures: BTreeMap<&str, &NodeMeasures> =
            measures.iter().map(|m| (m.id.as_str(), m)).collect();
        ViewJson {
            view: &self.name,
            directed: self.directed,
            note: self.note.as_deref(),
            nodes: self
                .sorted_nodes()
                .into_iter()
                .map(|i| {
                    let node = &self.graph[i];
                    let m = measures.get(node.id.as_str());
                    NodeJson {
                        node,
                        weighted_degree: m.map_or(0.0, |m| m.weighted_degree),
                        betweenness: m.map_or(0.0, |m| (m.betweenness * 1e6).round() / 1e6),
                        community: m.map_or(0, |m| m.community),
                    }
                })
                .collect(),
            edges: self
                .sorted_edges()
                .into_iter()
                .map(|e| {
                    let (a, b) = self.graph.edge_endpoints(e).expect("edge of this graph");
                    EdgeJson {
                        source: &self.graph[a].id,
                        target: &self.graph[b].id,
                        edge: &self.graph[e],
                    }
                })
                .collect(),
        }
    }
}
