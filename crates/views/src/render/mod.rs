//! Drawing views: DOT through graphviz-rust's structures and printer (shapes and colours
//! from one style table, a legend, section clusters, tooltips with the evidence, links to
//! the web front end), SVG/PNG/PDF through the Graphviz programs run with a time limit,
//! GraphML for Gephi, yEd and NetworkX, and JSON; the responsibility matrix as CSV, XLSX and
//! SVG. [`render_view`] picks the writer for an
//! [`OutputFormat`].

mod compare;
mod dot;
mod graphml;
mod graphviz;
mod matrix;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

pub use compare::{comparison_csv, comparison_dot};
pub use dot::{DotOptions, community_colour, escape, to_dot};
pub use graphml::to_graphml;
pub use graphviz::{Engine, ImageFormat, RenderError, UnknownEngine, render};
pub use matrix::{
    MatrixFormat, MatrixWriteError, UnknownMatrixFormat, matrix_csv, matrix_svg, matrix_xlsx,
    render_matrix,
};

use crate::graph::{View, analyze};
use policykg_extract::text::one_of;
use policykg_extract::{Classified, ErrorKind};

impl Classified for RenderError {
    fn kind(&self) -> ErrorKind {
        match self {
            RenderError::Timeout { .. } => ErrorKind::TimeLimit,
            _ => ErrorKind::Internal,
        }
    }
}

impl Classified for UnknownFormat {
    fn kind(&self) -> ErrorKind {
        ErrorKind::NotFound
    }
}

impl Classified for UnknownEngine {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Invalid
    }
}

/// The files a view can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "clap",
    derive(clap::ValueEnum),
    value(rename_all = "lowercase")
)]
pub enum OutputFormat {
    Dot,
    Svg,
    Png,
    Pdf,
    Graphml,
    Json,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 6] = [
        OutputFormat::Dot,
        OutputFormat::Svg,
        OutputFormat::Png,
        OutputFormat::Pdf,
        OutputFormat::Graphml,
        OutputFormat::Json,
    ];

    /// Every name, as a list for a message: `dot, svg … or json`.
    pub fn names() -> String {
        one_of(OutputFormat::ALL.map(OutputFormat::name))
    }

    /// The name, which is also the file extension.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Dot => "dot",
            OutputFormat::Svg => "svg",
            OutputFormat::Png => "png",
            OutputFormat::Pdf => "pdf",
            OutputFormat::Graphml => "graphml",
            OutputFormat::Json => "json",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            OutputFormat::Dot => "text/vnd.graphviz; charset=utf-8",
            OutputFormat::Svg => "image/svg+xml",
            OutputFormat::Png => "image/png",
            OutputFormat::Pdf => "application/pdf",
            OutputFormat::Graphml => "application/graphml+xml",
            OutputFormat::Json => "application/json",
        }
    }

    /// The Graphviz output this format needs, if any.
    pub fn image(self) -> Option<ImageFormat> {
        match self {
            OutputFormat::Svg => Some(ImageFormat::Svg),
            OutputFormat::Png => Some(ImageFormat::Png),
            OutputFormat::Pdf => Some(ImageFormat::Pdf),
            _ => None,
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not an output format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {0}: use {names}", names = OutputFormat::names())]
pub struct UnknownFormat(pub String);

impl FromStr for OutputFormat {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        OutputFormat::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| UnknownFormat(name.to_string()))
    }
}

/// How to draw: links, program and time limit.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub dot: DotOptions,
    /// The Graphviz program; by default the one for the view's layout.
    pub engine: Option<Engine>,
    /// How long Graphviz may take.
    pub limit: Duration,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            dot: DotOptions::default(),
            engine: None,
            limit: Duration::from_secs(60),
        }
    }
}

/// Writes a view as `format`. The network measures that size the nodes (DOT and images)
/// and annotate them (GraphML) are computed once here.
pub fn render_view(
    view: &View,
    format: OutputFormat,
    options: &RenderOptions,
) -> Result<Vec<u8>, RenderError> {
    let measures = analyze(view);
    if format == OutputFormat::Json {
        let mut text =
            serde_json::to_vec_pretty(&view.to_json(&measures)).map_err(RenderError::Json)?;
        text.push(b'\n');
        return Ok(text);
    }
    if format == OutputFormat::Graphml {
        return Ok(to_graphml(view, &measures));
    }
    let dot = to_dot(view, &measures, &options.dot);
    match format.image() {
        None => Ok(dot.into_bytes()),
        Some(image) => {
            let engine = options
                .engine
                .unwrap_or_else(|| Engine::for_layout(view.layout));
            render(&dot, image, engine, options.limit)
        }
    }
}
