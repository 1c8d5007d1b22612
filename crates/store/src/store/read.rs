//! Reads: search, counts, graphs, the smallest label of many nodes, the statistics, and
//! exports in every RDF format.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};

use policykg_extract::rdf::sorted;
use policykg_extract::vocab::{PREFIXES, REFERENCE_GRAPH, STATISTICS_GRAPH, pol};
use policykg_extract::vocab::{document_graph, document_iri};

use super::stats;
use super::*;

impl PolicyStore {
    /// The `limit` nodes from `offset` on whose labels or task text hold the words of
    /// `query`, best first (see [`crate::fulltext::SearchIndex::search`]).
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<crate::fulltext::SearchResults, StoreError> {
        Ok(self
            .search
            .index(&self.store)?
            .search(query, limit, offset)?)
    }

    /// The sha256 recorded for a stored document, if it is stored.
    pub fn document_sha256(&self, key: &str) -> Result<Option<String>, StoreError> {
        let graph = document_graph(key);
        let doc = document_iri(key);
        let mut found = self.store.quads_for_pattern(
            Some(doc.as_ref().into()),
            Some(pol::SHA256),
            None,
            Some(graph.as_ref().into()),
        );
        match found.next() {
            Some(quad) => Ok(match quad?.object {
                Term::Literal(l) => Some(l.value().to_string()),
                _ => None,
            }),
            None => Ok(None),
        }
    }

    pub(super) fn graph_len(&self, graph: NamedNodeRef<'_>) -> Result<usize, StoreError> {
        let mut n = 0;
        for quad in self
            .store
            .quads_for_pattern(None, None, None, Some(graph.into()))
        {
            quad?;
            n += 1;
        }
        Ok(n)
    }

