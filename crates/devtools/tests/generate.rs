//! The corpus generator: the same seed gives the same bytes, and the parser reads back
//! exactly the tasks, units and metadata each document was made with.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use policykg_devtools::generate::{
    AnnotationStyle, CorpusOptions, ExpectedTask, GeneratedDocument, HeaderKind, HeadingLayout,
    MANIFEST, generate_corpus, generate_document,
};
use policykg_extract::extract;
use policykg_extract::link::Gazetteer;
use policykg_extract::model::{ParsedDocument, Role, Source, Task};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("generate-{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("scratch directory is removable");
    }
    dir
}

fn read_dir_sorted(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("directory is readable")
        .map(|e| {
            let path = e.expect("entry").path();
            let name = path
                .file_name()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&path).expect("file is readable"))
        })
        .collect();
    files.sort();
    files
}

fn parse(doc: &GeneratedDocument, name: &str) -> ParsedDocument {
    let source = Source {
        path: name.to_string(),
        sha256: String::new(),
        encoding: "UTF-8".to_string(),
        format: policykg_extract::decode::SourceFormat::Text,
    };
    extract(doc.text.clone(), source, Gazetteer::builtin())
}

/// A task as the parser read it, in the generator's terms (entities left out).
fn read_back(task: &Task) -> ExpectedTask {
    ExpectedTask {
        number: task.number.clone(),
        title: task.title.clone(),
        units: task
            .units
            .clone()
            .map(|units| units.into_iter().map(|u| u.name).collect()),
        strategies: Vec::new(),
        regions: Vec::new(),
        platforms: Vec::new(),
    }
}

fn without_entities(task: &ExpectedTask) -> ExpectedTask {
    ExpectedTask {
        strategies: Vec::new(),
        regions: Vec::new(),
        platforms: Vec::new(),
        ..task.clone()
    }
}

/// Checks one document; returns a description of every difference.
fn differences(doc: &GeneratedDocument, name: &str) -> Vec<String> {
    let parsed = parse(doc, name);
    let mut out = Vec::new();
    let got: Vec<ExpectedTask> = parsed.tasks.iter().map(read_back).collect();
    let want: Vec<ExpectedTask> = doc.tasks.iter().map(without_entities).collect();
    if got.len() != want.len() {
        out.push(format!("{} tasks read, {} written", got.len(), want.len()));
    }
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        if g != w {
            out.push(format!("task {}: read {g:?}\n  written {w:?}", i + 1));
        }
    }
    let meta = &parsed.document;
    let expected = &doc.metadata;
    for (field, got, want) in [
        ("title", &meta.title, &expected.title),
        ("doc_number", &meta.doc_number, &expected.doc_number),
        ("issuer", &meta.issuer, &expected.issuer),
        ("jurisdiction", &meta.jurisdiction, &expected.jurisdiction),
        ("date", &meta.date, &expected.date),
        ("publication", &meta.publication, &expected.publication),
        ("issued_title", &meta.issued_title, &expected.issued_title),
    ] {
        if got != want {
            out.push(format!("{field}: read {got:?}, written {want:?}"));
        }
    }
    if meta.addressees != expected.addressees {
        out.push(format!(
            "addressees: read {:?}, written {:?}",
            meta.addressees, expected.addressees
        ));
    }
    // The only warnings allowed are for header fields the document leaves out on purpose.
    let mut allowed = Vec::new();
    if expected.doc_number.is_none() {
        allowed.push("no document number (文号) found");
    }
    if expected.addressees.is_empty() {
        allowed.push("no addressees (主送) found");
    }
    if expected.publication.is_none() {
        allowed.push("no publication note (此件…) found");
    }
    let warnings: Vec<&str> = parsed.warnings.iter().map(|w| w.message.as_str()).collect();
    if warnings != allowed {
        out.push(format!("warnings {warnings:?}, allowed {allowed:?}"));
    }
    out
}

