//! Documents as they are published: an HTML page of a government site (GBK, navigation,
//! footer, share bar, the task table with merged cells), a Word file and a PDF printed from
//! the page by headless Chromium. Each is made here from a plain-text document and must
//! give the same tasks, units and roles as the text; broken inputs are refused by name.

use crate::util;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use policykg_extract::decode::SourceFormat;
use policykg_extract::link::Gazetteer;
use policykg_extract::model::{ParsedDocument, Role};
use util::documents::{docx, gbk, html_page};

/// The seed and two corpus documents: 02 carries its units in a task table (merged
/// 序号/工作事项/牵头单位 cells), 10 on 责任单位 lines after each task.
const DOCUMENTS: [&str; 3] = [
    "data/docs/liaoning-2021-1.txt",
    "tests/corpus/02.txt",
    "tests/corpus/10.txt",
];

fn text_of(path: &str) -> String {
    std::fs::read_to_string(util::root().join(path)).expect("document readable")
}

fn parse_text_file(path: &str) -> ParsedDocument {
    util::parse(&util::root().join(path))
}

/// What must not change with the format: the title, and each task's units by role.
fn summary(doc: &ParsedDocument) -> (Option<String>, Vec<Vec<Vec<String>>>) {
    let tasks = doc
        .tasks
        .iter()
        .map(|task| {
            Role::ALL
                .iter()
                .map(|&role| task.units(role).iter().map(|u| u.name.clone()).collect())
                .collect()
        })
        .collect();
    (doc.document.title.clone(), tasks)
}

fn assert_same(got: &ParsedDocument, want: &ParsedDocument, what: &str) {
    assert!(
        !want.tasks.is_empty(),
        "{what}: the text document has tasks"
    );
    let (got_title, got_tasks) = summary(got);
    let (want_title, want_tasks) = summary(want);
    assert_eq!(got_title, want_title, "{what}: title");
    assert_eq!(
        got_tasks.len(),
        want_tasks.len(),
        "{what}: task count\n--- extracted text ---\n{}",
        got.text
    );
    for (i, (g, w)) in got_tasks.iter().zip(&want_tasks).enumerate() {
        assert_eq!(
            g,
            w,
            "{what}: units (lead, responsible, supporting, implied) of task {} «{}»",
            i + 1,
            want.tasks[i].title
        );
    }
}

fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "Chromium is needed to print the PDF fixtures and was not found: `make deps` installs it (apt-get install chromium)"
    );
}

/// Prints an HTML file to PDF with headless Chromium; with `headers`, Chromium's running
/// header (date, title) and footer (address, page number) are printed on every page.
fn print_pdf(html: &Path, pdf: &Path, headers: bool) {
    let profile = tempfile::tempdir().expect("temporary profile directory");
    let mut command = Command::new(chromium());
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()));
    if !headers {
        command.arg("--no-pdf-header-footer");
    }
    let mut child = command
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Chromium starts");
    let started = Instant::now();
    loop {
        match child.try_wait().expect("Chromium runs") {
            Some(status) => {
                assert!(
                    status.success(),
                    "Chromium failed to print {}",
                    html.display()
                );
                break;
            }
            None if started.elapsed() > Duration::from_secs(180) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("Chromium did not print {} within 180 s", html.display());
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    let size = std::fs::metadata(pdf).map(|m| m.len()).unwrap_or(0);
    assert!(size > 0, "Chromium printed no PDF for {}", html.display());
}

fn stem(path: &str) -> &str {
    Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("file stem")
}

/// The HTML page of each document, written to `dir`.
fn write_pages(dir: &Path) -> Vec<(PathBuf, ParsedDocument)> {
    DOCUMENTS
        .iter()
        .map(|path| {
            let want = parse_text_file(path);
            let title = want.document.title.clone().expect("the text has a title");
            let page = dir.join(format!("{}.html", stem(path)));
            std::fs::write(&page, gbk(&html_page(&text_of(path), &title))).expect("page written");
            (page, want)
        })
        .collect()
}

#[test]
fn html_pages_give_the_tasks_of_the_text() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (page, want) in write_pages(dir.path()) {
        let got = policykg_extract::extract_file(&page, Gazetteer::builtin())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.source.format, SourceFormat::Html);
        assert_eq!(got.source.encoding, "gb18030");
        assert!(!got.text.contains("首页"), "navigation left out");
        assert!(!got.text.contains("ICP备"), "footer left out");
        assert!(!got.text.contains("分享到"), "share bar left out");
        assert!(!got.text.contains("请选择"), "year picker left out");
        assert!(!got.text.contains("这不是正文"), "scripts left out");
        assert_same(&got, &want, &page.display().to_string());
    }
}

#[test]
fn html_tables_keep_their_merged_cells() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let pages = write_pages(dir.path());
    let (page, _) = &pages[1];
    let text = policykg_extract::read_document(page, &Default::default())
        .expect("page reads")
        .text;
    let want = text_of(DOCUMENTS[1]);
    let table_rows = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.contains('\t'))
            .map(|l| l.split('\t').map(str::trim).collect::<Vec<_>>().join("\t"))
            .collect()
    };
    assert_eq!(table_rows(&text), table_rows(&want));
}

#[test]
fn word_documents_give_the_tasks_of_the_text() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for path in DOCUMENTS {
        let want = parse_text_file(path);
        let bytes = docx(&text_of(path));
        let file = dir.path().join(format!("{}.docx", stem(path)));
        std::fs::write(&file, &bytes).expect("docx written");
        let got = policykg_extract::extract_file(&file, Gazetteer::builtin())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.source.format, SourceFormat::Docx);
        // Detected by content too, whatever the name.
        let renamed =
            policykg_extract::extract_bytes(&bytes, Path::new("upload.bin"), Gazetteer::builtin())
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(renamed.source.format, SourceFormat::Docx);
        assert_same(&got, &want, &file.display().to_string());
    }
}

