//! The full-text index on the seed document and the reference data: what it finds, how it
//! ranks and marks it, how it follows a graph that is replaced or removed, and that it
//! finds every node a plain substring scan of the same entries finds.

use crate::util;

use std::collections::BTreeSet;
use std::path::Path;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Quad;
use policykg_extract::link::Gazetteer;
use policykg_extract::rdf::document_quads;
use policykg_extract::text::fold_str;
use policykg_extract::vocab::REFERENCE_GRAPH;
use policykg_store::fulltext::{Label, LabelKind, Matched, SearchClass};
use policykg_store::fulltext::{
    SearchEntry, SearchError, SearchHit, SearchIndex, entries_from_quads,
};

const DOC_GRAPH: &str = "https://policykg.org/graph/liaoning-2021-1";
const DOC: &str = "https://policykg.org/id/doc/liaoning-2021-1";

fn reference_quads() -> Vec<Quad> {
    let mut quads = Vec::new();
    let files = std::iter::once(("ontology".to_string(), policykg_store::ONTOLOGY.to_string()))
        .chain(policykg_store::reference_data(Gazetteer::builtin()));
    for (name, text) in files {
        let parser = RdfParser::from_format(RdfFormat::Turtle)
            .with_default_graph(REFERENCE_GRAPH)
            .for_slice(text.as_bytes());
        for quad in parser {
            quads.push(quad.unwrap_or_else(|e| panic!("{name} parses: {e}")));
        }
    }
    quads
}

fn doc_entries() -> Vec<SearchEntry> {
    entries_from_quads(document_quads(&util::seed()))
}

fn reference_entries() -> Vec<SearchEntry> {
    entries_from_quads(reference_quads())
}

/// The seed's document graph and the reference graph, indexed.
fn seed_index() -> SearchIndex {
    let index = SearchIndex::in_memory().expect("index");
    index
        .replace_graph(DOC_GRAPH, &doc_entries())
        .expect("document indexed");
    index
        .replace_graph(REFERENCE_GRAPH.as_str(), &reference_entries())
        .expect("reference indexed");
    index
}

fn all(index: &SearchIndex, query: &str) -> Vec<SearchHit> {
    let results = index.search(query, usize::MAX, 0).expect("search");
    assert_eq!(results.total, results.hits.len());
    results.hits
}

fn nodes(hits: &[SearchHit]) -> Vec<&str> {
    hits.iter().map(|h| h.node.as_str()).collect()
}

fn marked(hit: &SearchHit) -> Vec<String> {
    let snippet = hit.snippet.as_ref().expect("a snippet");
    let chars: Vec<char> = snippet.text.chars().collect();
    snippet
        .marks
        .iter()
        .map(|r| chars[r.clone()].iter().collect())
        .collect()
}

/// A copy of the seed under another file name: its own document and tasks, the same units.
fn seed_copy(name: &str) -> Vec<Quad> {
    let bytes = std::fs::read(util::seed_path()).expect("seed readable");
    let doc = policykg_extract::extract_bytes(&bytes, Path::new(name), Gazetteer::builtin())
        .expect("seed parses");
    document_quads(&doc)
}

#[test]
fn entries_are_the_typed_nodes_of_each_graph() {
    let doc = doc_entries();
    assert!(doc.iter().all(|e| e.graph == DOC_GRAPH));
    let classes: BTreeSet<SearchClass> = doc.iter().map(|e| e.class).collect();
    for class in [
        SearchClass::Document,
        SearchClass::Task,
        SearchClass::Unit,
        SearchClass::Region,
    ] {
        assert!(classes.contains(&class), "no {class:?} in {classes:?}");
    }
    let document = doc.iter().find(|e| e.node == DOC).expect("the document");
    assert_eq!(document.class, SearchClass::Document);
    assert!(document.text.is_none(), "only tasks carry their text");
    assert!(
        doc.iter()
            .filter(|e| e.class == SearchClass::Task)
            .all(|e| e.text.is_some() && !e.labels.is_empty())
    );
    let reference = reference_entries();
    let beijing = reference
        .iter()
        .find(|e| e.node == "https://policykg.org/id/region/北京")
        .expect("北京 in the gazetteer");
    assert_eq!(
        beijing.labels,
        [
            Label {
                kind: LabelKind::PrefLabel,
                value: "北京".into()
            },
            Label {
                kind: LabelKind::AltLabel,
                value: "北京市".into()
            }
        ]
    );
}

