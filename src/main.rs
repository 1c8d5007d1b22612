//! The `policykg` command line: a thin shell over the library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

/// policykg — a knowledge-graph explorer for Chinese government policy documents.
///
/// It reads documents such as 实施意见 and 任务分工 as plain text and extracts their
/// numbered tasks, the units that lead or carry each task, goals and metadata, each fact
/// with the character span it was read from.
#[derive(Parser)]
#[command(name = "policykg", version, about, long_about)]
struct Cli {
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
    }
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
