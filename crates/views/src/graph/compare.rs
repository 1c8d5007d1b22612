//! Two documents compared (two years of one issuer, or a province's and a city's plans):
//! the units, strategies, regions and platforms that appear in both, in one only, and how
//! each one's load — the tasks naming it, and for a unit the tasks it leads — changed. Read
//! from each document's own graph, with the rows the views use.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use oxigraph::sparql::CancellationToken;

use super::ViewOptions;
use super::filters::{Reading, local, role_relation, rows, unit_rows};
use super::{Relation, ViewError};
use crate::queries::TASK_ENTITIES;
use policykg_store::Backend;

/// What an item of the comparison is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Unit,
    Strategy,
    Region,
    Platform,
}

impl ItemKind {
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Unit => "unit",
            ItemKind::Strategy => "strategy",
            ItemKind::Region => "region",
            ItemKind::Platform => "platform",
        }
    }
}

/// An item's load in one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Load {
    /// Tasks that name it.
    pub tasks: usize,
    /// Tasks it leads (units only).
    pub lead: usize,
}

/// Where an item appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    Both,
    /// In the second document only: added.
    Added,
    /// In the first document only: dropped.
    Dropped,
}

/// One unit, strategy, region or platform of either document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparedItem {
    pub kind: ItemKind,
    /// Its IRI.
    pub id: String,
    pub label: String,
    pub first: Load,
    pub second: Load,
}

impl ComparedItem {
    pub fn presence(&self) -> Presence {
        match (self.first.tasks > 0, self.second.tasks > 0) {
            (true, true) => Presence::Both,
            (false, _) => Presence::Added,
            (true, false) => Presence::Dropped,
        }
    }

    /// The change in tasks from the first document to the second.
    pub fn change(&self) -> i64 {
        self.second.tasks as i64 - self.first.tasks as i64
    }
}

/// A document of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparedDocument {
    /// As the user named it (key, IRI, title or 文号).
    pub name: String,
    pub label: String,
    pub tasks: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub first: ComparedDocument,
    pub second: ComparedDocument,
    /// Kinds in order, then shared items first, added, dropped; within each by the
    /// largest change, then label.
    pub items: Vec<ComparedItem>,
}

impl Comparison {
    /// How many items of each presence: (both, added, dropped).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |p| self.items.iter().filter(|i| i.presence() == p).count();
        (
            count(Presence::Both),
            count(Presence::Added),
            count(Presence::Dropped),
        )
    }
}

type Loads = BTreeMap<(ItemKind, String), (String, BTreeSet<String>, BTreeSet<String>)>;

/// Each item of one document with the tasks naming it and, for units, those it leads.
fn loads(
    store: &dyn Backend,
    options: &Reading,
    document: &str,
) -> Result<(ComparedDocument, Loads), ViewError> {
    let options = options.with(|o| o.document = Some(document.to_string()));
    let mut items: Loads = BTreeMap::new();
    let mut tasks = BTreeSet::new();
    let mut label = String::new();
    for r in unit_rows(store, &options)? {
        tasks.insert(r.task.clone());
        label = r.doc_label.clone();
        let entry = items
            .entry((ItemKind::Unit, r.unit.clone()))
            .or_insert_with(|| (r.unit_label.clone(), BTreeSet::new(), BTreeSet::new()));
        entry.1.insert(r.task.clone());
        if role_relation(&r.role) == Relation::Lead {
            entry.2.insert(r.task.clone());
        }
    }
    for r in rows(store, &options, &TASK_ENTITIES)? {
        let kind = match local(&r.class) {
            "Strategy" => ItemKind::Strategy,
            "Platform" => ItemKind::Platform,
            _ => ItemKind::Region,
        };
        items
            .entry((kind, r.target.clone()))
            .or_insert_with(|| (r.target_label.clone(), BTreeSet::new(), BTreeSet::new()))
            .1
            .insert(r.task.clone());
    }
    if tasks.is_empty() {
        return Err(ViewError::NoSuchNode {
            parameter: "document",
            value: document.to_string(),
            hint: ": no document with tasks has that key, IRI, title or 文号".to_string(),
        });
    }
    Ok((
        ComparedDocument {
            name: document.to_string(),
            label,
            tasks: tasks.len(),
        },
        items,
    ))
}

/// Compares `first` with `second` (each a key, IRI, title or 文号), with the other filters
/// of `options` (section, strategy, unit, role) applied to both; `cancellation` stops the
/// queries.
pub fn compare_documents(
    store: &dyn Backend,
    first: &str,
    second: &str,
    options: &ViewOptions,
    cancellation: CancellationToken,
) -> Result<Comparison, ViewError> {
    let options = &Reading::new(options, cancellation);
    let (first_doc, first_items) = loads(store, options, first)?;
    let (second_doc, second_items) = loads(store, options, second)?;
    let keys: BTreeSet<&(ItemKind, String)> =
        first_items.keys().chain(second_items.keys()).collect();
    let load = |items: &Loads, key: &(ItemKind, String)| {
        items
            .get(key)
            .map_or(Load::default(), |(_, tasks, lead)| Load {
                tasks: tasks.len(),
                lead: lead.len(),
            })
    };
    let mut items: Vec<ComparedItem> = keys
        .into_iter()
        .map(|key| {
            let label = first_items
                .get(key)
                .or_else(|| second_items.get(key))
                .map(|(l, _, _)| l.clone())
                .unwrap_or_default();
            ComparedItem {
                kind: key.0,
                id: key.1.clone(),
                label,
                first: load(&first_items, key),
                second: load(&second_items, key),
            }
        })
        .collect();
    items.sort_by(|a, b| {
        (a.kind, a.presence())
            .cmp(&(b.kind, b.presence()))
            .then(b.change().abs().cmp(&a.change().abs()))
            .then((b.first.tasks + b.second.tasks).cmp(&(a.first.tasks + a.second.tasks)))
            .then(a.label.cmp(&b.label))
    });
    Ok(Comparison {
        first: first_doc,
        second: second_doc,
        items,
    })
}
