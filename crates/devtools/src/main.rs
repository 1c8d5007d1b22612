//! `policykg-dev`: the developers' commands — a generated corpus for measuring at scale,
//! and the extraction scored against gold files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use policykg_devtools::{eval, generate};
use policykg_extract::Gazetteer;

/// policykg's developer tools: corpora for measuring, scores against gold files.
#[derive(Parser)]
#[command(name = "policykg-dev", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a corpus of generated documents of the genre, for measuring at scale.
    ///
    /// Documents recombine the structures, annotation styles, units, strategies, regions
    /// and platforms of real ones, over several jurisdictions and years; the same seed
    /// gives the same bytes. Writes gen-NNNNN.txt files and a manifest.json into --out
    /// (replacing an earlier generated corpus there; any other file is an error).
    GenCorpus {
        /// Number of documents.
        #[arg(long, default_value_t = 100)]
        docs: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Score the extraction of a document against a gold annotation file.
    ///
    /// Prints precision, recall and F1 per kind: tasks, unit references and, where the
    /// gold file annotates them, stated strategies, regions, region groups and platforms,
    /// inferred regions with their rule, planned platforms and pairings. The
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

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::GenCorpus { docs, seed, out } => gen_corpus(docs, seed, &out),
        Command::Eval { gold, format } => score(&gold, format),
    }
}

fn score(golds: &[PathBuf], format: Format) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for path in golds {
        let (gold, scores) = eval::score_file(path, Gazetteer::builtin())?;
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
                    "  {:<17} {:>5} {:>9} {:>7} {:>9} {:>6} {:>6}",
                    "kind", "gold", "extracted", "matched", "precision", "recall", "F1"
                )?;
                for s in &scores {
                    writeln!(
                        out,
                        "  {:<17} {:>5} {:>9} {:>7} {:>9.3} {:>6.3} {:>6.3}",
                        s.kind, s.gold, s.extracted, s.matched, s.precision, s.recall, s.f1
                    )?;
                }
            }
        }
    }
    Ok(())
}

fn gen_corpus(docs: usize, seed: u64, out: &Path) -> Result<()> {
    let summary = generate::generate_corpus(&generate::CorpusOptions { docs, seed }, out)?;
    writeln!(
        std::io::stdout(),
        "{} documents, {} tasks, {} bytes in {} (seed {seed}; {})",
        summary.docs,
        summary.tasks,
        summary.bytes,
        out.display(),
        summary.manifest.display()
    )?;
    Ok(())
}
