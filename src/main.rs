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
    /// Export the RDF, or a graph view as DOT, SVG, PNG, PDF, GraphML or JSON.
    ///
    /// TARGET is `rdf` or a view: dependency (document → sections → tasks → units),
    /// cooperation (units sharing tasks), strategy (strategies → tasks → regions and
    /// platforms), region (jurisdictions, partner regions, pairings), ego (around
    /// --focus), path (between --from and --to) or construct (the triples of --query).
    /// RDF formats: ttl, nt, nq, trig (default), rdfxml, jsonld; dataset formats keep graph
    /// names. View formats: dot (default), svg, png, pdf (these run Graphviz), graphml,
    /// json. Output is deterministic: the same store gives the same bytes.
    Export {
        #[arg(value_name = "TARGET")]
        target: String,
        #[arg(long)]
        format: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// rdf: only this named graph (e.g. https://policykg.org/graph/liaoning-2021-1).
        #[arg(long)]
        graph: Option<String>,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Network measures of a view: degree (lead and responsible apart), weighted degree,
    /// betweenness, component and core number of every node.
    Analyze {
        /// The view to measure (see `export`).
        #[arg(long)]
        view: String,
        /// table or json.
        #[arg(long, default_value = "table")]
        format: String,
        #[command(flatten)]
        args: ViewArgs,
    },
    /// Serve the web explorer and the SPARQL endpoint.
    ///
    /// Ingests the documents under --data first when the store holds none, then serves
    /// /, /sparql (SPARQL 1.1 Protocol), /store (Graph Store Protocol), /graph/VIEW.FORMAT,
    /// /health and /api/stats. Stops cleanly on Ctrl-C or SIGTERM.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:7878")]
        bind: std::net::SocketAddr,
        /// Documents to ingest when the store is empty.
        #[arg(long, default_value = "data/docs")]
        data: PathBuf,
        /// Seconds a query may run before it is stopped and answered with 503.
        #[arg(long, default_value_t = 30)]
        query_timeout: u64,
        /// Enables SPARQL Update and Graph Store writes for requests bearing this token.
        #[arg(
            long,
            env = "POLICYKG_UPDATE_TOKEN",
            conflicts_with = "isolate_queries"
        )]
        update_token: Option<String>,
        /// Evaluates SPARQL queries in worker processes that are killed at the time limit,
        /// so that even a query computed in memory stops. The store is then read-only.
        #[arg(long)]
        isolate_queries: bool,
    },
    /// Answers queries for `serve --isolate-queries` on stdin and stdout (internal).
    #[command(hide = true)]
    QueryWorker,
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

/// Filters and parameters of the graph views.
#[derive(clap::Args, Clone, Default)]
struct ViewArgs {
    /// Only this document: its key (file name), 文号 or IRI.
    #[arg(long)]
    document: Option<String>,
    /// Only this section and its subsections, by id (e.g. 2.3).
    #[arg(long)]
    section: Option<String>,
    /// Only tasks linked to this strategy (canonical name, e.g. 粤港澳大湾区建设).
    #[arg(long)]
    strategy: Option<String>,
    /// Only tasks this unit takes part in (its name).
    #[arg(long)]
    unit: Option<String>,
    /// Only unit links of this role: lead, responsible, supporting, implied.
    #[arg(long)]
    role: Option<String>,
    /// Drop edges lighter than this.
    #[arg(long)]
    min_weight: Option<f64>,
    /// Leave inferred links out.
    #[arg(long)]
    stated_only: bool,
    /// ego: the node in the middle (IRI or label).
    #[arg(long)]
    focus: Option<String>,
    /// ego: how many relations away to go.
    #[arg(long, default_value_t = 1)]
    depth: usize,
    /// path: one end (IRI or label).
    #[arg(long)]
    from: Option<String>,
    /// path: the other end.
    #[arg(long)]
    to: Option<String>,
    /// construct: a CONSTRUCT query, or a SELECT of ?s ?p ?o.
    #[arg(long)]
    query: Option<String>,
    /// Graphviz program for svg/png/pdf: dot, neato, fdp, sfdp, circo, twopi.
    #[arg(long)]
    engine: Option<String>,
    /// Time limit for Graphviz, in seconds.
    #[arg(long, default_value_t = 60)]
    render_timeout: u64,
    /// Base URL of the web front end, for node links.
    #[arg(long, default_value = "http://127.0.0.1:7878")]
    base_url: String,
}

