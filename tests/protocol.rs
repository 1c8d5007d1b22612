//! The SPARQL 1.1 Protocol and Graph Store Protocol against a running `policykg serve`, over
//! a real socket: the query and update cases of the W3C working group's protocol tests
//! (GET, POST form, POST direct, dataset parameters, content negotiation, base IRI, SILENT,
//! every error case), the Graph Store's verbs, and who may write.

use crate::util;

use util::server::{Reply, Server, encode};

const FORM: &str = "application/x-www-form-urlencoded";
const TOKEN: &str = "protocol-test-token-7f3a";

fn store(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("policykg-protocol-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(dir.with_extension("log"));
    dir
}

fn seed_server(name: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
    let seed = util::seed_path();
    let mut all = vec!["--data", seed.to_str().expect("a UTF-8 path")];
    all.extend_from_slice(args);
    Server::start(&store(name), &all, env)
}

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

fn get(s: &Server, params: &str, accept: Option<&str>) -> Reply {
    let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept", a)).into_iter().collect();
    s.request("GET", &format!("/sparql?{params}"), &headers, b"")
}

fn post(s: &Server, target: &str, content_type: &str, body: &str, auth: Option<&str>) -> Reply {
    let mut headers = vec![("Content-Type", content_type)];
    if let Some(a) = auth {
        headers.push(("Authorization", a));
    }
    s.request("POST", target, &headers, body.as_bytes())
}

fn query_csv(s: &Server, query: &str) -> String {
    let r = get(s, &format!("query={}", encode(query)), Some("text/csv"));
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    r.text()
}

fn update(s: &Server, update: &str) -> Reply {
    post(
        s,
        "/sparql",
        "application/sparql-update",
        update,
        Some(&bearer()),
    )
}

fn assert_status(r: &Reply, status: u16, case: &str) {
    assert_eq!(r.status, status, "{case}: {}", r.text());
}

const SEED_GRAPH: &str = "https://policykg.org/graph/liaoning-2021-1";

#[test]
fn sparql_protocol_queries() {
    let s = seed_server("query", &[], &[]);
    let ask = encode("ASK {}");

    // query_get, query_post_form, query_post_direct (with a charset)
    let r = get(&s, &format!("query={ask}"), None);
    assert_status(&r, 200, "query_get");
    assert_eq!(
        r.header("content-type"),
        Some("application/sparql-results+json")
    );
    assert_eq!(r.text(), r#"{"head":{},"boolean":true}"#);
    let r = post(&s, "/sparql", FORM, &format!("query={ask}"), None);
    assert_status(&r, 200, "query_post_form");
    let r = post(
        &s,
        "/sparql",
        "application/sparql-query; charset=UTF-8",
        "ASK {}",
        None,
    );
    assert_status(&r, 200, "query_post_direct");

    // Content negotiation for each kind of result.
    let tasks = "SELECT (COUNT(?t) AS ?n) WHERE { ?t a pol:Task }";
    for (accept, media, body) in [
        ("text/csv", "text/csv; charset=utf-8", "n\r\n24\r\n"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values; charset=utf-8",
            "?n\n24\n",
        ),
    ] {
        let r = get(&s, &format!("query={}", encode(tasks)), Some(accept));
        assert_status(&r, 200, accept);
        assert_eq!(r.header("content-type"), Some(media), "{accept}");
        assert_eq!(r.text(), body, "{accept}");
    }
    let r = get(
        &s,
        &format!("query={}", encode(tasks)),
        Some("application/sparql-results+xml"),
    );
    assert_eq!(
        r.header("content-type"),
        Some("application/sparql-results+xml")
    );
    assert!(r.text().contains(">24</literal>"), "{}", r.text());
    let construct = encode(&format!(
        "CONSTRUCT {{ <{SEED_GRAPH}> <urn:x:tasks> ?n }} WHERE {{ {{ SELECT (COUNT(?t) AS ?n) WHERE {{ ?t a pol:Task }} }} }}"
    ));
    let r = get(
        &s,
        &format!("query={construct}"),
        Some("application/n-triples"),
    );
    assert_status(&r, 200, "construct as N-Triples");
    assert_eq!(r.header("content-type"), Some("application/n-triples"));
    assert_eq!(
        r.text(),
        format!(
            "<{SEED_GRAPH}> <urn:x:tasks> \"24\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
        )
    );
    let r = get(&s, &format!("query={construct}"), Some("text/turtle"));
    assert_eq!(r.header("content-type"), Some("text/turtle"));
    let r = get(
        &s,
        &format!("query={}", encode("DESCRIBE <urn:x:nothing>")),
        Some("application/n-quads, text/turtle;q=0.5"),
    );
    assert_status(&r, 200, "describe");
    assert_eq!(r.header("content-type"), Some("application/n-quads"));
    // `format` wins over Accept.
    let r = get(
        &s,
        &format!("query={}&format=csv", encode(tasks)),
        Some("application/sparql-results+json"),
    );
    assert_eq!(r.text(), "n\r\n24\r\n");
    let r = get(&s, &format!("query={}", encode(tasks)), Some("text/turtle"));
    assert_status(&r, 406, "SELECT results as Turtle");

    // Dataset: default-graph-uri and named-graph-uri replace FROM and FROM NAMED.
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?t a pol:Task }";
    let r = get(
        &s,
        &format!(
            "query={}&default-graph-uri={}",
            encode(count),
            encode("urn:x:empty")
        ),
        Some("text/csv"),
    );
    assert_eq!(
        r.text(),
        "n\r\n0\r\n",
        "default-graph-uri of an empty graph"
    );
    let r = get(
        &s,
        &format!(
            "query={}&default-graph-uri={}",
            encode("SELECT (COUNT(*) AS ?n) FROM <urn:x:empty> WHERE { ?t a pol:Task }"),
            encode(SEED_GRAPH)
        ),
        Some("text/csv"),
    );
    assert_eq!(r.text(), "n\r\n24\r\n", "default-graph-uri replaces FROM");
    let named = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?t a pol:Task } } GROUP BY ?g";
    let r = get(
        &s,
        &format!(
            "query={}&named-graph-uri={}&named-graph-uri={}",
            encode(named),
            encode(SEED_GRAPH),
            encode("urn:x:empty")
        ),
        Some("text/csv"),
    );
    assert_eq!(r.text(), format!("g,n\r\n{SEED_GRAPH},24\r\n"));

    // The base IRI: the endpoint's URL, unless the query says otherwise.
    let base = format!("http://127.0.0.1:{}/", s.port);
    assert_eq!(
        query_csv(&s, "SELECT ?x WHERE { BIND(<relative> AS ?x) }"),
        format!("x\r\n{base}relative\r\n")
    );
    assert_eq!(
        query_csv(
            &s,
            "BASE <http://example.org/a/> SELECT ?x WHERE { BIND(<relative> AS ?x) }"
        ),
        "x\r\nhttp://example.org/a/relative\r\n"
    );

    // Errors: each one a 4xx that says what was wrong.
    let cases: Vec<(&str, Reply, u16, &str)> = vec![
        (
            "bad_query_method",
            s.request("PUT", &format!("/sparql?query={ask}"), &[], b""),
            405,
            "",
        ),
        (
            "bad_multiple_queries",
            get(&s, &format!("query={ask}&query={ask}"), None),
            400,
            "give the query parameter once",
        ),
        (
            "bad_query_wrong_media_type",
            post(&s, "/sparql", "text/plain", "ASK {}", None),
            415,
            "unsupported content type",
        ),
        (
            "bad_query_missing_form_type",
            s.request("POST", "/sparql", &[], format!("query={ask}").as_bytes()),
            415,
            "unsupported content type",
        ),
        (
            "bad_query_non_utf8",
            s.request(
                "POST",
                "/sparql",
                &[("Content-Type", "application/sparql-query")],
                b"ASK {\xff}",
            ),
            400,
            "not UTF-8",
        ),
        (
            "bad_query_syntax",
            get(&s, &format!("query={}", encode("SELEKT * {}")), None),
            400,
            "SPARQL syntax error",
        ),
        (
            "missing query",
            get(&s, "format=csv", None),
            400,
            "missing the query",
        ),
        (
            "query and update together",
            post(
                &s,
                "/sparql",
                FORM,
                &format!("query={ask}&update={}", encode("CLEAR ALL")),
                None,
            ),
            400,
            "not both",
        ),
        (
            "a direct query also in the URL",
            post(
                &s,
                &format!("/sparql?query={ask}"),
                "application/sparql-query",
                "ASK {}",
                None,
            ),
            400,
            "do not give it in the URL too",
        ),
        (
            "using-graph-uri with a query",
            get(
                &s,
                &format!("query={ask}&using-graph-uri={}", encode(SEED_GRAPH)),
                None,
            ),
            400,
            "using-graph-uri does not go with a query",
        ),
        (
            "a bad graph IRI",
            get(&s, &format!("query={ask}&default-graph-uri=a%20b"), None),
            400,
            "graph IRI a b",
        ),
        (
            "SERVICE",
            get(
                &s,
                &format!(
                    "query={}",
                    encode("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
                ),
                None,
            ),
            400,
            "federated queries are not offered here",
        ),
        (
            "bad_update_get",
            get(&s, &format!("update={}", encode("CLEAR ALL")), None),
            400,
            "updates must be sent with POST",
        ),
    ];
    for (case, reply, status, message) in cases {
        assert_status(&reply, status, case);
        assert!(reply.text().contains(message), "{case}: {}", reply.text());
    }
    // The seed is untouched by all of it.
    assert_eq!(query_csv(&s, tasks), "n\r\n24\r\n");
}

