//! What the views have in common: their options (filters and parameters), the rows of
//! their queries in a stable order, the filters applied to those rows, and small builders
//! of nodes and edges.

use std::collections::{BTreeSet, HashMap};

use oxigraph::model::{Literal, Term};
use oxigraph::sparql::CancellationToken;

use super::{Edge, Node, NodeKind, Relation, ViewError};
use policykg_extract::model::Role;
use policykg_extract::vocab::{ID, POL, REFERENCE_GRAPH, document_graph};
use policykg_store::PolicyStore;
use policykg_store::sparql::{select_bound, select_in, select_rows};

pub(crate) const TASK_UNITS: &str = include_str!("../queries/task-units.rq");
pub(crate) const SECTIONS: &str = include_str!("../queries/sections.rq");
pub(crate) const TASK_ENTITIES: &str = include_str!("../queries/task-entities.rq");
pub(crate) const REGIONS: &str = include_str!("../queries/regions.rq");
const GRAPHS_NAMING: &str = include_str!("../queries/graphs-naming.rq");
const DOCUMENT_BY_NAME: &str = include_str!("../queries/document-by-name.rq");

/// Filters and parameters of the views. Empty fields filter nothing.
#[derive(Clone, Default)]
pub struct ViewOptions {
    /// A document: its key (`liaoning-2021-1`), IRI, title or 文号.
    pub document: Option<String>,
    /// A section id (`2.3`): its tasks and those of its subsections.
    pub section: Option<String>,
    /// A strategy's canonical name: only tasks linked to it.
    pub strategy: Option<String>,
    /// A unit's name: only tasks it takes part in.
    pub unit: Option<String>,
    /// Only unit links of this role.
    pub role: Option<Role>,
    /// Drop edges lighter than this.
    pub min_weight: Option<f64>,
    /// Leave inferred links out of the strategy view.
    pub stated_only: bool,
    /// `ego`: the node in the middle (IRI or label) and how far to go.
    pub focus: Option<String>,
    pub depth: Option<usize>,
    /// `path`: the two ends (IRI or label).
    pub from: Option<String>,
    pub to: Option<String>,
    /// `construct`: the query.
    pub query: Option<String>,
    /// How many nodes a corpus-wide drawing shows at most.
    pub limit: Option<usize>,
    /// Only these named graphs (IRIs), when given: what `ego` reads around its focus.
    pub graphs: Option<Vec<String>>,
    /// Stops the view's queries when cancelled, e.g. by a caller's time limit.
    pub cancellation: CancellationToken,
}

pub(crate) type Row = HashMap<String, String>;

/// The graphs a view reads. With a document chosen, its own graph and the reference graph
/// (for the labels of strategies, regions and platforms): the view then costs what the
/// document holds, whatever the store holds. `Some(empty)` when no document matches.
fn scope(store: &PolicyStore, options: &ViewOptions) -> Result<Option<Vec<String>>, ViewError> {
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
        None => {
            let bound = [("value", Term::from(Literal::new_simple_literal(document)))];
            select_bound(
                store,
                DOCUMENT_BY_NAME,
                options.cancellation.clone(),
                &bound,
            )?
            .iter()
            .filter_map(|r| {
                r.get("doc")
                    .map(|d| d.rsplit('/').next().unwrap_or("").to_string())
            })
            .min()
        }
    };
    Ok(Some(match key {
        Some(key) => vec![
            document_graph(&key).into_string(),
            REFERENCE_GRAPH.as_str().to_string(),
        ],
        None => Vec::new(),
    }))
}

pub(crate) fn rows(
    store: &PolicyStore,
    options: &ViewOptions,
    query: &str,
) -> Result<Vec<Row>, ViewError> {
    let token = options.cancellation.clone();
    let mut out = match scope(store, options)? {
        None => select_rows(store, query, token)?,
        Some(graphs) if graphs.is_empty() => Vec::new(),
        Some(graphs) => select_in(store, query, token, &graphs)?,
    };
    // Stable order whatever the store's internal order.
    out.sort_by_cached_key(|r: &Row| {
        let mut items: Vec<_> = r.iter().collect();
        items.sort();
        format!("{items:?}")
    });
    Ok(out)
}

pub(crate) fn get<'a>(row: &'a Row, key: &str) -> &'a str {
    row.get(key).map_or("", String::as_str)
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

    /// Refuses a selection of every task when the store holds more than `most`: what
    /// `view` would make of them is unreadable, and slower than the limits allow.
    pub(crate) fn refuse_whole_corpus(
        &self,
        store: &PolicyStore,
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
    store: &PolicyStore,
    options: &ViewOptions,
) -> Result<Option<BTreeSet<String>>, ViewError> {
    let Some(strategy) = &options.strategy else {
        return Ok(None);
    };
    let rows = rows(store, options, TASK_ENTITIES)?;
    Ok(Some(
        rows.iter()
            .filter(|r| get(r, "targetLabel") == strategy && local(get(r, "class")) == "Strategy")
            .filter(|r| !options.stated_only || get(r, "kind") == "stated")
            .map(|r| get(r, "task").to_string())
            .collect(),
    ))
}

/// Unit-link rows that pass the document, section, strategy and unit filters.
pub(crate) fn unit_rows(store: &PolicyStore, options: &ViewOptions) -> Result<Vec<Row>, ViewError> {
    let by_strategy = strategy_tasks(store, options)?;
    let all = rows(store, options, TASK_UNITS)?;
    let unit_tasks: Option<BTreeSet<String>> = options.unit.as_ref().map(|u| {
        all.iter()
            .filter(|r| get(r, "unitLabel") == u)
            .map(|r| get(r, "task").to_string())
            .collect()
    });
    Ok(all
        .into_iter()
        .filter(|r| options.section_matches(get(r, "section")))
        .filter(|r| {
            by_strategy
                .as_ref()
                .is_none_or(|s| s.contains(get(r, "task")))
        })
        .filter(|r| {
            unit_tasks
                .as_ref()
                .is_none_or(|s| s.contains(get(r, "task")))
        })
        .collect())
}

/// The document graphs that name `node` (an IRI, or a label of one or more nodes).
pub(crate) fn graphs_naming(
    store: &PolicyStore,
    options: &ViewOptions,
    node: &str,
) -> Result<BTreeSet<String>, ViewError> {
    let token = options.cancellation.clone();
    let term = match oxigraph::model::NamedNode::new(node) {
        Ok(iri) if node.contains(':') => Term::from(iri),
        _ => Term::from(Literal::new_simple_literal(node)),
    };
    let rows = select_bound(store, GRAPHS_NAMING, token, &[("node", term)])?;
    Ok(rows.iter().map(|r| get(r, "g").to_string()).collect())
}
