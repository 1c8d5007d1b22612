//! Runs a Graphviz program on DOT text with a time limit: SVG, PNG or PDF. A missing
//! program is a clear error; a layout that runs past the limit is killed.

use policykg_extract::text::one_of;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::graph::Layout;

/// Graphviz layout programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "clap",
    derive(clap::ValueEnum),
    value(rename_all = "lowercase")
)]
pub enum Engine {
    Dot,
    Neato,
    Fdp,
    Sfdp,
    Circo,
    Twopi,
}

impl Engine {
    pub fn program(self) -> &'static str {
        match self {
            Engine::Dot => "dot",
            Engine::Neato => "neato",
            Engine::Fdp => "fdp",
            Engine::Sfdp => "sfdp",
            Engine::Circo => "circo",
            Engine::Twopi => "twopi",
        }
    }

    pub const ALL: [Engine; 6] = [
        Engine::Dot,
        Engine::Neato,
        Engine::Fdp,
        Engine::Sfdp,
        Engine::Circo,
        Engine::Twopi,
    ];

    /// `dot` for hierarchies; `neato` for networks and small graphs: on a weighted network
    /// it packs communities tighter than `sfdp` (the seed's cooperation network: 1,123 ×
    /// 1,173 points against 1,515 × 1,337), and stays under a second at the default limits
    /// (150 units, 600 pairs).
    pub fn for_layout(layout: Layout) -> Engine {
        match layout {
            Layout::Hierarchy => Engine::Dot,
            Layout::Network | Layout::Small => Engine::Neato,
        }
    }
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.program())
    }
}

/// A name that is not a Graphviz program.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown engine {0}: use {names}", names = one_of(Engine::ALL.map(Engine::program)))]
pub struct UnknownEngine(pub String);

impl std::str::FromStr for Engine {
    type Err = UnknownEngine;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Engine::ALL
            .into_iter()
            .find(|e| e.program() == name)
            .ok_or_else(|| UnknownEngine(name.to_string()))
    }
}

/// The image formats Graphviz writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
    Pdf,
}

impl ImageFormat {
    fn flag(self) -> &'static str {
        match self {
            ImageFormat::Svg => "-Tsvg",
            ImageFormat::Png => "-Tpng",
            ImageFormat::Pdf => "-Tpdf",
        }
    }
}

/// Why rendering failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(
        "Graphviz program `{0}` not found: install Graphviz (Debian: apt-get install graphviz); DOT output works without it"
    )]
    Missing(&'static str),
    #[error(
        "`{program}` ran past its time limit of {seconds} s and was stopped; try --engine sfdp or a smaller view"
    )]
    Timeout { program: &'static str, seconds: u64 },
    #[error("`{program}` failed: {message}")]
    Failed {
        program: &'static str,
        message: String,
    },
    #[error("cannot run `{program}`: {source}")]
    Io {
        program: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write JSON: {0}")]
    Json(#[source] serde_json::Error),
}

/// Renders DOT text to `format` with `engine`, within `limit`.
pub fn render(
    dot: &str,
    format: ImageFormat,
    engine: Engine,
    limit: Duration,
) -> Result<Vec<u8>, RenderError> {
    let program = engine.program();
    let mut child = Command::new(program)
        .arg(format.flag())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => RenderError::Missing(program),
            _ => RenderError::Io { program, source },
        })?;
    let io = |source| RenderError::Io { program, source };
    // Feed and drain on threads so that a large graph cannot block on a full pipe.
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| io(std::io::Error::other("no stdin")))?;
    let input = dot.as_bytes().to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| io(std::io::Error::other("no stdout")))?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stdout.read_to_end(&mut buf).map(|_| buf)
    });
    let mut stderr = child
        .stderr
        .take()
        .ok_or_else(|| io(std::io::Error::other("no stderr")))?;
    let errors = std::thread::spawn(move || {
        let mut buf = String::new();
        let _ = stderr.read_to_string(&mut buf);
        buf
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(io)? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(RenderError::Timeout {
                program,
                seconds: limit.as_secs(),
            });
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = writer.join();
    let output = reader
        .join()
        .map_err(|_| io(std::io::Error::other("reader thread failed")))?
        .map_err(io)?;
    let message = errors.join().unwrap_or_default();
    if !status.success() {
        return Err(RenderError::Failed {
            program,
            message: message.trim().to_string(),
        });
    }
    Ok(output)
}