fn check_documents(seed: u64, count: usize) {
    let mut failures = Vec::new();
    for index in 0..count {
        let doc = generate_document(seed, index);
        let found = differences(&doc, &format!("gen-{index}"));
        if !found.is_empty() {
            failures.push(format!(
                "document {index} ({:?}):\n{}",
                doc.profile,
                found.join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} documents differ:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_parser_reads_back_what_fifty_documents_were_made_with() {
    check_documents(7, 50);
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes() {
    let a = scratch("same-a");
    let b = scratch("same-b");
    let c = scratch("other");
    for (dir, seed) in [(&a, 7), (&b, 7), (&c, 8)] {
        generate_corpus(&CorpusOptions { docs: 20, seed }, dir).expect("corpus is written");
    }
    let (a_files, b_files, c_files) = (
        read_dir_sorted(&a),
        read_dir_sorted(&b),
        read_dir_sorted(&c),
    );
    assert_eq!(a_files, b_files);
    for ((name, a_bytes), (_, c_bytes)) in a_files.iter().zip(&c_files) {
        if name.ends_with(".txt") {
            assert_ne!(a_bytes, c_bytes, "{name} is the same for seeds 7 and 8");
        }
    }
    // A document does not depend on how many others are generated with it.
    assert_eq!(
        generate_document(7, 3).text.as_bytes(),
        &a_files[3].1[..],
        "document 4 of seed 7"
    );
    for dir in [a, b, c] {
        std::fs::remove_dir_all(dir).expect("scratch directory is removable");
    }
}

#[test]
fn corpora_of_ten_and_a_hundred_documents() {
    for docs in [10, 100] {
        let dir = scratch(&format!("size-{docs}"));
        let summary =
            generate_corpus(&CorpusOptions { docs, seed: 11 }, &dir).expect("corpus is written");
        assert_eq!(summary.docs, docs);
        let files = read_dir_sorted(&dir);
        let texts: Vec<&(String, Vec<u8>)> =
            files.iter().filter(|(n, _)| n.ends_with(".txt")).collect();
        assert_eq!(texts.len(), docs);
        assert_eq!(files.len(), docs + 1, "the texts and the manifest");
        assert_eq!(texts[0].0, "gen-00001.txt");
        assert_eq!(texts[docs - 1].0, format!("gen-{docs:05}.txt"));
        let mut bytes = 0;
        for (name, content) in &texts {
            let text = std::str::from_utf8(content).unwrap_or_else(|_| panic!("{name} is UTF-8"));
            assert!(text.ends_with('\n'));
            bytes += content.len() as u64;
        }
        assert_eq!(summary.bytes, bytes);
        let manifest: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.join(MANIFEST)).expect("manifest is written"),
        )
        .expect("manifest is JSON");
        assert_eq!(manifest["seed"], 11);
        assert_eq!(manifest["docs"], docs);
        assert_eq!(
            manifest["version"],
            policykg_devtools::generate::GENERATOR_VERSION
        );
        assert_eq!(manifest["tasks"], summary.tasks);
        // A smaller corpus written over it leaves no stale document behind.
        generate_corpus(&CorpusOptions { docs: 3, seed: 11 }, &dir).expect("rewritten");
        assert_eq!(read_dir_sorted(&dir).len(), 4);
        std::fs::remove_dir_all(&dir).expect("scratch directory is removable");
    }
}

#[test]
fn a_directory_with_other_files_is_refused() {
    let dir = scratch("foreign");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let err = generate_corpus(&CorpusOptions { docs: 2, seed: 1 }, &dir).unwrap_err();
    assert!(err.to_string().contains("notes.txt"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn documents_vary_over_jurisdictions_years_forms_and_sizes() {
    let docs: Vec<GeneratedDocument> = (0..300).map(|i| generate_document(3, i)).collect();
    let jurisdictions: BTreeSet<&str> = docs.iter().map(|d| d.profile.jurisdiction).collect();
    for j in [
        "辽宁省",
        "湖北省",
        "上海市",
        "广州市",
        "杭州市",
        "宁波市",
        "郑州市",
        "南充市",
        "中国",
    ] {
        assert!(jurisdictions.contains(j), "no document of {j}");
    }
    assert!(
        docs.iter().any(|d| !d.profile.units_in_gazetteer),
        "some documents come from jurisdictions without a unit gazetteer"
    );
    let years: BTreeSet<u16> = docs.iter().map(|d| d.profile.year).collect();
    assert_eq!(years, (2015..=2026).collect());
    let styles: HashSet<AnnotationStyle> = docs.iter().map(|d| d.profile.style).collect();
    for style in AnnotationStyle::ALL {
        assert!(styles.contains(&style), "no document in style {style:?}");
    }
    let headers: HashSet<HeaderKind> = docs.iter().map(|d| d.profile.header).collect();
    assert_eq!(headers.len(), 3);
    let layouts: HashSet<HeadingLayout> = docs.iter().map(|d| d.profile.layout).collect();
    assert_eq!(layouts.len(), 3);
    let sizes: Vec<usize> = docs.iter().map(|d| d.tasks.len()).collect();
    assert!(sizes.iter().any(|&n| n <= 7), "{sizes:?}");
    assert!(sizes.iter().any(|&n| n >= 50), "{sizes:?}");
    assert!(
        docs.iter()
            .any(|d| d.tasks.iter().any(|t| !t.units.implied.is_empty()))
    );
    assert!(
        docs.iter().any(|d| d
            .text
            .lines()
            .any(|l| l.contains('〇') && l.ends_with('日'))),
        "some dates are written in Chinese numerals"
    );
}

#[test]
fn a_few_departments_are_named_far_more_often_than_the_rest() {
    // Per jurisdiction, how many tasks name each unit.
    let mut counts: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for index in 0..300 {
        let doc = generate_document(5, index);
        let per_unit = counts.entry(doc.profile.jurisdiction).or_default();
        for task in &doc.tasks {
            let named: BTreeSet<&String> = task
                .units
                .lead
                .iter()
                .chain(&task.units.responsible)
                .chain(&task.units.supporting)
                .collect();
            for unit in named {
                *per_unit.entry(unit.clone()).or_default() += 1;
            }
        }
    }
    let liaoning = &counts["辽宁省"];
    let mut frequencies: Vec<usize> = liaoning.values().copied().collect();
    frequencies.sort_unstable_by(|a, b| b.cmp(a));
    let median = frequencies[frequencies.len() / 2];
    assert!(
        frequencies[0] >= 5 * median.max(1),
        "the most named unit of 辽宁省 is named {} times, the median {median}",
        frequencies[0]
    );
}

#[test]
fn units_of_gazetteer_jurisdictions_resolve_and_task_texts_name_their_entities() {
    let mut failures = Vec::new();
    for index in 0..60 {
        let doc = generate_document(7, index);
        let parsed = parse(&doc, &format!("gen-{index}"));
        for (task, expected) in parsed.tasks.iter().zip(&doc.tasks) {
            if doc.profile.units_in_gazetteer {
                for role in Role::ALL {
                    for unit in task.units(role) {
                        if unit.concept.is_none() {
                            failures.push(format!("{index}: {} does not resolve", unit.name));
                        }
                    }
                }
            }
            let linked = |list: &[policykg_extract::model::EntityLink]| -> BTreeSet<String> {
                list.iter().map(|l| l.name.clone()).collect()
            };
            for (kind, named, found) in [
                (
                    "strategy",
                    &expected.strategies,
                    linked(&task.links.strategies),
                ),
                ("region", &expected.regions, linked(&task.links.regions)),
                (
                    "platform",
                    &expected.platforms,
                    linked(&task.links.platforms),
                ),
            ] {
                for name in named {
                    if !found.contains(name) {
                        failures.push(format!(
                            "{index} task {}: {kind} {name} not linked (found {found:?})",
                            task.id
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same check over many documents and seeds: `POLICYKG_GEN_DOCS` per seed (200).
#[test]
#[ignore = "slow: run with --ignored"]
fn the_parser_reads_back_documents_of_many_seeds() {
    let count = std::env::var("POLICYKG_GEN_DOCS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    for seed in [1, 2, 3, 42, 2026] {
        check_documents(seed, count);
    }
}

/// Times the generation of corpora and counts the quads ingested documents give; prints,
/// asserts nothing. `POLICYKG_GEN_SIZES` (default `1000,10000`), `POLICYKG_GEN_OUT`
/// (default a directory under the target's tmp) and `POLICYKG_GEN_SAMPLE` (documents
/// ingested, default 20) choose what and where.
#[test]
#[ignore = "measurement: run with --ignored --nocapture"]
fn measure() {
    let sizes: Vec<usize> = std::env::var("POLICYKG_GEN_SIZES")
        .unwrap_or_else(|_| "1000,10000".to_string())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let root = std::env::var("POLICYKG_GEN_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_TARGET_TMPDIR")).join("generate-measure"));
    for docs in sizes {
        let dir = root.join(docs.to_string());
        let start = std::time::Instant::now();
        let summary =
            generate_corpus(&CorpusOptions { docs, seed: 7 }, &dir).expect("corpus is written");
        let elapsed = start.elapsed();
        println!(
            "{docs} documents: {:.2} s, {} bytes ({:.1} KB a document), {} tasks ({:.1} a document) in {}",
            elapsed.as_secs_f64(),
            summary.bytes,
            summary.bytes as f64 / docs as f64 / 1024.0,
            summary.tasks,
            summary.tasks as f64 / docs as f64,
            dir.display()
        );
    }
    let gazetteer = Gazetteer::builtin();
    let store = policykg_store::memory_store(gazetteer).expect("store opens");
    let reference = store.oxigraph().len().expect("store counts");
    let sample: usize = std::env::var("POLICYKG_GEN_SAMPLE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let mut per_document = Vec::new();
    for index in 0..sample {
        let doc = generate_document(7, index);
        let name = policykg_devtools::generate::file_name(index, sample);
        let parsed =
            policykg_extract::extract_bytes(doc.text.as_bytes(), Path::new(&name), gazetteer)
                .expect("document parses");
        let outcome = store.ingest(&parsed).expect("document is stored");
        per_document.push((outcome.triples(), doc.tasks.len()));
    }
    let total = store.oxigraph().len().expect("store counts") - reference;
    let quads: Vec<usize> = per_document.iter().map(|q| q.0).collect();
    println!(
        "{sample} documents of seed 7: {total} quads beside the reference graph, {:.0} a document (min {}, max {}); per document (quads, tasks): {per_document:?}",
        total as f64 / sample as f64,
        quads.iter().min().unwrap(),
        quads.iter().max().unwrap()
    );
    let seed = policykg_extract::extract_file(&policykg_devtools::testing::seed_path(), gazetteer)
        .expect("the seed document parses");
    let outcome = store.ingest(&seed).expect("the seed document is stored");
    println!(
        "the seed document 辽政办发〔2021〕1号: {} quads, {} tasks",
        outcome.triples(),
        seed.tasks.len()
    );
}
