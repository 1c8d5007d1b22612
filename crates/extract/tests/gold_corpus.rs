//! Every document with a gold file parses to exactly the tasks, units and metadata a reader
//! wrote down (see tests/gold/README.md and tests/corpus/gold/README.md), and every corpus
//! document parses without error and with every annotation-like clause read.

use crate::util;

use policykg_extract::model::{ByRole, ParsedDocument, Role};
use policykg_extract::text::fold_str;
use serde::Deserialize;
use util::{gold_files, parse, root};

/// Differences between the parse and the gold file, one line each.
fn differences(doc: &ParsedDocument, gold: &util::Gold) -> Vec<String> {
    let mut out = Vec::new();
    let meta = &doc.document;
    for (field, got, want) in [
        ("title", &meta.title, &gold.metadata.title),
        ("doc_number", &meta.doc_number, &gold.metadata.doc_number),
        ("issuer", &meta.issuer, &gold.metadata.issuer),
        ("date", &meta.date, &gold.metadata.date),
    ] {
        if got != want {
            out.push(format!("metadata {field}: got {got:?}, want {want:?}"));
        }
    }
    if doc.tasks.len() != gold.tasks.len() {
        out.push(format!(
            "task count: got {}, want {}",
            doc.tasks.len(),
            gold.tasks.len()
        ));
    }
    for (i, (task, want)) in doc.tasks.iter().zip(&gold.tasks).enumerate() {
        let at = format!("task {} ({})", i + 1, want.number);
        if task.number != want.number {
            out.push(format!(
                "{at}: number {:?}, want {:?}",
                task.number, want.number
            ));
        }
        if let Some(title) = &want.title
            && &task.title != title
        {
            out.push(format!("{at}: title {:?}, want {title:?}", task.title));
        }
        let section = task
            .section
            .as_deref()
            .and_then(|id| doc.section(id))
            .map(|s| s.title.clone());
        if section.as_deref() != Some(want.section.as_str()) {
            out.push(format!(
                "{at}: section {section:?}, want {:?}",
                want.section
            ));
        }
        for role in Role::ALL {
            let got: Vec<&str> = task.units(role).iter().map(|u| u.name.as_str()).collect();
            if got != want.units(role) {
                out.push(format!(
                    "{at}: {} units {got:?}, want {:?}",
                    role.as_str(),
                    want.units(role)
                ));
            }
        }
    }
    out
}

