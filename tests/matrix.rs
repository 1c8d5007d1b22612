//! The responsibility matrix on the seed: its size, its marks and its totals against the
//! gold annotation; CSV, XLSX (read back from the file's own XML) and SVG; the same bytes
//! every time; the command line and the web front end giving the same file.

use crate::util;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use policykg_extract::link::Gazetteer;
use policykg_store::PolicyStore;
use policykg_views::graph::{Mark, Matrix, ViewOptions, build_matrix};
use policykg_views::render::{MatrixFormat, matrix_csv, matrix_xlsx, render_matrix};

fn store() -> PolicyStore {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    store.ingest(&util::seed()).expect("ingest");
    store
}

fn seed_matrix() -> Matrix {
    build_matrix(
        &store(),
        &ViewOptions::default(),
        policykg_store::sparql::CancellationToken::new(),
    )
    .expect("matrix")
}

fn gold() -> util::Gold {
    serde_json::from_str(
        &std::fs::read_to_string(util::root().join("tests/gold/seed.json")).expect("gold"),
    )
    .expect("gold JSON")
}

#[test]
fn the_seed_matrix_has_the_gold_rows_columns_marks_and_totals() {
    let m = seed_matrix();
    assert_eq!(m.rows.len(), 24);
    assert_eq!(m.columns.len(), 42);
    assert_eq!(m.mark_counts(), [31, 108, 0, 0]);
    assert_eq!(m.note, None);
    assert_eq!(m.sections.len(), 7);
    assert_eq!(m.sections[0], "2.1 一 强化体制机制对接合作");

    let gold = gold();
    // Row totals: the units each gold task names, matched by title.
    let gold_rows: BTreeMap<String, usize> = gold
        .tasks
        .iter()
        .map(|t| {
            let title = t.title.clone().expect("gold titles");
            (
                format!("{} {title}", t.number),
                t.units.lead.len() + t.units.responsible.len(),
            )
        })
        .collect();
    let rows: BTreeMap<String, usize> = m
        .rows
        .iter()
        .map(|r| (r.label.clone(), Matrix::row_total(r)))
        .collect();
    assert_eq!(rows, gold_rows);
    // Column totals and leads: the tasks each gold unit takes part in.
    let mut gold_columns: BTreeMap<String, [usize; 2]> = BTreeMap::new();
    for t in &gold.tasks {
        for u in &t.units.lead {
            gold_columns.entry(u.clone()).or_default()[0] += 1;
        }
        for u in &t.units.responsible {
            gold_columns.entry(u.clone()).or_default()[1] += 1;
        }
    }
    let columns: BTreeMap<String, [usize; 2]> = m
        .columns
        .iter()
        .map(|c| (c.label.clone(), [c.counts[0], c.counts[1]]))
        .collect();
    assert_eq!(columns, gold_columns);

    // The busiest first within each kind; kinds by their marks.
    let groups: Vec<(&str, usize)> = m
        .column_groups()
        .into_iter()
        .map(|(kind, range)| (kind, range.len()))
        .collect();
    assert_eq!(
        groups,
        [
            ("government-department", 25),
            ("government", 4),
            ("zone-committee", 1),
            ("central-branch", 8),
            ("party-organ", 3),
            ("state-owned-enterprise", 1),
        ]
    );
    assert_eq!(m.columns[0].label, "省科技厅");
    assert_eq!(m.columns[0].counts, [4, 8, 0, 0]);
    for (_, range) in m.column_groups() {
        let totals: Vec<usize> = m.columns[range].iter().map(|c| c.total()).collect();
        assert!(totals.is_sorted_by(|a, b| a >= b), "{totals:?}");
    }
}

#[test]
fn filters_and_limits_narrow_the_matrix_and_say_so() {
    let s = store();
    let section = build_matrix(
        &s,
        &ViewOptions {
            section: Some("2.3".into()),
            ..ViewOptions::default()
        },
        policykg_store::sparql::CancellationToken::new(),
    )
    .expect("matrix");
    assert_eq!(section.rows.len(), 5);
    assert_eq!(section.sections, ["2.3 三 强化科技创新对接合作"]);
    let leads = build_matrix(
        &s,
        &ViewOptions {
            role: Some(policykg_extract::model::Role::Lead),
            ..ViewOptions::default()
        },
        policykg_store::sparql::CancellationToken::new(),
    )
    .expect("matrix");
    assert_eq!(leads.mark_counts(), [31, 0, 0, 0]);
    assert_eq!(leads.columns.len(), 19);
    let limited = build_matrix(
        &s,
        &ViewOptions {
            limit: Some(10),
            ..ViewOptions::default()
        },
        policykg_store::sparql::CancellationToken::new(),
    )
    .expect("matrix");
    assert_eq!(limited.columns.len(), 10);
    assert_eq!(limited.rows.len(), 24);
    assert_eq!(
        limited.note.as_deref(),
        Some(
            "showing the 10 busiest of 42 units: choose a document or a section, or raise the limit"
        )
    );
}

