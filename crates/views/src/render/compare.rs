//! Two documents compared, as files: CSV (one line per item with its load in each) and a
//! diagram of three tables — dropped items red, shared grey, added green.

use graphviz_rust::dot_structures::{
    Attribute, Edge as DotEdge, EdgeTy, Graph, GraphAttributes, Id, Node as DotNode, NodeId, Stmt,
    Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::dot::{DotOptions, attr, percent_encode, quoted};
use super::matrix::csv_field;
use crate::graph::{Comparison, Presence};

fn presence_name(p: Presence) -> &'static str {
    match p {
        Presence::Both => "both",
        Presence::Added => "added",
        Presence::Dropped => "dropped",
    }
}

/// `kind,label,presence,first tasks,second tasks,change,first lead,second lead,iri`, one
/// line per item, CRLF line ends.
pub fn comparison_csv(comparison: &Comparison) -> String {
    let mut out = String::from(
        "kind,label,presence,first_tasks,second_tasks,change,first_lead,second_lead,iri\r\n",
    );
    for item in &comparison.items {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\r\n",
            item.kind.name(),
            csv_field(&item.label),
            presence_name(item.presence()),
            item.first.tasks,
            item.second.tasks,
            item.change(),
            item.first.lead,
            item.second.lead,
            csv_field(&item.id)
        ));
    }
    out
}

/// Items in a column of a diagram table before another column starts.
const ROWS_PER_COLUMN: usize = 18;

/// The diagram as DOT: three tables left to right — dropped (red), in both (grey, the
/// largest changes first), added (green) — each item with its tasks in the first and the
/// second document. Tables, not a node per item: a hundred shared items drawn as nodes
/// make one unreadable column.
pub fn comparison_dot(comparison: &Comparison, options: &DotOptions) -> String {
    let font = options.font.as_str();
    let (both, added, dropped) = comparison.counts();
    let text = |t: &str| quick_xml::escape::escape(t).into_owned();
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("fontname", font),
            attr(
                "label",
                &format!(
                    "policykg · {} ({} tasks) → {} ({} tasks)\n{dropped} dropped (red) · {both} in both (grey) · {added} added (green) · tasks first → second",
                    comparison.first.label,
                    comparison.first.tasks,
                    comparison.second.label,
                    comparison.second.tasks
                ),
            ),
            attr("labelloc", "t"),
            attr("rankdir", "LR"),
            attr("nodesep", "0.3"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", font),
            attr("fontsize", "11"),
            attr("shape", "plain"),
        ])),
    ];
    let groups = [
        (
            Presence::Dropped,
            "dropped: only in the first",
            "#cc0000",
            "#f4cccc",
        ),
        (Presence::Both, "in both", "#666666", "#eeeeee"),
        (
            Presence::Added,
            "added: only in the second",
            "#38761d",
            "#c6efce",
        ),
    ];
    let mut names = Vec::new();
    for (presence, title, line, fill) in groups {
        let items: Vec<_> = comparison
            .items
            .iter()
            .filter(|i| i.presence() == presence)
            .collect();
        if items.is_empty() {
            continue;
        }
        let columns = items.len().div_ceil(ROWS_PER_COLUMN);
        let rows = items.len().div_ceil(columns);
        let mut html = format!(
            r#"<<table border="1" cellborder="0" cellspacing="1" cellpadding="3" color="{line}"><tr><td colspan="{columns}" bgcolor="{line}"><font color="white"><b>{} ({})</b></font></td></tr>"#,
            title,
            items.len()
        );
        for r in 0..rows {
            html.push_str("<tr>");
            for c in 0..columns {
                match items.get(c * rows + r) {
                    Some(item) => {
                        let change = match item.change() {
                            0 => String::new(),
                            d => format!(" ({d:+})"),
                        };
                        html.push_str(&format!(
                            r#"<td align="left" bgcolor="{fill}" href="{}" tooltip="{}: {}">{} {} → {}{change}</td>"#,
                            text(&format!(
                                "{}/entity?iri={}",
                                options.base_url,
                                percent_encode(&item.id)
                            )),
                            item.kind.name(),
                            text(&item.label),
                            text(&item.label),
                            item.first.tasks,
                            item.second.tasks
                        ));
                    }
                    None => html.push_str("<td></td>"),
                }
            }
            html.push_str("</tr>");
        }
        html.push_str("</table>>");
        let name = format!("{presence:?}").to_lowercase();
        stmts.push(Stmt::Node(DotNode::new(
            NodeId(Id::Plain(name.clone()), None),
            vec![Attribute(Id::Plain("label".into()), Id::Html(html))],
        )));
        names.push(name);
    }
    // Left to right in that order.
    for pair in names.windows(2) {
        stmts.push(Stmt::Edge(DotEdge {
            ty: EdgeTy::Pair(
                Vertex::N(NodeId(Id::Plain(pair[0].clone()), None)),
                Vertex::N(NodeId(Id::Plain(pair[1].clone()), None)),
            ),
            attributes: vec![attr("style", "invis")],
        }));
    }
    let graph = Graph::DiGraph {
        id: quoted("comparison"),
        strict: false,
        stmts,
    };
    let mut out = graph.print(&mut PrinterContext::default());
    out.push('\n');
    out
}
