//! `region`: each document's jurisdiction, its partner regions and the pairings.

use std::collections::{BTreeMap, BTreeSet};

use super::trim::{self, heaviest};
use super::{Layout, Scope, ViewSpec};
use crate::graph::Field;
use crate::graph::filters::{Reading, edge, node, rows};
use crate::queries::{PAIRINGS, REGION_WEIGHTS, REGIONS};
use crate::graph::{Edge, NodeKind, Relation, View, ViewError};
use policykg_store::Backend;
use policykg_extract::vocab::{rdfs, skos};


/// Above this many tasks the unfiltered view is drawn from the kept weights: the tasks of a
/// corpus would be thousands of titles on each edge.
const CORPUS_TASKS: u64 = 300;

/// How many regions a corpus-wide drawing shows unless asked for more.
const DEFAULT_LIMIT: usize = 60;

/// How many jurisdiction–partner edges a corpus-wide drawing shows at most unless a minimum
/// weight is given: regions are few and name each other often, and past this the drawing
/// is a hairball that takes Graphviz seconds.
const EDGE_BUDGET: usize = 150;

/// How many quotes a pairing edge of a corpus-wide drawing carries as its evidence.
const QUOTES: usize = 3;

/// `region`: each document's jurisdiction and its partner regions, edges weighted by the
/// tasks naming them, and the pairing arrangements as their own edges. Unfiltered on a
/// corpus (more than [`CORPUS_TASKS`] tasks) it is drawn from the partnerships the store
/// keeps, the most named regions first, with a note saying what is left out.
pub(crate) fn graph(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    let unfiltered = options.document.is_none() && options.graphs.is_none();
    if unfiltered && store.totals()?.tasks > CORPUS_TASKS {
        return corpus(store, options);
    }
    by_task(store, options)
}

/// For a pair of regions, the tasks of each one's documents that name the other, by the
/// naming region.
type TasksEachWay = BTreeMap<String, f64>;

