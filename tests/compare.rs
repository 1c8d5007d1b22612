//! Two documents compared: the seed against a copy where one unit's tasks went to another,
//! through the library, the CSV and the web page.

use crate::util;

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use policykg::http::AppState;
use policykg_extract::extract_bytes;
use policykg_extract::link::Gazetteer;
use policykg_store::PolicyStore;
use policykg_views::graph::{ItemKind, Presence, ViewOptions, compare_documents};
use policykg_views::render::comparison_csv;
use tower::ServiceExt;

fn store() -> PolicyStore {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    store.ingest(&util::seed()).expect("ingest");
    let text = std::fs::read_to_string(util::seed_path())
        .expect("seed")
        .replace("大连海关", "沈阳海关");
    let copy = extract_bytes(
        text.as_bytes(),
        Path::new("seed-copy.txt"),
        Gazetteer::builtin(),
    )
    .expect("copy parses");
    store.ingest(&copy).expect("ingest copy");
    store
}

#[test]
fn a_unit_whose_tasks_moved_is_dropped_and_the_rest_is_shared() {
    let s = store();
    let c = compare_documents(
        &s,
        "liaoning-2021-1",
        "seed-copy",
        &ViewOptions::default(),
        policykg_store::sparql::CancellationToken::new(),
    )
    .expect("comparison");
    assert_eq!((c.first.tasks, c.second.tasks), (24, 24));
    let dropped: Vec<(&str, ItemKind)> = c
        .items
        .iter()
        .filter(|i| i.presence() == Presence::Dropped)
        .map(|i| (i.label.as_str(), i.kind))
        .collect();
    assert_eq!(dropped, [("大连海关", ItemKind::Unit)]);
    assert!(c.items.iter().all(|i| i.presence() != Presence::Added));
    let units = c.items.iter().filter(|i| i.kind == ItemKind::Unit).count();
    assert_eq!(units, 42);
    assert_eq!(c.counts(), (c.items.len() - 1, 0, 1));
    // Everything shared has the same load in both.
    assert!(
        c.items
            .iter()
            .filter(|i| i.presence() == Presence::Both)
            .all(|i| i.change() == 0 && i.first.lead == i.second.lead)
    );
    let csv = comparison_csv(&c);
    assert!(csv.starts_with(
        "kind,label,presence,first_tasks,second_tasks,change,first_lead,second_lead,iri\r\n"
    ));
    assert!(
        csv.contains("\r\nunit,大连海关,dropped,1,0,-1,0,0,https://policykg.org/id/unit/"),
        "{csv}"
    );
    // Unknown documents are named in the error.
    let error = compare_documents(
        &s,
        "liaoning-2021-1",
        "nowhere",
        &ViewOptions::default(),
        policykg_store::sparql::CancellationToken::new(),
    )
    .expect_err("no such document")
    .to_string();
    assert!(error.contains("\"nowhere\""), "{error}");
}

#[tokio::test]
async fn the_comparison_page_and_files() {
    let state = AppState::new(store(), std::time::Duration::from_secs(30), None);
    let get = |uri: &str| {
        let app = policykg::http::app(state.clone());
        let request = Request::get(uri).body(Body::empty()).expect("request");
        async move {
            let response = app.oneshot(request).await.expect("response");
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes();
            (status, String::from_utf8_lossy(&body).into_owned())
        }
    };
    let (status, page) = get("/compare?first=liaoning-2021-1&second=seed-copy").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(" in both, 0 added, 1 dropped"), "{page}");
    assert!(page.contains("<svg"));
    let (status, csv) = get("/compare.csv?first=liaoning-2021-1&second=seed-copy").await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("unit,大连海关,dropped,1,0,-1"));
    let (status, svg) = get("/compare.svg?first=liaoning-2021-1&second=seed-copy").await;
    assert_eq!(status, StatusCode::OK);
    assert!(svg.contains("#f4cccc"), "the dropped unit is red");
    assert!(svg.contains("dropped: only in the first (1)"), "{svg}");
    assert!(svg.contains("大连海关 1 → 0 (&#45;1)"), "{svg}");
    let (status, page) = get("/compare?first=liaoning-2021-1&second=nowhere").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("nowhere"));
    let (status, _) = get("/compare.csv?first=liaoning-2021-1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
