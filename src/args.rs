//! The command line's arguments: what each command and flag means, as `--help` shows it.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use std::time::Duration;

use clap::Args as _;
use policykg_extract::decode::ReadOptions;
use policykg_extract::model::SourceFormat;
use policykg_views::graph::{Field, ViewKind, ViewOptions};
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
        /// Output format: json, xml, csv, tsv or table for solutions; ttl, nt, nq, trig,
        /// rdfxml or jsonld for graphs.
        #[arg(long)]
        format: Option<String>,
        /// Stop the query after this many seconds.
        #[arg(long, default_value_t = 30.0)]
        timeout: f64,
    },
    /// Export the RDF, a graph view as DOT, SVG, PNG, PDF, GraphML or JSON, or the
    /// responsibility matrix.
    ///
    /// `rdf`: the store (or --graph) in ttl, nt, nq, trig (default), rdfxml or jsonld;
    /// dataset formats keep graph names. A view (see `policykg export VIEW --help`): dot
    /// (default), svg, png, pdf (these run Graphviz), graphml or json. `matrix`: the
    /// responsibility matrix (tasks × units, 牵头 ● 责任 ○ 配合 △) as csv (default), xlsx, svg
    /// or json, filtered like the views. Output is deterministic: the same store gives the
    /// same bytes.
    #[command(subcommand)]
    Export(Export),
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

/// A view's options and how to draw it.
#[derive(clap::Args, Clone, Default)]
pub struct ViewArgs {
    #[command(flatten)]
    pub options: ViewOptions,
    /// Graphviz program for svg/png/pdf.
    #[arg(long, value_enum)]
    pub engine: Option<Engine>,
    /// Time limit for Graphviz, in seconds.
    #[arg(long, default_value_t = 60)]
    pub render_timeout: u64,
    /// Base URL of the web front end, for node links.
    #[arg(long, default_value = "http://127.0.0.1:7878")]
    pub base_url: String,
    /// Stop building the view after this many seconds.
    #[arg(long, default_value_t = 300.0)]
    pub timeout: f64,
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
}

/// What `policykg export` writes: `rdf`, `matrix`, or a view by its name.
pub enum Export {
    Rdf(RdfExport),
    Matrix(FileExport),
    View(ViewKind, FileExport),
}

/// `export rdf`.
#[derive(clap::Args)]
pub struct RdfExport {
    /// ttl, nt, nq, trig (default), rdfxml or jsonld.
    #[arg(long)]
    pub format: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Only this named graph (e.g. https://policykg.org/graph/liaoning-2021-1).
    #[arg(long)]
    pub graph: Option<String>,
}

/// `export matrix` and `export VIEW`.
#[derive(clap::Args)]
pub struct FileExport {
    /// The file's format (see `policykg export --help`).
    #[arg(long)]
    pub format: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub view: ViewArgs,
}

/// The subcommands of `export`: `rdf` and `matrix`, then one per view, named and described
/// by its spec; a view's command shows only the options it reads.
impl Subcommand for Export {
    fn augment_subcommands(command: clap::Command) -> clap::Command {
        let mut command = command
            .subcommand(RdfExport::augment_args(
                clap::Command::new("rdf").about("The RDF of the store, or of one graph"),
            ))
            .subcommand(FileExport::augment_args(
                clap::Command::new("matrix")
                    .about("The responsibility matrix: tasks × units (牵头 ● 责任 ○ 配合 △)"),
            ))
            .subcommand_required(true);
        for &view in ViewKind::ALL {
            let mut sub =
                FileExport::augment_args(clap::Command::new(view.name()).about(view.spec().about));
            for &field in Field::ALL {
                if !view.reads(field) {
                    sub = sub.mut_arg(field.name(), |arg| arg.hide(true));
                }
            }
            command = command.subcommand(sub);
        }
        command
    }

    fn augment_subcommands_for_update(command: clap::Command) -> clap::Command {
        Self::augment_subcommands(command)
    }

    fn has_subcommand(name: &str) -> bool {
        name == "rdf" || name == "matrix" || name.parse::<ViewKind>().is_ok()
    }
}

impl clap::FromArgMatches for Export {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        match matches.subcommand() {
            Some(("rdf", sub)) => Ok(Export::Rdf(RdfExport::from_arg_matches(sub)?)),
            Some(("matrix", sub)) => Ok(Export::Matrix(FileExport::from_arg_matches(sub)?)),
            Some((name, sub)) => match name.parse::<ViewKind>() {
                Ok(view) => Ok(Export::View(view, FileExport::from_arg_matches(sub)?)),
                Err(e) => Err(clap::Error::raw(
                    clap::error::ErrorKind::InvalidSubcommand,
                    e,
                )),
            },
            None => Err(clap::Error::raw(
                clap::error::ErrorKind::MissingSubcommand,
                "give what to export: rdf, matrix or a view",
            )),
        }
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
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
