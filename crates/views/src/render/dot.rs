//! DOT output. The graph is built as graphviz-rust structures and printed by its printer;
//! every string goes through [`escape`]. The same view always prints the same bytes.

use std::collections::BTreeMap;

use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node as DotNode, NodeId, Stmt,
    Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use crate::graph::{Layout, NodeKind, NodeMeasures, Relation, View};

/// Options of the DOT output.
#[derive(Debug, Clone)]
pub struct DotOptions {
    /// Base of the node links: a node's URL is `{base_url}/entity?iri={iri}`.
    pub base_url: String,
    /// The font for labels; it must cover Chinese.
    pub font: String,
}

impl Default for DotOptions {
    fn default() -> Self {
        DotOptions {
            base_url: "http://127.0.0.1:7878".to_string(),
            font: "Noto Sans CJK SC".to_string(),
        }
    }
}

/// A DOT string literal: quotes and backslashes escaped, line breaks as `\n`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) fn quoted(text: &str) -> Id {
    Id::Escaped(escape(text))
}

pub(super) fn attr(name: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(name.to_string()), quoted(value))
}

/// The style table: shape and fill colour of each kind of node.
fn node_style(kind: NodeKind, subtype: Option<&str>) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Document => ("note", "#fdf6e3"),
        NodeKind::Section => ("folder", "#eeeeee"),
        NodeKind::Task => ("box", "#ffffff"),
        NodeKind::Unit => (
            "ellipse",
            match subtype {
                Some("party-organ") => "#f4cccc",
                Some("government") => "#d9ead3",
                Some("central-branch") => "#cfe2f3",
                Some("state-owned-enterprise") => "#fce5cd",
                Some("zone-committee") => "#d9d2e9",
                Some("public-institution" | "mass-organisation") => "#fff2cc",
                Some("unknown") => "#ffffff",
                _ => "#c9daf8",
            },
        ),
        NodeKind::Strategy => ("hexagon", "#ffd966"),
        NodeKind::Region => ("octagon", "#b6d7a8"),
        NodeKind::Platform => ("component", "#a2c4c9"),
        NodeKind::Resource => ("ellipse", "#ffffff"),
        NodeKind::Literal => ("plaintext", "#ffffff"),
    }
}

/// The style table: line style, colour and pen width of each relation.
fn edge_style(relation: Relation) -> (&'static str, &'static str, f64) {
    match relation {
        Relation::Contains => ("solid", "#999999", 1.0),
        Relation::Lead => ("bold", "#cc0000", 2.5),
        Relation::Responsible => ("solid", "#1155cc99", 0.9),
        Relation::Supporting => ("dashed", "#1155cc", 1.0),
        Relation::Implied => ("dotted", "#666666", 1.0),
        Relation::Cooperation => ("solid", "#555555", 1.0),
        Relation::StatedStrategy | Relation::StatedRegion | Relation::StatedPlatform => {
            ("solid", "#7f6000", 1.5)
        }
        Relation::InferredStrategy | Relation::InferredRegion | Relation::InferredPlatform => {
            ("dashed", "#bf9000", 1.0)
        }
        Relation::Partner => ("solid", "#38761d", 1.0),
        Relation::Pairing => ("bold", "#cc0000", 3.0),
        Relation::Predicate => ("solid", "#444444", 1.0),
    }
}

/// Fill colours of communities 0, 1, … (ColorBrewer's Set3); later ones are grey.
const COMMUNITY_COLOURS: [&str; 12] = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#bc80bd", "#ccebc5", "#ffed6f", "#d9d9d9",
];

/// The fill colour of a community.
pub fn community_colour(community: usize) -> &'static str {
    COMMUNITY_COLOURS
        .get(community)
        .copied()
        .unwrap_or("#eeeeee")
}

/// Edges of a weighted network lighter than this are drawn faint: most pairs share one
/// task, and drawn in full they hide the pairs that matter.
pub const FAINT_BELOW: f64 = 2.0;

/// How a weighted network draws an edge of `weight` when the heaviest is `max`: its pen
/// width and its colour, darker and more opaque as it gets heavier.
fn network_edge(weight: f64, max: f64) -> (f64, String) {
    let share = if max > 0.0 {
        (weight / max).clamp(0.0, 1.0)
    } else {
        0.0
    };
    if weight < FAINT_BELOW {
        return (0.5, "#33333322".to_string());
    }
    let alpha = (0.35 + 0.65 * share) * 255.0;
    (
        0.8 + 6.0 * share,
        format!("#1f2d3d{:02x}", alpha.round() as u8),
    )
}

