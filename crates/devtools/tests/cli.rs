//! The `policykg-dev gen-corpus` command.

use assert_cmd::Command;
use policykg_devtools::testing::{parse, scratch};
use policykg_extract::document_files;
use predicates::prelude::*;

fn policykg_dev() -> Command {
    Command::cargo_bin("policykg-dev").expect("binary built")
}

#[test]
fn gen_corpus_writes_the_same_documents_for_the_same_seed() {
    let scratch = scratch("cli-gen");
    let dir = scratch.path();
    let run = |out: &std::path::Path| {
        policykg_dev()
            .args(["gen-corpus", "--docs", "3", "--seed", "11", "--out"])
            .arg(out)
            .assert()
            .success()
            .stdout(predicate::str::starts_with("3 documents, "));
    };
    run(&dir.join("a"));
    run(&dir.join("b"));
    for name in [
        "gen-00001.txt",
        "gen-00002.txt",
        "gen-00003.txt",
        "manifest.json",
    ] {
        let a = std::fs::read(dir.join("a").join(name)).expect("written");
        let b = std::fs::read(dir.join("b").join(name)).expect("written");
        assert_eq!(a, b, "{name}");
    }
    // Every generated document parses with no clause left unread.
    let files = document_files(&[dir.join("a")]).expect("the corpus lists");
    assert_eq!(files.len(), 3);
    for file in files {
        let doc = parse(&file);
        assert!(doc.unread_candidates().is_empty(), "{}", file.display());
    }
    // A directory holding other files is refused.
    std::fs::write(dir.join("a").join("notes.txt"), "mine").expect("written");
    policykg_dev()
        .args(["gen-corpus", "--docs", "1", "--out"])
        .arg(dir.join("a"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("notes.txt"));
}
