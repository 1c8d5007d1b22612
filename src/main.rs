//! The `policykg` command line: argument definitions and printing; the work is the library's.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use policykg_extract::Gazetteer;
use policykg_extract::decode::ReadOptions;
use policykg_store::PolicyStore;
use policykg_store::sparql::{CancellationToken, QueryRunner, ResultFormat};
use policykg_views::graph::{View, ViewKind};
use policykg_views::render::OutputFormat;

mod args;

/// Parsing and the bulk loader make and drop millions of small strings and keys, many of
/// them dropped by another thread than the one that made them: glibc's allocator spent a
/// third of an ingest's time on them. mimalloc also replaces `malloc` and `free` for the
/// C and C++ code (the `override` feature): Oxigraph frees the error messages RocksDB
/// allocates with Rust's allocator, and with two allocators an ingest that filled the disk
/// crashed on the first one. Version 2, which hands freed memory back after 10 ms rather
/// than a second: a server under 64 clients held 340–475 MB with it, 500–619 MB with 3.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use args::{Cli, Command, Export, Format, Table, ViewArgs};

/// A line on standard output. A reader that stopped reading (`policykg stats | head`)
/// ends the program quietly: the write's error reaches `main`, which knows a closed pipe.
macro_rules! say {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout(), $($arg)*)?
    };
}