#[test]
fn pdfs_printed_by_chromium_give_the_tasks_of_the_text() {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (i, (page, want)) in write_pages(dir.path()).into_iter().enumerate() {
        let pdf = page.with_extension("pdf");
        // The seed is printed with Chromium's running header and footer (date, title,
        // address, page number): the reader drops them.
        print_pdf(&page, &pdf, i == 0);
        let got = policykg_extract::extract_file(&pdf, Gazetteer::builtin())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.source.format, SourceFormat::Pdf);
        assert!(!got.text.contains("file://"), "running footer dropped");
        assert_same(&got, &want, &pdf.display().to_string());
    }
}

/// A PDF of one page that draws what `content` says, with `extra` objects and trailer
/// entries; the cross-reference table is computed.
fn pdf(content: &str, extra_objects: &[&str], trailer: &str) -> Vec<u8> {
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len() + 1),
    ];
    objects.extend(extra_objects.iter().map(|o| o.to_string()));
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A scan: one grey image on the page, no text.
fn image_only_pdf() -> Vec<u8> {
    let pixels = "80".repeat(64);
    pdf(
        "q 180 0 0 180 10 10 cm /Im1 Do Q",
        &[&format!(
            "<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /ASCIIHexDecode /Length {} >>\nstream\n{pixels}>\nendstream",
            pixels.len() + 1
        )],
        "",
    )
}

/// Encrypted with the standard security handler (RC4, 40 bits) under a user password
/// that is not empty: it cannot be opened without the password.
fn encrypted_pdf() -> Vec<u8> {
    let o = "<".to_string() + &"5A".repeat(32) + ">";
    let u = "<".to_string() + &"C3".repeat(32) + ">";
    pdf(
        "BT /F1 12 Tf 20 100 Td (secret) Tj ET",
        &[
            "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x00\nendstream",
            &format!("<< /Filter /Standard /V 1 /R 2 /O {o} /U {u} /P -44 >>"),
        ],
        "/Encrypt 6 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]",
    )
}

const EMPTY_PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="gbk"><title>页面不存在_省人民政府门户网站</title>
<script>window.location.href = "/404.html"; var s = "一、总体要求（牵头单位：省营商局）";</script></head>
<body><div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a></div>
<div class="year-select">请选择年份:<select><option>2021</option></select></div>
<div class="content"></div><div class="footer">主办：省人民政府办公厅</div></body></html>"#;

#[test]
fn broken_documents_are_refused_by_name() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let good_docx = docx(&text_of(DOCUMENTS[2]));
    let bad: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.docx",
            good_docx[..good_docx.len() / 2].to_vec(),
            "not a readable Word .docx file",
        ),
        ("encrypted.pdf", encrypted_pdf(), "encrypted"),
        ("scanned.pdf", image_only_pdf(), "no text layer"),
        ("empty-page.html", gbk(EMPTY_PAGE), "no article text"),
    ];
    for (name, bytes, message) in &bad {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("written");
        let error = policykg_extract::extract_file(&path, Gazetteer::builtin())
            .expect_err("a broken document is refused");
        let text = error.to_string();
        assert!(text.contains(name), "{text} names the file");
        assert!(text.contains(message), "{text} says why ({message})");
        assert_eq!(
            policykg_extract::Classified::kind(&error),
            policykg_extract::ErrorKind::Invalid,
            "{text}"
        );
    }

    // Among good documents in every format, the broken ones are reported and the others
    // land.
    let good = [
        ("seed.txt", std::fs::read(util::seed_path()).expect("seed")),
        ("guangzhou-02.docx", docx(&text_of(DOCUMENTS[1]))),
        ("zhengzhou-10.html", {
            let title = parse_text_file(DOCUMENTS[2]).document.title.expect("title");
            gbk(&html_page(&text_of(DOCUMENTS[2]), &title))
        }),
    ];
    for (name, bytes) in &good {
        std::fs::write(dir.path().join(name), bytes).expect("written");
    }
    std::fs::write(dir.path().join("notes.md"), "not a document").expect("written");
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    let mut failures = Vec::new();
    let report = policykg::ingest_paths(
        &store,
        &[dir.path().to_path_buf()],
        Gazetteer::builtin(),
        |file| {
            if let Err(e) = &file.outcome {
                failures.push(e.to_string());
            }
        },
    )
    .expect("ingest runs");
    assert_eq!(report.added, good.len(), "{failures:#?}");
    assert_eq!(report.failed, bad.len());
    for (name, _, _) in &bad {
        assert!(
            failures.iter().any(|f| f.contains(name)),
            "{name} reported: {failures:#?}"
        );
    }
    assert_eq!(store.stats().expect("stats").documents, good.len());
}

#[test]
fn a_format_can_be_forced() {
    let options = policykg_extract::decode::ReadOptions {
        format: Some(SourceFormat::Text),
        ..Default::default()
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let page = dir.path().join("page.html");
    std::fs::write(&page, "<html><body><p>一、总体要求</p></body></html>").expect("written");
    let read = policykg_extract::read_document(&page, &options).expect("reads as text");
    assert_eq!(read.format, SourceFormat::Text);
    assert!(read.text.starts_with("<html>"));
    assert_eq!("pdf".parse::<SourceFormat>(), Ok(SourceFormat::Pdf));
    let files = policykg_extract::document_files(&[dir.path().to_path_buf()]).expect("listed");
    assert_eq!(files, [page]);
}