/// A graph label as an HTML-like table: the title, the note, what widths and colours mean,
/// and each community's colour with its largest members. Graphviz sets it apart from the
/// layout, so the legend never lands among the nodes.
fn network_legend(view: &View, measures: &BTreeMap<&str, &NodeMeasures>) -> String {
    let text = |t: &str| quick_xml::escape::escape(t).into_owned();
    let mut members: BTreeMap<usize, Vec<(&str, f64)>> = BTreeMap::new();
    for n in view.graph.node_weights() {
        if let Some(m) = measures.get(n.id.as_str()) {
            members
                .entry(m.community)
                .or_default()
                .push((n.label.as_str(), m.weighted_degree));
        }
    }
    let mut rows = format!(
        r#"<tr><td align="left" colspan="2"><b>policykg · {}</b></td></tr>"#,
        text(&view.name)
    );
    if let Some(note) = &view.note {
        rows.push_str(&format!(
            r#"<tr><td align="left" colspan="2">{}</td></tr>"#,
            text(note)
        ));
    }
    rows.push_str(&format!(
        r#"<tr><td align="left" colspan="2">size: shared tasks of a unit · line width and darkness: tasks two units share · faint: fewer than {FAINT_BELOW} · colour: community (Leiden)</td></tr>"#
    ));
    for (community, mut list) in members.into_iter().take(COMMUNITY_COLOURS.len()) {
        list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        let names: Vec<String> = list.iter().take(4).map(|(l, _)| text(l)).collect();
        rows.push_str(&format!(
            r#"<tr><td bgcolor="{}" fixedsize="true" width="18" height="12"></td><td align="left">community {} ({} units): {}{}</td></tr>"#,
            community_colour(community),
            community + 1,
            list.len(),
            names.join("、"),
            if list.len() > 4 { " …" } else { "" }
        ));
    }
    format!(r#"<<table border="0" cellspacing="2">{rows}</table>>"#)
}

fn kind_label(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Document => "文件 document",
        NodeKind::Section => "章节 section",
        NodeKind::Task => "任务 task",
        NodeKind::Unit => "单位 unit",
        NodeKind::Strategy => "战略 strategy",
        NodeKind::Region => "地区 region",
        NodeKind::Platform => "平台 platform",
        NodeKind::Resource => "resource",
        NodeKind::Literal => "literal",
    }
}

/// Percent-encodes all but unreserved ASCII, for a query-string value.
pub(super) fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn trimmed(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        text.chars().take(max).chain(['…']).collect()
    }
}

/// Prints a view as DOT. Nodes are sized by their betweenness in `measures`; edges weighted
/// by count are drawn thicker.
pub fn to_dot(view: &View, measures: &[NodeMeasures], options: &DotOptions) -> String {
    let measures: BTreeMap<&str, &NodeMeasures> =
        measures.iter().map(|m| (m.id.as_str(), m)).collect();
    let font = options.font.as_str();
    // A weighted network: sizes, colours and widths say the weights; the legend is the
    // graph's label.
    let network = view.layout == Layout::Network;
    let title = if network {
        Attribute(
            Id::Plain("label".into()),
            Id::Html(network_legend(view, &measures)),
        )
    } else {
        attr(
            "label",
            &match &view.note {
                Some(note) => format!("policykg · {}\n{note}", view.name),
                None => format!("policykg · {}", view.name),
            },
        )
    };
    let max_degree = measures
        .values()
        .map(|m| m.weighted_degree)
        .fold(0.0_f64, f64::max);
    let max_weight = view
        .graph
        .edge_weights()
        .map(|e| e.weight)
        .fold(0.0_f64, f64::max);
    let mut stmts: Vec<Stmt> = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("fontname", font),
            title,
            attr("labelloc", if network { "b" } else { "t" }),
            attr("labeljust", "l"),
            attr("rankdir", if view.left_to_right { "LR" } else { "TB" }),
            attr("overlap", "false"),
            attr("splines", "true"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", font),
            attr("style", "filled"),
            attr("fontsize", "11"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", font),
            attr("fontsize", "9"),
        ])),
    ];

    let ids = view.short_ids();
    let node_stmt = |n: petgraph::graph::NodeIndex| -> Stmt {
        let node = &view.graph[n];
        let (shape, fill) = node_style(node.kind, node.subtype.as_deref());
        let m = measures.get(node.id.as_str());
        let mut attrs = vec![
            attr("label", &trimmed(&node.label, 40)),
            attr("shape", shape),
            attr("tooltip", &trimmed(&node.tooltip, 300)),
        ];
        if network {
            // Size by weighted degree, through the font, so that labels stay legible.
            let share = m.map_or(0.0, |m| {
                if max_degree > 0.0 {
                    (m.weighted_degree / max_degree).sqrt()
                } else {
                    0.0
                }
            });
            attrs.push(attr(
                "fillcolor",
                community_colour(m.map_or(usize::MAX, |m| m.community)),
            ));
            attrs.push(attr("fontsize", &format!("{:.1}", 10.0 + 12.0 * share)));
            attrs.push(attr("width", &format!("{:.2}", 0.3 + 1.2 * share)));
        } else {
            let size = 0.3 + 2.0 * m.map_or(0.0, |m| m.betweenness);
            attrs.push(attr("fillcolor", fill));
            attrs.push(attr("width", &format!("{size:.2}")));
        }
        if matches!(node.kind, NodeKind::Literal) {
            attrs.push(attr("style", "solid"));
        } else {
            attrs.push(attr(
                "URL",
                &format!(
                    "{}/entity?iri={}",
                    options.base_url,
                    percent_encode(&node.id)
                ),
            ));
        }
        Stmt::Node(DotNode::new(
            NodeId(Id::Plain(ids[&n].clone()), None),
            attrs,
        ))
    };

    // Sections are grouped by their top-level section; everything else stands alone.
    let mut clusters: BTreeMap<String, Vec<Stmt>> = BTreeMap::new();
    let mut loose = Vec::new();
    for n in view.sorted_nodes() {
        match &view.graph[n].cluster {
            Some(c) if view.section_clusters => {
                clusters.entry(c.clone()).or_default().push(node_stmt(n));
            }
            _ => loose.push(node_stmt(n)),
        }
    }
    for (i, (cluster, mut members)) in clusters.into_iter().enumerate() {
        let title = view
            .find(&cluster)
            .map(|c| view.graph[c].label.clone())
            .unwrap_or_default();
        members.insert(0, Stmt::Attribute(attr("label", &title)));
        members.insert(1, Stmt::Attribute(attr("style", "rounded,dashed")));
        stmts.push(Stmt::Subgraph(Subgraph {
            id: Id::Plain(format!("cluster_{i}")),
            stmts: members,
        }));
    }
    stmts.extend(loose);

    for e in view.sorted_edges() {
        let (a, b) = view.graph.edge_endpoints(e).expect("edge of this graph");
        let edge = &view.graph[e];
        let (style, color, width) = edge_style(edge.relation);
        let (penwidth, color) = if network {
            network_edge(edge.weight, max_weight)
        } else {
            (width * (1.0 + edge.weight.ln_1p()), color.to_string())
        };
        let tooltip = if edge.evidence.is_empty() {
            edge.relation.label().to_string()
        } else {
            format!("{}: {}", edge.relation.label(), edge.evidence.join("；"))
        };
        let mut attrs = vec![
            attr("style", style),
            attr("color", &color),
            attr("penwidth", &format!("{penwidth:.2}")),
            attr("tooltip", &trimmed(&tooltip, 500)),
        ];
        if network {
            // Lighter pairs pull less in the layout, so that communities gather.
            attrs.push(attr("weight", &format!("{:.0}", edge.weight.max(1.0))));
        } else if let Some(label) = &edge.label {
            attrs.push(attr("label", label));
        }
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(
                Vertex::N(NodeId(Id::Plain(ids[&a].clone()), None)),
                Vertex::N(NodeId(Id::Plain(ids[&b].clone()), None)),
            ),
            attributes: attrs,
        }));
    }

    // The legend: one sample node per kind and one sample edge per relation in the view; a
    // weighted network has its own, as the graph's label.
    if !network {
        stmts.push(legend_cluster(view));
    }

    let graph = if view.directed {
        Graph::DiGraph {
            id: quoted(&view.name),
            strict: false,
            stmts,
        }
    } else {
        Graph::Graph {
            id: quoted(&view.name),
            strict: false,
            stmts,
        }
    };
    let mut out = graph.print(&mut PrinterContext::default());
    out.push('\n');
    out
}

