//! The web front end through `tower::ServiceExt::oneshot`: every SPARQL Protocol method,
//! content type, Accept value and error status, the time limit, the update token, Graph
//! Store reads, graph files, and escaping on the home page.

use crate::util;

use std::path::Path;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use policykg::http::{AppState, app};
use policykg_extract::extract_bytes;
use policykg_extract::link::Gazetteer;
use policykg_extract::model::Role;
use policykg_store::PolicyStore;
use tower::ServiceExt;

fn state(token: Option<&str>, timeout: Duration) -> AppState {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    store.ingest(&util::seed()).expect("ingest");
    AppState::new(
        store,
        timeout,
        token.map(|t| policykg::http::UpdateToken::new(t).expect("a token")),
    )
}

async fn send(state: &AppState, request: Request<Body>) -> (StatusCode, String, String) {
    let response = app(state.clone()).oneshot(request).await.expect("response");
    let status = response.status();
    let media = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, media, String::from_utf8_lossy(&body).into_owned())
}

fn get(uri: &str, accept: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri);
    if let Some(a) = accept {
        r = r.header(header::ACCEPT, a);
    }
    r.body(Body::empty()).expect("request")
}

fn encode(text: &str) -> String {
    serde_urlencoded::to_string([("query", text)]).expect("encodes")
}

const COUNT: &str = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a pol:Task }";

/// Rows of several kinds: IRIs, literals with language tags, numbers.
const QUERY_ROWS: &str = "SELECT ?unit (COUNT(DISTINCT ?t) AS ?tasks) WHERE { ?t pol:leadUnit/rdfs:label ?unit } GROUP BY ?unit ORDER BY DESC(?tasks) ?unit";

#[tokio::test]
async fn get_post_form_and_direct_post_give_the_same_rows() {
    let s = state(None, Duration::from_secs(30));
    let want = r#"{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"24","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}"#;
    let (status, media, body) = send(&s, get(&format!("/sparql?{}", encode(COUNT)), None)).await;
    assert_eq!(
        (status, media.as_str(), body.as_str()),
        (StatusCode::OK, "application/sparql-results+json", want)
    );
    let form = Request::post("/sparql")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(encode(COUNT)))
        .expect("request");
    assert_eq!(send(&s, form).await.2, want);
    let direct = Request::post("/sparql")
        .header(header::CONTENT_TYPE, "application/sparql-query")
        .body(Body::from(COUNT))
        .expect("request");
    assert_eq!(send(&s, direct).await.2, want);
}

