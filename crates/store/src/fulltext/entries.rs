//! What the index holds, read from RDF quads: one [`SearchEntry`] per typed node per graph,
//! so the index sees exactly what the store holds and a graph's entries can be replaced or
//! removed with the graph.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use oxigraph::model::{GraphName, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use serde::{Deserialize, Serialize};

use policykg_extract::vocab::{pol, rdf, rdfs};

/// SKOS labels, as the gazetteers write them.
pub(crate) mod skos {
    use oxigraph::model::NamedNodeRef;
    pub const PREF_LABEL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#prefLabel");
    pub const ALT_LABEL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#altLabel");
}

/// The classes whose nodes are searched, in the order a node typed with several is given
/// the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SearchClass {
    Document,
    Task,
    Unit,
    Strategy,
    Region,
    Platform,
}

impl SearchClass {
    pub const ALL: [SearchClass; 6] = [
        SearchClass::Document,
        SearchClass::Task,
        SearchClass::Unit,
        SearchClass::Strategy,
        SearchClass::Region,
        SearchClass::Platform,
    ];

    /// The class IRI (`pol:Unit` …).
    pub fn iri(self) -> NamedNodeRef<'static> {
        match self {
            SearchClass::Document => pol::DOCUMENT,
            SearchClass::Task => pol::TASK,
            SearchClass::Unit => pol::UNIT,
            SearchClass::Strategy => pol::STRATEGY,
            SearchClass::Region => pol::REGION,
            SearchClass::Platform => pol::PLATFORM,
        }
    }

    /// The class of a class IRI, if it is one of those searched.
    pub fn from_iri(iri: &str) -> Option<SearchClass> {
        SearchClass::ALL
            .into_iter()
            .find(|c| c.iri().as_str() == iri)
    }

    /// The class's local name (`Unit` …).
    pub fn name(self) -> &'static str {
        let iri = self.iri().as_str();
        iri.strip_prefix(policykg_extract::vocab::POL)
            .unwrap_or(iri)
    }
}

/// Which property a label came from; the order is the order of preference when one label
/// is shown for a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LabelKind {
    /// `rdfs:label`.
    Label,
    /// `skos:prefLabel`.
    PrefLabel,
    /// `skos:altLabel`.
    AltLabel,
}

/// One label of a node.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Label {
    pub kind: LabelKind,
    pub value: String,
}

/// A node as one graph describes it: its labels and, for a task, its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchEntry {
    /// The named graph the entry was read from; empty for the default graph.
    pub graph: String,
    /// The node's IRI.
    pub node: String,
    pub class: SearchClass,
    /// Sorted by kind, then value; no duplicates.
    pub labels: Vec<Label>,
    /// A task's `pol:text` (several values joined by a line break, in sorted order).
    pub text: Option<String>,
}

impl SearchEntry {
    /// The label shown for the node when none matched: the first by kind.
    pub fn primary_label(&self) -> &str {
        self.labels
            .first()
            .map_or(self.node.as_str(), |l| l.value.as_str())
    }
}

#[derive(Default)]
struct Found {
    classes: BTreeSet<SearchClass>,
    labels: BTreeSet<Label>,
    texts: BTreeSet<String>,
}

fn graph_key(graph: &GraphName) -> String {
    match graph {
        GraphName::NamedNode(n) => n.as_str().to_string(),
        GraphName::BlankNode(b) => b.to_string(),
        GraphName::DefaultGraph => String::new(),
    }
}

/// The search entries of `quads`: every IRI typed `pol:Unit`, `pol:Task`, `pol:Strategy`,
/// `pol:Region`, `pol:Platform` or `pol:Document` in a graph, with its `rdfs:label`,
/// `skos:prefLabel` and `skos:altLabel` values in that graph and, for a task, its
/// `pol:text`. A node typed in a graph but with nothing to search there is left out.
/// Sorted by graph, then node.
pub fn entries_from_quads<I>(quads: I) -> Vec<SearchEntry>
where
    I: IntoIterator,
    I::Item: Borrow<Quad>,
{
    let mut found: BTreeMap<(String, String), Found> = BTreeMap::new();
    for quad in quads {
        let quad = quad.borrow();
        let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
            continue;
        };
        let key = || (graph_key(&quad.graph_name), subject.as_str().to_string());
        let p = quad.predicate.as_ref();
        match &quad.object {
            Term::NamedNode(class) if p == rdf::TYPE => {
                if let Some(class) = SearchClass::from_iri(class.as_str()) {
                    found.entry(key()).or_default().classes.insert(class);
                }
            }
            Term::Literal(value) => {
                let kind = if p == rdfs::LABEL {
                    LabelKind::Label
                } else if p == skos::PREF_LABEL {
                    LabelKind::PrefLabel
                } else if p == skos::ALT_LABEL {
                    LabelKind::AltLabel
                } else if p == pol::TEXT {
                    found
                        .entry(key())
                        .or_default()
                        .texts
                        .insert(value.value().to_string());
                    continue;
                } else {
                    continue;
                };
                found.entry(key()).or_default().labels.insert(Label {
                    kind,
                    value: value.value().to_string(),
                });
            }
            _ => {}
        }
    }
    let mut entries = Vec::new();
    for ((graph, node), f) in found {
        let Some(&class) = f.classes.first() else {
            continue;
        };
        let text = (class == SearchClass::Task && !f.texts.is_empty())
            .then(|| f.texts.into_iter().collect::<Vec<_>>().join("\n"));
        if f.labels.is_empty() && text.is_none() {
            continue;
        }
        entries.push(SearchEntry {
            graph,
            node,
            class,
            labels: f.labels.into_iter().collect(),
            text,
        });
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn quad(s: &str, p: NamedNodeRef<'_>, o: Term, g: &str) -> Quad {
        Quad::new(
            NamedNode::new_unchecked(s),
            p,
            o,
            NamedNode::new_unchecked(g),
        )
    }

    #[test]
    fn typed_nodes_with_their_labels_per_graph() {
        let lit = |v: &str| Term::from(Literal::new_simple_literal(v));
        let quads = vec![
            quad(
                "http://x/u",
                rdf::TYPE,
                pol::UNIT.into_owned().into(),
                "http://g/1",
            ),
            quad("http://x/u", rdfs::LABEL, lit("省科技厅"), "http://g/1"),
            quad("http://x/u", skos::ALT_LABEL, lit("科技厅"), "http://g/1"),
            quad("http://x/u", rdfs::LABEL, lit("省科技厅"), "http://g/2"),
            quad(
                "http://x/t",
                rdf::TYPE,
                pol::TASK.into_owned().into(),
                "http://g/1",
            ),
            quad("http://x/t", rdfs::LABEL, lit("甲"), "http://g/1"),
            quad("http://x/t", pol::TEXT, lit("做甲事"), "http://g/1"),
            quad("http://x/s", rdfs::LABEL, lit("一、总则"), "http://g/1"),
        ];
        let entries = entries_from_quads(&quads);
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert_eq!(entries[0].node, "http://x/t");
        assert_eq!(entries[0].text.as_deref(), Some("做甲事"));
        assert_eq!(entries[1].class, SearchClass::Unit);
        assert_eq!(entries[1].primary_label(), "省科技厅");
        assert_eq!(entries[1].labels.len(), 2);
    }
}