#[test]
fn parses_match_the_gold_files() {
    let golds = gold_files();
    assert!(
        golds.len() >= 10,
        "expected the seed and 9 corpus gold files"
    );
    let mut report = Vec::new();
    for (name, gold) in &golds {
        let doc = parse(&root().join(&gold.document));
        for line in differences(&doc, gold) {
            report.push(format!("{name}: {line}"));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn gold_counts_per_role() {
    // The totals a reader counted, per document: tasks, lead, responsible, supporting, implied.
    let expected: [(&str, [usize; 5]); 10] = [
        ("01.json", [44, 44, 0, 102, 0]),
        ("02.json", [39, 65, 0, 30, 0]),
        ("03.json", [20, 0, 64, 0, 0]),
        ("06.json", [12, 0, 42, 0, 0]),
        ("08.json", [15, 29, 52, 0, 0]),
        ("10.json", [16, 0, 79, 0, 0]),
        ("12.json", [21, 21, 33, 0, 40]),
        ("15.json", [16, 0, 60, 0, 15]),
        ("central-01.json", [15, 15, 24, 0, 0]),
        ("seed.json", [24, 31, 108, 0, 0]),
    ];
    let golds = gold_files();
    for (name, counts) in expected {
        let (_, gold) = golds
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("missing gold file {name}"));
        let doc = parse(&root().join(&gold.document));
        let got = [
            doc.tasks.len(),
            doc.count_units(Role::Lead),
            doc.count_units(Role::Responsible),
            doc.count_units(Role::Supporting),
            doc.count_units(Role::Implied),
        ];
        assert_eq!(
            got, counts,
            "{name}: tasks, lead, responsible, supporting, implied"
        );
    }
}

#[test]
fn every_corpus_document_parses_and_every_span_cuts_out_its_text() {
    let dir = root().join("tests/corpus");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths.push(util::seed_path());
    assert_eq!(paths.len(), 19);
    for path in paths {
        let doc = parse(&path);
        let chars = doc.text.chars().count();
        assert!(!doc.tasks.is_empty(), "{}: no tasks", path.display());
        for task in &doc.tasks {
            assert!(task.span.end <= chars && task.annotation_span.end <= task.span.end);
            for role in Role::ALL {
                for unit in task.units(role) {
                    assert_eq!(
                        doc.slice(unit.span),
                        unit.surface,
                        "{}: {} {:?}",
                        path.display(),
                        task.id,
                        unit.name
                    );
                    assert!(!unit.name.is_empty());
                }
            }
        }
        for section in &doc.sections {
            assert_eq!(doc.slice(section.title_span), section.title);
            assert!(section.span.start <= section.title_span.start);
            assert!(section.title_span.end <= section.span.end);
            assert!(section.span.end <= chars);
        }
        for goal in &doc.goals {
            assert_eq!(doc.slice(goal.span), goal.text);
        }
    }
}

/// A gold file of tests/corpus/gold (format in its README).
#[derive(Debug, Deserialize)]
struct CorpusGold {
    doc: String,
    title: Option<String>,
    doc_number: Option<String>,
    issuer: Option<String>,
    date: Option<String>,
    jurisdiction: Option<String>,
    tasks: Vec<CorpusGoldTask>,
}

#[derive(Debug, Deserialize)]
struct CorpusGoldTask {
    key: String,
    #[serde(flatten)]
    units: ByRole<Vec<String>>,
}

impl CorpusGoldTask {
    fn units(&self, role: Role) -> &[String] {
        &self.units[role]
    }
}

/// Text in the form the gold keys are compared in: full-width forms folded, no whitespace.
fn plain(text: &str) -> String {
    fold_str(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whether a task's title and text hold `key` (the scorer's matching: a task's text runs
/// from its item's heading, which may hold paragraphs without an annotation of their own,
/// or from the previous annotation).
fn holds_key(task: &policykg_extract::model::Task, key: &str) -> bool {
    plain(&format!("{}{}", task.title, task.text)).contains(&plain(key))
}

fn corpus_gold_differences(doc: &ParsedDocument, gold: &CorpusGold) -> Vec<String> {
    let mut out = Vec::new();
    let meta = &doc.document;
    for (field, got, want) in [
        ("title", &meta.title, &gold.title),
        ("doc_number", &meta.doc_number, &gold.doc_number),
        ("issuer", &meta.issuer, &gold.issuer),
        ("date", &meta.date, &gold.date),
        ("jurisdiction", &meta.jurisdiction, &gold.jurisdiction),
    ] {
        if got != want {
            out.push(format!("metadata {field}: got {got:?}, want {want:?}"));
        }
    }
    if doc.tasks.len() != gold.tasks.len() {
        out.push(format!(
            "task count: got {}, want {}",
            doc.tasks.len(),
            gold.tasks.len()
        ));
    }
    for (i, (task, want)) in doc.tasks.iter().zip(&gold.tasks).enumerate() {
        let at = format!("task {} ({})", i + 1, want.key);
        if !holds_key(task, &want.key) {
            let text: String = task.text.chars().take(20).collect();
            out.push(format!("{at}: text begins {text:?}"));
        }
        for role in Role::ALL {
            let got: Vec<&str> = task.units(role).iter().map(|u| u.name.as_str()).collect();
            if got != want.units(role) {
                out.push(format!(
                    "{at}: {} units {got:?}, want {:?}",
                    role.as_str(),
                    want.units(role)
                ));
            }
        }
    }
    out
}

#[test]
fn the_nine_corpus_documents_match_their_gold() {
    let dir = root().join("tests/corpus/gold");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus/gold exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.file_stem().expect("name").to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["04", "05", "07", "09", "11", "13", "14", "16", "17"]
    );
    let mut report = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("gold readable");
        let gold: CorpusGold = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: bad gold file: {e}", path.display()));
        let doc = parse(&root().join("tests/corpus").join(&gold.doc));
        for line in corpus_gold_differences(&doc, &gold) {
            report.push(format!("{}: {line}", gold.doc));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn every_corpus_document_has_every_annotation_read() {
    let dir = root().join("tests/corpus");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths.push(util::seed_path());
    let mut report = Vec::new();
    for path in &paths {
        let doc = parse(path);
        assert!(doc.coverage.annotations > 0, "{}", path.display());
        assert_eq!(
            doc.coverage.candidates,
            doc.coverage.annotations + doc.unread_candidates().len()
        );
        for unread in doc.unread_candidates() {
            report.push(format!(
                "{}: line {}: {}",
                path.display(),
                unread.line,
                unread.text
            ));
        }
        for warning in &doc.warnings {
            assert!(
                !warning.message.contains("no known role"),
                "{}: {}",
                path.display(),
                warning.message
            );
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}
