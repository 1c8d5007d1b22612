//! The generation of a store handle: a number that moves on every write, and the
//! generation that last wrote each graph, which caches are kept under.

use std::sync::atomic::Ordering;

use policykg_extract::vocab::STATISTICS_GRAPH;

use super::*;

impl PolicyStore {
    /// A number that changes after every write made through this handle: equal numbers mean
    /// equal data, so results computed from the store can be cached under it.
    pub fn generation(&self) -> u64 {
        self.writes.generation.load(Ordering::Acquire)
    }

    /// The generation that last wrote one of `graphs`, or any graph: what was computed from
    /// those graphs alone is still true while this number does not change.
    pub fn generation_of(&self, graphs: &[&str]) -> u64 {
        let by_graph = self
            .writes
            .by_graph
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        graphs
            .iter()
            .filter_map(|g| by_graph.get(*g).copied())
            .fold(self.writes.any_graph.load(Ordering::Acquire), u64::max)
    }

    /// After a write that may have touched any graph.
    pub(super) fn written(&self) {
        let generation = self.next_generation();
        self.writes
            .any_graph
            .fetch_max(generation, Ordering::AcqRel);
    }

    /// After a write to `graphs` (and the statistics, which follow every document).
    pub(super) fn written_to<'a>(&self, graphs: impl IntoIterator<Item = &'a str>) {
        let generation = self.next_generation();
        let mut by_graph = self
            .writes
            .by_graph
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        for graph in graphs.into_iter().chain([STATISTICS_GRAPH.as_str()]) {
            by_graph.insert(graph.to_string(), generation);
        }
    }

    pub(super) fn next_generation(&self) -> u64 {
        let generation = self.writes.generation.fetch_add(1, Ordering::AcqRel) + 1;
        if generation.is_multiple_of(WRITES_PER_FLUSH)
            && let Err(e) = self.store.flush()
        {
            tracing::warn!("the store could not write its memory to its files: {e}");
        }
        generation
    }
}
