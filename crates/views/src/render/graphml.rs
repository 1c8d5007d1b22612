//! GraphML output with typed attributes (string, double, int), written with quick-xml so
//! that every value is escaped. Gephi, yEd and NetworkX read it.

use std::collections::BTreeMap;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::graph::{NodeMeasures, View};

/// (key id, for, attr.name, attr.type)
const KEYS: [(&str, &str, &str, &str); 14] = [
    ("n_label", "node", "label", "string"),
    ("n_kind", "node", "kind", "string"),
    ("n_subtype", "node", "subtype", "string"),
    ("n_tooltip", "node", "tooltip", "string"),
    ("n_degree", "node", "degree", "int"),
    ("n_weighted_degree", "node", "weighted_degree", "double"),
    ("n_betweenness", "node", "betweenness", "double"),
    ("n_component", "node", "component", "int"),
    ("n_core", "node", "core", "int"),
    ("n_community", "node", "community", "int"),
    ("e_relation", "edge", "relation", "string"),
    ("e_weight", "edge", "weight", "double"),
    ("e_label", "edge", "label", "string"),
    ("e_evidence", "edge", "evidence", "string"),
];

fn data(w: &mut Writer<Vec<u8>>, key: &str, value: &str) -> std::io::Result<()> {
    let mut start = BytesStart::new("data");
    start.push_attribute(("key", key));
    w.write_event(Event::Start(start))?;
    w.write_event(Event::Text(BytesText::new(value)))?;
    w.write_event(Event::End(BytesEnd::new("data")))?;
    Ok(())
}

/// Writes a view as GraphML, with the node `measures` as attributes.
pub fn to_graphml(view: &View, measures: &[NodeMeasures]) -> Vec<u8> {
    let measures: BTreeMap<&str, &NodeMeasures> =
        measures.iter().map(|m| (m.id.as_str(), m)).collect();
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let result: std::io::Result<()> = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let mut root = BytesStart::new("graphml");
        root.push_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"));
        w.write_event(Event::Start(root))?;
        for (id, target, name, ty) in KEYS {
            let mut key = BytesStart::new("key");
            key.push_attribute(("id", id));
            key.push_attribute(("for", target));
            key.push_attribute(("attr.name", name));
            key.push_attribute(("attr.type", ty));
            w.write_event(Event::Empty(key))?;
        }
        let mut graph = BytesStart::new("graph");
        graph.push_attribute(("id", view.name.as_str()));
        graph.push_attribute((
            "edgedefault",
            if view.directed {
                "directed"
            } else {
                "undirected"
            },
        ));
        w.write_event(Event::Start(graph))?;
        let ids = view.short_ids();
        for n in view.sorted_nodes() {
            let node = &view.graph[n];
            let mut start = BytesStart::new("node");
            start.push_attribute(("id", ids[&n].as_str()));
            w.write_event(Event::Start(start))?;
            data(&mut w, "n_label", &node.label)?;
            data(&mut w, "n_kind", &format!("{:?}", node.kind).to_lowercase())?;
            data(&mut w, "n_subtype", node.subtype.as_deref().unwrap_or(""))?;
            data(&mut w, "n_tooltip", &node.tooltip)?;
            if let Some(m) = measures.get(node.id.as_str()) {
                data(&mut w, "n_degree", &m.degree.to_string())?;
                data(&mut w, "n_weighted_degree", &m.weighted_degree.to_string())?;
                data(&mut w, "n_betweenness", &format!("{:.6}", m.betweenness))?;
                data(&mut w, "n_component", &m.component.to_string())?;
                data(&mut w, "n_core", &m.core.to_string())?;
                data(&mut w, "n_community", &m.community.to_string())?;
            }
            w.write_event(Event::End(BytesEnd::new("node")))?;
        }
        for (i, e) in view.sorted_edges().into_iter().enumerate() {
            let (a, b) = view.graph.edge_endpoints(e).expect("edge of this graph");
            let edge = &view.graph[e];
            let mut start = BytesStart::new("edge");
            let id = format!("e{i}");
            start.push_attribute(("id", id.as_str()));
            start.push_attribute(("source", ids[&a].as_str()));
            start.push_attribute(("target", ids[&b].as_str()));
            w.write_event(Event::Start(start))?;
            data(&mut w, "e_relation", edge.relation.label())?;
            data(&mut w, "e_weight", &edge.weight.to_string())?;
            data(&mut w, "e_label", edge.label.as_deref().unwrap_or(""))?;
            data(&mut w, "e_evidence", &edge.evidence.join("\n"))?;
            w.write_event(Event::End(BytesEnd::new("edge")))?;
        }
        w.write_event(Event::End(BytesEnd::new("graph")))?;
        w.write_event(Event::End(BytesEnd::new("graphml")))?;
        Ok(())
    })();
    // Writing to a Vec cannot fail.
    debug_assert!(result.is_ok());
    let mut out = w.into_inner();
    out.push(b'\n');
    out
}
