//! `ego`: the neighbourhood of one node, across all relations.

use std::collections::{BTreeSet, VecDeque};

use oxigraph::model::{Literal, NamedNode};

use super::cooperation::unit_labels;
use super::trim;
use super::{Layout, Scope, ViewSpec};
use crate::graph::Field;
use crate::graph::filters::{Reading, graphs_naming, node};
use crate::queries::{UNIT_PARTNERS, UNITS_LABELLED};
use crate::graph::traversal::{everything, resolve, subview};
use crate::graph::{Edge, NodeKind, Relation, View, ViewError};
use policykg_store::Backend;


/// Above this many documents naming a unit, its ego across the corpus is drawn from the
/// kept cooperation weights: the tasks of hundreds of documents are no drawing.
const CORPUS_DOCUMENTS: u64 = 20;

/// How many partners a folded ego shows unless asked for more.
const DEFAULT_PARTNERS: usize = 40;

/// How many edges among the partners a folded ego shows at most unless a minimum weight is
/// given (the edges to the focus are always drawn).
const EDGE_BUDGET: usize = 120;

/// `ego`: the nodes within `depth` relations of the focus, across all relations.
///
/// It reads only the documents that can hold such nodes: those naming the focus, then
/// those naming any unit, strategy, region or platform found nearer than `depth` (such a
/// node is shared between documents, a section or task is not), until no document is
/// added — the same nodes as over the whole store, at the cost of those documents.
pub(crate) fn graph(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    let focus = options.focus.as_deref().ok_or(ViewError::Missing {
        view: "ego",
        parameter: "focus",
    })?;
    let depth = options.depth.unwrap_or(1);
    let chosen = options.document.is_some() || options.graphs.is_some();
    if !chosen && let Some((unit, documents)) = busy_unit(store, options, focus)? {
        return folded(store, options, &unit, documents);
    }
    let mut graphs: BTreeSet<String> = if chosen {
        BTreeSet::new()
    } else {
        graphs_naming(store, options, focus)?
    };
    loop {
        let scoped = Reading {
            graphs: (!chosen).then(|| graphs.iter().cloned().collect()),
            ..options.clone()
        };
        let all = everything(store, &scoped)?;
        let start = resolve(&all, "focus", focus)?;
        let mut seen = BTreeSet::from([start]);
        let mut shared = Vec::new();
        let mut queue = VecDeque::from([(start, 0)]);
        while let Some((n, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            if d > 0 && is_shared(all.graph[n].kind) {
                shared.push(all.graph[n].id.clone());
            }
            for m in all.graph.neighbors_undirected(n) {
                if seen.insert(m) {
                    queue.push_back((m, d + 1));
                }
            }
        }
        let before = graphs.len();
        if !chosen {
            for node in &shared {
                graphs.extend(graphs_naming(store, options, node)?);
            }
        }
        if graphs.len() == before {
            return Ok(subview(&all, "ego", &seen, None));
        }
    }
}

/// The unit the focus names, when it is one unit named in more than [`CORPUS_DOCUMENTS`]
/// documents, with their number.
fn busy_unit(
    store: &dyn Backend,
    options: &Reading,
    focus: &str,
) -> Result<Option<(NamedNode, u64)>, ViewError> {
    let units: Vec<NamedNode> = match NamedNode::new(focus) {
        Ok(iri) if focus.contains(':') => vec![iri],
        _ => {
            UNITS_LABELLED
                .select()
                .bind("name", Literal::new_simple_literal(focus))
                .within(options.cancellation.clone())
                .rows(store)?
                .into_iter()
                .map(|r| NamedNode::new_unchecked(r.unit))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        }
    };
    let mut busy = Vec::new();
    for unit in &units {
        let documents = store.unit_graphs(unit)?;
        if documents > CORPUS_DOCUMENTS {
            busy.push((unit.clone(), documents));
        }
    }
    match (units.len(), busy.pop()) {
        (1, found) => Ok(found),
        (_, None) => Ok(None),
        // Several units bear the name: building them all to say so would cost the corpus.
        (_, Some(_)) => Err(ViewError::Ambiguous {
            parameter: "focus",
            value: focus.to_string(),
            candidates: units
                .iter()
                .map(NamedNode::as_str)
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// The ego of a busy unit with its tasks folded away: the unit, the partners it shares the
/// most tasks with, and the heaviest links among them, from the kept weights.
fn folded(
    store: &dyn Backend,
    options: &Reading,
    unit: &NamedNode,
    documents: u64,
) -> Result<View, ViewError> {
    let mut partners: Vec<(String, f64)> = UNIT_PARTNERS
        .select()
        .bind("unit", unit.clone())
        .within(options.cancellation.clone())
        .rows(store)?
        .into_iter()
        .map(|r| (r.partner, r.weight))
        .collect();
    partners.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let all_partners = partners.len();
    partners.truncate(options.limit.unwrap_or(DEFAULT_PARTNERS));
    let mut among = Vec::new();
    for (i, (a, _)) in partners.iter().enumerate() {
        for (b, _) in &partners[i + 1..] {
            let (a, b) = (NamedNode::new_unchecked(a), NamedNode::new_unchecked(b));
            let shared = store.shared_tasks(&a, &b)?;
            if shared > 0 {
                among.push((a.into_string(), b.into_string(), shared as f64));
            }
        }
    }
    let weights: Vec<f64> = among.iter().map(|(_, _, w)| *w).collect();
    let min_weight = trim::min_weight(options.min_weight, &weights, EDGE_BUDGET);
    let labels = unit_labels(
        store,
        std::iter::once(unit.as_str()).chain(partners.iter().map(|(p, _)| p.as_str())),
    )?;
    let mut view = View::new("ego", false);
    let add = |view: &mut View, iri: &str| {
        let (label, kind) = labels
            .get(iri)
            .cloned()
            .unwrap_or_else(|| (iri.to_string(), String::new()));
        view.node(node(iri, &label, NodeKind::Unit, Some(&kind), &label))
    };
    let cooperation = |weight: f64| Edge {
        relation: Relation::Cooperation,
        weight,
        label: (weight > 1.0).then(|| format!("{weight}")),
        evidence: vec![format!("{weight} shared tasks")],
    };
    let centre = add(&mut view, unit.as_str());
    for (partner, w) in &partners {
        let p = add(&mut view, partner);
        view.edge(centre, p, cooperation(*w));
    }
    let mut shown = 0;
    for (a, b, w) in among.iter().filter(|(_, _, w)| *w >= min_weight) {
        let (na, nb) = (add(&mut view, a), add(&mut view, b));
        view.edge(na, nb, cooperation(*w));
        shown += 1;
    }
    let name = labels.get(unit.as_str()).map_or(unit.as_str(), |(l, _)| l);
    view.note = Some(format!(
        "{name} is named in {documents} documents: its tasks are folded away, showing the {} of its {all_partners} partners it shares the most tasks with, and {shown} of {} links among them (at least {min_weight} shared tasks) — choose a document to see the tasks, or raise limit or min_weight",
        partners.len(),
        among.len(),
    ));
    Ok(view)
}

/// Whether nodes of this kind can be named by several documents.
fn is_shared(kind: NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::Unit | NodeKind::Strategy | NodeKind::Region | NodeKind::Platform
    )
}

pub(crate) const SPEC: ViewSpec = ViewSpec {
    name: "ego",
    about: "the nodes within --depth relations of --focus",
    layout: Layout::Small,
    fields: &[Field::Focus, Field::Depth],
    corpus: false,
    scope: Scope::Store,
    crowded_above: None,
    build: graph,
};
