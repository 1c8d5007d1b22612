//! Constraint checks: each shape of `ontology/shapes.ttl` is also a SPARQL query in
//! `checks/` that returns the offending nodes with a message. `validate` runs
//! them all.

use oxigraph::sparql::CancellationToken;

use crate::sparql::{QueryError, Select};
use crate::store::{PolicyStore, StoreError};

/// A named constraint check.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    pub name: &'static str,
    pub query: &'static str,
}

/// The checks, in the order they run.
pub const CHECKS: [Check; 4] = [
    Check {
        name: "task-has-one-section",
        query: include_str!("checks/task-has-one-section.rq"),
    },
    Check {
        name: "task-has-unit-link",
        query: include_str!("checks/task-has-unit-link.rq"),
    },
    Check {
        name: "evidence-inside-text",
        query: include_str!("checks/evidence-inside-text.rq"),
    },
    Check {
        name: "unit-has-label-and-jurisdiction",
        query: include_str!("checks/unit-has-label-and-jurisdiction.rq"),
    },
];

/// One node that breaks a constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub check: &'static str,
    pub node: String,
    pub message: String,
}

/// Runs every check; returns the violations, sorted by check and node.
pub fn validate(
    store: &PolicyStore,
    cancellation: CancellationToken,
) -> Result<Vec<Violation>, QueryError> {
    /// A row of a check: the offending node and what is wrong with it.
    #[derive(serde::Deserialize)]
    struct Offence {
        #[serde(default)]
        node: String,
        #[serde(default)]
        message: String,
    }
    let mut violations = Vec::new();
    for check in CHECKS {
        let offences: Vec<Offence> = Select::new(check.query)
            .within(cancellation.clone())
            .rows(store)?;
        violations.extend(offences.into_iter().map(|o| Violation {
            check: check.name,
            node: o.node,
            message: o.message,
        }));
    }
    Ok(violations)
}

/// The name of the check that the kept statistics equal a recount.
pub const STATISTICS_CHECK: &str = "statistics-match-recount";

/// Compares the statistics kept at every write with a count of every quad: a violation
/// when a write was left half done (or the statistics went stale some other way).
pub fn check_statistics(store: &PolicyStore) -> Result<Option<Violation>, StoreError> {
    let (kept, counted) = (store.stats()?, store.counted_stats()?);
    Ok((kept != counted).then(|| Violation {
        check: STATISTICS_CHECK,
        node: policykg_extract::vocab::STATISTICS_GRAPH.as_str().to_string(),
        message: format!(
            "kept statistics ({} documents, {} tasks, {} units, {} graphs) differ from a recount ({}, {}, {}, {})",
            kept.documents,
            kept.tasks,
            kept.units,
            kept.graphs.len(),
            counted.documents,
            counted.tasks,
            counted.units,
            counted.graphs.len()
        ),
    }))
}
