//! The views, one file each. A view declares what it is in a [`ViewSpec`] — its name, what it
//! shows, the kind of drawing it makes, the fields it reads and its builder — and
//! [`ViewKind`] lists them. The command line, the web pages, the drawings and the cache
//! all read the spec, so adding a view is one file here and one variant of [`ViewKind`].

use std::fmt;
use std::str::FromStr;

use super::View;
use oxigraph::sparql::CancellationToken;

use super::filters::Reading;
use super::options::{Field, ViewOptions};
use policykg_extract::{Classified, ErrorKind};
use policykg_store::Backend;
use policykg_store::sparql::QueryError;

mod trim;

pub use construct::construct_from;
pub use path::{Hop, path_hops};

/// Why a view could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    #[error("the {view} view needs {parameter} (--{parameter} on the command line)")]
    Missing {
        view: &'static str,
        parameter: &'static str,
    },
    #[error("{parameter} {value:?} names no node of the graph{hint}")]
    NoSuchNode {
        parameter: &'static str,
        value: String,
        hint: String,
    },
    #[error("{parameter} {value:?} names several nodes: {candidates}; give an IRI")]
    Ambiguous {
        parameter: &'static str,
        value: String,
        candidates: String,
    },
    #[error("the query must be a CONSTRUCT or DESCRIBE, or a SELECT of ?s ?p ?o")]
    NotAGraphQuery,
    /// A selection too large to draw as this view.
    #[error(
        "the {view} of all {tasks} tasks is too large to read (and to make within the time limits): choose a document, a section, a strategy or a unit{}",
        if *view == "matrix" { "" } else { ", or see the responsibility matrix (/matrix, `policykg export matrix`)" }
    )]
    TooLarge { view: &'static str, tasks: u64 },
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Store(#[from] policykg_store::StoreError),
}

impl Classified for ViewError {
    fn kind(&self) -> ErrorKind {
        match self {
            ViewError::Query(e) => e.kind(),
            ViewError::Store(e) => e.kind(),
            _ => ErrorKind::Invalid,
        }
    }
}

impl Classified for UnknownView {
    fn kind(&self) -> ErrorKind {
        ErrorKind::NotFound
    }
}

/// The kind of drawing a view makes; the renderer picks a Graphviz program for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Ranks from left to right or top to bottom (`dot`).
    Hierarchy,
    /// A network of many nodes (`sfdp`).
    Network,
    /// A small network (`neato`).
    Small,
}

/// What a view is and how it is built.
pub struct ViewSpec {
    /// The name in URLs and on the command line.
    pub name: &'static str,
    /// What the view shows, in a line.
    pub about: &'static str,
    pub layout: Layout,
    /// The parameters it reads.
    pub fields: &'static [Field],
    /// Whether it is drawn from the whole store with no parameter (the others need a node
    /// or a query).
    pub corpus: bool,
    /// What a drawing of one chosen document reads.
    pub scope: Scope,
    /// Above how many nodes a drawing is too crowded to follow and the responsibility
    /// matrix reads better, when it can.
    pub crowded_above: Option<usize>,
    pub(crate) build: fn(&dyn Backend, &Reading) -> Result<View, ViewError>,
}

/// What a view of one chosen document reads, which says what its drawing outlives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// That document's graph and the reference graph only: a write to another document
    /// does not change it.
    OneDocument,
    /// Any graph of the store (its nodes are looked for everywhere, or a user's query
    /// reaches anywhere): every write may change it.
    Store,
}

/// Declares the views: for each, its module (a file in this folder holding its `SPEC`) and
/// its variant of [`ViewKind`], which lists them in this order in [`ViewKind::ALL`] and
/// finds their specs. A new view is its file and one line here; the command line, the pages,
/// the files and the cache take it from there.
macro_rules! views {
    ($( $(#[doc = $doc:expr])* $(#[cfg($cfg:meta)])? $variant:ident => $module:ident, )*) => {
        $( $(#[cfg($cfg)])? pub(crate) mod $module; )*

        /// The views, in the order pages and help list them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ViewKind {
            $( $(#[doc = $doc])* $(#[cfg($cfg)])? $variant, )*
        }

        impl ViewKind {
            /// Every view, in the order pages and help list them.
            pub const ALL: &'static [ViewKind] = &[ $( $(#[cfg($cfg)])? ViewKind::$variant, )* ];

            pub fn spec(self) -> &'static ViewSpec {
                match self {
                    $( $(#[cfg($cfg)])? ViewKind::$variant => &$module::SPEC, )*
                }
            }
        }
    };
}

views! {
    Dependency => dependency,
    Cooperation => cooperation,
    Strategy => strategy,
    Region => region,
    Ego => ego,
    Path => path,
    Construct => construct,
    /// A view for the tests only (the `fixture` feature), to show what adding one takes.
    #[cfg(feature = "fixture")]
    Fixture => fixture,
}

impl ViewKind {
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Whether the view reads `field`.
    pub fn reads(self, field: Field) -> bool {
        self.spec().fields.contains(&field)
    }

    /// Builds the view from the store; `cancellation` stops its queries (the caller's time
    /// limit).
    pub fn build(
        self,
        store: &dyn Backend,
        options: &ViewOptions,
        cancellation: CancellationToken,
    ) -> Result<View, ViewError> {
        let reading = Reading::new(options, cancellation);
        let mut view = (self.spec().build)(store, &reading)?;
        view.layout = self.spec().layout;
        Ok(view)
    }
}

impl fmt::Display for ViewKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not a view.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown view {0}: use one of {names}", names = ViewKind::names())]
pub struct UnknownView(pub String);

impl ViewKind {
    /// The names of all views, joined with commas.
    pub fn names() -> String {
        let names: Vec<&str> = ViewKind::ALL.iter().map(|v| v.name()).collect();
        names.join(", ")
    }
}

impl FromStr for ViewKind {
    type Err = UnknownView;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        ViewKind::ALL
            .iter()
            .copied()
            .find(|v| v.name() == name)
            .ok_or_else(|| UnknownView(name.to_string()))
    }
}

#[cfg(feature = "clap")]
impl clap::ValueEnum for ViewKind {
    fn value_variants<'a>() -> &'a [Self] {
        ViewKind::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()).help(self.spec().about))
    }
}

/// Builds a view (see [`ViewKind::build`]).
pub fn build_view(
    store: &dyn Backend,
    kind: ViewKind,
    options: &ViewOptions,
    cancellation: CancellationToken,
) -> Result<View, ViewError> {
    kind.build(store, options, cancellation)
}
