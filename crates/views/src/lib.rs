//! policykg's views: named graphs drawn from the store (who answers for what, who works
//! with whom, which strategies and partners tasks tie to, the neighbourhood of a node, the
//! chains between two nodes, any CONSTRUCT query), the network measures computed on them,
//! the responsibility matrix and two documents compared; and their files.
//!
//! - [`graph`]: each view declared by a [`graph::ViewSpec`] and listed by
//!   [`graph::ViewKind`], built from a [`graph::ViewOptions`];
//! - [`render`]: a view as DOT, SVG, PNG or PDF (through Graphviz, under a time limit),
//!   GraphML or JSON; the matrix as CSV, XLSX, SVG or JSON; a comparison as CSV or DOT.

pub mod graph;
mod queries;
pub mod render;
