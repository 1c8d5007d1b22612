//! The `policykg parse` command: its JSON contract, its outline, and a clear error naming
//! the file (with a non-zero exit) for every kind of bad input.

use crate::util;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

fn policykg() -> Command {
    Command::cargo_bin("policykg").expect("binary built")
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("policykg-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("temp file written");
    path
}

#[test]
fn json_contract_on_the_seed() {
    let output = policykg()
        .args(["parse", "--format", "json"])
        .arg(util::seed_path())
        .output()
        .expect("runs");
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    for key in [
        "source", "document", "sections", "tasks", "goals", "warnings",
    ] {
        assert!(value.get(key).is_some(), "missing {key}");
    }
    for key in ["path", "sha256", "encoding"] {
        assert!(value["source"].get(key).is_some(), "missing source.{key}");
    }
    for key in [
        "title",
        "doc_number",
        "issuer",
        "jurisdiction",
        "date",
        "addressees",
        "publication",
    ] {
        assert!(
            value["document"].get(key).is_some(),
            "missing document.{key}"
        );
    }
    let task = &value["tasks"][0];
    for key in [
        "id",
        "section",
        "number",
        "title",
        "text",
        "span",
        "lead_units",
        "responsible_units",
        "supporting_units",
        "implied_units",
    ] {
        assert!(task.get(key).is_some(), "missing task.{key}");
    }
    assert_eq!(task["lead_units"][0]["name"], "省营商局");
    assert_eq!(task["lead_units"][0]["collective"], false);
    assert!(
        task["lead_units"][0]["span"]
            .as_array()
            .is_some_and(|a| a.len() == 2)
    );
    let section = &value["sections"][0];
    for key in ["id", "level", "number", "title", "parent", "span"] {
        assert!(section.get(key).is_some(), "missing section.{key}");
    }
    assert_eq!(value["goals"][0]["year"], 2025);
    assert_eq!(value["source"]["sha256"].as_str().map(str::len), Some(64));
}

#[test]
fn output_is_byte_identical_across_runs() {
    let run = || {
        policykg()
            .args(["parse"])
            .arg(util::root().join("tests/corpus"))
            .output()
            .expect("runs")
            .stdout
    };
    let first = run();
    assert!(!first.is_empty());
    assert_eq!(first, run());
}

#[test]
fn several_files_give_json_lines_and_a_failure_does_not_stop_the_others() {
    let empty = temp_file("empty.txt", b"");
    let output = policykg()
        .arg("parse")
        .arg(util::seed_path())
        .arg(&empty)
        .arg(util::root().join("tests/corpus/03.txt"))
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    for line in lines {
        serde_json::from_str::<serde_json::Value>(line).expect("each line is a JSON object");
    }
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(stderr.contains(&empty.display().to_string()));
    assert!(stderr.contains("empty"));
}

#[test]
fn text_outline() {
    policykg()
        .args(["parse", "--format", "text"])
        .arg(util::seed_path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "辽宁省人民政府办公厅关于对接国家重大区域发展战略的实施意见",
        ))
        .stdout(predicate::str::contains("二、主要任务"))
        .stdout(predicate::str::contains("  （一）强化体制机制对接合作"))
        .stdout(predicate::str::contains("    1.深化营商环境优化对接"))
        .stdout(predicate::str::contains("      [t1] 深化营商环境优化对接"))
        .stdout(predicate::str::contains("        牵头: 省营商局"))
        .stdout(predicate::str::contains(
            "24 tasks, 2 goals; units: 31 lead, 108 responsible, 0 supporting, 0 implied",
        ))
        .stdout(predicate::str::ends_with(
            "coverage: 24 of 24 candidate clauses read as annotations; 0 not read\n",
        ));
}

fn fails_with(name: &str, bytes: &[u8], message: &str) {
    let path = temp_file(name, bytes);
    policykg()
        .arg("parse")
        .arg(&path)
        .assert()
        .failure()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(path.display().to_string()))
        .stderr(predicate::str::contains(message))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn empty_file() {
    fails_with("empty.txt", b"", "the file is empty");
    fails_with("blank.txt", b"  \r\n\n\t\n", "the file is empty");
}

#[test]
fn binary_file() {
    let png = [
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H',
    ];
    fails_with("image.txt", &png, "looks binary");
}

