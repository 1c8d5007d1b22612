//! The arrows of ARCHITECTURE.md, checked on the crate graph cargo resolves: each stage's
//! crate pulls in nothing of the stages after it, and the developers' crate does not ship.

use std::collections::BTreeSet;
use std::process::Command;

use crate::util;

/// The packages in `package`'s tree of normal dependencies (what it ships with).
fn shipped_with(package: &str) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .current_dir(util::root())
        .args([
            "tree",
            "--offline",
            "--locked",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .args(["--format", "{p}", "-p", package])
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

fn assert_without(package: &str, forbidden: &[&str]) {
    let tree = shipped_with(package);
    assert!(tree.contains(package), "{package}: {tree:?}");
    let found: Vec<&&str> = forbidden.iter().filter(|f| tree.contains(**f)).collect();
    assert!(found.is_empty(), "{package} depends on {found:?}");
}

#[test]
fn the_extraction_holds_no_store_index_runtime_or_server() {
    assert_without(
        "policykg-extract",
        &[
            "oxigraph",
            "oxrocksdb-sys",
            "tantivy",
            "tokio",
            "axum",
            "petgraph",
            "policykg-store",
            "policykg-views",
        ],
    );
}

#[test]
fn the_store_knows_nothing_of_views_pages_or_the_server() {
    assert_without(
        "policykg-store",
        &[
            "policykg-views",
            "petgraph",
            "graphviz-rust",
            "axum",
            "maud",
            "tower-http",
        ],
    );
}

#[test]
fn the_views_know_nothing_of_the_server() {
    assert_without("policykg-views", &["axum", "maud", "tower-http"]);
}

#[test]
fn the_developers_tools_do_not_ship() {
    for package in [
        "policykg",
        "policykg-extract",
        "policykg-store",
        "policykg-views",
    ] {
        assert_without(package, &["policykg-devtools"]);
    }
}