impl ViewArgs {
    fn options(&self) -> Result<policykg::ViewOptions> {
        Ok(policykg::ViewOptions {
            document: self.document.clone(),
            section: self.section.clone(),
            strategy: self.strategy.clone(),
            unit: self.unit.clone(),
            role: self.role.clone(),
            min_weight: self.min_weight,
            stated_only: self.stated_only,
            focus: self.focus.clone(),
            depth: Some(self.depth),
            from: self.from.clone(),
            to: self.to.clone(),
            query: self.query.clone(),
            cancellation: Default::default(),
        })
    }
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
            target,
            format,
            output,
            graph,
            ..
        } if target == "rdf" => export_rdf(
            &cli.store,
            format.as_deref().unwrap_or("trig"),
            graph.as_deref(),
            output.as_deref(),
        ),
        Command::Export {
            target,
            format,
            output,
            view,
            ..
        } => export_view(
            &cli.store,
            &target,
            format.as_deref().unwrap_or("dot"),
            output.as_deref(),
            &view,
        ),
        Command::Analyze { view, format, args } => analyze(&cli.store, &view, &format, &args),
        Command::Stats => stats(&cli.store),
        Command::Serve {
            bind,
            data,
            query_timeout,
            update_token,
            isolate_queries,
        } => serve(
            &cli.store,
            bind,
            &data,
            query_timeout,
            update_token,
            isolate_queries,
        ),
        Command::QueryWorker => {
            let store = PolicyStore::open_read_only(&cli.store)?;
            policykg::run_worker(&store, std::io::stdin().lock(), std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
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
            store.export(
                &mut writer,
                format,
                graph.as_ref().map(|g| g.as_ref().into()),
            )?;
            writer.flush()?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut writer = std::io::BufWriter::new(stdout.lock());
            store.export(
                &mut writer,
                format,
                graph.as_ref().map(|g| g.as_ref().into()),
            )?;
            writer.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_output(output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match output {
        Some(path) => std::fs::write(path, bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            out.write_all(bytes)?;
            out.flush()?;
        }
    }
    Ok(())
}

fn export_view(
    store_path: &Path,
    name: &str,
    format: &str,
    output: Option<&Path>,
    args: &ViewArgs,
) -> Result<ExitCode> {
    if !policykg::VIEW_NAMES.contains(&name) {
        bail!(
            "unknown export target {name}: use rdf or a view ({})",
            policykg::VIEW_NAMES.join(", ")
        );
    }
    if !["dot", "svg", "png", "pdf", "graphml", "json"].contains(&format) {
        bail!("unknown --format {format} for a view: use dot, svg, png, pdf, graphml or json");
    }
    let engine = match &args.engine {
        Some(e) => policykg::Engine::from_name(e).with_context(|| {
            format!("unknown --engine {e}: use dot, neato, fdp, sfdp, circo or twopi")
        })?,
        None => policykg::default_engine(name),
    };
    let options = args.options()?;
    let store = PolicyStore::open_read_only(store_path)?;
    let view = policykg::build_view(&store, name, &options)?;
    let dot_options = policykg::DotOptions {
        base_url: args.base_url.trim_end_matches('/').to_string(),
        ..policykg::DotOptions::default()
    };
    let bytes = match format {
        "json" => {
            let mut text = serde_json::to_string_pretty(&view.to_json())?;
            text.push('\n');
            text.into_bytes()
        }
        "graphml" => policykg::to_graphml(&view),
        "dot" => policykg::to_dot(&view, &dot_options).into_bytes(),
        image => policykg::render(
            &policykg::to_dot(&view, &dot_options),
            image,
            engine,
            Duration::from_secs(args.render_timeout),
        )?,
    };
    write_output(output, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

fn analyze(store_path: &Path, name: &str, format: &str, args: &ViewArgs) -> Result<ExitCode> {
    if !policykg::VIEW_NAMES.contains(&name) {
        bail!(
            "unknown --view {name}: use {}",
            policykg::VIEW_NAMES.join(", ")
        );
    }
    let options = args.options()?;
    let store = PolicyStore::open_read_only(store_path)?;
    let view = policykg::build_view(&store, name, &options)?;
    let mut measures = policykg::analyze(&view);
    measures.sort_by(|a, b| {
        b.betweenness
            .total_cmp(&a.betweenness)
            .then(b.degree.cmp(&a.degree))
            .then(a.id.cmp(&b.id))
    });
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        "json" => {
            serde_json::to_writer_pretty(&mut out, &measures)?;
            writeln!(out)?;
        }
        "table" => {
            writeln!(
                out,
                "{:<28} {:<9} {:>6} {:>5} {:>5} {:>8} {:>11} {:>4} {:>4}",
                "node", "kind", "degree", "lead", "resp", "weighted", "betweenness", "comp", "core"
            )?;
            for m in &measures {
                // Chinese characters take two columns on a terminal.
                let width = unicode_width::UnicodeWidthStr::width(m.label.as_str());
                let label = format!("{}{}", m.label, " ".repeat(28usize.saturating_sub(width)));
                writeln!(
                    out,
                    "{} {:<9} {:>6} {:>5} {:>5} {:>8.1} {:>11.4} {:>4} {:>4}",
                    label,
                    format!("{:?}", m.kind).to_lowercase(),
                    m.degree,
                    m.lead_degree,
                    m.responsible_degree,
                    m.weighted_degree,
                    m.betweenness,
                    m.component,
                    m.core
                )?;
            }
        }
        other => bail!("unknown --format {other}: use table or json"),
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(
    store_path: &Path,
    bind: std::net::SocketAddr,
    data: &Path,
    query_timeout: u64,
    update_token: Option<String>,
    isolate_queries: bool,
) -> Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let store = PolicyStore::open(store_path)?;
    if store.stats()?.documents == 0 && data.exists() {
        for file in collect_files(&[data.to_path_buf()])? {
            match policykg::parse_file(&file)
                .map_err(anyhow::Error::from)
                .and_then(|d| store.ingest(&d).map_err(anyhow::Error::from))
            {
                Ok(outcome) => tracing::info!(
                    "ingested {} ({} triples)",
                    file.display(),
                    outcome.triples()
                ),
                Err(e) => tracing::warn!("skipped {}: {e:#}", file.display()),
            }
        }
    }
    // Workers read the store from other processes: that is safe only if nobody writes.
    let store = if isolate_queries {
        drop(store);
        PolicyStore::open_read_only(store_path)?
    } else {
        store
    };
    let mut state =
        policykg::AppState::new(store, Duration::from_secs(query_timeout), update_token);
    state.base_url = format!("http://{bind}");
    if isolate_queries {
        state.workers = Some(std::sync::Arc::new(policykg::Workers::new(
            std::env::current_exe()?,
            store_path.to_path_buf(),
        )));
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(policykg::serve(state, bind))?;
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