#[test]
fn an_unknown_document_is_named_in_the_error() {
    let error = build_matrix(
        &store(),
        &ViewOptions {
            document: Some("no-such-document".into()),
            ..ViewOptions::default()
        },
        policykg_store::sparql::CancellationToken::new(),
    )
    .expect_err("no such document")
    .to_string();
    assert_eq!(
        error,
        "document \"no-such-document\" names no node of the graph: no document with tasks has that key, IRI, title or 文号"
    );
}

#[test]
fn csv_has_a_line_per_task_and_the_totals() {
    let m = seed_matrix();
    let csv = matrix_csv(&m);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines.len(), 24 + 3, "header, 24 tasks, totals, and the end");
    assert!(lines[0].starts_with("section,task,省科技厅,省发展改革委,"));
    assert!(lines[0].ends_with(",total"));
    assert_eq!(
        lines[1],
        "2.1 一 强化体制机制对接合作,1 深化营商环境优化对接,○,○,○,○,○,○,,,,○,,,,,●,,,,,,○,,,,,○,,,,○,,,,,,,,,,,,,11"
    );
    assert!(lines[25].starts_with("total,,12,9,8,6,"));
    assert!(lines[25].ends_with(",139"));
    assert_eq!(csv, matrix_csv(&seed_matrix()), "the same bytes every time");
}

