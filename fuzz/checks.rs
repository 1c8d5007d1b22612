//! The checks of the fuzz targets, one function a target, each taking the target's raw
//! input bytes and panicking when an invariant the library promises does not hold.
//!
//! Shared by the AFL++ binaries of `fuzz/src/bin/` (through `fuzz/src/lib.rs`) and by the
//! regression test `tests/fuzz_regressions.rs` of the main crate, which includes this file
//! with `#[path]`: it may only use what the main crate depends on (`policykg`,
//! `graphviz-rust`, `zip`) and the standard library.

use std::io::{Cursor, Write};
use std::path::Path;

use policykg::http::{OperationKind, read_operation};
use policykg_extract::decode::{SourceFormat, detect_format};
use policykg_extract::extract_bytes;
use policykg_extract::link::Gazetteer;
use policykg_extract::model::{EntityLinks, ParsedDocument, Role, Span};
use policykg_extract::parse::split_unit_list;
use policykg_views::render::escape;

/// The characters of `chars` at `span` (code points), or a panic naming `what` if the span
/// does not lie within them.
fn cut(chars: &[char], span: Span, what: &str) -> String {
    assert!(
        span.start <= span.end && span.end <= chars.len(),
        "{what}: span {span:?} outside a text of {} code points",
        chars.len()
    );
    chars[span.start..span.end].iter().collect()
}

// ---------------------------------------------------------------------------------------
// decode_parse

/// The file name, and so the format, a `decode_parse` input is read as: chosen by its
/// first byte, the rest being the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// The bytes as a `.txt` file.
    Text,
    /// The bytes as an `.html` file.
    Html,
    /// The bytes as a `.docx` file (a ZIP archive, as given).
    Docx,
    /// The bytes, split on 0xFF, are the parts `word/document.xml`, `word/numbering.xml`
    /// and `word/styles.xml` of a `.docx` file built around them (stored, not deflated, with
    /// valid checksums): so that the fuzzer reaches the Word XML reader, which it would
    /// hardly reach through the ZIP container's CRCs.
    DocxParts,
}

impl DocumentKind {
    pub fn of(selector: u8) -> DocumentKind {
        match selector % 4 {
            0 => DocumentKind::Text,
            1 => DocumentKind::Html,
            2 => DocumentKind::Docx,
            _ => DocumentKind::DocxParts,
        }
    }

    /// The selector byte that reads a document as this kind.
    pub fn selector(self) -> u8 {
        match self {
            DocumentKind::Text => 0,
            DocumentKind::Html => 1,
            DocumentKind::Docx => 2,
            DocumentKind::DocxParts => 3,
        }
    }
}

/// A `.docx` archive holding `parts` as `word/document.xml`, `word/numbering.xml` and
/// `word/styles.xml` (as many as given), stored uncompressed.
pub fn docx_archive(parts: &[&[u8]]) -> Vec<u8> {
    const NAMES: [&str; 3] = ["word/document.xml", "word/numbering.xml", "word/styles.xml"];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, part) in NAMES.iter().zip(parts) {
        zip.start_file(*name, options).expect("zip entry in memory");
        zip.write_all(part).expect("zip write in memory");
    }
    zip.finish().expect("zip in memory").into_inner()
}

/// The document bytes and file name a `decode_parse` input stands for.
pub fn decode_parse_input(data: &[u8]) -> Option<(Vec<u8>, &'static str)> {
    let (&selector, rest) = data.split_first()?;
    Some(match DocumentKind::of(selector) {
        DocumentKind::Text => (rest.to_vec(), "fuzz.txt"),
        DocumentKind::Html => (rest.to_vec(), "fuzz.html"),
        DocumentKind::Docx => (rest.to_vec(), "fuzz.docx"),
        DocumentKind::DocxParts => {
            let parts: Vec<&[u8]> = rest.splitn(3, |&b| b == 0xFF).collect();
            (docx_archive(&parts), "fuzz.docx")
        }
    })
}

/// Decodes, parses and links a document with the built-in gazetteer: no panic, and where it
/// is read, every span lies within the text and cuts out the text the model says is there.
/// Documents detected as PDF are skipped: they are read by outside programs (Poppler).
pub fn check_decode_parse(data: &[u8]) {
    let Some((bytes, name)) = decode_parse_input(data) else {
        return;
    };
    let path = Path::new(name);
    if detect_format(&bytes, path) == SourceFormat::Pdf {
        return;
    }
    if let Ok(doc) = extract_bytes(&bytes, path, Gazetteer::builtin()) {
        check_document(&doc);
    }
}

