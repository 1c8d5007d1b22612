//! The command line's arguments: what each command and flag means, as `--help` shows it.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use std::time::Duration;

use policykg_extract::decode::ReadOptions;
use policykg_extract::model::{Role, SourceFormat};
use policykg_views::graph::{ViewKind, ViewOptions};
use policykg_views::render::{DotOptions, Engine, RenderOptions};

/// policykg — a knowledge-graph explorer for Chinese government policy documents.
///
/// It reads documents such as 实施意见 and 任务分工 as plain text and extracts their
/// numbered tasks, the units that lead or carry each task, goals and metadata, each fact
/// with the character span it was read from.
#[derive(Parser)]
#[command(name = "policykg", version, about, long_about)]
pub struct Cli {
    /// Directory of the embedded RDF store (created by `ingest`).
    #[arg(
        long,
        global = true,
        env = "POLICYKG_STORE",
        default_value = "policykg-store"
    )]
    pub store: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Parse documents and print what was extracted.
    ///
    /// Accepts files and directories (read recursively, in name order): plain text
    /// (`.txt`, UTF-8, UTF-16 or GB18030/GBK, detected), web pages (`.html`, `.htm`),
    /// Word documents (`.docx`) and PDFs (`.pdf`); the reader is chosen by the file's
    /// content and extension unless --input-format says otherwise.
    /// With JSON output, one document prints as an indented object; several print as
    /// JSON Lines, one object per line. A file that cannot be parsed is reported on
    /// standard error and the exit status is non-zero; the other files are still printed.
    Parse {
        /// Document files or directories.
        #[arg(required = true, value_name = "FILE")]
        paths: Vec<PathBuf>,
        /// Output format: `json` (the model, spans in code points) or `text` (an outline
        /// ending with the coverage line: annotations read / candidate clauses).
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Exit with status 1 when a clause that names units was not read as an
        /// annotation (each is printed on standard error with its line).
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Parse documents and store them as RDF, one named graph per document.
    ///
    /// Accepts files and directories as `parse` does. Each document is stored entirely or
    /// not at all: new documents by the bulk loader, a document whose text changed in a
    /// transaction that replaces its graph; an unchanged one (same sha256) is skipped. A file that fails is reported and skipped; the others
    /// still land, and the exit status is non-zero.
    Ingest {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
        /// Documents stored together, in one step: fewer hold less in memory and lose
        /// less work to a stop, more load faster. Each document is stored entirely or
        /// not at all whatever the size.
        #[arg(long, default_value_t = policykg::BATCH, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=4096))]
        batch: usize,
    },
    /// Print the text the parser reads from a document: an HTML page's article, a Word
    /// document's paragraphs and tables (cells separated by tabs), a PDF's text layer.
    ExtractText {
        #[arg(value_name = "FILE")]
        path: PathBuf,
        #[command(flatten)]
        input: InputArgs,
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
    /// Export the RDF, a graph view as DOT, SVG, PNG, PDF, GraphML or JSON, or the
    /// responsibility matrix.
    ///
    /// TARGET is `rdf` or a view: dependency (document → sections → tasks → units),
    /// cooperation (units sharing tasks), strategy (strategies → tasks → regions and
    /// platforms), region (jurisdictions, partner regions, pairings), ego (around
    /// --focus), path (between --from and --to) or construct (the triples of --query);
    /// or `matrix`, the responsibility matrix (tasks × units, 牵头 ● 责任 ○ 配合 △) as csv
    /// (default), xlsx, svg or json, filtered like the views.
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
    /// betweenness, component, core number and community (Leiden) of every node.
    Analyze {
        /// The view to measure (see `export`).
        #[arg(long, value_enum)]
        view: ViewKind,
        #[arg(long, value_enum, default_value_t = Table::Table)]
        format: Table,
        #[command(flatten)]
        args: ViewArgs,
    },
    /// Serve the web explorer and the SPARQL endpoint.
    ///
    /// Ingests the documents under --data first when the store holds none, then serves
    /// /, /sparql (SPARQL 1.1 Protocol), /store (Graph Store Protocol), /graph/VIEW.FORMAT,
    /// /health and /api/stats. Stops cleanly on Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Answers queries for `serve --isolate-queries` on stdin and stdout (internal).
    #[command(hide = true)]
    QueryWorker,
    /// Count documents, tasks, units and the triples of each graph.
    Stats,
    /// Check the store against the constraints of ontology/shapes.ttl and print each
    /// violation with the offending node. Exit status 1 when there are violations.
    Validate,
}

/// How document files are read.
#[derive(clap::Args, Clone, Default)]
pub struct InputArgs {
    /// Read every file in this format instead of detecting it from content and extension.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<SourceFormat>,
}

impl InputArgs {
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            format: self.input_format,
            ..ReadOptions::default()
        }
    }
}

