//! The gazetteers of `data/gazetteer/` (SKOS in Turtle, embedded at build time) read into
//! lookup tables: a multi-pattern matcher over every label of every strategy, region,
//! region group and platform, and the units of each jurisdiction by their labels.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use oxrdf::{NamedOrBlankNode, Term};
use oxttl::TurtleParser;

use crate::text::fold_str;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/gazetteer.rs"));
}

const POL: &str = "https://policykg.org/ns#";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// What a gazetteer concept is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Strategy,
    Region,
    RegionGroup,
    Platform,
    Unit,
    /// A phrase that holds a label but names nothing (`长治久安`): matched only to hide it.
    NonMention,
}

/// Why gazetteer files could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("data/gazetteer/{name}: {source}")]
    Turtle {
        name: String,
        #[source]
        source: oxttl::TurtleSyntaxError,
    },
    #[error("gazetteer labels: {0}")]
    Matcher(#[from] aho_corasick::BuildError),
}

/// One concept of the gazetteer.
#[derive(Debug, Clone)]
pub struct Entry {
    pub iri: String,
    pub kind: Kind,
    /// The preferred label: the canonical name.
    pub name: String,
    pub labels: Vec<String>,
    /// Member regions (strategies and region groups), as entry indices.
    pub members: Vec<usize>,
    /// `pol:platformType` or `pol:unitType`.
    pub entity_type: Option<String>,
    /// `skos:broader`, as an entry index.
    pub broader: Option<usize>,
}

/// All gazetteers, ready for matching.
pub struct Gazetteer {
    pub entries: Vec<Entry>,
    matcher: AhoCorasick,
    /// For each matcher pattern, the entries carrying that label.
    pattern_entries: Vec<Vec<usize>>,
    /// Units by (jurisdiction as the parser writes it, folded label).
    units: HashMap<(String, String), usize>,
    /// The folded labels of all units, whatever their jurisdiction.
    unit_names: HashSet<String>,
    /// Regions by folded label.
    regions: HashMap<String, usize>,
    /// The source files, for the reference graph.
    pub sources: Vec<(String, String)>,
}

/// A label found in a text: `[start, end)` in bytes of the folded text.
#[derive(Debug, Clone)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub entries: Vec<usize>,
}

static BUILTIN: LazyLock<Gazetteer> = LazyLock::new(|| {
    let sources = embedded::SOURCES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    // The embedded files are checked by the test suite; a broken one is a build defect.
    Gazetteer::from_sources(sources).expect("embedded gazetteers are valid Turtle")
});

