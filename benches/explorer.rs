//! How fast the explorer answers, as ratios: the SPARQL endpoint against evaluating the same
//! query in the library (what HTTP, negotiation and streaming cost), and a cached drawing
//! against drawing it anew (what the cache saves). Run with `cargo bench --bench explorer`.

use std::path::Path;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use policykg::http::{AppState, app};
use policykg_extract::link::Gazetteer;
use policykg_store::PolicyStore;
use policykg_store::sparql::{CancellationToken, ResultFormat, evaluate, write_results};
use tower::ServiceExt;

const QUERY: &str = "SELECT ?unit (COUNT(DISTINCT ?t) AS ?tasks) WHERE { ?t pol:leadUnit/rdfs:label ?unit } GROUP BY ?unit ORDER BY DESC(?tasks) ?unit";

fn state() -> AppState {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("an in-memory store");
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/docs/liaoning-2021-1.txt");
    let doc = policykg_extract::extract_file(&seed, Gazetteer::builtin()).expect("the seed parses");
    store.ingest(&doc).expect("the seed is stored");
    AppState::new(store, Duration::from_secs(30), None)
}

/// The seed in a store on disk, its queries answered by worker processes.
fn isolated() -> AppState {
    let dir = std::env::temp_dir().join(format!("policykg-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/docs/liaoning-2021-1.txt");
    let doc = policykg_extract::extract_file(&seed, Gazetteer::builtin()).expect("the seed parses");
    policykg_store::open_store(&dir, Gazetteer::builtin())
        .expect("a store")
        .ingest(&doc)
        .expect("the seed is stored");
    let store = PolicyStore::open_read_only(&dir).expect("the store opens read-only");
    let mut state = AppState::new(store, Duration::from_secs(30), None);
    state.workers = Some(std::sync::Arc::new(
        policykg_store::sparql::worker::Workers::new(env!("CARGO_BIN_EXE_policykg").into(), dir),
    ));
    state
}

async fn fetch(state: &AppState, uri: &str) -> Vec<u8> {
    let request = Request::get(uri).body(Body::empty()).expect("a request");
    let response = app(state.clone())
        .oneshot(request)
        .await
        .expect("a response");
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes()
        .to_vec()
}

/// Mean time of `runs` calls of `f`.
fn mean(runs: u32, mut f: impl FnMut()) -> Duration {
    let started = Instant::now();
    for _ in 0..runs {
        f();
    }
    started.elapsed() / runs
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let state = state();
    let uri = format!(
        "/sparql?{}",
        serde_urlencoded::to_string([("query", QUERY), ("format", "json")]).expect("encodes")
    );
    let runs = 500;

    let library = mean(runs, || {
        let results = evaluate(state.store(), QUERY, CancellationToken::new()).expect("evaluates");
        let mut out = Vec::new();
        write_results(results, ResultFormat::Json, &mut out).expect("serialises");
    });
    let endpoint = mean(runs, || {
        runtime.block_on(fetch(&state, &uri));
    });
    println!(
        "SELECT (lead units, JSON): library {:.3} ms, endpoint {:.3} ms, endpoint/library {:.2}",
        library.as_secs_f64() * 1e3,
        endpoint.as_secs_f64() * 1e3,
        endpoint.as_secs_f64() / library.as_secs_f64()
    );
    let isolated_state = isolated();
    runtime.block_on(fetch(&isolated_state, &uri)); // starts the worker
    let isolated = mean(runs, || {
        runtime.block_on(fetch(&isolated_state, &uri));
    });
    println!(
        "the same through a query worker: {:.3} ms, worker/threads {:.2}",
        isolated.as_secs_f64() * 1e3,
        isolated.as_secs_f64() / endpoint.as_secs_f64()
    );

    for view in ["cooperation.svg", "dependency.svg", "cooperation.dot"] {
        let path = format!("/graph/{view}");
        // Each distinct parameter value is a drawing of its own, so these are all cold.
        let mut n = 0;
        let cold = mean(5, || {
            n += 1;
            runtime.block_on(fetch(&state, &format!("{path}?min_weight=0.{n}")));
        });
        runtime.block_on(fetch(&state, &path));
        let cached = mean(runs, || {
            runtime.block_on(fetch(&state, &path));
        });
        println!(
            "{view}: drawn {:.2} ms, cached {:.3} ms, drawn/cached {:.0}",
            cold.as_secs_f64() * 1e3,
            cached.as_secs_f64() * 1e3,
            cold.as_secs_f64() / cached.as_secs_f64()
        );
    }
}