/// Filters and parameters of the graph views.
#[derive(clap::Args, Clone, Default)]
pub struct ViewArgs {
    /// Only this document: its key (file name), 文号 or IRI.
    #[arg(long)]
    pub document: Option<String>,
    /// Only this section and its subsections, by id (e.g. 2.3).
    #[arg(long)]
    pub section: Option<String>,
    /// Only tasks linked to this strategy (canonical name, e.g. 粤港澳大湾区建设).
    #[arg(long)]
    pub strategy: Option<String>,
    /// Only tasks this unit takes part in (its name).
    #[arg(long)]
    pub unit: Option<String>,
    /// Only unit links of this role: lead, responsible, supporting, implied.
    #[arg(long)]
    pub role: Option<Role>,
    /// Drop edges lighter than this.
    #[arg(long)]
    pub min_weight: Option<f64>,
    /// Leave inferred links out.
    #[arg(long)]
    pub stated_only: bool,
    /// ego: the node in the middle (IRI or label).
    #[arg(long)]
    pub focus: Option<String>,
    /// ego: how many relations away to go.
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    /// path: one end (IRI or label).
    #[arg(long)]
    pub from: Option<String>,
    /// path: the other end.
    #[arg(long)]
    pub to: Option<String>,
    /// construct: a CONSTRUCT query, or a SELECT of ?s ?p ?o.
    #[arg(long)]
    pub query: Option<String>,
    /// Corpus-wide views: how many units to show at most (the most connected first).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Graphviz program for svg/png/pdf.
    #[arg(long, value_enum)]
    pub engine: Option<Engine>,
    /// Time limit for Graphviz, in seconds.
    #[arg(long, default_value_t = 60)]
    pub render_timeout: u64,
    /// Base URL of the web front end, for node links.
    #[arg(long, default_value = "http://127.0.0.1:7878")]
    pub base_url: String,
}

impl ViewArgs {
    pub fn render_options(&self) -> RenderOptions {
        RenderOptions {
            dot: DotOptions {
                base_url: self.base_url.trim_end_matches('/').to_string(),
                ..DotOptions::default()
            },
            engine: self.engine,
            limit: Duration::from_secs(self.render_timeout),
        }
    }

    pub fn options(&self) -> ViewOptions {
        ViewOptions {
            document: self.document.clone(),
            section: self.section.clone(),
            strategy: self.strategy.clone(),
            unit: self.unit.clone(),
            role: self.role,
            min_weight: self.min_weight,
            stated_only: self.stated_only,
            focus: self.focus.clone(),
            depth: Some(self.depth),
            from: self.from.clone(),
            to: self.to.clone(),
            query: self.query.clone(),
            limit: self.limit,
            graphs: None,
            cancellation: Default::default(),
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Text,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Table {
    Table,
    Json,
}

/// How to serve the explorer.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:7878")]
    bind: std::net::SocketAddr,
    /// Documents to ingest when the store is empty.
    #[arg(long, default_value = "data/docs")]
    data: PathBuf,
    /// Seconds a query may run before it is stopped and answered with 503.
    #[arg(long, default_value_t = 30)]
    query_timeout: u64,
    /// Enables SPARQL Update and Graph Store writes for requests bearing this token. A
    /// token on the command line is visible to other users of the machine: prefer
    /// POLICYKG_UPDATE_TOKEN or --update-token-file.
    #[arg(
        long,
        env = "POLICYKG_UPDATE_TOKEN",
        hide_env_values = true,
        conflicts_with = "isolate_queries"
    )]
    update_token: Option<String>,
    /// Reads the update token from the first line of this file.
    #[arg(
        long,
        env = "POLICYKG_UPDATE_TOKEN_FILE",
        conflicts_with_all = ["isolate_queries", "update_token"]
    )]
    update_token_file: Option<PathBuf>,
    /// Evaluates SPARQL queries in worker processes that are killed at the time limit,
    /// so that even a query computed in memory stops. The store is then read-only.
    #[arg(long)]
    isolate_queries: bool,
}

impl ServeArgs {
    pub fn options(
        self,
        store: &std::path::Path,
    ) -> Result<policykg::http::ServeOptions, policykg::http::TokenError> {
        let update_token = match (&self.update_token, &self.update_token_file) {
            (_, Some(file)) => Some(policykg::http::UpdateToken::from_file(file)?),
            (Some(token), None) => Some(policykg::http::UpdateToken::new(token)?),
            (None, None) => None,
        };
        Ok(policykg::http::ServeOptions {
            store: store.to_path_buf(),
            bind: self.bind,
            data: self.data,
            query_timeout: Duration::from_secs(self.query_timeout),
            update_token,
            isolate_queries: self.isolate_queries,
        })
    }
}