#[test]
fn a_task_is_found_by_a_word_of_its_text() {
    let index = seed_index();
    let hits = all(&index, "法治良好");
    let task = format!("{DOC}/task/2.1.1");
    assert_eq!(nodes(&hits), [task.as_str()]);
    let hit = &hits[0];
    assert_eq!(hit.class, SearchClass::Task);
    assert_eq!(hit.matched, Matched::Text);
    assert_eq!(hit.label, "深化营商环境优化对接");
    assert_eq!(hit.graph, DOC_GRAPH);
    assert_eq!(marked(hit), ["法治良好"]);
}

#[test]
fn units_by_two_characters_and_by_their_name() {
    let index = seed_index();
    let unit = "https://policykg.org/id/unit/辽宁省/省科技厅";
    let hits = all(&index, "科技");
    let found = hits
        .iter()
        .find(|h| h.node == unit)
        .expect("省科技厅 found");
    assert_eq!(found.label, "省科技厅");
    assert_eq!(found.class, SearchClass::Unit);
    assert_eq!(found.matched, Matched::Label);
    // Label matches come before text matches.
    let first_text = hits.iter().position(|h| h.matched == Matched::Text);
    let last_label = hits.iter().rposition(|h| h.matched == Matched::Label);
    assert!(first_text > last_label, "{hits:#?}");

    // The gazetteer knows the unit of each province by that short name.
    let hits = all(&index, "省科技厅");
    assert_eq!(
        nodes(&hits),
        [unit, "https://policykg.org/id/unit/湖北省/省科技厅"]
    );
    assert!(hits.iter().all(|h| h.matched == Matched::Label));
    assert_eq!(hits[0].label, "省科技厅");
}

#[test]
fn a_precise_query_gives_exactly_its_nodes() {
    let index = seed_index();
    let hits = all(&index, "辽宁");
    let regions: Vec<(&str, Matched)> = hits
        .iter()
        .filter(|h| h.class == SearchClass::Region)
        .map(|h| (h.node.as_str(), h.matched))
        .collect();
    assert_eq!(
        regions,
        [("https://policykg.org/id/region/辽宁", Matched::Label)]
    );
    let hits = all(&index, "营商环境优化");
    assert_eq!(nodes(&hits), [format!("{DOC}/task/2.1.1").as_str()]);
    assert_eq!(hits[0].matched, Matched::Label);
    assert_eq!(hits[0].snippet, None);
}

#[test]
fn full_and_half_width_forms_match_each_other() {
    let index = seed_index();
    let graph = "https://policykg.org/graph/widths";
    let entry = |node: &str, label: &str, text: Option<&str>| SearchEntry {
        graph: graph.to_string(),
        node: node.to_string(),
        class: if text.is_some() {
            SearchClass::Task
        } else {
            SearchClass::Platform
        },
        labels: vec![Label {
            kind: LabelKind::Label,
            value: label.to_string(),
        }],
        text: text.map(str::to_string),
    };
    index
        .replace_graph(
            graph,
            &[
                entry("https://x.org/p", "ＡＩ创新中心", None),
                entry("https://x.org/t", "甲事", Some("推进5G和AI应用")),
            ],
        )
        .expect("indexed");
    for query in ["AI", "ＡＩ", "ai", "ａｉ"] {
        let hits = all(&index, query);
        assert_eq!(
            nodes(&hits),
            ["https://x.org/p", "https://x.org/t"],
            "{query}"
        );
        assert_eq!(hits[0].label, "ＡＩ创新中心");
        assert_eq!(marked(&hits[1]), ["AI"]);
    }
    assert_eq!(nodes(&all(&index, "５Ｇ")), ["https://x.org/t"]);
}

#[test]
fn replacing_and_removing_a_graph() {
    let index = seed_index();
    assert_eq!(nodes(&all(&index, "法治良好")).len(), 1);
    let mut changed = doc_entries();
    for entry in &mut changed {
        if let Some(text) = &mut entry.text {
            *text = text.replace("法治良好", "依法办事");
        }
    }
    index.replace_graph(DOC_GRAPH, &changed).expect("replaced");
    assert!(all(&index, "法治良好").is_empty());
    assert_eq!(
        nodes(&all(&index, "依法办事")),
        [format!("{DOC}/task/2.1.1").as_str()]
    );
    let graphs = index.graphs().expect("graphs");
    assert_eq!(
        graphs,
        BTreeSet::from([DOC_GRAPH.to_string(), REFERENCE_GRAPH.as_str().to_string()])
    );

    index.remove_graph(DOC_GRAPH).expect("removed");
    assert!(all(&index, "依法办事").is_empty());
    let units = all(&index, "省科技厅");
    assert_eq!(units.len(), 2);
    assert!(
        units.iter().all(|h| h.graph == REFERENCE_GRAPH.as_str()),
        "{units:?}"
    );
    // The gazetteer's entries stay.
    assert_eq!(
        nodes(&all(&index, "北京市")),
        ["https://policykg.org/id/region/北京"]
    );
    assert_eq!(
        index.graphs().expect("graphs"),
        BTreeSet::from([REFERENCE_GRAPH.as_str().to_string()])
    );

    // A graph with nothing to search is still marked as indexed.
    index
        .replace_graph("https://x.org/empty", &[])
        .expect("indexed");
    assert!(
        index
            .graphs()
            .expect("graphs")
            .contains("https://x.org/empty")
    );
}

