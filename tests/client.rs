//! The endpoint with a client nobody here wrote: SPARQLWrapper (Python) queries a running
//! `policykg serve`, with queries in the server's threads and in worker processes, and must
//! get the same rows as `policykg query`. Runs where Python has SPARQLWrapper, which
//! `make test` installs.

use crate::util;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

const QUERY: &str = "SELECT ?unit (COUNT(DISTINCT ?t) AS ?tasks) WHERE { ?t pol:leadUnit ?u . ?u rdfs:label ?unit } GROUP BY ?unit ORDER BY DESC(?tasks) ?unit";

#[test]
fn sparqlwrapper_gets_the_same_rows_as_the_cli() {
    same_rows_as_the_cli("client", &[]);
}

#[test]
fn sparqlwrapper_gets_the_same_rows_from_query_workers() {
    same_rows_as_the_cli("client-isolated", &["--isolate-queries"]);
}

fn same_rows_as_the_cli(name: &str, serve_args: &[&str]) {
    let available = Command::new("python3")
        .args(["-c", "import SPARQLWrapper"])
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        eprintln!("SPARQLWrapper is not installed: `make test` installs it");
        return;
    }
    let store = std::env::temp_dir().join(format!("policykg-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store);
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_policykg"))
            .arg("--store")
            .arg(&store)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data"])
            .arg(util::seed_path())
            .args(serve_args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts"),
    );
    let script = r#"
import sys, time
from SPARQLWrapper import SPARQLWrapper, JSON
endpoint, query = sys.argv[1], sys.argv[2]
deadline = time.time() + 60
while True:
    try:
        s = SPARQLWrapper(endpoint)
        s.setQuery("PREFIX pol: <https://policykg.org/ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + query)
        s.setReturnFormat(JSON)
        rows = s.query().convert()["results"]["bindings"]
        break
    except Exception:
        if time.time() > deadline:
            raise
        time.sleep(0.3)
for r in rows:
    print(r["unit"]["value"] + "," + r["tasks"]["value"])
"#;
    let started = Instant::now();
    let out = Command::new("python3")
        .args([
            "-c",
            script,
            &format!("http://127.0.0.1:{port}/sparql"),
            QUERY,
        ])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(started.elapsed() < Duration::from_secs(90));
    let python: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();

    // The CLI opens the store read-only beside the server.
    let cli = Command::new(env!("CARGO_BIN_EXE_policykg"))
        .arg("--store")
        .arg(&store)
        .args(["query", QUERY, "--format", "csv"])
        .output()
        .expect("cli runs");
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let cli: Vec<String> = String::from_utf8_lossy(&cli.stdout)
        .lines()
        .skip(1)
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect();
    assert_eq!(python.len(), 19, "19 lead units on the seed");
    assert_eq!(python, cli);
    assert_eq!(python[0], "省发展改革委,4");
}