#[tokio::test]
async fn content_negotiation() {
    let s = state(None, Duration::from_secs(30));
    let uri = format!("/sparql?{}", encode(COUNT));
    for (accept, media, body) in [
        ("text/csv", "text/csv; charset=utf-8", "n\r\n24\r\n"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values; charset=utf-8",
            "?n\n24\n",
        ),
        (
            "application/sparql-results+xml;q=0.9, text/csv;q=0.1",
            "application/sparql-results+xml",
            "<?xml version=\"1.0\"?><sparql xmlns=\"http://www.w3.org/2005/sparql-results#\"><head><variable name=\"n\"/></head><results><result><binding name=\"n\"><literal datatype=\"http://www.w3.org/2001/XMLSchema#integer\">24</literal></binding></result></results></sparql>",
        ),
        (
            "application/xml",
            "application/sparql-results+xml",
            "<?xml version=\"1.0\"?><sparql xmlns=\"http://www.w3.org/2005/sparql-results#\"><head><variable name=\"n\"/></head><results><result><binding name=\"n\"><literal datatype=\"http://www.w3.org/2001/XMLSchema#integer\">24</literal></binding></result></results></sparql>",
        ),
        (
            "*/*",
            "application/sparql-results+json",
            r#"{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"24","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}"#,
        ),
        (
            "application/json",
            "application/sparql-results+json",
            r#"{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"24","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}"#,
        ),
    ] {
        let (status, got_media, got) = send(&s, get(&uri, Some(accept))).await;
        assert_eq!(status, StatusCode::OK, "{accept}");
        assert_eq!(got_media, media, "{accept}");
        assert_eq!(got, body, "{accept}");
    }
    let (_, media, body) = send(
        &s,
        get(
            &format!("{uri}&format=csv"),
            Some("application/sparql-results+json"),
        ),
    )
    .await;
    assert_eq!(
        (media.as_str(), body.as_str()),
        ("text/csv; charset=utf-8", "n\r\n24\r\n")
    );
    let ask = format!("/sparql?{}", encode("ASK { ?t a pol:Task }"));
    assert_eq!(
        send(&s, get(&ask, Some("application/sparql-results+json")))
            .await
            .2,
        r#"{"head":{},"boolean":true}"#
    );
    let construct = format!(
        "/sparql?{}",
        encode("CONSTRUCT { ?d a pol:Document } WHERE { ?d a pol:Document }")
    );
    let doc = "<https://policykg.org/id/doc/liaoning-2021-1>";
    for (accept, media) in [
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/n-quads", "application/n-quads"),
        ("application/trig", "application/trig"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
    ] {
        let (status, got_media, body) = send(&s, get(&construct, Some(accept))).await;
        assert_eq!(status, StatusCode::OK, "{accept}");
        assert!(got_media.starts_with(media), "{accept}: {got_media}");
        assert!(body.contains("liaoning-2021-1"), "{accept}: {body}");
    }
    let line = format!(
        "{doc} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://policykg.org/ns#Document> .\n"
    );
    for accept in ["application/n-triples", "application/n-quads"] {
        assert_eq!(send(&s, get(&construct, Some(accept))).await.2, line);
    }
    assert_eq!(
        send(&s, get(&construct, Some("application/ld+json")))
            .await
            .2,
        r#"[{"@id":"https://policykg.org/id/doc/liaoning-2021-1","http://www.w3.org/1999/02/22-rdf-syntax-ns#type":[{"@id":"https://policykg.org/ns#Document"}]}]"#
    );
    for accept in ["text/turtle", "application/trig"] {
        let body = send(&s, get(&construct, Some(accept))).await.2;
        assert!(
            body.starts_with("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"),
            "{body}"
        );
        assert!(
            body.ends_with("@prefix pol: <https://policykg.org/ns#> .\nid:doc\\/liaoning-2021-1 a pol:Document .\n"),
            "{body}"
        );
    }
    let xml = send(&s, get(&construct, Some("application/rdf+xml")))
        .await
        .2;
    assert!(
        xml.contains("<pol:Document rdf:about=\"https://policykg.org/id/doc/liaoning-2021-1\">"),
        "{xml}"
    );
}

#[tokio::test]
async fn error_statuses() {
    let s = state(None, Duration::from_secs(30));
    let (status, _, body) = send(
        &s,
        get(
            &format!("/sparql?{}", encode("SELECT ?x WHERE { ?x ?y }")),
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("SPARQL syntax error"), "{body}");
    let (status, _, body) = send(
        &s,
        get(&format!("/sparql?{}", encode(COUNT)), Some("image/png")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert!(body.contains("image/png"), "{body}");
    let (status, _, _) = send(
        &s,
        get(&format!("/sparql?{}&format=ttl", encode(COUNT)), None),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    let wrong = Request::post("/sparql")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(COUNT))
        .expect("request");
    assert_eq!(send(&s, wrong).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        send(&s, get("/sparql", None)).await.0,
        StatusCode::BAD_REQUEST
    );
    // Federation is not offered: a clear 400, not an internal error.
    let service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }";
    let (status, _, body) = send(&s, get(&format!("/sparql?{}", encode(service)), None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body.contains(
            "SERVICE <http://127.0.0.1:9/sparql>: federated queries are not offered here"
        ),
        "{body}"
    );
    // A parameter given twice is refused, for queries and for updates.
    let twice = format!("/sparql?{}&{}", encode(COUNT), encode(COUNT));
    let (status, _, body) = send(&s, get(&twice, None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("give the query parameter once"), "{body}");
    let form = Request::post("/sparql")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("update=CLEAR%20DEFAULT&update=CLEAR%20DEFAULT"))
        .expect("request");
    let (status, _, body) = send(&s, form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("give the update parameter once"), "{body}");
}

#[tokio::test]
async fn dataset_parameters() {
    let s = state(None, Duration::from_secs(30));
    let uri = format!(
        "/sparql?{}&default-graph-uri={}",
        encode(COUNT),
        "https%3A%2F%2Fpolicykg.org%2Fgraph%2Freference"
    );
    assert_eq!(send(&s, get(&uri, Some("text/csv"))).await.2, "n\r\n0\r\n");
    let named = format!(
        "/sparql?{}&named-graph-uri={}",
        encode("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        "https%3A%2F%2Fpolicykg.org%2Fgraph%2Fliaoning-2021-1"
    );
    assert_eq!(
        send(&s, get(&named, Some("text/csv"))).await.2,
        "n\r\n1\r\n"
    );
}

#[tokio::test]
async fn a_slow_query_gets_503_within_the_limit_while_a_simple_one_answers() {
    let s = state(None, Duration::from_millis(500));
    let slow = format!(
        "/sparql?{}",
        // A closure over every predicate: it reads the store throughout, so cancellation
        // stops it (a cartesian product joined in memory would run on unchecked).
        encode("SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x:p>|!<urn:x:p>)* ?b . ?b ?p ?c }")
    );
    let started = Instant::now();
    let (slow_result, quick_result) = tokio::join!(send(&s, get(&slow, None)), async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let t = Instant::now();
        let r = send(
            &s,
            get(&format!("/sparql?{}", encode(COUNT)), Some("text/csv")),
        )
        .await;
        (r, t.elapsed())
    });
    assert_eq!(slow_result.0, StatusCode::SERVICE_UNAVAILABLE);
    assert!(slow_result.2.contains("time limit"));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(quick_result.0.2, "n\r\n24\r\n");
    assert!(
        quick_result.1 < Duration::from_millis(500),
        "{:?}",
        quick_result.1
    );
    slots_come_back(&s).await;
}

#[tokio::test]
async fn a_client_that_goes_away_stops_its_query() {
    // A limit far beyond the test: only the client's leaving can stop the query in time.
    let s = state(None, Duration::from_secs(120));
    let slow = format!(
        "/sparql?{}",
        encode("SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x:p>|!<urn:x:p>)* ?b . ?b ?p ?c }")
    );
    let gave_up = tokio::time::timeout(Duration::from_millis(300), send(&s, get(&slow, None)));
    assert!(
        gave_up.await.is_err(),
        "the slow query answered within 300 ms"
    );
    slots_come_back(&s).await;
}

/// The work itself stops: a stopped query's worker gives its slot back.
async fn slots_come_back(s: &AppState) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while s.runner.running() > 0 {
        assert!(
            Instant::now() < deadline,
            "a stopped query still holds its slot"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn update(token: Option<&str>) -> Request<Body> {
    let mut r = Request::post("/sparql").header(header::CONTENT_TYPE, "application/sparql-update");
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::from(
        "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/a> <https://example.org/b> \"c\" } }",
    ))
    .expect("request")
}

#[tokio::test]
async fn updates_need_the_token() {
    let closed = state(None, Duration::from_secs(30));
    assert_eq!(send(&closed, update(None)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        send(&closed, update(Some("anything"))).await.0,
        StatusCode::FORBIDDEN
    );
    let open = state(Some("s3cret"), Duration::from_secs(30));
    assert_eq!(send(&open, update(None)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        send(&open, update(Some("wrong"))).await.0,
        StatusCode::UNAUTHORIZED
    );
    let ask = format!(
        "/sparql?{}",
        encode("ASK { <https://example.org/a> ?p ?o }")
    );
    assert!(send(&open, get(&ask, None)).await.2.contains("false"));
    assert_eq!(
        send(&open, update(Some("s3cret"))).await.0,
        StatusCode::NO_CONTENT
    );
    assert!(send(&open, get(&ask, None)).await.2.contains("true"));
    // An update sent as a form, and by GET (refused: updates change the store).
    let form = |token: &str| {
        Request::post("/sparql")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(
                serde_urlencoded::to_string([(
                    "update",
                    "DELETE WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }",
                )])
                .expect("encodes"),
            ))
            .expect("request")
    };
    assert_eq!(send(&open, form("wrong")).await.0, StatusCode::UNAUTHORIZED);
    assert!(send(&open, get(&ask, None)).await.2.contains("true"));
    assert_eq!(send(&open, form("s3cret")).await.0, StatusCode::NO_CONTENT);
    assert!(send(&open, get(&ask, None)).await.2.contains("false"));
    let by_get = get("/sparql?update=CLEAR%20ALL", None);
    assert_eq!(send(&open, by_get).await.0, StatusCode::BAD_REQUEST);
    let delete = Request::delete("/store?graph=https%3A%2F%2Fexample.org%2Fg")
        .body(Body::empty())
        .expect("request");
    assert_eq!(send(&open, delete).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn graph_store_reads_and_cors() {
    let s = state(None, Duration::from_secs(30));
    let (status, media, body) = send(
        &s,
        get(
            "/store?graph=https%3A%2F%2Fpolicykg.org%2Fgraph%2Fliaoning-2021-1",
            Some("application/n-quads"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(media.starts_with("application/n-quads"));
    assert!(body.lines().count() > 1000);
    let (status, _, _) = send(
        &s,
        get("/store?graph=https%3A%2F%2Fexample.org%2Fnone", None),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The store's own default graph holds nothing: every triple sits in a named graph.
    assert_eq!(
        send(&s, get("/store?default", Some("application/n-triples"))).await,
        (
            StatusCode::OK,
            "application/n-triples".to_string(),
            String::new()
        )
    );
    let response = app(s.clone())
        .oneshot(
            Request::get(format!("/sparql?{}", encode(COUNT)))
                .header(header::ORIGIN, "https://yasgui.example")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(
        response
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.as_bytes()),
        Some(&b"*"[..])
    );
    // A query UI on another origin first asks whether it may POST a query.
    let preflight = app(s.clone())
        .oneshot(
            Request::options("/sparql")
                .header(header::ORIGIN, "https://yasgui.example")
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(preflight.status(), StatusCode::OK);
    let allowed = |name| {
        preflight
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(
        (
            allowed(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            allowed(header::ACCESS_CONTROL_ALLOW_METHODS),
            allowed(header::ACCESS_CONTROL_ALLOW_HEADERS),
        ),
        (Some("*".into()), Some("*".into()), Some("*".into()))
    );
}

#[tokio::test]
async fn graph_files_health_and_stats() {
    let s = state(None, Duration::from_secs(30));
    let (status, media, dot) = send(&s, get("/graph/cooperation.dot?min_weight=2", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(media.starts_with("text/vnd.graphviz"));
    graphviz_rust::parse(&dot).expect("DOT parses");
    let (status, _, json) = send(&s, get("/graph/dependency.json", None)).await;
    assert_eq!(status, StatusCode::OK);
    let value: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(value["nodes"].as_array().map(Vec::len), Some(75));
    assert_eq!(
        send(&s, get("/graph/nothing.svg", None)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&s, get("/graph/cooperation.gif", None)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&s, get("/health", None)).await.2,
        format!(
            r#"{{"queries_running":0,"query_slots":{},"status":"ok"}}"#,
            policykg::http::query_slots()
        )
    );
    let stats: serde_json::Value =
        serde_json::from_str(&send(&s, get("/api/stats", None)).await.2).expect("json");
    assert_eq!(
        (
            stats["documents"].as_u64(),
            stats["tasks"].as_u64(),
            stats["units"].as_u64()
        ),
        (Some(1), Some(24), Some(43))
    );
    // The seed's graph and the reference graph, listed a page at a time.
    assert_eq!(stats["graphs_total"].as_u64(), Some(2));
    let graph_names = |v: &serde_json::Value| {
        v["graphs"].as_array().map(|gs| {
            gs.iter()
                .map(|g| g["graph"].to_string())
                .collect::<Vec<_>>()
        })
    };
    let everything = graph_names(&stats).expect("graphs");
    assert_eq!(everything.len(), 2);
    assert_eq!(stats.get("graphs_next"), None);
    let first: serde_json::Value =
        serde_json::from_str(&send(&s, get("/api/stats?limit=1", None)).await.2).expect("json");
    assert_eq!(graph_names(&first), Some(everything[..1].to_vec()));
    assert_eq!(first["graphs_next"], "/api/stats?offset=1&limit=1");
    let second: serde_json::Value =
        serde_json::from_str(&send(&s, get("/api/stats?offset=1&limit=1", None)).await.2)
            .expect("json");
    assert_eq!(graph_names(&second), Some(everything[1..].to_vec()));
    assert_eq!(second.get("graphs_next"), None);
    for bad in [
        "/api/stats?limit=10001",
        "/api/stats?limit=many",
        "/api/stats?offset=-1",
    ] {
        let (status, _, body) = send(&s, get(bad, None)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            body.contains(if bad.contains("offset") {
                "offset"
            } else {
                "limit"
            }),
            "{bad}: {body}"
        );
    }
}

/// A document whose title, task text and unit names carry markup and quotes.
const HOSTILE: &str = "某市人民政府关于<script>alert(\"t\")</script>的\"意见\"\n一、任务\n\
（一）推进<b>京津冀协同发展</b>合作。（牵头单位：市<script>alert(\"u\")</script>局；责任单位：市\"科技\"局、市发展改革委）\n\
（二）建设平台。（牵头单位：市发展改革委；责任单位：市<script>alert(\"u\")</script>局）\n";

/// The IRIs of the store's nodes whose label holds `needle`.
async fn iris_labelled(s: &AppState, class: &str, needle: &str) -> Vec<String> {
    let query = format!(
        "SELECT DISTINCT ?n WHERE {{ ?n a pol:{class} ; rdfs:label|dcterms:title ?l FILTER(CONTAINS(?l, \"{needle}\")) }} ORDER BY ?n"
    );
    let (_, _, csv) = send(
        s,
        get(&format!("/sparql?{}", encode(&query)), Some("text/csv")),
    )
    .await;
    csv.lines().skip(1).map(str::to_string).collect()
}

fn param(key: &str, value: &str) -> String {
    serde_urlencoded::to_string([(key, value)]).expect("encodes")
}

#[tokio::test]
async fn markup_and_quotes_from_a_document_are_inert_on_every_page_and_in_svg() {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    store
        .ingest(
            &extract_bytes(
                HOSTILE.as_bytes(),
                Path::new("hostile.txt"),
                Gazetteer::builtin(),
            )
            .expect("parse"),
        )
        .expect("ingest");
    let s = AppState::new(store, Duration::from_secs(30), None);
    let units = iris_labelled(&s, "Unit", "script").await;
    assert_eq!(units.len(), 1, "{units:?}");
    let quoted = iris_labelled(&s, "Unit", "\\\"科技\\\"").await;
    assert_eq!(quoted.len(), 1, "{quoted:?}");
    let tasks = iris_labelled(&s, "Task", "<b>").await;
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    let pages = [
        "/".to_string(),
        "/doc/hostile".to_string(),
        format!("/entity?{}", param("iri", &units[0])),
        format!("/entity?{}", param("iri", &quoted[0])),
        format!("/entity?{}", param("iri", &tasks[0])),
        "/search?q=script".to_string(),
        format!("/search?{}", param("q", "<script>alert(\"q\")</script>")),
        "/graph/cooperation".to_string(),
        "/graph/dependency".to_string(),
        format!("/graph/ego?{}", param("focus", &units[0])),
        format!(
            "/graph/construct?{}",
            param(
                "query",
                "CONSTRUCT { ?u rdfs:label ?l } WHERE { ?u a pol:Unit ; rdfs:label ?l } # <script>alert(\"c\")</script>"
            )
        ),
    ];
    for uri in &pages {
        let (status, media, page) = send(&s, get(uri, None)).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {page}");
        assert!(media.starts_with("text/html"), "{uri}: {media}");
        for raw in [
            "<script>alert",
            "alert(\"",
            "alert（\"",
            "<b>京津冀",
            "\"科技\"",
        ] {
            assert!(!page.contains(raw), "{uri} holds {raw:?} unescaped");
        }
        assert!(
            page.contains("&lt;script&gt;alert"),
            "{uri} shows no payload"
        );
        // The only scripts are the page's own.
        assert_eq!(
            page.matches("<script").count(),
            page.matches("<script>// ").count(),
            "{uri}"
        );
    }
    // What the pages escaped is there to read.
    let (_, _, doc) = send(&s, get("/doc/hostile", None)).await;
    assert!(
        doc.contains("市&lt;script&gt;alert(&quot;u&quot;)&lt;/script&gt;局"),
        "{doc}"
    );
    assert!(doc.contains("市&quot;科技&quot;局"), "{doc}");
    for view in ["cooperation", "dependency"] {
        let (status, media, svg) = send(&s, get(&format!("/graph/{view}.svg"), None)).await;
        assert_eq!(
            (status, media.as_str()),
            (StatusCode::OK, "image/svg+xml"),
            "{view}"
        );
        assert!(!svg.contains("<script"), "{view}: {svg}");
        assert!(!svg.contains("\"科技\""), "{view}: {svg}");
        assert!(svg.contains("&lt;script&gt;alert"), "{view}: {svg}");
    }
}

#[tokio::test]
async fn drawings_are_cached_until_the_store_changes() {
    let s = state(Some("s3cret"), Duration::from_secs(30));
    let uri = "/graph/cooperation.dot?min_weight=2";
    let (status, _, first) = send(&s, get(uri, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(first.contains("省科技厅"));
    assert_eq!(s.drawings.len(), 1);
    // Parameters no view reads, and their order, do not make a new drawing.
    let (_, _, again) = send(&s, get("/graph/cooperation.dot?zoom=3&min_weight=2", None)).await;
    assert_eq!(again, first);
    assert_eq!(s.drawings.len(), 1);
    send(&s, get("/graph/cooperation.json?min_weight=2", None)).await;
    assert_eq!(s.drawings.len(), 2);
    // Emptied behind the server's back, the store still gives the cached drawing: the
    // answer above came from the cache, not from a new rendering.
    let graph = policykg_extract::vocab::document_graph("liaoning-2021-1");
    s.store()
        .oxigraph()
        .clear_graph(graph.as_ref())
        .expect("clear");
    assert_eq!(send(&s, get(uri, None)).await.2, first);
    // A write through the server makes every drawing stale.
    assert_eq!(
        send(&s, update(Some("s3cret"))).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, _, after) = send(&s, get(uri, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!after.contains("省科技厅"), "{after}");
    assert_eq!(s.drawings.made(), 3);
}

fn put_graph(graph: &str, triples: &str) -> Request<Body> {
    Request::put(format!("/store?{}", param("graph", graph)))
        .header(header::CONTENT_TYPE, "application/n-triples")
        .header(header::AUTHORIZATION, "Bearer s3cret")
        .body(Body::from(triples.to_string()))
        .expect("request")
}

#[tokio::test]
async fn a_drawing_of_one_document_outlives_writes_to_other_documents() {
    let s = state(Some("s3cret"), Duration::from_secs(30));
    let scoped = "/graph/dependency.svg?document=liaoning-2021-1";
    let whole = "/graph/cooperation.dot?min_weight=2";
    let (status, _, first) = send(&s, get(scoped, None)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    send(&s, get(whole, None)).await;
    assert_eq!(s.drawings.made(), 2);
    let other = "https://policykg.org/graph/another-document";
    let triple = "<https://example.org/a> <https://example.org/b> \"c\" .\n";
    assert_eq!(
        send(&s, put_graph(other, triple)).await.0,
        StatusCode::CREATED
    );
    // The document's drawing comes from the cache; the corpus view is made again.
    assert_eq!(send(&s, get(scoped, None)).await.2, first);
    assert_eq!(s.drawings.made(), 2);
    send(&s, get(whole, None)).await;
    assert_eq!(s.drawings.made(), 3);
    // A write to the document itself makes its drawing again, from the new data.
    let own = "https://policykg.org/graph/liaoning-2021-1";
    assert_eq!(
        send(&s, put_graph(own, triple)).await.0,
        StatusCode::NO_CONTENT
    );
    let (_, _, after) = send(&s, get(scoped, None)).await;
    assert_eq!(s.drawings.made(), 4);
    assert_ne!(after, first);
    assert!(
        first.contains("省科技厅") && !after.contains("省科技厅"),
        "{after}"
    );
}

#[tokio::test]
async fn graph_results_stream_in_chunks() {
    let s = state(None, Duration::from_secs(30));
    let graph = "<https://policykg.org/graph/liaoning-2021-1>";
    let count = format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}");
    let (_, _, csv) = send(
        &s,
        get(&format!("/sparql?{}", encode(&count)), Some("text/csv")),
    )
    .await;
    let triples: usize = csv
        .lines()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("count");
    let construct = format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}");
    let response = app(s.clone())
        .oneshot(get(
            &format!("/sparql?{}", encode(&construct)),
            Some("application/n-triples"),
        ))
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    let (mut chunks, mut text) = (0, Vec::new());
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.expect("frame").into_data() {
            chunks += 1;
            text.extend_from_slice(&data);
        }
    }
    let text = String::from_utf8(text).expect("UTF-8");
    assert_eq!(text.lines().count(), triples);
    assert!(chunks > 10, "{chunks} chunks for {} bytes", text.len());
}

#[tokio::test]
async fn a_slow_view_gets_503_and_frees_its_slot() {
    let s = state(None, Duration::from_millis(500));
    let slow = format!(
        "/graph/construct.dot?{}",
        param(
            "query",
            "CONSTRUCT { ?a <urn:x:q> ?b } WHERE { ?a (<urn:x:p>|!<urn:x:p>)* ?b . ?b ?p ?c }"
        )
    );
    let started = Instant::now();
    let (status, _, body) = send(&s, get(&slow, None)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("time limit of 0.5 s"), "{body}");
    assert!(started.elapsed() < Duration::from_secs(3));
    slots_come_back(&s).await;
    assert!(s.drawings.is_empty());
}

#[tokio::test]
async fn requests_for_a_drawing_being_made_wait_for_it() {
    let s = state(None, Duration::from_secs(30));
    let uri = "/graph/dependency.svg?min_weight=2";
    let (a, b, c, d) = tokio::join!(
        send(&s, get(uri, None)),
        send(&s, get(uri, None)),
        send(&s, get(uri, None)),
        send(&s, get(uri, None)),
    );
    assert_eq!(a.0, StatusCode::OK);
    assert!(a.2.contains("<svg"));
    assert!([&b, &c, &d].iter().all(|r| r.2 == a.2));
    assert_eq!(s.drawings.made(), 1);
    send(&s, get("/graph/dependency.svg?min_weight=3", None)).await;
    assert_eq!(s.drawings.made(), 2);
    let stats: serde_json::Value =
        serde_json::from_str(&send(&s, get("/api/stats", None)).await.2).expect("json");
    assert_eq!(
        stats["drawings"],
        serde_json::json!({"cached": 2, "drawn": 2})
    );
}

#[tokio::test]
async fn graph_pages_offer_documents_and_roles_and_explain_bad_filters() {
    let s = state(None, Duration::from_secs(30));
    let (status, _, page) = send(
        &s,
        get(
            "/graph/cooperation?document=liaoning-2021-1&role=lead",
            None,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(r#"<option value="liaoning-2021-1" selected>辽宁省人民政府办公厅关于对接国家重大区域发展战略的实施意见</option>"#),
        "{page}"
    );
    assert!(page.contains(r#"<option value="lead" selected>lead</option>"#));
    assert!(page.contains("<svg"));
    let (status, _, page) = send(&s, get("/graph/cooperation?role=boss", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("unknown role &quot;boss&quot;"), "{page}");
    assert!(page.contains(r#"<form method="get" id="filters">"#));
    let (status, _, page) = send(&s, get("/graph/ego", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("the ego view needs focus (--focus on the command line)"),
        "{page}"
    );
}

#[tokio::test]
async fn entity_pages_group_relations_by_predicate_with_labels() {
    let s = state(None, Duration::from_secs(30));
    let uri = format!(
        "/entity?{}",
        param("iri", "https://policykg.org/id/unit/辽宁省/省科技厅")
    );
    let (status, _, page) = send(&s, get(&uri, None)).await;
    assert_eq!(status, StatusCode::OK);
    let relations_in = page
        .split("<h2>Relations in</h2>")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .expect("a first group of relations in");
    let task = |n: &str, title: &str| {
        let iri = format!("https://policykg.org/id/doc/liaoning-2021-1/task/{n}");
        format!(
            r#"<a href="/entity?{}" title="{iri}">{title}</a>"#,
            param("iri", &iri)
        )
    };
    assert_eq!(
        relations_in,
        format!(
            r#"<table class="relations"><tr><th>pol:leadUnit</th><td>{} · {} · {} · {}</td>"#,
            task("2.3.1", "完善产学研协同创新机制"),
            task("2.3.2", "加快科技成果转移转化"),
            task("2.3.3", "高水平建设科技创新载体和平台"),
            task("2.7.2", "共建国家区域医疗中心"),
        )
    );
}

#[tokio::test]
async fn a_query_stopped_after_its_first_results_breaks_the_body() {
    let s = state(None, Duration::from_millis(500));
    // A product of the store with itself: rows come at once, and would for minutes.
    let uri = format!(
        "/sparql?{}",
        encode("SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f }")
    );
    let response = app(s.clone())
        .oneshot(get(&uri, Some("text/csv")))
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await;
    assert!(body.is_err(), "a cut stream must not look complete");
    slots_come_back(&s).await;
}

/// A store on disk opened read-only, with its queries evaluated in worker processes.
fn isolated_state(name: &str, timeout: Duration) -> (AppState, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("policykg-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    policykg_store::open_store(&dir, Gazetteer::builtin())
        .expect("store")
        .ingest(&util::seed())
        .expect("ingest");
    let store = PolicyStore::open_read_only(&dir).expect("read-only store");
    let mut state = AppState::new(store, timeout, None);
    state.workers = Some(std::sync::Arc::new(
        policykg_store::sparql::worker::Workers::new(
            env!("CARGO_BIN_EXE_policykg").into(),
            dir.clone(),
        ),
    ));
    (state, dir)
}

/// The process ids of the live workers for the store at `dir`, from /proc.
fn worker_pids(dir: &Path) -> Vec<String> {
    let wanted = format!("--store {} query-worker", dir.display());
    std::fs::read_dir("/proc")
        .expect("/proc")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let cmdline = std::fs::read(path.join("cmdline")).ok()?;
            let status = std::fs::read_to_string(path.join("stat")).ok()?;
            // A killed child not yet reaped is a zombie: it runs no more.
            let zombie = status.rsplit(')').next()?.trim_start().starts_with('Z');
            (!zombie
                && String::from_utf8_lossy(&cmdline)
                    .replace('\0', " ")
                    .contains(&wanted))
            .then(|| path.file_name()?.to_str().map(str::to_string))
            .flatten()
        })
        .collect()
}

fn live_workers(dir: &Path) -> usize {
    worker_pids(dir).len()
}

#[tokio::test]
async fn isolated_queries_answer_as_the_server_threads_do() {
    let (isolated, _dir) = isolated_state("isolated-answers", Duration::from_secs(30));
    let threads = state(None, Duration::from_secs(30));
    let construct = "CONSTRUCT { ?d a pol:Document } WHERE { ?d a pol:Document }";
    for (query, accept) in [
        (COUNT, "text/csv"),
        (COUNT, "application/sparql-results+json"),
        (COUNT, "application/sparql-results+xml"),
        (COUNT, "text/tab-separated-values"),
        ("ASK { ?t a pol:Task }", "application/json"),
        (construct, "application/n-triples"),
        (construct, "text/turtle"),
        (QUERY_ROWS, "text/csv"),
        ("SELECT ?x WHERE { ?x ?y }", "text/csv"),
        (COUNT, "image/png"),
    ] {
        let uri = format!("/sparql?{}", encode(query));
        let want = send(&threads, get(&uri, Some(accept))).await;
        let got = send(&isolated, get(&uri, Some(accept))).await;
        assert_eq!(got, want, "{query} as {accept}");
    }
    // The construct view draws the same graph from a worker's results.
    for query in [
        "CONSTRUCT { ?t pol:leadUnit ?u } WHERE { ?t pol:leadUnit ?u } ORDER BY ?t LIMIT 12",
        "SELECT ?s ?p ?o WHERE { ?s pol:leadUnit ?o . BIND(pol:leadUnit AS ?p) } ORDER BY ?s ?o LIMIT 5",
    ] {
        let uri = format!("/graph/construct.dot?{}", param("query", query));
        let want = send(&threads, get(&uri, None)).await;
        assert_eq!(want.0, StatusCode::OK, "{}", want.2);
        assert_eq!(send(&isolated, get(&uri, None)).await, want, "{query}");
    }
    // One worker served them all, one query after another.
    assert_eq!(isolated.workers.as_ref().map(|w| w.idle()), Some(1));
}

#[tokio::test]
async fn an_isolated_query_computed_in_memory_is_killed_at_the_limit() {
    let (s, dir) = isolated_state("isolated-limit", Duration::from_secs(1));
    // Three copies of the store joined in memory: Oxigraph would not notice a cancellation
    // for minutes, so only killing the worker stops it.
    let product = format!(
        "/sparql?{}",
        encode("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    );
    let started = Instant::now();
    let (status, _, body) = send(&s, get(&product, None)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("time limit of 1 s"), "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    let deadline = Instant::now() + Duration::from_secs(3);
    while live_workers(&dir) > 0 {
        assert!(Instant::now() < deadline, "the worker still runs");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    slots_come_back(&s).await;
    // So does the construct view's query.
    let view = format!(
        "/graph/construct.svg?{}",
        param(
            "query",
            "CONSTRUCT { ?a ?b ?g } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        )
    );
    let (status, _, body) = send(&s, get(&view, None)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    let deadline = Instant::now() + Duration::from_secs(3);
    while live_workers(&dir) > 0 {
        assert!(Instant::now() < deadline, "the view's worker still runs");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A new worker takes the next query.
    let (status, _, csv) = send(
        &s,
        get(&format!("/sparql?{}", encode(COUNT)), Some("text/csv")),
    )
    .await;
    assert_eq!((status, csv.as_str()), (StatusCode::OK, "n\r\n24\r\n"));
    assert_eq!(live_workers(&dir), 1);
    // An idle worker that dies is replaced when the next query comes.
    for pid in worker_pids(&dir) {
        // The shell's own kill: no other package needed.
        std::process::Command::new("sh")
            .args(["-c", &format!("kill -9 {pid}")])
            .status()
            .expect("sh runs");
    }
    let deadline = Instant::now() + Duration::from_secs(3);
    while live_workers(&dir) > 0 {
        assert!(Instant::now() < deadline, "the idle worker still runs");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (status, _, csv) = send(
        &s,
        get(&format!("/sparql?{}", encode(COUNT)), Some("text/csv")),
    )
    .await;
    assert_eq!((status, csv.as_str()), (StatusCode::OK, "n\r\n24\r\n"));
}

#[tokio::test]
async fn search_finds_words_in_labels_and_in_task_text() {
    let s = state(None, Duration::from_secs(30));
    let (status, _, page) = send(&s, get(&format!("/search?{}", param("q", "张江")), None)).await;
    assert_eq!(status, StatusCode::OK);
    // 张江 is in the text of task 2.3.1, not in its title.
    let task = format!(
        r#"<a href="/entity?{}">完善产学研协同创新机制</a>"#,
        param(
            "iri",
            "https://policykg.org/id/doc/liaoning-2021-1/task/2.3.1"
        )
    );
    assert!(page.contains(&task), "{page}");
    assert!(
        page.contains(r#"<mark class="found">张江</mark>"#),
        "{page}"
    );
    // Full-width letters find half-width ones.
    let (_, _, wide) = send(
        &s,
        get(&format!("/search?{}", param("q", "ＱＦＬＰ")), None),
    )
    .await;
    let (_, _, narrow) = send(&s, get(&format!("/search?{}", param("q", "QFLP")), None)).await;
    assert!(narrow.contains("<p>1 results</p>"), "{narrow}");
    assert_eq!(wide.split("</h1>").nth(1), narrow.split("</h1>").nth(1));
}

#[tokio::test]
async fn every_corpus_document_has_its_page_and_its_views() {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    let mut docs = vec![util::seed()];
    let mut paths: Vec<_> = std::fs::read_dir(util::root().join("tests/corpus"))
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    docs.extend(paths.iter().map(|p| util::parse(p)));
    assert_eq!(docs.len(), 19);
    for doc in &docs {
        store.ingest(doc).expect("ingest");
    }
    let s = AppState::new(store, Duration::from_secs(30), None);
    for doc in &docs {
        let key = policykg_extract::vocab::document_key(&doc.source.path);
        // Every unit mention the parser read is marked once on the document's page.
        let spans: std::collections::BTreeSet<(usize, usize)> = doc
            .tasks
            .iter()
            .flat_map(|t| Role::ALL.into_iter().flat_map(move |r| t.units(r)))
            .map(|u| (u.span.start, u.span.end))
            .collect();
        let (status, _, page) = send(&s, get(&format!("/doc/{key}"), None)).await;
        assert_eq!(status, StatusCode::OK, "{key}");
        let text = page.split(r#"<pre class="doc">"#).nth(1).expect("the text");
        assert_eq!(
            text.matches(r#"<mark class="unit">"#).count(),
            spans.len(),
            "{key}"
        );
        // The dependency view of the document holds exactly its tasks.
        let (status, _, json) = send(
            &s,
            get(&format!("/graph/dependency.json?document={key}"), None),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{key}");
        let view: serde_json::Value = serde_json::from_str(&json).expect("json");
        let tasks = view["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .filter(|n| n["kind"] == "task")
            .count();
        assert_eq!(tasks, doc.tasks.len(), "{key}");
        let (status, _, _) =
            send(&s, get(&format!("/graph/cooperation?document={key}"), None)).await;
        assert_eq!(status, StatusCode::OK, "{key}");
    }
}

#[tokio::test]
async fn the_document_page_marks_clauses_that_name_units_but_were_not_read() {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    let text = "关于推进甲项工作的实施方案\n一、重点任务\n（一）推进甲项工作。做好甲项。（责任单位：省科技厅）\n（二）推进乙项工作。做好乙项。（省商务厅主抓，省财政厅、省发展改革委支撑）\n";
    let doc = extract_bytes(
        text.as_bytes(),
        Path::new("one-unread.txt"),
        Gazetteer::builtin(),
    )
    .expect("parses");
    store.ingest(&doc).expect("ingest");
    let s = AppState::new(store, Duration::from_secs(30), None);
    let (status, _, page) = send(&s, get("/doc/one-unread", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<strong>1 possible unit annotations not read</strong>"),
        "{page}"
    );
    let clause = "（省商务厅主抓，省财政厅、省发展改革委支撑）";
    let start = text.chars().count() - clause.chars().count() - 1;
    assert!(
        page.contains(&format!(r##"<a href="#s{start}">line 4</a>: {clause}"##)),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            r#"<mark id="s{start}" class="unread" title="possible unit annotation not read">{clause}</mark>"#
        )),
        "{page}"
    );
    // A document with none says nothing of it.
    let s = state(None, Duration::from_secs(30));
    let (_, _, seed) = send(&s, get("/doc/liaoning-2021-1", None)).await;
    assert!(!seed.contains("not read"));
}

#[tokio::test]
async fn the_matrix_page_and_its_files() {
    let s = state(None, Duration::from_secs(30));
    let (status, media, page) = send(&s, get("/matrix", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(media.starts_with("text/html"));
    assert!(page.contains("24 tasks × 42 units"), "{page}");
    assert_eq!(page.matches("<tr class=\"section\">").count(), 7);
    assert_eq!(page.matches(">●</a>").count(), 31);
    assert_eq!(page.matches(">○</a>").count(), 108);

    let (status, media, csv) = send(&s, get("/matrix.csv?section=2.3", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(media, "text/csv; charset=utf-8");
    let matrix = policykg_views::graph::build_matrix(
        &**s.store(),
        &policykg_views::graph::ViewOptions {
            section: Some("2.3".into()),
            ..Default::default()
        },
        policykg_store::sparql::CancellationToken::new(),
    )
    .expect("matrix");
    assert_eq!(csv, policykg_views::render::matrix_csv(&matrix));
    let (status, media, _) = send(&s, get("/matrix.xlsx", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        media,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let (status, media, svg) = send(&s, get("/matrix.svg?role=lead", None)).await;
    assert_eq!((status, media.as_str()), (StatusCode::OK, "image/svg+xml"));
    assert_eq!(svg.matches(">●</text>").count(), 31);
    assert_eq!(svg.matches(">○</text>").count(), 0);
    let (status, _, body) = send(&s, get("/matrix?role=chief", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("chief"), "{body}");
    let (status, _, _) = send(&s, get("/matrix.pdf", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The whole seed's dependency diagram is too crowded: its page proposes the matrix.
    let (_, _, page) = send(&s, get("/graph/dependency", None)).await;
    assert!(page.contains("href=\"/matrix?\""), "{page}");
    let (_, _, page) = send(&s, get("/graph/dependency?section=2.3", None)).await;
    assert!(!page.contains("href=\"/matrix?"));
}

#[tokio::test]
async fn the_page_of_a_node_many_documents_name_draws_its_neighbourhood_in_one() {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    for index in 0..10 {
        let generated = policykg_devtools::generate::generate_document(7, index);
        let name = policykg_devtools::generate::file_name(index, 10);
        let doc = extract_bytes(
            generated.text.as_bytes(),
            Path::new(&name),
            Gazetteer::builtin(),
        )
        .expect("parses");
        store.ingest(&doc).expect("ingest");
    }
    let busiest: Vec<std::collections::HashMap<String, String>> = policykg_store::sparql::Select::new(
        "SELECT ?node (COUNT(DISTINCT ?doc) AS ?n) WHERE { { ?link pol:unit ?node } UNION { ?link pol:target ?node ; pol:linkKind \"stated\" } ?link pol:evidence/prov:wasQuotedFrom ?doc } GROUP BY ?node ORDER BY DESC(?n) ?node LIMIT 1",
    )
    .rows(&store)
    .expect("rows");
    let (node, named_in) = (
        &busiest[0]["node"],
        busiest[0]["n"].parse::<usize>().expect("n"),
    );
    assert!(named_in > 5, "{node} is named in {named_in} documents only");
    let s = AppState::new(store, Duration::from_secs(30), None);
    let uri = format!(
        "/entity?{}",
        serde_urlencoded::to_string([("iri", node)]).expect("encodes")
    );
    let (status, _, page) = send(&s, get(&uri, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!(
            "Named in {named_in} documents: its neighbourhood is drawn in "
        )),
        "{page}"
    );
    assert!(
        page.contains("<svg"),
        "the neighbourhood in one document is drawn"
    );
}