#[test]
fn a_unit_named_in_two_graphs_is_one_hit() {
    let index = seed_index();
    let copy = entries_from_quads(seed_copy("docs/liaoning-copy.txt"));
    index
        .replace_graph("https://policykg.org/graph/liaoning-copy", &copy)
        .expect("copy indexed");
    // 省科技厅 is named in both documents and in the gazetteer.
    let unit = "https://policykg.org/id/unit/辽宁省/省科技厅";
    let hits = all(&index, "省科技厅");
    assert_eq!(hits.iter().filter(|h| h.node == unit).count(), 1);
    assert_eq!(hits.len(), 2);
    // The tasks are each document's own: both copies are found.
    let hits = all(&index, "营商环境");
    let tasks: Vec<&str> = hits
        .iter()
        .filter(|h| h.class == SearchClass::Task)
        .map(|h| h.node.as_str())
        .collect();
    assert_eq!(
        tasks,
        [
            format!("{DOC}/task/2.1.1").as_str(),
            "https://policykg.org/id/doc/liaoning-copy/task/2.1.1"
        ]
    );
}

#[test]
fn results_are_the_same_on_every_run() {
    let queries = ["科技", "省", "辽宁", "营商环境", "推进 合作", "科技厅"];
    let run = || -> Vec<Vec<SearchHit>> { queries.iter().map(|q| all(&seed_index(), q)).collect() };
    let first = run();
    assert_eq!(first, run());
    // Within a tier, by score, then IRI.
    for hits in &first {
        for pair in hits.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(
                a.matched < b.matched
                    || (a.matched == b.matched
                        && (a.score > b.score || (a.score == b.score && a.node < b.node))),
                "{a:?} before {b:?}"
            );
        }
    }
}

#[test]
fn pages_are_slices_of_the_whole_list() {
    let index = seed_index();
    let whole = all(&index, "合作");
    assert!(whole.len() > 20);
    let mut paged = Vec::new();
    for page in 0.. {
        let results = index.search("合作", 7, page * 7).expect("search");
        assert_eq!(results.total, whole.len());
        if results.hits.is_empty() {
            break;
        }
        paged.extend(results.hits);
    }
    assert_eq!(paged, whole);
}

#[test]
fn odd_queries_find_nothing_and_never_fail() {
    let index = seed_index();
    for query in [
        "",
        "   ",
        "\u{3000}",
        "，。、（）",
        "*",
        "\"",
        "()[]{}:^~!+-&&||",
    ] {
        let results = index.search(query, 10, 0).expect("no error");
        assert_eq!(results.total, 0, "{query:?}");
    }
    for query in [
        "科技 AND",
        "\"科技",
        "科技:*",
        "title:科技",
        "科技~2",
        "科技^10",
        "[a TO z]",
        "哈哈哈哈",
        "aaaa",
    ] {
        index.search(query, 10, 0).expect("no error");
    }
    assert_eq!(
        nodes(&all(&index, "“营商环境优化”?")),
        [format!("{DOC}/task/2.1.1").as_str()]
    );
}

/// A plain scan: the nodes one of whose labels or whose text holds the folded query.
fn scan(entries: &[SearchEntry], query: &str) -> BTreeSet<String> {
    let form = |s: &str| -> String {
        fold_str(s)
            .chars()
            .map(|c| {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) => l,
                    _ => c,
                }
            })
            .collect()
    };
    let wanted = form(query);
    entries
        .iter()
        .filter(|e| {
            e.labels.iter().any(|l| form(&l.value).contains(&wanted))
                || e.text.as_deref().is_some_and(|t| form(t).contains(&wanted))
        })
        .map(|e| e.node.clone())
        .collect()
}