#[test]
fn sparql_protocol_updates_and_graph_store() {
    let dir = store("update");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let token_file = dir.with_extension("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).expect("token file");
    let s = seed_server(
        "update",
        &["--update-token-file", token_file.to_str().expect("UTF-8")],
        &[],
    );
    let base = format!("http://127.0.0.1:{}/", s.port);
    let triples_in = |graph: &str| {
        query_csv(
            &s,
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
        )
    };

    // update_post_form and update_post_direct, with a relative IRI resolved against the
    // endpoint (update_base_uri), then cleared through the same relative IRI.
    let r = post(
        &s,
        "/sparql",
        FORM,
        &format!(
            "update={}",
            encode("INSERT DATA { GRAPH <base-test> { <s> <p> \"form\" } }")
        ),
        Some(&bearer()),
    );
    assert_status(&r, 204, "update_post_form");
    assert_status(
        &update(
            &s,
            "INSERT DATA { GRAPH <base-test> { <s> <p> \"direct\" } }",
        ),
        204,
        "update_post_direct",
    );
    assert_eq!(
        query_csv(
            &s,
            &format!(
                "SELECT ?s ?o WHERE {{ GRAPH <{base}base-test> {{ ?s <{base}p> ?o }} }} ORDER BY ?o"
            ),
        ),
        format!("s,o\r\n{base}s,direct\r\n{base}s,form\r\n")
    );
    assert_status(&update(&s, "CLEAR GRAPH <base-test>"), 204, "CLEAR GRAPH");
    assert_eq!(triples_in(&format!("{base}base-test")), "n\r\n0\r\n");

    // SILENT: a failing operation is an error without it and nothing with it.
    for (operation, status) in [
        ("DROP GRAPH <urn:x:never-made>", 400),
        ("DROP SILENT GRAPH <urn:x:never-made>", 204),
        ("CLEAR GRAPH <urn:x:never-made>", 400),
        ("CLEAR SILENT GRAPH <urn:x:never-made>", 204),
        ("LOAD <http://example.org/nothing.ttl>", 400),
        ("LOAD SILENT <http://example.org/nothing.ttl>", 204),
        ("CREATE GRAPH <urn:x:made>", 204),
        ("CREATE GRAPH <urn:x:made>", 400),
        ("CREATE SILENT GRAPH <urn:x:made>", 204),
        ("DROP GRAPH <urn:x:made>", 204),
    ] {
        assert_status(&update(&s, operation), status, operation);
    }

    // using-graph-uri gives the update its dataset (update_dataset_default_graph) …
    let copy = "INSERT { GRAPH <urn:x:copy> { ?t a <urn:x:Task> } } WHERE { ?t a pol:Task }";
    let r = post(
        &s,
        &format!("/sparql?using-graph-uri={}", encode(SEED_GRAPH)),
        "application/sparql-update",
        copy,
        Some(&bearer()),
    );
    assert_status(&r, 204, "update_dataset_default_graph");
    assert_eq!(triples_in("urn:x:copy"), "n\r\n24\r\n");
    // … but not to one that names its own (bad_update_dataset_conflict).
    let r = post(
        &s,
        &format!("/sparql?using-graph-uri={}", encode(SEED_GRAPH)),
        "application/sparql-update",
        &format!("DELETE {{ ?s ?p ?o }} USING <{SEED_GRAPH}> WHERE {{ ?s ?p ?o }}"),
        Some(&bearer()),
    );
    assert_status(&r, 400, "bad_update_dataset_conflict");
    assert!(r.text().contains("USING"), "{}", r.text());
    assert_status(&update(&s, "DROP GRAPH <urn:x:copy>"), 204, "DROP");

    for (case, reply, status) in [
        (
            "bad_multiple_updates",
            post(
                &s,
                "/sparql",
                FORM,
                &format!(
                    "update={}&update={}",
                    encode("CLEAR ALL"),
                    encode("CLEAR ALL")
                ),
                Some(&bearer()),
            ),
            400,
        ),
        (
            "bad_update_syntax",
            update(&s, "INSERT DATA { GRAPH <urn:x:g> { <a> <b> } }"),
            400,
        ),
        (
            "bad_update_wrong_media_type",
            post(&s, "/sparql", "text/plain", "CLEAR ALL", Some(&bearer())),
            415,
        ),
        (
            "default-graph-uri with an update",
            post(
                &s,
                &format!("/sparql?default-graph-uri={}", encode(SEED_GRAPH)),
                "application/sparql-update",
                "CLEAR ALL",
                Some(&bearer()),
            ),
            400,
        ),
    ] {
        assert_status(&reply, status, case);
    }

    // The Graph Store: PUT creates (201) then replaces (204), POST adds, GET reads,
    // DELETE removes; relative IRIs in a body resolve against the graph's IRI.
    let graph = "https://policykg.org/graph/protocol-test";
    let target = format!("/store?graph={}", encode(graph));
    let put = |body: &str| {
        s.request(
            "PUT",
            &target,
            &[
                ("Content-Type", "text/turtle"),
                ("Authorization", &bearer()),
            ],
            body.as_bytes(),
        )
    };
    assert_status(&put("<a> <urn:x:p> 1 ."), 201, "PUT a new graph");
    assert_status(&put("<b> <urn:x:p> 2 ."), 204, "PUT over a graph");
    let r = s.request(
        "POST",
        &target,
        &[
            ("Content-Type", "application/n-triples"),
            ("Authorization", &bearer()),
        ],
        b"<urn:x:c> <urn:x:p> \"3\" .\n",
    );
    assert_status(&r, 204, "POST to a graph");
    let r = s.request("GET", &target, &[("Accept", "application/n-triples")], b"");
    assert_status(&r, 200, "GET a graph");
    let text = r.text();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "<https://policykg.org/graph/b> <urn:x:p> \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> .",
            "<urn:x:c> <urn:x:p> \"3\" .",
        ]
    );
    let r = s.request("DELETE", &target, &[("Authorization", &bearer())], b"");
    assert_status(&r, 204, "DELETE a graph");
    let r = s.request("GET", &target, &[], b"");
    assert_status(&r, 404, "GET a deleted graph");
    let r = put("<a> <b> .");
    assert_status(&r, 400, "PUT of broken Turtle");
    assert_eq!(
        s.request("GET", &target, &[], b"").status,
        404,
        "a failed PUT leaves nothing"
    );
    let r = s.request(
        "PUT",
        &format!(
            "/store?graph={}",
            encode("https://policykg.org/graph/statistics")
        ),
        &[
            ("Content-Type", "text/turtle"),
            ("Authorization", &bearer()),
        ],
        b"<a> <b> <c> .",
    );
    assert_status(&r, 400, "PUT over the statistics graph");

    // The seed came through all of it.
    assert_eq!(
        query_csv(&s, "SELECT (COUNT(?t) AS ?n) WHERE { ?t a pol:Task }"),
        "n\r\n24\r\n"
    );
}

