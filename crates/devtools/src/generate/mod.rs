//! A deterministic generator of documents of the genre, for measuring the tool on corpora
//! of any size.
//!
//! Each document recombines what the real ones are made of: a cover notice
//! (…关于印发…的通知 with its 文号, addressees, signature and 此件公开发布) or a direct or bare
//! title; heading layouts 一、/（一）/1.; every unit annotation form the parser reads
//! (labels, the 列第一位/第一个逗号前/标★ conventions, verbs, stand-alone unit lines, task
//! tables, carry-forward notes); the units of the issuing jurisdiction's gazetteer, a few
//! departments named far more often than the rest; and strategies, partner regions,
//! platforms and dated goals in the task texts.
//!
//! [`generate_document`] returns the text with what was put in: the metadata and, per
//! task, its units by role as the parser is expected to read them. Document `index` of
//! `seed` is the same bytes on every run, whatever other documents are generated
//! (each document draws from its own stream of a ChaCha generator).

mod compose;
mod phrases;
mod pools;

use std::path::{Path, PathBuf};

use serde::Serialize;

use policykg_extract::model::{ByRole, Metadata, Role};
use policykg_extract::{Classified, ErrorKind};

/// Changes whenever the same seed would give different documents.
pub const GENERATOR_VERSION: &str = "1";

/// The name of the file holding the manifest of a generated corpus.
pub const MANIFEST: &str = "manifest.json";

/// How unit annotations are written in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnnotationStyle {
    /// `（牵头单位：A，责任单位：B、C，各市政府）`
    LabelLeadResponsible,
    /// `（牵头单位：A，配合单位：B、C）`
    LabelLeadSupporting,
    /// `（责任单位：A、B，各市政府）`, every unit responsible.
    ResponsibleOnly,
    /// `（责任单位：A、B。列第一位的为牵头单位，下同。以下均需…落实，不再列出）`
    FirstListedLead,
    /// `〔责任单位：A、B，C；第一个逗号前为牵头单位，下同〕`
    BeforeCommaLead,
    /// `（A牵头，B、C配合，各市政府落实）`
    Verb,
    /// `（A、B负责。列第一位者为牵头单位，下同）`
    VerbFirstListed,
    /// A line of its own under the task: `责任单位：A、B`, `部门分工：A牵头，B配合。` …
    Standalone,
    /// `注：标★的为牵头单位。` and `（责任单位：A★、B）`
    MarkedLead,
    /// An attached task table (序号/工作事项/主要内容/牵头单位/配合单位).
    Table,
}

impl AnnotationStyle {
    pub const ALL: [AnnotationStyle; 10] = [
        AnnotationStyle::LabelLeadResponsible,
        AnnotationStyle::LabelLeadSupporting,
        AnnotationStyle::ResponsibleOnly,
        AnnotationStyle::FirstListedLead,
        AnnotationStyle::BeforeCommaLead,
        AnnotationStyle::Verb,
        AnnotationStyle::VerbFirstListed,
        AnnotationStyle::Standalone,
        AnnotationStyle::MarkedLead,
        AnnotationStyle::Table,
    ];
}

/// What opens a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeaderKind {
    /// …关于印发…的通知, 文号, addressees, signature, then the issued document.
    CoverNotice,
    /// …关于…的实施意见 with 文号 and addressees, signed at the end.
    Direct,
    /// A title alone (…实施方案), signed at the end, no 文号.
    Bare,
}

/// How headings nest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeadingLayout {
    /// 一、总体要求 / 二、主要任务 / （一） / 1. items / 三、保障措施.
    Deep,
    /// 一、 sections of （一） items, numbered on or restarting.
    Flat,
    /// 一、 sections of 1. items numbered on across sections.
    Items,
}

/// The choices a document was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub jurisdiction: &'static str,
    /// Whether the units are those of a unit gazetteer (and so resolve when linked).
    pub units_in_gazetteer: bool,
    pub year: u16,
    pub header: HeaderKind,
    pub layout: HeadingLayout,
    pub style: AnnotationStyle,
}