/// Whether an error comes from writing to a reader that has gone.
fn is_closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) if is_closed_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            // Many errors show their source in their own message: it is not said twice.
            let mut message = error.to_string();
            for cause in error.chain().skip(1) {
                let cause = cause.to_string();
                if !message.contains(&cause) {
                    message.push_str(": ");
                    message.push_str(&cause);
                }
            }
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn exit(success: bool) -> ExitCode {
    if success {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let gazetteer = Gazetteer::builtin();
    let store = cli.store.as_path();
    match cli.command {
        Command::Parse {
            paths,
            format,
            strict,
            input,
        } => parse(&paths, format, strict, &input.read_options()),
        Command::Ingest {
            paths,
            input,
            batch,
        } => {
            let options = policykg::IngestOptions {
                read: input.read_options(),
                batch,
            };
            ingest(store, &paths, &options)
        }
        Command::ExtractText { path, input } => extract_text(&path, &input.read_options()),
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
            run_query(store, text, format.as_deref(), timeout)
        }
        Command::Export(Export::Rdf(rdf)) => {
            let format = rdf.format.as_deref().unwrap_or("trig");
            export_rdf(store, format, rdf.graph.as_deref(), rdf.output.as_deref())
        }
        Command::Export(Export::Matrix(file)) => {
            let format = file.format.as_deref().unwrap_or("csv");
            let bytes = export_matrix(store, format, &file.view)?;
            write_output(file.output.as_deref(), &bytes)
        }
        Command::Export(Export::View(kind, file)) => {
            let format = file.format.as_deref().unwrap_or("dot");
            let bytes = export_view(store, kind, format, &file.view)?;
            write_output(file.output.as_deref(), &bytes)
        }
        Command::Analyze { view, format, args } => analyze(store, view, format, &args),
        Command::Stats => stats(store),
        Command::Serve(serve) => {
            let options = serve.options(store)?;
            let filter = tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
            let log = tracing_subscriber::fmt().with_env_filter(filter);
            log.with_writer(std::io::stderr).init();
            policykg::http::run_explorer(options, gazetteer)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::QueryWorker => {
            let store = PolicyStore::open_read_only(store)?;
            policykg_store::sparql::worker::run_worker(
                &store,
                std::io::stdin().lock(),
                std::io::stdout().lock(),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate => validate(store),
    }
}

fn ingest(
    store_path: &Path,
    paths: &[PathBuf],
    options: &policykg::IngestOptions,
) -> Result<ExitCode> {
    let gazetteer = Gazetteer::builtin();
    let store = policykg_store::open_store(store_path, gazetteer)?;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let report = policykg::ingest_paths_with(&store, paths, gazetteer, options, |file| {
        bar.set_length(file.total as u64);
        bar.set_message(file.path.display().to_string());
        if let Err(error) = &file.outcome {
            bar.suspend(|| eprintln!("error: {error} (skipped)"));
        }
        bar.inc(1);
    })?;
    bar.finish_and_clear();
    say!(
        "documents: {} added, {} replaced, {} unchanged, {} failed; {} triples in their graphs",
        report.added,
        report.replaced,
        report.unchanged,
        report.failed,
        report.triples
    );
    Ok(exit(report.failed == 0))
}

fn run_query(
    store_path: &Path,
    query: String,
    format: Option<&str>,
    timeout: f64,
) -> Result<ExitCode> {
    let format = format
        .map(|name| {
            ResultFormat::from_name(name).with_context(|| {
                format!(
                    "unknown --format {name}: use {}",
                    ResultFormat::names(ResultFormat::all())
                )
            })
        })
        .transpose()?;
    if !(timeout.is_finite() && timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds, not {timeout}");
    }
    let store = std::sync::Arc::new(PolicyStore::open_read_only(store_path)?);
    let runner = QueryRunner::new(store, Duration::from_secs_f64(timeout), 1);
    runner.run_now(move |store, token| -> Result<()> {
        let results = policykg_store::sparql::evaluate(store, &query, token)?;
        let format = format.unwrap_or_else(|| ResultFormat::default_for(&results));
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        policykg_store::sparql::write_results(results, format, &mut out)?;
        out.flush()?;
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the RDF as it is read, graph by graph: a corpus's N-Quads are gigabytes.
fn export_rdf(
    store_path: &Path,
    format: &str,
    graph: Option<&str>,
    output: Option<&Path>,
) -> Result<ExitCode> {
    let format = policykg_store::sparql::rdf_format(format).with_context(|| {
        format!(
            "unknown --format {format}: use {}",
            policykg_store::sparql::rdf_format_names()
        )
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
    let graph = graph.as_ref().map(|g| g.as_ref().into());
    match output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let written = store
                .export(&mut out, format, graph)
                .map_err(anyhow::Error::from)
                .and_then(|()| Ok(out.flush()?));
            if written.is_err() {
                // Half a file is worse than none.
                let _ = std::fs::remove_file(path);
            }
            written.with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            store.export(&mut out, format, graph)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_output(output: Option<&Path>, bytes: &[u8]) -> Result<ExitCode> {
    match output {
        Some(path) => std::fs::write(path, bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn export_view(
    store_path: &Path,
    kind: ViewKind,
    format: &str,
    args: &ViewArgs,
) -> Result<Vec<u8>> {
    let format: OutputFormat = format.parse().map_err(|_| {
        anyhow::anyhow!(
            "unknown --format {format} for a view: use {}",
            OutputFormat::names()
        )
    })?;
    let view = build_view(store_path, kind, args)?;
    Ok(policykg_views::render::render_view(
        &view,
        format,
        &args.render_options(),
    )?)
}

fn export_matrix(store_path: &Path, format: &str, args: &ViewArgs) -> Result<Vec<u8>> {
    let format: policykg_views::render::MatrixFormat = format
        .parse()
        .map_err(|e| anyhow::anyhow!("unknown --format for the matrix: {e}"))?;
    let options = args.options.clone();
    let matrix = within_limit(
        PolicyStore::open_read_only(store_path)?,
        args.timeout,
        move |store, token| Ok(policykg_views::graph::build_matrix(store, &options, token)?),
    )?;
    Ok(policykg_views::render::render_matrix(
        &matrix,
        format,
        &args.render_options().dot.base_url,
    )?)
}

/// A view of the store at `store_path`, built under the time limit of `args`.
fn build_view(store_path: &Path, kind: ViewKind, args: &ViewArgs) -> Result<View> {
    let options = args.options.clone();
    within_limit(
        PolicyStore::open_read_only(store_path)?,
        args.timeout,
        move |store, token| Ok(kind.build(store, &options, token)?),
    )
}

/// Runs store work on a user's behalf as every such work runs: in a slot of a
/// [`QueryRunner`], its queries stopped after `seconds`.
fn within_limit<T: Send + 'static>(
    store: PolicyStore,
    seconds: f64,
    work: impl FnOnce(&PolicyStore, CancellationToken) -> Result<T> + Send + 'static,
) -> Result<T> {
    if !(seconds.is_finite() && seconds > 0.0) {
        bail!("--timeout must be a positive number of seconds, not {seconds}");
    }
    QueryRunner::new(
        std::sync::Arc::new(store),
        Duration::from_secs_f64(seconds),
        1,
    )
    .run_now(work)
}

fn analyze(store_path: &Path, kind: ViewKind, format: Table, args: &ViewArgs) -> Result<ExitCode> {
    let view = build_view(store_path, kind, args)?;
    let mut measures = policykg_views::graph::analyze(&view);
    measures.sort_by(|a, b| {
        b.betweenness
            .total_cmp(&a.betweenness)
            .then(b.degree.cmp(&a.degree))
            .then(a.id.cmp(&b.id))
    });
    let mut out = std::io::stdout().lock();
    match format {
        Table::Json => {
            serde_json::to_writer_pretty(&mut out, &measures)?;
            writeln!(out)?;
        }
        Table::Table => {
            writeln!(
                out,
                "{:<28} {:<9} {:>6} {:>5} {:>5} {:>8} {:>11} {:>4} {:>4} {:>5}",
                "node",
                "kind",
                "degree",
                "lead",
                "resp",
                "weighted",
                "betweenness",
                "comp",
                "core",
                "comm"
            )?;
            for m in &measures {
                // Chinese characters take two columns on a terminal.
                let width = unicode_width::UnicodeWidthStr::width(m.label.as_str());
                let label = format!("{}{}", m.label, " ".repeat(28usize.saturating_sub(width)));
                writeln!(
                    out,
                    "{} {:<9} {:>6} {:>5} {:>5} {:>8.1} {:>11.4} {:>4} {:>4} {:>5}",
                    label,
                    format!("{:?}", m.kind).to_lowercase(),
                    m.degree,
                    m.lead_degree,
                    m.responsible_degree,
                    m.weighted_degree,
                    m.betweenness,
                    m.component,
                    m.core,
                    m.community
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(store_path: &Path) -> Result<ExitCode> {
    let stats = PolicyStore::open_read_only(store_path)?.stats()?;
    say!("documents: {}", stats.documents);
    say!("tasks:     {}", stats.tasks);
    say!("units:     {}", stats.units);
    say!("triples per graph:");
    for g in &stats.graphs {
        say!("  {:>8}  {}", g.triples, g.graph);
    }
    Ok(ExitCode::SUCCESS)
}

/// How long `policykg validate` may take: its checks read every document.
const VALIDATION_LIMIT: f64 = 600.0;

fn validate(store_path: &Path) -> Result<ExitCode> {
    // Opened for writing when it can be, so that statistics a stopped write left uncounted
    // are counted first; read-only while a server holds the store, or on read-only media.
    let store = match store_path.exists() {
        true => {
            PolicyStore::open(store_path).or_else(|_| PolicyStore::open_read_only(store_path))?
        }
        false => PolicyStore::open_read_only(store_path)?,
    };
    let violations = within_limit(store, VALIDATION_LIMIT, |store, token| {
        let mut violations = policykg_store::validate::validate(store, token)?;
        violations.extend(policykg_store::validate::check_statistics(store)?);
        Ok(violations)
    })?;
    for v in &violations {
        say!("{}: {}: {}", v.check, v.node, v.message);
    }
    let (n, plural) = (
        violations.len(),
        if violations.len() == 1 { "" } else { "s" },
    );
    say!(
        "{n} violation{plural} ({} checks)",
        policykg_store::validate::CHECKS.len() + 1
    );
    Ok(exit(violations.is_empty()))
}

fn parse(paths: &[PathBuf], format: Format, strict: bool, read: &ReadOptions) -> Result<ExitCode> {
    let files = policykg_extract::document_files(paths)?;
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    let mut unread = 0;
    for file in &files {
        let document = match policykg_extract::extract_file_with(file, Gazetteer::builtin(), read) {
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
                write!(out, "{}", policykg_extract::render_outline(&document))?;
            }
        }
        if strict {
            for clause in document.unread_candidates() {
                eprintln!(
                    "{}:{}: possible unit annotation not read: {}",
                    file.display(),
                    clause.line,
                    clause.text
                );
                unread += 1;
            }
        }
    }
    out.flush()?;
    if unread > 0 {
        eprintln!("error: {unread} possible unit annotations not read (--strict)");
    }
    Ok(exit(failed == 0 && unread == 0))
}

fn extract_text(path: &Path, read: &ReadOptions) -> Result<ExitCode> {
    let decoded = policykg_extract::read_document(path, read)?;
    let mut out = std::io::stdout().lock();
    out.write_all(decoded.text.as_bytes())?;
    if !decoded.text.ends_with('\n') {
        writeln!(out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