#[test]
fn finds_every_node_a_substring_scan_finds() {
    let index = seed_index();
    let doc = doc_entries();
    let reference = reference_entries();
    // Queries cut at fixed places from the tasks' texts, the document's labels and the
    // gazetteer's labels: one to six characters, some with punctuation inside.
    let texts: Vec<&str> = doc.iter().filter_map(|e| e.text.as_deref()).collect();
    let labels = |entries: &[SearchEntry]| -> Vec<String> {
        entries
            .iter()
            .flat_map(|e| e.labels.iter().map(|l| l.value.clone()))
            .collect()
    };
    let (doc_labels, reference_labels) = (labels(&doc), labels(&reference));
    let mut queries: Vec<String> = Vec::new();
    let mut cut = |sources: &[&str], count: usize| {
        for k in 0..count {
            let chars: Vec<char> = sources[(k * 37) % sources.len()].chars().collect();
            let len = (1 + k % 6).min(chars.len());
            let at = (k * 13) % (chars.len() - len + 1);
            let query: String = chars[at..at + len].iter().collect();
            if !query.trim().is_empty() && !queries.contains(&query) {
                queries.push(query);
            }
        }
    };
    cut(&texts, 10);
    cut(
        &doc_labels.iter().map(String::as_str).collect::<Vec<_>>(),
        6,
    );
    cut(
        &reference_labels
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        6,
    );
    queries.extend(["京津冀", "省发展改革委", "粤港澳大湾区", "(广州交易会)"].map(String::from));
    assert!(queries.len() >= 20, "{queries:?}");
    let mut entries = doc;
    entries.extend(reference);
    for query in &queries {
        let expected = scan(&entries, query);
        let hits = all(&index, query);
        let found: BTreeSet<String> = hits.iter().map(|h| h.node.clone()).collect();
        let missed: Vec<&String> = expected.difference(&found).collect();
        assert!(missed.is_empty(), "{query:?}: missed {missed:?}");
        // Where the query is one run of letters and digits, what it finds as written is
        // exactly what the scan finds.
        if query.chars().all(char::is_alphanumeric) && !query.is_empty() {
            let as_written: BTreeSet<String> = hits
                .iter()
                .filter(|h| h.matched != Matched::Characters)
                .map(|h| h.node.clone())
                .collect();
            assert_eq!(as_written, expected, "{query:?}");
        }
    }
}

#[test]
fn searches_run_while_a_graph_is_replaced() {
    let index = seed_index();
    let original = doc_entries();
    let mut changed = original.clone();
    for entry in &mut changed {
        if let Some(text) = &mut entry.text {
            *text = text.replace("法治良好", "依法办事");
        }
    }
    std::thread::scope(|scope| {
        let readers: Vec<_> = (0..3)
            .map(|_| {
                scope.spawn(|| {
                    for _ in 0..30 {
                        let old = index.search("法治良好", 10, 0).expect("search").total;
                        let new = index.search("依法办事", 10, 0).expect("search").total;
                        assert!(old <= 1 && new <= 1);
                        assert_eq!(
                            index.search("省科技厅", 1, 0).expect("search").hits.len(),
                            1
                        );
                    }
                })
            })
            .collect();
        for round in 0..6 {
            let entries = if round % 2 == 0 { &changed } else { &original };
            index.replace_graph(DOC_GRAPH, entries).expect("replaced");
            let (gone, there) = if round % 2 == 0 {
                ("法治良好", "依法办事")
            } else {
                ("依法办事", "法治良好")
            };
            // A search after the write returned sees it.
            assert_eq!(index.search(gone, 10, 0).expect("search").total, 0);
            assert_eq!(index.search(there, 10, 0).expect("search").total, 1);
        }
        for reader in readers {
            reader.join().expect("reader thread");
        }
    });
}

#[test]
fn an_index_on_disk_is_kept_and_held_by_one_writer() {
    let dir = std::env::temp_dir().join(format!("policykg-search-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let index = SearchIndex::open(&dir).expect("created");
        index
            .replace_graph(DOC_GRAPH, &doc_entries())
            .expect("indexed");
        match SearchIndex::open(&dir) {
            Err(SearchError::Locked { .. }) => {}
            Err(other) => panic!("expected Locked, got {other}"),
            Ok(_) => panic!("a second writer opened the index"),
        }
    }
    let index = SearchIndex::open(&dir).expect("reopened");
    assert_eq!(
        index.graphs().expect("graphs"),
        BTreeSet::from([DOC_GRAPH.to_string()])
    );
    assert_eq!(
        nodes(&all(&index, "法治良好")),
        [format!("{DOC}/task/2.1.1").as_str()]
    );
    drop(index);
    let _ = std::fs::remove_dir_all(&dir);
}
