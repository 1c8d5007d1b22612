//! The accuracy harness: compares what the parser and the linker extract from a document
//! with a gold annotation file (format in `tests/gold/README.md`) and scores precision,
//! recall and F1 per kind: tasks, unit references, strategies, regions (stated, and
//! inferred with their rule), region groups, platforms (and those planned) and pairings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use policykg_extract::ParseError;
use policykg_extract::extract_file;
use policykg_extract::link::Gazetteer;
use policykg_extract::model::{ByRole, EntityLink, LinkKind, ParsedDocument, Role, Rule, Task};

/// Why a gold file could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read gold file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a gold annotation file: {source}")]
    Format {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path}: document {document} not found")]
    NoDocument { path: PathBuf, document: String },
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// Reads a gold file, extracts the document it names and scores the extraction. The
/// document path is read relative to the current directory, or else to the directories
/// above the gold file (the project it belongs to).
pub fn score_file(path: &Path, gazetteer: &Gazetteer) -> Result<(Gold, Vec<Score>), EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let gold: Gold = serde_json::from_str(&text).map_err(|source| EvalError::Format {
        path: path.to_path_buf(),
        source,
    })?;
    let document = std::iter::once(PathBuf::from(&gold.document))
        .chain(path.ancestors().skip(1).map(|dir| dir.join(&gold.document)))
        .find(|p| p.is_file())
        .ok_or_else(|| EvalError::NoDocument {
            path: path.to_path_buf(),
            document: gold.document.clone(),
        })?;
    let doc = extract_file(&document, gazetteer)?;
    let scores = score(&doc, &gold);
    Ok((gold, scores))
}

/// A gold annotation file.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// The document, relative to the project root.
    pub document: String,
    /// The metadata the document states, where the file gives it.
    #[serde(default)]
    pub metadata: GoldMetadata,
    pub tasks: Vec<GoldTask>,
    /// Present when the file annotates pairings.
    pub pairings: Option<Vec<[String; 2]>>,
}

/// The metadata of a gold file: each field as the parser should read it, `null` when the
/// document does not state it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldMetadata {
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
}

/// One task of a gold file. Entity lists are `None` when the file does not annotate them.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldTask {
    pub number: String,
    pub title: Option<String>,
    pub section: String,
    /// The units by role; a role the file leaves out has none.
    #[serde(flatten)]
    pub units: ByRole<Vec<String>>,
    pub strategies: Option<Vec<String>>,
    /// Regions the text names by themselves (never the members of a compact form).
    pub regions: Option<Vec<String>>,
    /// Compact forms naming several regions (`京津冀`), by the group's canonical name.
    pub region_groups: Option<Vec<String>>,
    /// Regions that follow from the text by a rule, with the rule.
    pub inferred_regions: Option<Vec<GoldInferred>>,
    pub platforms: Option<Vec<String>>,
    /// The platforms of `platforms` that the text plans to build.
    pub planned_platforms: Option<Vec<String>>,
}

impl GoldTask {
    /// The names given for `role`.
    pub fn units(&self, role: Role) -> &[String] {
        &self.units[role]
    }
}

/// An inferred link of a gold file: the target's canonical name and the rule's id.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldInferred {
    pub name: String,
    pub rule: Rule,
}

/// Scores of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub kind: &'static str,
    pub gold: usize,
    pub extracted: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Score {
    fn new(kind: &'static str, gold: &[String], extracted: &[String]) -> Score {
        let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
        for key in gold {
            counts.entry(key).or_default().0 += 1;
        }
        for key in extracted {
            counts.entry(key).or_default().1 += 1;
        }
        let matched: usize = counts.values().map(|(g, e)| g.min(e)).copied().sum();
        let ratio = |num: usize, den: usize| {
            if den == 0 {
                1.0
            } else {
                num as f64 / den as f64
            }
        };
        let precision = ratio(matched, extracted.len());
        let recall = ratio(matched, gold.len());
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Score {
            kind,
            gold: gold.len(),
            extracted: extracted.len(),
            matched,
            precision,
            recall,
            f1,
        }
    }
}

/// How an entity kind is scored: its name, the gold task's list (`None` when the file does
/// not annotate the kind) and the extracted task's list, as comparable keys.
type EntityKind = (
    &'static str,
    fn(&GoldTask) -> Option<Vec<String>>,
    fn(&Task) -> Vec<String>,
);

/// Stated links of a list, by name.
fn stated(links: &[EntityLink]) -> Vec<String> {
    links
        .iter()
        .filter(|l| l.link == LinkKind::Stated)
        .map(|l| l.name.clone())
        .collect()
}