/// The invariants of a parsed document that the model's documentation promises.
pub fn check_document(doc: &ParsedDocument) {
    let chars: Vec<char> = doc.text.chars().collect();
    let n = chars.len();
    let within = |span: Span, what: &str| {
        assert!(
            span.start <= span.end && span.end <= n,
            "{what}: span {span:?} outside a text of {n} code points"
        );
    };
    let links = |links: &EntityLinks, owner: &str| {
        for link in links
            .strategies
            .iter()
            .chain(&links.regions)
            .chain(&links.region_groups)
            .chain(&links.platforms)
        {
            let what = format!("{owner}: link {:?}", link.name);
            assert_eq!(
                cut(&chars, link.span, &what),
                link.surface,
                "{what}: surface"
            );
            assert_eq!(
                link.rule.is_some(),
                link.link == policykg_extract::model::LinkKind::Inferred,
                "{what}: a rule exactly for inferred links"
            );
        }
    };

    for section in &doc.sections {
        let what = format!("section {}", section.id);
        within(section.span, &what);
        assert_eq!(
            cut(&chars, section.title_span, &what),
            section.title,
            "{what}: title_span cuts out the title"
        );
        assert!(
            section.span.start <= section.title_span.start
                && section.title_span.end <= section.span.end,
            "{what}: title_span {:?} outside the section's span {:?}",
            section.title_span,
            section.span
        );
        links(&section.links, &what);
    }

    for (i, task) in doc.tasks.iter().enumerate() {
        assert_eq!(
            task.id,
            format!("t{}", i + 1),
            "task ids t1, t2, … in order"
        );
        let what = format!("task {}", task.id);
        within(task.span, &what);
        within(task.text_span, &format!("{what} text_span"));
        within(task.annotation_span, &format!("{what} annotation_span"));
        assert!(
            task.annotation_span.end <= task.span.end,
            "{what}: the span {:?} ends before its annotation {:?}",
            task.span,
            task.annotation_span
        );
        for role in Role::ALL {
            for unit in task.units(role) {
                let what = format!("{what}: {role} unit {:?}", unit.name);
                assert_eq!(
                    cut(&chars, unit.span, &what),
                    unit.surface,
                    "{what}: surface"
                );
                assert!(!unit.name.is_empty(), "{what}: empty name");
            }
        }
        links(&task.links, &what);
    }

    for goal in &doc.goals {
        let what = format!("goal {}", goal.year);
        assert_eq!(cut(&chars, goal.span, &what), goal.text, "{what}: text");
        links(&goal.links, &what);
    }

    for pairing in &doc.pairings {
        let what = format!("pairing {:?}", pairing.regions);
        assert_eq!(
            cut(&chars, pairing.span, &what),
            pairing.surface,
            "{what}: surface"
        );
    }

    for convention in &doc.conventions {
        let span = match convention {
            policykg_extract::model::Convention::FirstListedIsLead { span }
            | policykg_extract::model::Convention::BeforeFirstCommaIsLead { span }
            | policykg_extract::model::Convention::MarkIsLead { span, .. }
            | policykg_extract::model::Convention::ImpliedForLaterTasks { span, .. } => *span,
        };
        within(span, &format!("convention {convention:?}"));
    }

    for unread in &doc.coverage.unread {
        let what = format!("unread clause on line {}", unread.line);
        assert!(unread.line >= 1, "{what}: lines are 1-based");
        assert_eq!(cut(&chars, unread.span, &what), unread.text, "{what}: text");
    }
    assert_eq!(
        doc.coverage.candidates,
        doc.coverage.annotations + doc.coverage.unread.len(),
        "coverage: candidates are the annotations read and the clauses not read"
    );

    for warning in &doc.warnings {
        if let Some(line) = warning.line {
            assert!(
                line >= 1,
                "warning {:?}: lines are 1-based",
                warning.message
            );
        }
    }

    if let Some(date) = &doc.document.date {
        let ok = date.len() == 10
            && date.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            })
            && (1..=12).contains(&date[5..7].parse::<u32>().unwrap_or(0))
            && (1..=31).contains(&date[8..10].parse::<u32>().unwrap_or(0));
        assert!(ok, "metadata date {date:?} is not an ISO date YYYY-MM-DD");
    }
}

// ---------------------------------------------------------------------------------------
// split_units

