//! `construct`: the triples of a user's CONSTRUCT query drawn as a graph.

use oxigraph::sparql::QueryResults;

use super::{Layout, Scope, ViewSpec};
use crate::graph::Field;
use crate::graph::filters::{Reading, node};
use crate::graph::{Edge, NodeKind, Relation, View, ViewError};
use policykg_store::sparql::{QueryError, plain};
use policykg_store::Backend;
use policykg_extract::vocab::compact_iri as compact;

/// `construct`: the triples of a CONSTRUCT/DESCRIBE query, or of a SELECT of ?s ?p ?o,
/// drawn as a graph (literals become their own nodes).
pub(crate) fn graph(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    let query = options.query.as_deref().ok_or(ViewError::Missing {
        view: "construct",
        parameter: "query",
    })?;
    construct_from(store.evaluate(query, options.cancellation.clone())?)
}

/// The `construct` view of results already evaluated.
pub fn construct_from(results: QueryResults<'_>) -> Result<View, ViewError> {
    let mut triples: Vec<(String, String, String, bool)> = Vec::new();
    match results {
        QueryResults::Graph(iter) => {
            for t in iter {
                let t = t.map_err(QueryError::from)?;
                let literal = matches!(t.object, oxigraph::model::Term::Literal(_));
                triples.push((
                    t.subject.to_string(),
                    t.predicate.as_str().to_string(),
                    plain(&t.object),
                    literal,
                ));
            }
        }
        QueryResults::Solutions(solutions) => {
            for s in solutions {
                let s = s.map_err(QueryError::from)?;
                let (Some(a), Some(p), Some(o)) = (s.get("s"), s.get("p"), s.get("o")) else {
                    return Err(ViewError::NotAGraphQuery);
                };
                let literal = matches!(o, oxigraph::model::Term::Literal(_));
                triples.push((plain(a), plain(p), plain(o), literal));
            }
        }
        QueryResults::Boolean(_) => return Err(ViewError::NotAGraphQuery),
    }
    triples.sort();
    let mut view = View::new("construct", true);
    view.layout = SPEC.layout;
    for (s, p, o, literal) in triples {
        let s = s.trim_start_matches('<').trim_end_matches('>').to_string();
        let a = view.node(node(&s, &compact(&s), NodeKind::Resource, None, &s));
        let (kind, id) = if literal {
            (NodeKind::Literal, format!("\"{o}\""))
        } else {
            (NodeKind::Resource, o.clone())
        };
        let label = if literal { o.clone() } else { compact(&o) };
        let b = view.node(node(&id, &label, kind, None, &o));
        view.edge(
            a,
            b,
            Edge {
                relation: Relation::Predicate,
                weight: 1.0,
                label: Some(compact(&p)),
                evidence: Vec::new(),
            },
        );
    }
    Ok(view)
}

pub(crate) const SPEC: ViewSpec = ViewSpec {
    name: "construct",
    about: "the triples of --query (a CONSTRUCT, or a SELECT of ?s ?p ?o)",
    layout: Layout::Hierarchy,
    fields: &[Field::Query],
    corpus: false,
    scope: Scope::Store,
    crowded_above: None,
    build: graph,
};