/// One task as the parser is expected to report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectedTask {
    /// The item number as the parser writes it (`3`, `十二`, `十二-2`, a table's `4`).
    pub number: String,
    pub title: String,
    /// The units by role; implied ones are those a carry-forward note assigns to the task.
    #[serde(flatten)]
    pub units: ByRole<Vec<String>>,
    /// Canonical names of the strategies, regions and platforms the task's text names.
    pub strategies: Vec<String>,
    pub regions: Vec<String>,
    pub platforms: Vec<String>,
}

impl ExpectedTask {
    pub fn units(&self, role: Role) -> &[String] {
        &self.units[role]
    }
}

/// A generated document and what was put in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedDocument {
    /// The text, UTF-8, lines ended by `\n`.
    pub text: String,
    /// The metadata the parser is expected to read (no pairings are written).
    pub metadata: Metadata,
    /// The tasks in document order.
    pub tasks: Vec<ExpectedTask>,
    pub profile: Profile,
}

/// Generates document `index` (from 0) of the corpus of `seed`.
pub fn generate_document(seed: u64, index: usize) -> GeneratedDocument {
    compose::compose(seed, index)
}

/// What [`generate_corpus`] is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorpusOptions {
    /// Number of documents.
    pub docs: usize,
    pub seed: u64,
}

/// What [`generate_corpus`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusSummary {
    pub docs: usize,
    /// Tasks across all documents.
    pub tasks: usize,
    /// Bytes of the document files.
    pub bytes: u64,
    pub manifest: PathBuf,
}

/// Why a corpus could not be written.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the directory holds files the generator did not write ({example})")]
    NotEmpty { path: PathBuf, example: String },
}

impl Classified for GenerateError {
    fn kind(&self) -> ErrorKind {
        match self {
            GenerateError::Io { .. } => ErrorKind::Internal,
            GenerateError::NotEmpty { .. } => ErrorKind::Invalid,
        }
    }
}

/// The file name of document `index` (from 0) in a corpus of `docs` documents:
/// `gen-00001.txt` …, zero-padded so that names sort in document order.
pub fn file_name(index: usize, docs: usize) -> String {
    let width = docs.to_string().len().max(5);
    format!("gen-{:0width$}.txt", index + 1)
}

fn is_generated(name: &str) -> bool {
    name == MANIFEST
        || name
            .strip_prefix("gen-")
            .and_then(|n| n.strip_suffix(".txt"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[derive(Serialize)]
struct Manifest<'a> {
    generator: &'a str,
    version: &'a str,
    seed: u64,
    docs: usize,
    tasks: usize,
    bytes: u64,
    first: Option<String>,
    last: Option<String>,
}

/// Writes `options.docs` documents of `options.seed` into `out` (created if needed), one
/// `gen-NNNNN.txt` file each, and a `manifest.json` with the seed, the count and the
/// generator version. Files of an earlier run in `out` are replaced; any other file there
/// is an error, so that a corpus directory never mixes sources.
pub fn generate_corpus(
    options: &CorpusOptions,
    out: &Path,
) -> Result<CorpusSummary, GenerateError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| GenerateError::Io { path, source }
    };
    std::fs::create_dir_all(out).map_err(io(out))?;
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(out).map_err(io(out))? {
        let entry = entry.map_err(io(out))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_generated(&name) {
            return Err(GenerateError::NotEmpty {
                path: out.to_path_buf(),
                example: name,
            });
        }
        stale.push(entry.path());
    }
    for path in stale {
        std::fs::remove_file(&path).map_err(io(&path))?;
    }
    let mut tasks = 0;
    let mut bytes = 0;
    for index in 0..options.docs {
        let doc = generate_document(options.seed, index);
        let path = out.join(file_name(index, options.docs));
        std::fs::write(&path, doc.text.as_bytes()).map_err(io(&path))?;
        tasks += doc.tasks.len();
        bytes += doc.text.len() as u64;
    }
    let manifest = Manifest {
        generator: "policykg-dev gen-corpus",
        version: GENERATOR_VERSION,
        seed: options.seed,
        docs: options.docs,
        tasks,
        bytes,
        first: (options.docs > 0).then(|| file_name(0, options.docs)),
        last: (options.docs > 0).then(|| file_name(options.docs - 1, options.docs)),
    };
    let path = out.join(MANIFEST);
    let mut json = serde_json::to_string_pretty(&manifest).expect("the manifest serialises");
    json.push('\n');
    std::fs::write(&path, json).map_err(io(&path))?;
    Ok(CorpusSummary {
        docs: options.docs,
        tasks,
        bytes,
        manifest: path,
    })
}

