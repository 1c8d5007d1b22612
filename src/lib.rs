//! policykg turns Chinese government policy documents (实施意见, 实施方案, 任务分工 …) into
//! a typed model of their tasks and the units that lead or carry them, every fact with its
//! evidence span in the source text.
//!
//! The data flows one way: bytes are decoded ([`decode`]), parsed into the [`model`]
//! ([`parse_file`], [`parse_text`]) and rendered ([`render_outline`], or JSON via serde).

mod decode;
mod error;
pub mod model;
mod outline;
mod parse;

pub use decode::{Decoded, decode};
pub use error::{DecodeError, ParseError};
pub use model::{
    Convention, Goal, Metadata, ParsedDocument, Role, Section, Source, Span, Task, UnitRef, Warning,
};
pub use outline::render_outline;
pub use parse::{iso_date, jurisdiction_of, parse_bytes, parse_file, parse_text};