/// Splits a UTF-8 list of unit names: every unit's `surface` is the text at its `span`
/// (code points of the input) and its name is not empty. Non-UTF-8 input is skipped.
pub fn check_split_units(data: &[u8]) {
    let Ok(list) = std::str::from_utf8(data) else {
        return;
    };
    let chars: Vec<char> = list.chars().collect();
    for unit in split_unit_list(list) {
        let what = format!("unit {:?}", unit.name);
        assert_eq!(
            cut(&chars, unit.span, &what),
            unit.surface,
            "{what}: surface"
        );
        assert!(
            !unit.name.is_empty(),
            "{what}: empty name (surface {:?})",
            unit.surface
        );
    }
}

// ---------------------------------------------------------------------------------------
// dot_escape

/// `escape` makes a DOT string literal: quoted, its quotes and backslashes escaped, line
/// breaks as `\n` (carriage returns dropped). Checks that the literal is one quoted string
/// that nothing inside ends early, that reading its escapes back gives the input, and that
/// graphviz-rust's parser reads it as the label of a node. Non-UTF-8 input is skipped.
pub fn check_dot_escape(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let literal = escape(text);
    assert!(
        literal.len() >= 2 && literal.starts_with('"') && literal.ends_with('"'),
        "{literal:?} is not quoted"
    );
    let inner = &literal[1..literal.len() - 1];
    assert!(
        !inner.contains(['\n', '\r']),
        "{literal:?} holds a raw line break"
    );
    // Every quote inside is escaped (an odd number of backslashes before it), and the
    // closing quote is not (an even number).
    let mut backslashes = 0usize;
    let mut unescaped = String::new();
    let mut pending_backslash = false;
    for c in inner.chars() {
        if c == '"' {
            assert!(
                backslashes % 2 == 1,
                "{literal:?}: an unescaped quote inside"
            );
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        // Read the escapes back: \\ → \, \" → ", \n → line break.
        if pending_backslash {
            pending_backslash = false;
            match c {
                '\\' => unescaped.push('\\'),
                '"' => unescaped.push('"'),
                'n' => unescaped.push('\n'),
                other => panic!("{literal:?}: unknown escape \\{other}"),
            }
        } else if c == '\\' {
            pending_backslash = true;
        } else {
            unescaped.push(c);
        }
    }
    assert!(
        backslashes.is_multiple_of(2) && !pending_backslash,
        "{literal:?}: the closing quote is escaped"
    );
    assert_eq!(
        unescaped,
        text.replace('\r', ""),
        "{literal:?} does not read back as its input"
    );

    let dot = format!("digraph {{ a [label={literal}] }}");
    let graph = graphviz_rust::parse(&dot)
        .unwrap_or_else(|e| panic!("graphviz-rust cannot parse {dot:?}: {e}"));
    use graphviz_rust::dot_structures::{Attribute, Graph, Id, Stmt};
    let Graph::DiGraph { stmts, .. } = graph else {
        panic!("{dot:?} read as an undirected graph");
    };
    let labels: Vec<&Id> = stmts
        .iter()
        .filter_map(|s| match s {
            Stmt::Node(node) => Some(node),
            _ => None,
        })
        .flat_map(|node| &node.attributes)
        .filter_map(|Attribute(key, value)| {
            (*key == Id::Plain("label".to_string())).then_some(value)
        })
        .collect();
    assert_eq!(
        labels,
        vec![&Id::Escaped(literal.clone())],
        "{dot:?}: the label read back is not the literal"
    );
}

// ---------------------------------------------------------------------------------------
// sparql_request

/// A SPARQL protocol request read from fuzz bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub get: bool,
    pub query_string: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// The content types a `sparql_request` input's flags choose from; 0 keeps the one the
/// input spells out.
const CONTENT_TYPES: [&str; 4] = [
    "",
    "application/x-www-form-urlencoded",
    "application/sparql-query",
    "application/sparql-update",
];

/// Reads a request from fuzz bytes: the first byte holds flags (bit 0: GET; bits 1–2: the
/// content type, 0 for the one given in the input, else one of the protocol's three), then
/// the query string, 0xFF, the content type, 0xFF, and the body (the rest, 0xFF included).
/// The query string and content type are read as UTF-8, invalid bytes replaced.
pub fn sparql_request_input(data: &[u8]) -> Option<Request> {
    let (&flags, rest) = data.split_first()?;
    let mut sections = rest.splitn(3, |&b| b == 0xFF);
    let query_string = String::from_utf8_lossy(sections.next().unwrap_or_default()).into_owned();
    let given_type = String::from_utf8_lossy(sections.next().unwrap_or_default()).into_owned();
    let body = sections.next().unwrap_or_default().to_vec();
    let content_type = match CONTENT_TYPES[usize::from((flags >> 1) & 3)] {
        "" => given_type,
        known => known.to_string(),
    };
    Some(Request {
        get: flags & 1 == 1,
        query_string,
        content_type,
        body,
    })
}

/// The inverse of [`sparql_request_input`], for writing seeds.
pub fn sparql_request_bytes(request: &Request) -> Vec<u8> {
    let mut out = vec![u8::from(request.get)];
    out.extend_from_slice(request.query_string.as_bytes());
    out.push(0xFF);
    out.extend_from_slice(request.content_type.as_bytes());
    out.push(0xFF);
    out.extend_from_slice(&request.body);
    out
}

/// `application/x-www-form-urlencoded` pairs, decoded as the WHATWG URL standard says
/// (split on `&`, then on the first `=`, `+` as space, `%XX` escapes, invalid UTF-8
/// replaced): an oracle written apart from the server's decoder.
pub fn form_pairs(input: &[u8]) -> Vec<(String, String)> {
    fn decode(part: &[u8]) -> String {
        let mut out = Vec::with_capacity(part.len());
        let mut i = 0;
        while i < part.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            match part[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < part.len() => match (hex(part[i + 1]), hex(part[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                },
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    input
        .split(|&b| b == b'&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| match piece.iter().position(|&b| b == b'=') {
            Some(eq) => (decode(&piece[..eq]), decode(&piece[eq + 1..])),
            None => (decode(piece), String::new()),
        })
        .collect()
}

/// Reads a SPARQL protocol request: no panic; a refusal is a client error (4xx); an
/// operation read carries the text that was given — the `query` (or `update`) parameter,
/// or the body of a direct POST — and the `format` and graphs that were given.
pub fn check_sparql_request(data: &[u8]) {
    let Some(request) = sparql_request_input(data) else {
        return;
    };
    let result = read_operation(
        request.get,
        Some(&request.query_string),
        &request.content_type,
        &request.body,
    );
    let operation = match result {
        Err(error) => {
            let status = error.status();
            assert!(
                status.is_client_error(),
                "{request:?}: refused with {status}, not a 4xx: {error}"
            );
            return;
        }
        Ok(operation) => operation,
    };
    let mut pairs = form_pairs(request.query_string.as_bytes());
    let content_type = request.content_type.to_ascii_lowercase();
    if !request.get && content_type == "application/x-www-form-urlencoded" {
        pairs.extend(form_pairs(&request.body));
    }
    let values = |name: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let body = || String::from_utf8(request.body.clone()).expect("a direct body read as UTF-8");
    let (kind, text) = if request.get {
        (OperationKind::Query, values("query").concat())
    } else {
        match content_type.as_str() {
            "application/x-www-form-urlencoded" => match operation.kind {
                OperationKind::Query => (OperationKind::Query, values("query").concat()),
                OperationKind::Update => (OperationKind::Update, values("update").concat()),
            },
            "application/sparql-query" => (OperationKind::Query, body()),
            "application/sparql-update" => (OperationKind::Update, body()),
            other => panic!("{request:?}: content type {other:?} accepted"),
        }
    };
    assert_eq!(operation.kind, kind, "{request:?}: kind");
    assert_eq!(operation.text, text, "{request:?}: text");
    match kind {
        OperationKind::Query => {
            assert_eq!(
                values("query").len(),
                usize::from(!direct(&content_type, request.get)),
                "{request:?}: query given once"
            );
            assert!(values("update").is_empty(), "{request:?}: query and update");
        }
        OperationKind::Update => {
            assert!(!request.get, "{request:?}: update by GET");
            assert_eq!(
                values("update").len(),
                usize::from(!direct(&content_type, false)),
                "{request:?}: update given once"
            );
            assert!(values("query").is_empty(), "{request:?}: query and update");
        }
    }
    let format = values("format");
    assert!(format.len() <= 1, "{request:?}: format given twice");
    assert_eq!(
        operation.format.as_deref(),
        format.first().copied(),
        "{request:?}: format"
    );
    let (defaults, named) = match kind {
        OperationKind::Query => ("default-graph-uri", "named-graph-uri"),
        OperationKind::Update => ("using-graph-uri", "using-named-graph-uri"),
    };
    assert_eq!(
        operation.dataset.default_graphs,
        values(defaults),
        "{request:?}: {defaults}"
    );
    assert_eq!(
        operation.dataset.named_graphs,
        values(named),
        "{request:?}: {named}"
    );
    assert_eq!(operation.dataset.base, None, "{request:?}: base");
}

/// Whether a POST's text is its body.
fn direct(content_type: &str, get: bool) -> bool {
    !get && matches!(
        content_type,
        "application/sparql-query" | "application/sparql-update"
    )
}