/// The entity kinds scored: stated links by name, inferred regions by name and rule.
const ENTITY_KINDS: [EntityKind; 6] = [
    (
        "strategies",
        |t| t.strategies.clone(),
        |t| stated(&t.links.strategies),
    ),
    (
        "regions",
        |t| t.regions.clone(),
        |t| stated(&t.links.regions),
    ),
    (
        "region groups",
        |t| t.region_groups.clone(),
        |t| stated(&t.links.region_groups),
    ),
    (
        "inferred regions",
        |t| {
            t.inferred_regions.as_ref().map(|list| {
                list.iter()
                    .map(|i| format!("{}|{}", i.name, i.rule))
                    .collect()
            })
        },
        |t| {
            t.links
                .regions
                .iter()
                .filter(|l| l.link == LinkKind::Inferred)
                .map(|l| {
                    let rule = l.rule.map(Rule::as_str).unwrap_or_default();
                    format!("{}|{rule}", l.name)
                })
                .collect()
        },
    ),
    (
        "platforms",
        |t| t.platforms.clone(),
        |t| stated(&t.links.platforms),
    ),
    (
        "planned platforms",
        |t| t.planned_platforms.clone(),
        |t| {
            t.links
                .platforms
                .iter()
                .filter(|l| l.link == LinkKind::Stated && l.planned)
                .map(|l| l.name.clone())
                .collect()
        },
    ),
];

/// Scores `doc` against `gold`. Entity kinds are scored only when the gold file has them;
/// strategies, regions, region groups and platforms by their stated links, inferred regions
/// with the rule that concludes them.
pub fn score(doc: &ParsedDocument, gold: &Gold) -> Vec<Score> {
    let section_title = |id: &Option<String>| {
        id.as_deref()
            .and_then(|id| doc.section(id))
            .map(|s| s.title.clone())
            .unwrap_or_default()
    };
    let task_keys: Vec<String> = doc
        .tasks
        .iter()
        .map(|t| format!("{}|{}", section_title(&t.section), t.number))
        .collect();
    let gold_keys: Vec<String> = gold
        .tasks
        .iter()
        .map(|t| format!("{}|{}", t.section, t.number))
        .collect();
    let mut scores = vec![Score::new("tasks", &gold_keys, &task_keys)];

    let mut gold_units = Vec::new();
    for (key, task) in gold_keys.iter().zip(&gold.tasks) {
        for (role, names) in task.units.iter() {
            gold_units.extend(names.iter().map(|n| format!("{key}|{}|{n}", role.as_str())));
        }
    }
    let mut units = Vec::new();
    for (key, task) in task_keys.iter().zip(&doc.tasks) {
        for role in Role::ALL {
            units.extend(
                task.units(role)
                    .iter()
                    .map(|u| format!("{key}|{}|{}", role.as_str(), u.name)),
            );
        }
    }
    scores.push(Score::new("unit references", &gold_units, &units));

    for (kind, pick, extract) in ENTITY_KINDS {
        if gold.tasks.iter().all(|t| pick(t).is_none()) {
            continue;
        }
        let mut gold_links = Vec::new();
        for (key, task) in gold_keys.iter().zip(&gold.tasks) {
            if let Some(names) = pick(task) {
                gold_links.extend(names.iter().map(|n| format!("{key}|{n}")));
            }
        }
        let mut links = Vec::new();
        for (key, task) in task_keys.iter().zip(&doc.tasks) {
            links.extend(extract(task).into_iter().map(|n| format!("{key}|{n}")));
        }
        scores.push(Score::new(kind, &gold_links, &links));
    }
    if let Some(pairings) = &gold.pairings {
        let want: Vec<String> = pairings.iter().map(|[a, b]| format!("{a}|{b}")).collect();
        let got: Vec<String> = doc
            .document
            .pairings
            .iter()
            .map(|[a, b]| format!("{a}|{b}"))
            .collect();
        scores.push(Score::new("pairings", &want, &got));
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_count_multisets() {
        let s = Score::new(
            "x",
            &["a".into(), "a".into(), "b".into()],
            &["a".into(), "c".into()],
        );
        assert_eq!((s.gold, s.extracted, s.matched), (3, 2, 1));
        assert!((s.precision - 0.5).abs() < 1e-9);
        assert!((s.recall - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.f1 - 0.4).abs() < 1e-9);
        let empty = Score::new("x", &[], &[]);
        assert_eq!(empty.f1, 1.0);
    }
}