#[test]
fn only_the_token_holder_writes_and_the_token_is_never_shown() {
    let s = seed_server(
        "access",
        &[],
        &[("POLICYKG_UPDATE_TOKEN", TOKEN), ("RUST_LOG", "debug")],
    );
    let graph = format!(
        "/store?graph={}",
        encode("https://policykg.org/graph/access")
    );
    let insert = "INSERT DATA { GRAPH <https://policykg.org/graph/access> { <urn:x:a> <urn:x:b> <urn:x:c> } }";
    type Route<'a> = (&'a str, &'a str, String, Vec<(&'a str, &'a str)>, Vec<u8>);
    let routes: Vec<Route> = vec![
        (
            "update by form",
            "POST",
            "/sparql".into(),
            vec![("Content-Type", FORM)],
            format!("update={}", encode(insert)).into_bytes(),
        ),
        (
            "update direct",
            "POST",
            "/sparql".into(),
            vec![("Content-Type", "application/sparql-update")],
            insert.as_bytes().to_vec(),
        ),
        (
            "Graph Store PUT",
            "PUT",
            graph.clone(),
            vec![("Content-Type", "text/turtle")],
            b"<urn:x:a> <urn:x:b> <urn:x:c> .".to_vec(),
        ),
        (
            "Graph Store POST",
            "POST",
            graph.clone(),
            vec![("Content-Type", "text/turtle")],
            b"<urn:x:a> <urn:x:b> <urn:x:d> .".to_vec(),
        ),
        ("Graph Store DELETE", "DELETE", graph, vec![], vec![]),
    ];
    let wrong = format!("Bearer {TOKEN}x");
    let right = bearer();
    for (name, method, target, headers, body) in &routes {
        for (auth, expected) in [
            (None, 401),
            (Some("Basic dXNlcjpwYXNz"), 401),
            (Some(wrong.as_str()), 401),
            (Some(right.as_str()), 0),
        ] {
            let mut all = headers.clone();
            if let Some(a) = auth {
                all.push(("Authorization", a));
            }
            let r = s.request(method, target, &all, body);
            if expected == 0 {
                assert!(
                    [201, 204].contains(&r.status),
                    "{name} with the token: {} {}",
                    r.status,
                    r.text()
                );
            } else {
                assert_status(&r, expected, name);
                assert_eq!(r.header("www-authenticate"), Some("Bearer"), "{name}");
                assert!(!r.text().contains(TOKEN), "{name} shows the token");
            }
        }
    }
    // An update by GET is refused whatever its token.
    let r = s.request(
        "GET",
        &format!("/sparql?update={}", encode(insert)),
        &[("Authorization", &right)],
        b"",
    );
    assert_status(&r, 400, "update by GET");

    let log = s.log_text();
    assert!(log.contains("/sparql"), "the debug log records requests");
    assert!(!log.contains(TOKEN), "the log shows the token");
    s.stop();

    // Without a token the server takes no writes at all: 403, whatever is sent.
    let s = seed_server("read-only", &[], &[]);
    for (name, method, target, headers, body) in &routes {
        let mut all = headers.clone();
        all.push(("Authorization", &right));
        let r = s.request(method, target, &all, body);
        assert_status(&r, 403, name);
    }
}

#[test]
fn a_server_open_beyond_loopback_without_a_token_says_it_is_read_only() {
    let seed = util::seed_path();
    let s = Server::start_on(
        "0.0.0.0",
        &store("open"),
        &["--data", seed.to_str().expect("UTF-8")],
        &[],
    );
    let r = post(
        &s,
        "/sparql",
        "application/sparql-update",
        "CLEAR ALL",
        None,
    );
    assert_status(&r, 403, "an update on a read-only server");
    let log = s.log_text();
    assert!(
        log.contains(&format!(
            "listening on 0.0.0.0:{} beyond this machine, read-only: no update token was given",
            s.port
        )),
        "{log}"
    );
}
