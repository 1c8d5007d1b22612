//! The `policykg` command line: a thin shell over the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use policykg::{IngestOutcome, PolicyStore, ResultFormat};

/// policykg — a knowledge-graph explorer for Chinese government policy documents.
///
/// It reads documents such as 实施意见 and 任务分工 as plain text and extracts their
/// numbered tasks, the units that lead or carry each task, goals and metadata, each fact
/// with the character span it was read from.
#[derive(Parser)]
#[command(name = "policykg", version, about, long_about)]
struct Cli {
    /// Directory of the embedded RDF store (created by `ingest`).
    #[arg(
        long,
        global = true,
        env = "POLICYKG_STORE",
        default_value = "policykg-store"
    )]
    store: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse documents and print what was extracted.
    ///
    /// Accepts files and directories (read recursively, `.txt` files in name order).
    /// Encodings are detected: UTF-8 (with or without BOM), UTF-16 and GB18030/GBK.
    /// With JSON output, one document prints as an indented object; several print as
    /// JSON Lines, one object per line. A file that cannot be parsed is reported on
    /// standard error and the exit status is non-zero; the other files are still printed.
    Parse {
        /// Document files or directories.
        #[arg(required = true, value_name = "FILE")]
        paths: Vec<PathBuf>,
        /// Output format: `json` (the model, spans in code points) or `text` (an outline).
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Parse documents and store them as RDF, one named graph per document.
    ///
    /// Accepts files and directories (read recursively, `.txt` files). Each document is
    /// stored in one transaction: a document whose text changed replaces its graph, an
    /// unchanged one (same sha256) is skipped. A file that fails is reported and skipped;
    /// the others still land, and the exit status is non-zero.
    Ingest {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Run a SPARQL query over all documents (the default graph is their union).
    ///
    /// SELECT and ASK results print as a table by default, or as json, xml, csv or tsv;
    /// CONSTRUCT and DESCRIBE results as Turtle by default, or nt, nq, trig, rdfxml, jsonld.
    /// Prefixes pol:, id:, rdfs:, dcterms:, skos:, org:, prov:, xsd: are predeclared.
    Query {
        /// The query text (or use --file).
        #[arg(required_unless_present = "file", conflicts_with = "file")]
        query: Option<String>,
        /// Read the query from a file, such as one of queries/*.rq.
        #[arg(long, short)]
        file: Option<PathBuf>,
        /// Output format: json, xml, csv, tsv, table, ttl, nt, nq, trig, rdfxml, jsonld.
        #[arg(long)]
        format: Option<String>,
        /// Stop the query after this many seconds.
        #[arg(long, default_value_t = 30.0)]
        timeout: f64,
    },
    /// Export data from the store.
    Export {
        #[command(subcommand)]
        what: Export,
    },
    /// Count documents, tasks, units and the triples of each graph.
    Stats,
    /// Check the store against the constraints of ontology/shapes.ttl and print each
    /// violation with the offending node. Exit status 1 when there are violations.
    Validate,
    /// Score the extraction of a document against a gold annotation file.
    ///
    /// Prints precision, recall and F1 per kind: tasks, unit references and, where the
    /// gold file annotates them, stated strategies, regions, platforms and pairings. The
    /// gold format is described in tests/gold/README.md; its "document" path is read
    /// relative to the current directory, or else to the gold file's project.
    Eval {
        #[arg(required = true, value_name = "GOLD.json")]
        gold: Vec<PathBuf>,
        /// text (a table) or json.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Subcommand)]
enum Export {
    /// The RDF of the whole store or of one named graph.
    ///
    /// Dataset formats (nq, trig) keep graph names; triple formats (ttl, nt, rdfxml,
    /// jsonld) merge the graphs. The output is sorted, so the same store gives the same bytes.
    Rdf {
        /// ttl, nt, nq, trig, rdfxml or jsonld.
        #[arg(long, default_value = "trig")]
        format: String,
        /// Only this named graph (e.g. https://policykg.org/graph/liaoning-2021-1).
        #[arg(long)]
        graph: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Parse { paths, format } => parse(&paths, format),
        Command::Ingest { paths } => ingest(&cli.store, &paths),
        Command::Query {
            query,
            file,
            format,
            timeout,
        } => {
            let text = match (query, file) {
                (Some(q), _) => q,
                (None, Some(f)) => std::fs::read_to_string(&f)
                    .with_context(|| format!("cannot read query file {}", f.display()))?,
                (None, None) => bail!("give a query or --file"),
            };
            query_command(&cli.store, &text, format.as_deref(), timeout)
        }
        Command::Export {
            what:
                Export::Rdf {
                    format,
                    graph,
                    output,
                },
        } => export_rdf(&cli.store, &format, graph.as_deref(), output.as_deref()),
        Command::Stats => stats(&cli.store),
        Command::Validate => validate(&cli.store),
        Command::Eval { gold, format } => eval(&gold, format),
    }
}

fn eval(golds: &[PathBuf], format: Format) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in golds {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read gold file {}", path.display()))?;
        let gold: policykg::Gold = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a gold annotation file", path.display()))?;
        // The document path is relative to the project; try the current directory, then
        // the directories above the gold file.
        let candidates = std::iter::once(PathBuf::from(&gold.document))
            .chain(path.ancestors().skip(1).map(|dir| dir.join(&gold.document)));
        let document = candidates
            .into_iter()
            .find(|p| p.is_file())
            .with_context(|| format!("{}: document {} not found", path.display(), gold.document))?;
        let doc = policykg::parse_file(&document)?;
        let scores = policykg::score(&doc, &gold);
        match format {
            Format::Json => {
                let value = serde_json::json!({"gold": path.display().to_string(), "document": gold.document, "scores": scores});
                serde_json::to_writer(&mut out, &value)?;
                writeln!(out)?;
            }
            Format::Text => {
                writeln!(out, "{} ({})", path.display(), gold.document)?;
                writeln!(
                    out,
                    "  {:<16} {:>5} {:>9} {:>7} {:>9} {:>6} {:>6}",
                    "kind", "gold", "extracted", "matched", "precision", "recall", "F1"
                )?;
                for s in &scores {
                    writeln!(
                        out,
                        "  {:<16} {:>5} {:>9} {:>7} {:>9.3} {:>6.3} {:>6.3}",
                        s.kind, s.gold, s.extracted, s.matched, s.precision, s.recall, s.f1
                    )?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn ingest(store_path: &Path, paths: &[PathBuf]) -> Result<ExitCode> {
    let files = collect_files(paths)?;
    let store = PolicyStore::open(store_path)?;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(files.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let (mut added, mut replaced, mut unchanged, mut failed, mut triples) = (0, 0, 0, 0, 0);
    for file in &files {
        bar.set_message(file.display().to_string());
        let outcome = policykg::parse_file(file)
            .map_err(anyhow::Error::from)
            .and_then(|doc| store.ingest(&doc).map_err(anyhow::Error::from));
        match outcome {
            Ok(outcome) => {
                triples += outcome.triples();
                match outcome {
                    IngestOutcome::Added(_) => added += 1,
                    IngestOutcome::Replaced(_) => replaced += 1,
                    IngestOutcome::Unchanged(_) => unchanged += 1,
                }
            }
            Err(error) => {
                bar.suspend(|| eprintln!("error: {error:#} (skipped)"));
                failed += 1;
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!(
        "documents: {added} added, {replaced} replaced, {unchanged} unchanged, {failed} failed; {triples} triples in their graphs"
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn query_command(
    store_path: &Path,
    query: &str,
    format: Option<&str>,
    timeout: f64,
) -> Result<ExitCode> {
    let format = match format {
        Some(name) => Some(ResultFormat::from_name(name).with_context(|| {
            format!(
                "unknown --format {name}: use json, xml, csv, tsv, table, ttl, nt, nq, trig, rdfxml or jsonld"
            )
        })?),
        None => None,
    };
    if !(timeout.is_finite() && timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds, not {timeout}");
    }
    let store = PolicyStore::open_read_only(store_path)?;
    let token = policykg::CancellationToken::new();
    let limit = Duration::from_secs_f64(timeout);
    // The query runs on a worker thread. At the limit the token is cancelled; a query
    // busy in a loop that never looks at the token is ended with the process.
    let (done, finished) = std::sync::mpsc::channel();
    let query = query.to_string();
    let worker_token = token.clone();
    let worker = std::thread::spawn(move || {
        let result = (|| -> Result<()> {
            let results = policykg::evaluate(&store, &query, worker_token)?;
            let format = format.unwrap_or(match results {
                oxigraph::sparql::QueryResults::Graph(_) => {
                    ResultFormat::Rdf(oxigraph::io::RdfFormat::Turtle)
                }
                _ => ResultFormat::Table,
            });
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            policykg::write_results(results, format, &mut out)?;
            out.flush()?;
            Ok(())
        })();
        let _ = done.send(result);
    });
    let outcome = match finished.recv_timeout(limit) {
        Ok(result) => {
            // Let the worker close the store before the process exits.
            let _ = worker.join();
            result
        }
        Err(_) => {
            token.cancel();
            finished
                .recv_timeout(Duration::from_millis(500))
                .unwrap_or_else(|_| Err(policykg::QueryError::Cancelled.into()))
        }
    };
    outcome.map(|()| ExitCode::SUCCESS)
}

fn export_rdf(
    store_path: &Path,
    format: &str,
    graph: Option<&str>,
    output: Option<&Path>,
) -> Result<ExitCode> {
    let format = policykg::rdf_format(format).with_context(|| {
        format!("unknown --format {format}: use ttl, nt, nq, trig, rdfxml or jsonld")
    })?;
    let graph = graph
        .map(|g| {
            oxigraph::model::NamedNode::new(g)
                .with_context(|| format!("--graph {g} is not a valid IRI"))
        })
        .transpose()?;
    let store = PolicyStore::open_read_only(store_path)?;
    if let Some(g) = &graph
        && !store.graphs()?.contains(g)
    {
        bail!("--graph {g}: no such graph in the store (see `policykg stats`)");
    }
    match output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let mut writer = std::io::BufWriter::new(file);
            store.export(&mut writer, format, graph.as_ref().map(|g| g.as_ref()))?;
            writer.flush()?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut writer = std::io::BufWriter::new(stdout.lock());
            store.export(&mut writer, format, graph.as_ref().map(|g| g.as_ref()))?;
            writer.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(store_path: &Path) -> Result<ExitCode> {
    let store = PolicyStore::open_read_only(store_path)?;
    let stats = store.stats()?;
    println!("documents: {}", stats.documents);
    println!("tasks:     {}", stats.tasks);
    println!("units:     {}", stats.units);
    println!("triples per graph:");
    for g in &stats.graphs {
        println!("  {:>8}  {}", g.triples, g.graph);
    }
    Ok(ExitCode::SUCCESS)
}

fn validate(store_path: &Path) -> Result<ExitCode> {
    let store = PolicyStore::open_read_only(store_path)?;
    let violations = policykg::validate(&store)?;
    for v in &violations {
        println!("{}: {}: {}", v.check, v.node, v.message);
    }
    println!(
        "{} violation{} ({} checks)",
        violations.len(),
        if violations.len() == 1 { "" } else { "s" },
        policykg::CHECKS.len()
    );
    Ok(if violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn parse(paths: &[PathBuf], format: Format) -> Result<ExitCode> {
    let files = collect_files(paths)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0;
    for file in &files {
        let document = match policykg::parse_file(file) {
            Ok(document) => document,
            Err(error) => {
                eprintln!("error: {error}");
                failed += 1;
                continue;
            }
        };
        match format {
            Format::Json if files.len() == 1 => {
                serde_json::to_writer_pretty(&mut out, &document)?;
                writeln!(out)?;
            }
            Format::Json => {
                serde_json::to_writer(&mut out, &document)?;
                writeln!(out)?;
            }
            Format::Text => {
                if files.len() > 1 {
                    writeln!(out, "== {}", file.display())?;
                }
                write!(out, "{}", policykg::render_outline(&document))?;
            }
        }
    }
    out.flush()?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Expands directories into their `.txt` files, sorted; keeps files as given.
fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)
                .with_context(|| format!("cannot read directory {}", path.display()))?;
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "txt") {
            found.push(path);
        }
    }
    Ok(())
}
