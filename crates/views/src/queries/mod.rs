//! The views' SPARQL, each query beside the struct its rows are read into. A field is a
//! projected variable (camelCase in the query); `#[serde(default)]` marks one that an
//! OPTIONAL or a UNION may leave unbound, read as empty.

use policykg_store::sparql::Query;
use serde::Deserialize;

/// Every unit link with its task, section, document and annotation.
pub const TASK_UNITS: Query<TaskUnit> = Query::new(include_str!("task-units.rq"));

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskUnit {
    pub doc: String,
    pub doc_label: String,
    pub task: String,
    pub task_title: String,
    pub task_number: String,
    #[serde(default)]
    pub section: String,
    pub unit: String,
    pub unit_label: String,
    #[serde(default)]
    pub unit_type: String,
    /// The role's IRI.
    pub role: String,
    #[serde(default)]
    pub annotation: String,
    pub text: String,
}

/// Every section with its title, number, heading style, level and parent.
pub const SECTIONS: Query<SectionRow> = Query::new(include_str!("sections.rq"));

#[derive(Debug, Clone, Deserialize)]
pub struct SectionRow {
    pub section: String,
    pub title: String,
    pub number: String,
    pub style: String,
    /// Empty for a top-level section.
    #[serde(default)]
    pub parent: String,
}

/// Every entity link of a task: its target, kind, rule and mention.
pub const TASK_ENTITIES: Query<TaskEntity> = Query::new(include_str!("task-entities.rq"));

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskEntity {
    pub task: String,
    pub task_title: String,
    pub task_number: String,
    pub target: String,
    pub target_label: String,
    /// The target's class IRI (`pol:Strategy`, `pol:Region` …).
    pub class: String,
    /// A platform's type.
    #[serde(default, rename = "type")]
    pub platform_type: String,
    /// `stated` or `inferred`.
    pub kind: String,
    #[serde(default)]
    pub rule: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub quote: String,
}

/// Each document's jurisdiction, the regions its tasks name and its pairings.
pub const REGIONS: Query<RegionRow> = Query::new(include_str!("regions.rq"));

/// A row names a partner region (`region` …) or a pairing (`pairing` …), never both.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionRow {
    pub home: String,
    pub home_label: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub region_label: String,
    #[serde(default)]
    pub task_title: String,
    #[serde(default)]
    pub pairing: String,
    #[serde(default)]
    pub first: String,
    #[serde(default)]
    pub first_label: String,
    #[serde(default)]
    pub second: String,
    #[serde(default)]
    pub second_label: String,
    #[serde(default)]
    pub quote: String,
}

/// A document by its title or 文号 (`?value`).
pub const DOCUMENT_BY_NAME: Query<DocumentByName> = Query::new(include_str!("document-by-name.rq"));

#[derive(Debug, Clone, Deserialize)]
pub struct DocumentByName {
    pub doc: String,
}

/// The document graphs that name a node (`?node`, an IRI or a label).
pub const GRAPHS_NAMING: Query<GraphNaming> = Query::new(include_str!("graphs-naming.rq"));

#[derive(Debug, Clone, Deserialize)]
pub struct GraphNaming {
    pub g: String,
}

/// Every pair of units that share tasks, as kept.
pub const COOPERATION_WEIGHTS: Query<CooperationWeight> =
    Query::new(include_str!("cooperation-weights.rq"));

#[derive(Debug, Clone, Deserialize)]
pub struct CooperationWeight {
    pub a: String,
    pub b: String,
    pub weight: f64,
}

/// A unit's cooperation partners (`?unit`), as kept.
pub const UNIT_PARTNERS: Query<UnitPartner> = Query::new(include_str!("unit-partners.rq"));

#[derive(Debug, Clone, Deserialize)]
pub struct UnitPartner {
    pub partner: String,
    pub weight: f64,
}

/// The units a name may mean (`?name`).
pub const UNITS_LABELLED: Query<UnitLabelled> = Query::new(include_str!("units-labelled.rq"));

#[derive(Debug, Clone, Deserialize)]
pub struct UnitLabelled {
    pub unit: String,
}

/// Jurisdictions and the regions their documents' tasks name, as kept.
pub const REGION_WEIGHTS: Query<RegionWeight> = Query::new(include_str!("region-weights.rq"));

#[derive(Debug, Clone, Deserialize)]
pub struct RegionWeight {
    pub home: String,
    pub region: String,
    pub tasks: f64,
}

/// Every pairing arrangement with its two regions and the words that state it.
pub const PAIRINGS: Query<PairingRow> = Query::new(include_str!("pairings.rq"));

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PairingRow {
    pub pairing: String,
    pub first: String,
    pub first_label: String,
    pub second: String,
    pub second_label: String,
    pub quote: String,
}

/// Strategies and what their tasks name, as kept.
pub const STRATEGY_TARGETS: Query<StrategyTarget> = Query::new(include_str!("strategy-targets.rq"));

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StrategyTarget {
    pub strategy: String,
    #[serde(default)]
    pub strategy_label: String,
    pub target: String,
    #[serde(default)]
    pub target_label: String,
    pub class: String,
    /// Whether both links are stated.
    pub stated: bool,
    pub tasks: f64,
}
