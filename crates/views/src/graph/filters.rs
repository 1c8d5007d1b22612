//! What the views have in common: their options (filters and parameters), the rows of
//! their queries in a stable order, the filters applied to those rows, and small builders
//! of nodes and edges.

use std::collections::BTreeSet;

use oxigraph::model::{Literal, Term};
use oxigraph::sparql::CancellationToken;
use serde::de::DeserializeOwned;

use super::options::ViewOptions;
use super::{Edge, Node, NodeKind, Relation, ViewError};
use crate::queries::{DOCUMENT_BY_NAME, GRAPHS_NAMING, TASK_ENTITIES, TASK_UNITS, TaskUnit};
use policykg_extract::vocab::{ID, POL, REFERENCE_GRAPH, document_graph};
use policykg_store::Backend;
use policykg_store::sparql::Query;

/// A view's options as one build reads them: what was asked for, the graphs a view that
/// builds on another narrows it to, and the token that stops its queries (the caller's
/// time limit).
#[derive(Clone)]
pub(crate) struct Reading {
    pub(crate) options: ViewOptions,
    /// Only these named graphs (IRIs), when given: what `ego` reads around its focus.
    pub(crate) graphs: Option<Vec<String>>,
    pub(crate) cancellation: CancellationToken,
}

impl std::ops::Deref for Reading {
    type Target = ViewOptions;

    fn deref(&self) -> &ViewOptions {
        &self.options
    }
}

impl Reading {
    pub(crate) fn new(options: &ViewOptions, cancellation: CancellationToken) -> Self {
        Reading {
            options: options.clone(),
            graphs: None,
            cancellation,
        }
    }

    /// The same reading with its options changed by `change`.
    pub(crate) fn with(&self, change: impl FnOnce(&mut ViewOptions)) -> Self {
        let mut changed = self.clone();
        change(&mut changed.options);
        changed
    }
}

/// The graphs a view reads. With a document chosen, its own graph and the reference graph
/// (for the labels of strategies, regions and platforms): the view then costs what the
/// document holds, whatever the store holds. `Some(empty)` when no document matches.
fn scope(store: &dyn Backend, options: &Reading) -> Result<Option<Vec<String>>, ViewError> {
    if let Some(graphs) = &options.graphs {
        if graphs.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let mut graphs = graphs.clone();
        graphs.push(REFERENCE_GRAPH.as_str().to_string());
        return Ok(Some(graphs));
    }
    let Some(document) = &options.document else {
        return Ok(None);
    };
    let key = match document.strip_prefix(&format!("{ID}doc/")) {
        Some(key) => Some(key.to_string()),
        None if store.has_graph(&document_graph(document))? => Some(document.clone()),
        // A title or a 文号: looked up by value.
        None => DOCUMENT_BY_NAME
            .select()
            .bind("value", Literal::new_simple_literal(document))
            .within(options.cancellation.clone())
            .rows(store)?
            .iter()
            .map(|r| r.doc.rsplit('/').next().unwrap_or("").to_string())
            .min(),
    };
    Ok(Some(match key {
        Some(key) => vec![
            document_graph(&key).into_string(),
            REFERENCE_GRAPH.as_str().to_string(),
        ],
        None => Vec::new(),
    }))
}

/// The rows of `query` over the graphs the options choose, in the order of their values
/// (whatever the store's own order).
pub(crate) fn rows<T: DeserializeOwned>(
    store: &dyn Backend,
    options: &Reading,
    query: &Query<T>,
) -> Result<Vec<T>, ViewError> {
    let select = query
        .select()
        .within(options.cancellation.clone())
        .in_value_order();
    Ok(match scope(store, options)? {
        None => select.rows(store)?,
        Some(graphs) if graphs.is_empty() => Vec::new(),
        Some(graphs) => select.over(&graphs).rows(store)?,
    })
}

pub(crate) fn local(iri: &str) -> &str {
    iri.strip_prefix(POL).unwrap_or(iri)
}