/// The cells of the first worksheet of an XLSX file, by (row, column), read from its XML.
fn xlsx_cells(bytes: &[u8]) -> HashMap<(u32, u32), String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an XLSX is a zip");
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .read_to_string(&mut text)
            .expect("UTF-8 XML");
        text
    };
    let shared_xml = read("xl/sharedStrings.xml");
    let sheet_xml = read("xl/worksheets/sheet1.xml");
    let mut shared = Vec::new();
    let mut reader = quick_xml::Reader::from_str(&shared_xml);
    let mut in_text = false;
    loop {
        match reader.read_event().expect("shared strings") {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"t" => in_text = true,
            quick_xml::events::Event::Text(t) if in_text => {
                shared.push(t.decode().expect("text").into_owned());
                in_text = false;
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    let mut cells = HashMap::new();
    let mut reader = quick_xml::Reader::from_str(&sheet_xml);
    let (mut at, mut kind, mut in_value) = (None, String::new(), false);
    loop {
        match reader.read_event().expect("sheet") {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"c" => {
                kind.clear();
                at = None;
                for a in e.attributes().flatten() {
                    let value = String::from_utf8_lossy(&a.value).into_owned();
                    match a.key.as_ref() {
                        b"r" => at = Some(cell_ref(&value)),
                        b"t" => kind = value,
                        _ => {}
                    }
                }
            }
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"v" => in_value = true,
            quick_xml::events::Event::Text(t) if in_value => {
                let value = t.decode().expect("text").into_owned();
                let value = if kind == "s" {
                    shared[value.parse::<usize>().expect("an index")].clone()
                } else {
                    value
                };
                cells.insert(at.expect("a cell reference"), value);
                in_value = false;
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    cells
}

/// `C3` → (row 2, column 2), counted from 0.
fn cell_ref(r: &str) -> (u32, u32) {
    let letters: String = r.chars().take_while(char::is_ascii_alphabetic).collect();
    let column = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
        - 1;
    let row: u32 = r[letters.len()..].parse().expect("a row number");
    (row - 1, column)
}

#[test]
fn xlsx_read_back_gives_the_same_cells() {
    let m = seed_matrix();
    let bytes = matrix_xlsx(&m).expect("xlsx");
    assert_eq!(
        bytes,
        matrix_xlsx(&seed_matrix()).expect("xlsx"),
        "the same bytes"
    );
    let cells = xlsx_cells(&bytes);
    for (i, column) in m.columns.iter().enumerate() {
        assert_eq!(cells.get(&(1, 2 + i as u32)), Some(&column.label));
    }
    let mut marks = [0; 4];
    for (r, row) in m.rows.iter().enumerate() {
        let at = 2 + r as u32;
        assert_eq!(cells.get(&(at, 1)), Some(&row.label));
        for (c, cell) in row.cells.iter().enumerate() {
            let found = cells.get(&(at, 2 + c as u32));
            assert_eq!(
                found.map(String::as_str),
                cell.map(Mark::symbol),
                "{at},{c}"
            );
            if let Some(mark) = cell {
                marks[*mark as usize] += 1;
            }
        }
        assert_eq!(
            cells.get(&(at, 2 + 42)),
            Some(&Matrix::row_total(row).to_string())
        );
    }
    assert_eq!(marks, [31, 108, 0, 0]);
    assert_eq!(cells.get(&(26, 0)).map(String::as_str), Some("total"));
    assert_eq!(cells.get(&(26, 44)).map(String::as_str), Some("139"));
}

#[test]
fn svg_links_every_mark_to_its_task_and_escapes_labels() {
    let m = seed_matrix();
    let svg = String::from_utf8(render_matrix(&m, MatrixFormat::Svg, "http://h").expect("svg"))
        .expect("UTF-8");
    assert!(svg.starts_with("<svg "));
    assert_eq!(svg.matches(">●</text>").count(), 31);
    assert_eq!(svg.matches(">○</text>").count(), 108);
    assert_eq!(
        svg.matches("xlink:href=\"http://h/entity?iri=https%3A%2F%2Fpolicykg.org%2Fid%2F")
            .count(),
        24 + 139
    );
    let mut odd = m;
    odd.columns[0].label = "<b>&\"".into();
    let svg =
        String::from_utf8(render_matrix(&odd, MatrixFormat::Svg, "").expect("svg")).expect("UTF-8");
    assert!(svg.contains("&lt;b&gt;&amp;&quot;"));
    assert!(!svg.contains("<b>"));
}

#[test]
fn the_command_line_exports_the_matrix() {
    let store = std::env::temp_dir().join(format!("policykg-matrix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store);
    let bin = env!("CARGO_BIN_EXE_policykg");
    let ingest = std::process::Command::new(bin)
        .arg("--store")
        .arg(&store)
        .arg("ingest")
        .arg(util::seed_path())
        .output()
        .expect("ingest");
    assert!(ingest.status.success());
    let export = |format: &str| {
        let out = std::process::Command::new(bin)
            .arg("--store")
            .arg(&store)
            .args(["export", "matrix", "--format", format])
            .output()
            .expect("export");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    assert_eq!(
        String::from_utf8(export("csv")).expect("UTF-8"),
        matrix_csv(&seed_matrix())
    );
    assert_eq!(export("xlsx"), matrix_xlsx(&seed_matrix()).expect("xlsx"));
    let out = std::process::Command::new(bin)
        .arg("--store")
        .arg(&store)
        .args(["export", "matrix", "--format", "docx"])
        .output()
        .expect("export");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: unknown --format for the matrix: no matrix format docx: use csv, xlsx, svg or json\n"
    );
}

#[test]
fn every_corpus_document_has_its_matrix_with_one_mark_per_task_and_unit() {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    let mut keys = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(util::root().join("tests/corpus"))
        .expect("tests/corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for path in &paths {
        store.ingest(&util::parse(path)).expect("ingest");
        keys.push(policykg_extract::vocab::document_key(
            &path.to_string_lossy(),
        ));
    }
    assert_eq!(keys.len(), 18);
    let mut checked = 0;
    for key in &keys {
        // What the store says, counted apart from the matrix: the tasks that name units, and
        // each (task, unit) pair once, whatever its roles.
        let graph = policykg_extract::vocab::document_graph(key);
        let count = |query: &str| -> usize {
            let query = query.replace("GRAPH", &format!("GRAPH <{}>", graph.as_str()));
            let rows: Vec<HashMap<String, String>> = policykg_store::sparql::Select::new(&query)
                .rows(&store)
                .expect("count");
            rows[0]["n"].parse().expect("a number")
        };
        let tasks =
            count("SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { GRAPH { ?t pol:unitLink ?l } }");
        let pairs = count(
            "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?t ?u WHERE { GRAPH { ?t pol:unitLink/pol:unit ?u } } } }",
        );
        let options = ViewOptions {
            document: Some(key.clone()),
            limit: Some(1_000),
            ..ViewOptions::default()
        };
        if tasks == 0 {
            let error = build_matrix(
                &store,
                &options,
                policykg_store::sparql::CancellationToken::new(),
            )
            .expect_err("no tasks")
            .to_string();
            assert!(error.contains(key.as_str()), "{key}: {error}");
            continue;
        }
        let m = build_matrix(
            &store,
            &options,
            policykg_store::sparql::CancellationToken::new(),
        )
        .unwrap_or_else(|e| panic!("{key}: {e}"));
        assert_eq!(m.rows.len(), tasks, "{key}: rows");
        assert_eq!(m.mark_counts().iter().sum::<usize>(), pairs, "{key}: marks");
        let row_totals: usize = m.rows.iter().map(Matrix::row_total).sum();
        let column_totals: usize = m.columns.iter().map(|c| c.total()).sum();
        assert_eq!((row_totals, column_totals), (pairs, pairs), "{key}: totals");
        assert!(
            m.rows.iter().all(|r| Matrix::row_total(r) > 0),
            "{key}: a row without marks"
        );
        checked += 1;
    }
    assert!(
        checked >= 15,
        "only {checked} corpus documents have unit links"
    );
}