/// The view drawn from the kept weights and the pairings.
fn corpus(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    store.require_current_statistics()?;
    let token = options.cancellation.clone();
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let mut label = |iri: &str, label: &str| {
        let label = if label.is_empty() { iri } else { label };
        let entry = labels
            .entry(iri.to_string())
            .or_insert_with(|| label.to_string());
        // A region with several labels comes once per label: keep the smallest.
        if label < entry.as_str() {
            *entry = label.to_string();
        }
    };
    // The drawing is undirected: two regions that name each other share one edge, which
    // carries both weights; (a, b) in id order → the tasks each way.
    let mut partners: BTreeMap<(String, String), TasksEachWay> = BTreeMap::new();
    let mut homes = BTreeSet::new();
    let weights = REGION_WEIGHTS.select().within(token.clone()).rows(store)?;
    // Jurisdictions by their label, partner regions by the gazetteer's.
    let homes_of: Vec<&str> = weights.iter().map(|r| r.home.as_str()).collect();
    let regions_of: Vec<&str> = weights.iter().map(|r| r.region.as_str()).collect();
    for found in [
        store.smallest_values(&homes_of, rdfs::LABEL)?,
        store.smallest_values(&regions_of, skos::PREF_LABEL)?,
    ] {
        for (iri, found) in &found {
            label(iri, found);
        }
    }
    for r in weights {
        let tasks = r.tasks;
        let (home, region) = (&r.home, &r.region);
        homes.insert(home.clone());
        let key = if home <= region {
            (home.clone(), region.clone())
        } else {
            (region.clone(), home.clone())
        };
        // A region with several labels comes once per label.
        partners
            .entry(key)
            .or_default()
            .insert(home.clone(), tasks);
    }
    let weight = |by: &TasksEachWay| by.values().sum::<f64>();
    let mut pairings: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut pairing_rows = PAIRINGS.select().within(token).rows(store)?;
    pairing_rows.sort_by(|a, b| a.pairing.as_str().cmp(b.pairing.as_str()));
    for r in &pairing_rows {
        let (first, second) = (&r.first, &r.second);
        label(first, &r.first_label);
        label(second, &r.second_label);
        let (a, b) = if first <= second {
            (first, second)
        } else {
            (second, first)
        };
        let quotes = pairings.entry((a.clone(), b.clone())).or_default();
        // One pairing may be quoted more than once; count pairings, not quotes.
        let quote = format!("{}\u{1f}{}", &r.pairing, &r.quote);
        if !quotes.contains(&quote) {
            quotes.push(quote);
        }
    }
    let top = heaviest(
        partners
            .iter()
            .map(|((a, b), by)| (a.as_str(), b.as_str(), weight(by))),
        options.limit.unwrap_or(DEFAULT_LIMIT),
    );
    let among: Vec<(&(String, String), &TasksEachWay)> = partners
        .iter()
        .filter(|((a, b), _)| top.kept.contains(a.as_str()) && top.kept.contains(b.as_str()))
        .collect();
    let weights: Vec<f64> = among.iter().map(|(_, by)| weight(by)).collect();
    let min_weight = trim::min_weight(options.min_weight, &weights, EDGE_BUDGET);
    let mut view = View::new("region", false);
    let region = |view: &mut View, iri: &str| {
        let label = labels.get(iri).map_or(iri, String::as_str);
        let kind = homes.contains(iri).then_some("jurisdiction");
        view.node(node(iri, label, NodeKind::Region, kind, label))
    };
    let mut shown = 0;
    for ((a, b), by) in among.iter().filter(|(_, by)| weight(by) >= min_weight) {
        let (na, nb) = (region(&mut view, a), region(&mut view, b));
        let w = weight(by);
        let evidence = by
            .iter()
            .map(|(home, tasks)| {
                let other = if home == a { b } else { a };
                let name = |iri: &str| labels.get(iri).cloned().unwrap_or_else(|| iri.to_string());
                format!(
                    "{tasks} tasks of {}'s documents name {}",
                    name(home),
                    name(other)
                )
            })
            .collect();
        shown += 1;
        view.edge(
            na,
            nb,
            Edge {
                relation: Relation::Partner,
                weight: w,
                label: Some(format!("{w}")),
                evidence,
            },
        );
    }
    for ((a, b), quotes) in &pairings {
        let (na, nb) = (region(&mut view, a), region(&mut view, b));
        let mut evidence: Vec<String> = quotes
            .iter()
            .take(QUOTES)
            .map(|q| {
                q.split_once('\u{1f}')
                    .map_or(q.as_str(), |(_, q)| q)
                    .to_string()
            })
            .collect();
        if quotes.len() > QUOTES {
            evidence.push(format!("and {} more", quotes.len() - QUOTES));
        }
        view.edge(
            na,
            nb,
            Edge {
                relation: Relation::Pairing,
                weight: quotes.len() as f64,
                label: None,
                evidence,
            },
        );
    }
    view.note = Some(format!(
        "showing {} of {} regions (the most named) and {shown} of {} jurisdiction–partner links (at least {min_weight} tasks), and all {} pairings — raise limit or min_weight, or choose a document",
        view.graph.node_count(),
        top.of,
        partners.len(),
        pairings.len(),
    ));
    Ok(view)
}

/// The view drawn task by task.
fn by_task(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    let mut view = View::new("region", false);
    for r in rows(store, options, &REGIONS)? {
        let home = view.node(node(
            &r.home,
            &r.home_label,
            NodeKind::Region,
            Some("jurisdiction"),
            &r.home_label,
        ));
        if !&r.region.is_empty() {
            let partner = view.node(node(
                &r.region,
                &r.region_label,
                NodeKind::Region,
                None,
                &r.region_label,
            ));
            view.edge(
                home,
                partner,
                edge(Relation::Partner, vec![r.task_title.clone()]),
            );
        }
        if !&r.pairing.is_empty() {
            let a = view.node(node(
                &r.first,
                &r.first_label,
                NodeKind::Region,
                None,
                &r.first_label,
            ));
            let b = view.node(node(
                &r.second,
                &r.second_label,
                NodeKind::Region,
                None,
                &r.second_label,
            ));
            view.edge(
                a,
                b,
                edge(Relation::Pairing, vec![r.quote.clone()]),
            );
        }
    }
    for e in view.graph.edge_weights_mut() {
        if e.relation == Relation::Partner {
            e.label = Some(format!("{}", e.weight));
        }
    }
    Ok(match options.min_weight {
        Some(w) => view.with_min_weight(w),
        None => view,
    })
}

pub(crate) const SPEC: ViewSpec = ViewSpec {
    name: "region",
    about: "jurisdictions, partner regions and pairing arrangements",
    layout: Layout::Small,
    fields: &Field::FILTERS,
    corpus: true,
    scope: Scope::OneDocument,
    crowded_above: None,
    build: graph,
};
