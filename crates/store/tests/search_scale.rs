//! Measures the search index; not run by default. It prints the time to build the index
//! for the seed and for 1,000 copies of the seed's entries under other graph, document and
//! task IRIs (the units shared, as in a real corpus), its size on disk, and query latency:
//!
//!     cargo test --test search_scale -- --ignored --nocapture

use crate::util;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use oxigraph::io::{RdfFormat, RdfParser};
use policykg_extract::link::Gazetteer;
use policykg_extract::rdf::document_quads;
use policykg_extract::vocab::REFERENCE_GRAPH;
use policykg_store::fulltext::{SearchEntry, SearchIndex, entries_from_quads};

const COPIES: usize = 1000;
const DOC: &str = "https://policykg.org/id/doc/liaoning-2021-1";

fn reference_entries() -> Vec<SearchEntry> {
    let mut quads = Vec::new();
    for (_, text) in policykg_store::reference_data(Gazetteer::builtin()) {
        let parser = RdfParser::from_format(RdfFormat::Turtle)
            .with_default_graph(REFERENCE_GRAPH)
            .for_slice(text.as_bytes());
        quads.extend(parser.map(|q| q.expect("reference data parses")));
    }
    entries_from_quads(quads)
}

/// The seed's entries as the `n`th document: its own graph, document and tasks.
fn copy(seed: &[SearchEntry], n: usize) -> (String, Vec<SearchEntry>) {
    let graph = format!("https://policykg.org/graph/copy-{n}");
    let doc = format!("https://policykg.org/id/doc/copy-{n}");
    let entries = seed
        .iter()
        .map(|e| SearchEntry {
            graph: graph.clone(),
            node: e.node.replace(DOC, &doc),
            ..e.clone()
        })
        .collect();
    (graph, entries)
}

fn size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("policykg-scale-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

#[test]
#[ignore = "a measurement: run by hand"]
fn measure() {
    let seed = entries_from_quads(document_quads(&util::seed()));
    let reference = reference_entries();
    println!(
        "seed: {} entries, reference: {} entries",
        seed.len(),
        reference.len()
    );

    let dir = temp("seed");
    let started = Instant::now();
    let index = SearchIndex::open(&dir).expect("index");
    index
        .replace_graph(REFERENCE_GRAPH.as_str(), &reference)
        .expect("reference");
    index
        .replace_graph("https://policykg.org/graph/liaoning-2021-1", &seed)
        .expect("seed");
    println!(
        "seed on disk: built in {:?}, {} KB",
        started.elapsed(),
        size(&dir) / 1024
    );
    drop(index);
    let _ = std::fs::remove_dir_all(&dir);

    let copies: Vec<(String, Vec<SearchEntry>)> = (0..COPIES).map(|n| copy(&seed, n)).collect();
    let entries: usize = copies.iter().map(|(_, e)| e.len()).sum();

    // As a server ingests: one commit per document.
    let dir = temp("each");
    let index = SearchIndex::open(&dir).expect("index");
    index
        .replace_graph(REFERENCE_GRAPH.as_str(), &reference)
        .expect("reference");
    let started = Instant::now();
    for (graph, entries) in &copies {
        index.replace_graph(graph, entries).expect("copy");
    }
    println!(
        "{COPIES} documents ({entries} entries), one commit each: {:?}, {} MB",
        started.elapsed(),
        size(&dir) / 1_000_000
    );
    drop(index);
    let _ = std::fs::remove_dir_all(&dir);

    // As a rebuild: one commit.
    let dir = temp("batch");
    let index = SearchIndex::open(&dir).expect("index");
    let started = Instant::now();
    index
        .replace_graphs(
            std::iter::once((REFERENCE_GRAPH.as_str(), reference.as_slice())).chain(
                copies
                    .iter()
                    .map(|(graph, entries)| (graph.as_str(), entries.as_slice())),
            ),
        )
        .expect("all");
    println!(
        "{COPIES} documents, one commit: {:?}, {} MB",
        started.elapsed(),
        size(&dir) / 1_000_000
    );
    let started = Instant::now();
    let graphs = index.graphs().expect("graphs");
    println!(
        "graphs(): {} graphs in {:?}",
        graphs.len(),
        started.elapsed()
    );

    for query in [
        "省",
        "科技",
        "省科技厅",
        "营商环境",
        "法治良好",
        "推进 合作",
        "科技厅",
        "不存在的词",
    ] {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..50 {
            let started = Instant::now();
            total = index.search(query, 20, 0).expect("search").total;
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "{query:>8}: {total:>6} nodes, p50 {:?}, p99 {:?}",
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }
    drop(index);
    let _ = std::fs::remove_dir_all(&dir);
}