/// The legend of a drawing as a cluster: one sample node per kind and one sample edge per
/// relation in the view.
fn legend_cluster(view: &View) -> Stmt {
    let mut kinds: Vec<(NodeKind, Option<String>)> =
        view.graph.node_weights().map(|n| (n.kind, None)).collect();
    kinds.sort();
    kinds.dedup();
    let mut relations: Vec<Relation> = view.graph.edge_weights().map(|e| e.relation).collect();
    relations.sort();
    relations.dedup();
    let mut legend = vec![
        Stmt::Attribute(attr("label", "图例 legend")),
        Stmt::Attribute(attr("style", "rounded")),
    ];
    for (i, (kind, subtype)) in kinds.iter().enumerate() {
        let (shape, fill) = node_style(*kind, subtype.as_deref());
        legend.push(Stmt::Node(DotNode::new(
            NodeId(Id::Plain(format!("legend_k{i}")), None),
            vec![
                attr("label", kind_label(*kind)),
                attr("shape", shape),
                attr("fillcolor", fill),
            ],
        )));
    }
    for (i, relation) in relations.iter().enumerate() {
        let (style, color, width) = edge_style(*relation);
        for side in ["a", "b"] {
            legend.push(Stmt::Node(DotNode::new(
                NodeId(Id::Plain(format!("legend_r{i}{side}")), None),
                vec![
                    attr("label", ""),
                    attr("shape", "point"),
                    attr("width", "0.05"),
                ],
            )));
        }
        legend.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(
                Vertex::N(NodeId(Id::Plain(format!("legend_r{i}a")), None)),
                Vertex::N(NodeId(Id::Plain(format!("legend_r{i}b")), None)),
            ),
            attributes: vec![
                attr("label", relation.label()),
                attr("style", style),
                attr("color", color),
                attr("penwidth", &format!("{width:.2}")),
            ],
        }));
    }
    Stmt::Subgraph(Subgraph {
        id: Id::Plain("cluster_legend".to_string()),
        stmts: legend,
    })
}