impl Gazetteer {
    /// The gazetteers built into the binary.
    pub fn builtin() -> &'static Gazetteer {
        &BUILTIN
    }

    /// Reads gazetteers from (file name, Turtle text) pairs. Units take their jurisdiction
    /// from the file name `units/{jurisdiction}.ttl`.
    pub fn from_sources(sources: Vec<(String, String)>) -> Result<Gazetteer, GazetteerError> {
        #[derive(Default)]
        struct Raw {
            kind: Option<Kind>,
            pref: Option<String>,
            alts: Vec<String>,
            members: Vec<String>,
            entity_type: Option<String>,
            broader: Option<String>,
            jurisdiction: Option<String>,
        }
        let mut raw: HashMap<String, Raw> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for (name, text) in &sources {
            let jurisdiction = name
                .strip_prefix("units/")
                .and_then(|n| n.strip_suffix(".ttl"))
                .map(str::to_string);
            for quad in TurtleParser::new().for_slice(text.as_bytes()) {
                let quad = quad.map_err(|source| GazetteerError::Turtle {
                    name: name.clone(),
                    source,
                })?;
                let NamedOrBlankNode::NamedNode(subject) = quad.subject else {
                    continue;
                };
                let key = subject.as_str().to_string();
                let entry = raw.entry(key.clone()).or_insert_with(|| {
                    order.push(key.clone());
                    Raw::default()
                });
                let predicate = quad.predicate.as_str();
                let value = match &quad.object {
                    Term::Literal(l) => l.value().to_string(),
                    Term::NamedNode(n) => n.as_str().to_string(),
                    _ => continue,
                };
                match predicate {
                    RDF_TYPE => {
                        let kind = match value.strip_prefix(POL) {
                            Some("Strategy") => Some(Kind::Strategy),
                            Some("Region") => Some(Kind::Region),
                            Some("RegionGroup") => Some(Kind::RegionGroup),
                            Some("Platform") => Some(Kind::Platform),
                            Some("Unit") => Some(Kind::Unit),
                            Some("NonMention") => Some(Kind::NonMention),
                            _ => None,
                        };
                        if kind.is_some() {
                            entry.kind = kind;
                            if kind == Some(Kind::Unit) {
                                entry.jurisdiction.clone_from(&jurisdiction);
                            }
                        }
                    }
                    p if p == format!("{SKOS}prefLabel") => entry.pref = Some(value),
                    p if p == format!("{SKOS}altLabel") => entry.alts.push(value),
                    p if p == format!("{SKOS}broader") => entry.broader = Some(value),
                    p if p == format!("{POL}memberRegion") => entry.members.push(value),
                    p if p == format!("{POL}platformType") || p == format!("{POL}unitType") => {
                        entry.entity_type = Some(value);
                    }
                    _ => {}
                }
            }
        }
        let mut entries = Vec::new();
        let mut index_of: HashMap<String, usize> = HashMap::new();
        let mut jurisdictions = Vec::new();
        for iri in &order {
            let r = &raw[iri];
            let (Some(kind), Some(pref)) = (r.kind, r.pref.clone()) else {
                continue;
            };
            let mut labels = vec![pref.clone()];
            labels.extend(r.alts.iter().cloned());
            if kind == Kind::Unit {
                // The name in the IRI is the form the documents write.
                if let Some(short) = iri.rsplit('/').next() {
                    labels.push(short.to_string());
                }
            }
            labels.sort();
            labels.dedup();
            index_of.insert(iri.clone(), entries.len());
            jurisdictions.push(r.jurisdiction.clone());
            entries.push(Entry {
                iri: iri.clone(),
                kind,
                name: if kind == Kind::Unit {
                    iri.rsplit('/').next().unwrap_or(&pref).to_string()
                } else {
                    pref
                },
                labels,
                members: Vec::new(),
                entity_type: r.entity_type.clone(),
                broader: None,
            });
        }
        for entry in &mut entries {
            let r = &raw[&entry.iri];
            entry.members = r
                .members
                .iter()
                .filter_map(|m| index_of.get(m).copied())
                .collect();
            entry.broader = r.broader.as_ref().and_then(|b| index_of.get(b).copied());
        }

        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_entries: Vec<Vec<usize>> = Vec::new();
        let mut pattern_index: HashMap<String, usize> = HashMap::new();
        let mut units = HashMap::new();
        let mut unit_names = HashSet::new();
        let mut regions = HashMap::new();
        for (i, entry) in entries.iter().enumerate() {
            for label in &entry.labels {
                let folded = fold_str(label);
                if entry.kind == Kind::Unit {
                    unit_names.insert(folded.clone());
                    if let Some(j) = &jurisdictions[i] {
                        units.insert((j.clone(), folded), i);
                    }
                    continue;
                }
                if entry.kind == Kind::Region {
                    regions.insert(folded.clone(), i);
                }
                if folded.chars().count() < 2 {
                    continue; // a single character is never a safe mention
                }
                let p = *pattern_index.entry(folded.clone()).or_insert_with(|| {
                    patterns.push(folded);
                    pattern_entries.push(Vec::new());
                    patterns.len() - 1
                });
                if !pattern_entries[p].contains(&i) {
                    pattern_entries[p].push(i);
                }
            }
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)?;
        Ok(Gazetteer {
            entries,
            matcher,
            pattern_entries,
            units,
            unit_names,
            regions,
            sources,
        })
    }

    /// Every label found in `folded`, leftmost-longest, without overlaps. A non-mention
    /// phrase takes its place in the text and is then left out.
    pub fn find_all(&self, folded: &str) -> Vec<Found> {
        self.matcher
            .find_iter(folded)
            .map(|m| Found {
                start: m.start(),
                end: m.end(),
                entries: self.pattern_entries[m.pattern().as_usize()].clone(),
            })
            .filter(|f| {
                f.entries
                    .iter()
                    .any(|&e| self.entries[e].kind != Kind::NonMention)
            })
            .collect()
    }

    /// The region a label names (`辽宁省` → the entry of 辽宁).
    pub fn region(&self, label: &str) -> Option<&Entry> {
        self.regions
            .get(&fold_str(label))
            .map(|&i| &self.entries[i])
    }

    /// The unit of a jurisdiction that a name denotes.
    pub fn unit(&self, jurisdiction: &str, name: &str) -> Option<&Entry> {
        self.units
            .get(&(jurisdiction.to_string(), fold_str(name)))
            .map(|&i| &self.entries[i])
    }

    /// Whether `name` is a label of a unit of any jurisdiction.
    pub fn knows_unit(&self, name: &str) -> bool {
        self.unit_names.contains(&fold_str(name))
    }

    /// The concept of `kind` whose canonical name is `name`.
    pub fn concept(&self, kind: Kind, name: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.kind == kind && e.name == name)
    }

    /// The platform entry whose label is `name`, if listed.
    pub fn platform(&self, name: &str) -> Option<&Entry> {
        let folded = fold_str(name);
        self.matcher
            .find_iter(&folded)
            .find(|m| m.start() == 0 && m.end() == folded.len())
            .and_then(|m| {
                self.pattern_entries[m.pattern().as_usize()]
                    .iter()
                    .map(|&i| &self.entries[i])
                    .find(|e| e.kind == Kind::Platform)
            })
    }
}