    /// Whether the store holds the named graph.
    pub fn has_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        Ok(self.store.contains_named_graph(graph)?)
    }

    /// The named graphs, sorted.
    pub fn graphs(&self) -> Result<Vec<NamedNode>, StoreError> {
        let mut out = Vec::new();
        for g in self.store.named_graphs() {
            if let NamedOrBlankNode::NamedNode(n) = g? {
                out.push(n);
            }
        }
        out.sort();
        Ok(out)
    }

    /// Counts of documents, tasks, distinct units and triples per graph, as the statistics
    /// graph keeps them: a few lookups and one per graph, whatever the store holds.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let totals = stats::totals(&self.store)?;
        let (graphs, _) = self.graph_counts(0, usize::MAX)?;
        Ok(Stats {
            documents: totals.documents as usize,
            tasks: totals.tasks as usize,
            units: totals.units as usize,
            graphs,
        })
    }

    /// The triples of `limit` graphs from the `offset`th, in IRI order (the statistics graph
    /// aside), and how many graphs there are: one lookup per graph given.
    pub fn graph_counts(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<GraphCount>, usize), StoreError> {
        let mut names = self.graphs()?;
        names.retain(|g| g.as_ref() != STATISTICS_GRAPH);
        let total = names.len();
        let mut graphs = Vec::new();
        for g in names.into_iter().skip(offset).take(limit) {
            let triples = if g.as_ref() == REFERENCE_GRAPH {
                self.graph_len(g.as_ref())?
            } else {
                stats::graph_triples(&self.store, &g)? as usize
            };
            graphs.push(GraphCount {
                triples,
                graph: g.into_string(),
            });
        }
        Ok((graphs, total))
    }

    /// The statistics kept: the counts and the numbers behind the cooperation weights.
    pub fn totals(&self) -> Result<Totals, StoreError> {
        Ok(stats::totals(&self.store)?)
    }

    /// An error unless the statistics keep what this version reads from them.
    pub fn require_current_statistics(&self) -> Result<(), StoreError> {
        if self.statistics_current {
            Ok(())
        } else {
            Err(StoreError::OutdatedStatistics)
        }
    }

    /// The smallest value of `property` (a label, a type) in any graph for each of
    /// `subjects` (IRIs), by subject; subjects without it are left out. A unit named by a
    /// thousand documents has a thousand copies of each: through the union of all graphs a
    /// query would join them with each other, and a scan of the index decodes every copy,
    /// a lookup each (1.2 s for 150 units of a 10,000-document store). A query that keeps
    /// the distinct values as stored terms turns only those into text.
    pub fn smallest_values<'a>(
        &self,
        subjects: impl IntoIterator<Item = &'a str>,
        property: NamedNodeRef<'_>,
    ) -> Result<BTreeMap<String, String>, StoreError> {
        let subjects: BTreeSet<&str> = subjects.into_iter().collect();
        let mut smallest: BTreeMap<String, String> = BTreeMap::new();
        let subjects: Vec<NamedNode> = subjects
            .into_iter()
            .filter_map(|s| NamedNode::new(s).ok())
            .collect();
        // Chunks keep each query's text small.
        for chunk in subjects.chunks(256) {
            let values: String = chunk.iter().map(|s| format!("{s} ")).collect();
            let query = format!(
                "SELECT DISTINCT ?s ?v WHERE {{ VALUES ?s {{ {values}}} GRAPH ?g {{ ?s {property} ?v }} }}"
            );
            let results = oxigraph::sparql::SparqlEvaluator::new()
                .parse_query(&query)
                .map_err(|e| StoreError::Lookup(Box::new(e)))?
                .on_store(&self.store)
                .execute()
                .map_err(|e| StoreError::Lookup(Box::new(e)))?;
            let oxigraph::sparql::QueryResults::Solutions(solutions) = results else {
                continue;
            };
            for solution in solutions {
                let solution = solution.map_err(|e| StoreError::Lookup(Box::new(e)))?;
                let (Some(Term::NamedNode(subject)), Some(value)) =
                    (solution.get("s"), solution.get("v"))
                else {
                    continue;
                };
                let value = match value {
                    Term::Literal(l) => l.value().to_string(),
                    Term::NamedNode(n) => n.as_str().to_string(),
                    _ => continue,
                };
                let kept = smallest
                    .entry(subject.as_str().to_string())
                    .or_insert_with(|| value.clone());
                if value < *kept {
                    *kept = value;
                }
            }
        }
        Ok(smallest)
    }

    /// How many document graphs name a unit, as kept: one lookup.
    pub fn unit_graphs(&self, unit: &NamedNode) -> Result<u64, StoreError> {
        Ok(stats::unit_graphs(&self.store, unit)?)
    }

    /// How many tasks two units share, as kept: one lookup.
    pub fn shared_tasks(&self, a: &NamedNode, b: &NamedNode) -> Result<u64, StoreError> {
        let (a, b) = if a.as_str() <= b.as_str() {
            (a, b)
        } else {
            (b, a)
        };
        Ok(stats::shared_tasks(&self.store, a, b)?)
    }

    /// The same counts as [`PolicyStore::stats`], counted from every quad of the store: what
    /// the kept statistics must always equal.
    pub fn counted_stats(&self) -> Result<Stats, StoreError> {
        let (mut documents, mut tasks) = (0, 0);
        let mut units = BTreeSet::new();
        let mut graphs = Vec::new();
        for g in self.graphs()? {
            if g.as_ref() == STATISTICS_GRAPH {
                continue;
            }
            let count = Contribution::stored(&self.store, g.as_ref())?;
            graphs.push(GraphCount {
                triples: count.triples as usize,
                graph: g.as_str().to_string(),
            });
            if stats::is_document_graph(g.as_ref()) {
                documents += count.documents.len();
                tasks += count.tasks as usize;
                units.extend(count.units);
            }
        }
        Ok(Stats {
            documents,
            tasks,
            units: units.len(),
            graphs,
        })
    }

    /// The quads of the statistics graph, sorted.
    pub fn statistics_quads(&self) -> Result<Vec<Quad>, StoreError> {
        let quads = self
            .store
            .quads_for_pattern(None, None, None, Some(STATISTICS_GRAPH.into()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(sorted(quads))
    }

    /// Writes the whole store, or one graph, as RDF. Output is sorted, so the same store
    /// always gives the same bytes: dataset formats graph by graph (the default graph, then
    /// the named graphs by name), each sorted; triple formats get the union of all graphs,
    /// sorted as a whole and without duplicates.
    pub fn export(
        &self,
        writer: impl Write,
        format: RdfFormat,
        graph: Option<GraphNameRef<'_>>,
    ) -> Result<(), StoreError> {
        let mut serializer = RdfSerializer::from_format(format);
        for (prefix, iri) in PREFIXES {
            serializer = serializer
                .with_prefix(prefix, iri)
                .expect("the project's prefixes are valid IRIs");
        }
        let mut out = serializer.for_writer(writer);
        let read = |graph: Option<GraphNameRef<'_>>| -> Result<Vec<Quad>, StoreError> {
            let mut quads = Vec::new();
            for quad in self.store.quads_for_pattern(None, None, None, graph) {
                let mut quad = quad?;
                if !format.supports_datasets() {
                    quad.graph_name = GraphName::DefaultGraph;
                }
                quads.push(quad);
            }
            Ok(sorted(quads))
        };
        if graph.is_none() && format.supports_datasets() {
            // Graph by graph, in the order of their names: a corpus is never held, or
            // sorted, all at once (25 M quads took 4 GB and minutes at 10,000 documents).
            for quad in &read(Some(GraphNameRef::DefaultGraph))? {
                out.serialize_quad(quad)?;
            }
            for g in &self.graphs()? {
                for quad in &read(Some(g.as_ref().into()))? {
                    out.serialize_quad(quad)?;
                }
            }
        } else {
            for quad in &read(graph)? {
                out.serialize_quad(quad)?;
            }
        }
        out.finish()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use policykg_extract::vocab::rdfs;

    #[test]
    fn the_smallest_value_of_each_subject_over_every_graph() {
        let store = PolicyStore::in_memory().expect("store");
        let node = |s: &str| NamedNode::new_unchecked(format!("urn:{s}"));
        let label = |s: &str, value: &str, g: &str| {
            Quad::new(
                node(s),
                rdfs::LABEL,
                oxigraph::model::Literal::new_simple_literal(value),
                node(g),
            )
        };
        for quad in [
            label("unit", "省科技厅", "g1"),
            label("unit", "省 科技厅", "g2"),
            label("unit", "省科技厅", "g3"),
            label("other", "丙", "g1"),
        ] {
            store.oxigraph().insert(&quad).expect("insert");
        }
        let found = store
            .smallest_values(
                ["urn:unit", "urn:other", "urn:none", "not an IRI"],
                rdfs::LABEL,
            )
            .expect("lookup");
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            [
                ("urn:other".to_string(), "丙".to_string()),
                ("urn:unit".to_string(), "省 科技厅".to_string()),
            ]
        );
    }
}