#[test]
fn undecodable_file() {
    // A UTF-16 byte-order mark followed by a lone surrogate.
    fails_with(
        "broken.txt",
        &[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00],
        "not valid UTF-16LE",
    );
}

#[test]
fn text_without_structure() {
    fails_with(
        "prose.txt",
        "这是一段普通的文字，没有编号的标题，也没有牵头单位。\n第二段文字。\n".as_bytes(),
        "no recognisable document structure",
    );
}

#[test]
fn missing_file() {
    let path = std::env::temp_dir().join("policykg-no-such-file.txt");
    policykg()
        .arg("parse")
        .arg(&path)
        .assert()
        .failure()
        .stderr(predicate::str::contains("policykg-no-such-file.txt"))
        .stderr(predicate::str::contains("cannot read file"));
}

#[test]
fn odd_structure_parses_with_warnings_that_name_lines() {
    let text = "某市关于某事的意见\n一、任务\n1．做甲事。（责任单位：市财政局）\n7．不像标题的编号行。\n2．做乙事。（责任单位：市科技局（市级）\n";
    let path = temp_file("odd.txt", text.as_bytes());
    let output = policykg().arg("parse").arg(&path).output().expect("runs");
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let warnings = value["warnings"].as_array().expect("warnings list");
    let on_line = |n: u64| {
        warnings
            .iter()
            .filter(|w| w["line"] == n)
            .map(|w| w["message"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert!(
        on_line(4).iter().any(|m| m.contains("does not follow")),
        "{warnings:?}"
    );
    assert!(
        on_line(5).iter().any(|m| m.contains("unbalanced bracket")),
        "{warnings:?}"
    );
    assert_eq!(value["tasks"].as_array().map(Vec::len), Some(1));
    assert!(
        warnings
            .iter()
            .any(|w| w["line"].is_null() && w["message"] == "no document number (文号) found")
    );
}

/// A document whose second task's annotation uses verbs the parser does not read.
const ONE_UNREAD: &str = "关于推进甲项工作的实施方案\n一、重点任务\n（一）推进甲项工作。做好甲项。（责任单位：省科技厅）\n（二）推进乙项工作。做好乙项。（省商务厅主抓，省财政厅、省发展改革委支撑）\n";

#[test]
fn strict_parsing_fails_on_a_clause_naming_units_that_was_not_read() {
    let path = temp_file("one-unread.txt", ONE_UNREAD.as_bytes());
    policykg()
        .args(["parse", "--format", "text", "--strict"])
        .arg(&path)
        .assert()
        .failure()
        .code(1)
        .stdout(predicate::str::ends_with(
            "coverage: 1 of 2 candidate clauses read as annotations; 1 not read\n",
        ))
        .stderr(predicate::str::contains(format!(
            "{}:4: possible unit annotation not read: （省商务厅主抓，省财政厅、省发展改革委支撑）",
            path.display()
        )));
    // Without --strict the same document parses, with the warning in its JSON.
    policykg()
        .arg("parse")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "possible unit annotation not read: （省商务厅主抓，省财政厅、省发展改革委支撑）",
        ));
    // The seed has no such clause.
    policykg()
        .args(["parse", "--strict"])
        .arg(util::seed_path())
        .assert()
        .success();
}

#[test]
fn extract_text_prints_what_the_parser_reads() {
    let html = "<html><head><meta charset=\"utf-8\"><title>关于推进甲项工作的实施方案</title></head><body><div class=\"nav\">首页 | 政务公开</div><div class=\"article\"><h1>关于推进甲项工作的实施方案</h1><p>一、重点任务</p><p>（一）推进甲项工作。做好甲项。（责任单位：省科技厅）</p></div></body></html>";
    let path = temp_file("page.html", html.as_bytes());
    let output = policykg()
        .arg("extract-text")
        .arg(&path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).expect("utf-8");
    assert!(
        text.contains("（一）推进甲项工作。做好甲项。（责任单位：省科技厅）\n"),
        "{text}"
    );
    assert!(!text.contains("政务公开"), "{text}");
    // Read as plain text, the same file keeps its tags.
    policykg()
        .args(["extract-text", "--input-format", "text"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("<div class=\"nav\">"));
}