impl ViewOptions {
    pub(crate) fn section_matches(&self, section_iri: &str) -> bool {
        match &self.section {
            None => true,
            Some(s) => section_iri
                .rsplit_once("/section/")
                .is_some_and(|(_, id)| id == s || id.starts_with(&format!("{s}."))),
        }
    }

    pub(crate) fn role_matches(&self, role: Relation) -> bool {
        match self.role {
            None => true,
            Some(r) => role.label() == r.as_str(),
        }
    }
}

impl Reading {
    /// Refuses a selection of every task when the store holds more than `most`: what
    /// `view` would make of them is unreadable, and slower than the limits allow.
    pub(crate) fn refuse_whole_corpus(
        &self,
        store: &dyn Backend,
        view: &'static str,
        most: u64,
    ) -> Result<(), ViewError> {
        let narrowed = self.document.is_some()
            || self.section.is_some()
            || self.strategy.is_some()
            || self.unit.is_some()
            || self.graphs.is_some();
        if narrowed {
            return Ok(());
        }
        let tasks = store.totals()?.tasks;
        if tasks > most {
            return Err(ViewError::TooLarge { view, tasks });
        }
        Ok(())
    }
}

pub(crate) fn role_relation(role_iri: &str) -> Relation {
    match local(role_iri) {
        "LeadRole" => Relation::Lead,
        "SupportingRole" => Relation::Supporting,
        "ImpliedRole" => Relation::Implied,
        _ => Relation::Responsible,
    }
}

pub(crate) fn edge(relation: Relation, evidence: Vec<String>) -> Edge {
    Edge {
        relation,
        weight: 1.0,
        label: None,
        evidence,
    }
}

pub(crate) fn node(
    id: &str,
    label: &str,
    kind: NodeKind,
    subtype: Option<&str>,
    tooltip: &str,
) -> Node {
    Node {
        id: id.to_string(),
        label: label.to_string(),
        kind,
        subtype: subtype.filter(|s| !s.is_empty()).map(str::to_string),
        cluster: None,
        tooltip: tooltip.to_string(),
    }
}

/// Tasks that pass the strategy filter, when there is one.
pub(crate) fn strategy_tasks(
    store: &dyn Backend,
    options: &Reading,
) -> Result<Option<BTreeSet<String>>, ViewError> {
    let Some(strategy) = &options.strategy else {
        return Ok(None);
    };
    let rows = rows(store, options, &TASK_ENTITIES)?;
    Ok(Some(
        rows.iter()
            .filter(|r| &r.target_label == strategy && local(&r.class) == "Strategy")
            .filter(|r| !options.stated_only || r.kind == "stated")
            .map(|r| r.task.clone())
            .collect(),
    ))
}

/// Unit-link rows that pass the document, section, strategy and unit filters.
pub(crate) fn unit_rows(
    store: &dyn Backend,
    options: &Reading,
) -> Result<Vec<TaskUnit>, ViewError> {
    let by_strategy = strategy_tasks(store, options)?;
    let all = rows(store, options, &TASK_UNITS)?;
    let unit_tasks: Option<BTreeSet<String>> = options.unit.as_ref().map(|u| {
        all.iter()
            .filter(|r| &r.unit_label == u)
            .map(|r| r.task.clone())
            .collect()
    });
    Ok(all
        .into_iter()
        .filter(|r| options.section_matches(&r.section))
        .filter(|r| by_strategy.as_ref().is_none_or(|s| s.contains(&r.task)))
        .filter(|r| unit_tasks.as_ref().is_none_or(|s| s.contains(&r.task)))
        .collect())
}

/// The document graphs that name `node` (an IRI, or a label of one or more nodes).
pub(crate) fn graphs_naming(
    store: &dyn Backend,
    options: &Reading,
    node: &str,
) -> Result<BTreeSet<String>, ViewError> {
    let term = match oxigraph::model::NamedNode::new(node) {
        Ok(iri) if node.contains(':') => Term::from(iri),
        _ => Term::from(Literal::new_simple_literal(node)),
    };
    let rows = GRAPHS_NAMING
        .select()
        .bind("node", term)
        .within(options.cancellation.clone())
        .rows(store)?;
    Ok(rows.into_iter().map(|r| r.g).collect())
}