#[cfg(test)]
mod tests {
    use super::pools::{PLACES, POOLS};
    use super::*;
    use policykg_extract::model::Source;
    use policykg_extract::{Gazetteer, extract};

    fn read(text: &str) -> Vec<[Vec<String>; 3]> {
        let source = Source {
            path: "pool.txt".to_string(),
            sha256: String::new(),
            encoding: "UTF-8".to_string(),
            format: policykg_extract::decode::SourceFormat::Text,
        };
        let doc = extract(text.to_string(), source, Gazetteer::builtin());
        assert!(
            doc.warnings.iter().all(|w| w.line.is_none()),
            "{:?}",
            doc.warnings
        );
        doc.tasks
            .iter()
            .map(|t| {
                [Role::Lead, Role::Responsible, Role::Supporting]
                    .map(|r| t.units(r).iter().map(|u| u.name.clone()).collect())
            })
            .collect()
    }

    /// Every unit the generator may write is read back whole, in each position of the
    /// label, verb and table forms, and resolves where it comes from a unit gazetteer.
    #[test]
    fn every_unit_of_every_pool_is_read_whole() {
        for (place, pool) in PLACES.iter().zip(&POOLS.units) {
            let hub = &pool.departments[0];
            let tail = pool.collectives.first();
            let mut units: Vec<&String> = pool.departments[1..].iter().collect();
            units.extend(&pool.territorial);
            for unit in units {
                let collective = tail.map(|c| format!("，{c}")).unwrap_or_default();
                let carried = tail.map(|c| format!("，{c}落实")).unwrap_or_default();
                let text = format!(
                    "{}人民政府办公厅关于测试的通知\n一、测试\n（一）甲。推进工作。（牵头单位：{unit}，责任单位：{hub}{collective}）\n（二）乙。推进工作。（{hub}牵头，{unit}配合{carried}）\n（三）丙。推进工作。（责任单位：{hub}、{unit}{collective}）\n序号\t工作事项\t牵头单位\t配合单位\n1\t丁\t{unit}\t{hub}{collective}\n",
                    place.name
                );
                let tail: Vec<String> = tail.cloned().into_iter().collect();
                let with_tail = |first: &String| {
                    let mut v = vec![first.clone()];
                    v.extend(tail.iter().cloned());
                    v
                };
                let want = vec![
                    [vec![unit.clone()], with_tail(hub), vec![]],
                    [vec![hub.clone()], tail.clone(), vec![unit.clone()]],
                    [
                        vec![],
                        {
                            let mut v = vec![hub.clone(), unit.clone()];
                            v.extend(tail.iter().cloned());
                            v
                        },
                        vec![],
                    ],
                    [vec![unit.clone()], vec![], with_tail(hub)],
                ];
                assert_eq!(read(&text), want, "{} {unit}", place.name);
            }
        }
    }

    #[test]
    fn pools_of_gazetteer_jurisdictions_resolve() {
        let gazetteer = Gazetteer::builtin();
        for (place, pool) in PLACES.iter().zip(&POOLS.units) {
            assert!(pool.departments.len() >= 5, "{}", place.name);
            if !pool.in_gazetteer {
                continue;
            }
            for unit in pool
                .departments
                .iter()
                .chain(&pool.collectives)
                .chain(&pool.territorial)
                .chain(&pool.issuers)
            {
                assert!(
                    gazetteer.unit(place.name, unit).is_some(),
                    "{} {unit}",
                    place.name
                );
            }
        }
    }

    #[test]
    fn file_names_sort_in_document_order() {
        assert_eq!(file_name(0, 10), "gen-00001.txt");
        assert_eq!(file_name(9_999, 10_000), "gen-10000.txt");
        assert_eq!(file_name(0, 200_000), "gen-000001.txt");
        assert!(is_generated("gen-00001.txt") && is_generated(MANIFEST));
        assert!(!is_generated("gen-.txt") && !is_generated("notes.txt"));
    }
}
