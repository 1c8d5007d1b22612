//! `fixture`: a view that exists only in the tests — each document and the units it names —
//! to show that a view is this file plus its variant in [`super::ViewKind`], and that the
//! command line, the pages, the files and the cache then serve it with nothing else changed
//! (the web side is tested in `http::tests`).

use super::{Layout, Scope, ViewSpec};
use crate::graph::Field;
use crate::graph::filters::{Reading, edge, node, unit_rows};
use crate::graph::{NodeKind, Relation, View, ViewError};
use policykg_store::Backend;

/// Documents → the units their tasks name.
fn graph(store: &dyn Backend, options: &Reading) -> Result<View, ViewError> {
    let mut view = View::new("fixture", true);
    for r in unit_rows(store, options)? {
        let doc = view.node(node(
            &r.doc,
            &r.doc_label,
            NodeKind::Document,
            None,
            &r.doc_label,
        ));
        let unit = view.node(node(
            &r.unit,
            &r.unit_label,
            NodeKind::Unit,
            None,
            &r.unit_label,
        ));
        view.edge(doc, unit, edge(Relation::Contains, Vec::new()));
    }
    Ok(view)
}

pub(crate) const SPEC: ViewSpec = ViewSpec {
    name: "fixture",
    about: "documents → the units they name (tests only)",
    layout: Layout::Small,
    fields: &[Field::Document],
    corpus: true,
    scope: Scope::OneDocument,
    crowded_above: None,
    build: graph,
};

#[cfg(test)]
mod tests {
    use crate::graph::ViewKind;

    #[test]
    #[cfg(feature = "clap")]
    fn the_command_line_knows_the_new_view() {
        use clap::ValueEnum;

        assert_eq!("fixture".parse::<ViewKind>(), Ok(ViewKind::Fixture));
        assert_eq!(
            ViewKind::from_str("fixture", false).map(|v| v.name()),
            Ok("fixture")
        );
        assert!(ViewKind::names().ends_with(", construct, fixture"));
    }
}
