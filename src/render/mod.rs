//! Drawing views: DOT through graphviz-rust's structures and printer (shapes and colours
//! from one style table, a legend, section clusters, tooltips with the evidence, links to
//! the web front end), SVG/PNG/PDF through the Graphviz programs run with a time limit,
//! and GraphML for Gephi, yEd and NetworkX.

mod dot;
mod graphml;
mod graphviz;

pub use dot::{DotOptions, escape, to_dot};
pub use graphml::to_graphml;
pub use graphviz::{Engine, RenderError, default_engine, render};
