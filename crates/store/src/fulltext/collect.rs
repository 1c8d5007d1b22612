//! Collectors: the best-scoring entry of each node a query matches (a node named in many
//! graphs is one result), and the values of a string field over the matching entries.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

/// The best entry of a node for one query.
#[derive(Debug, Clone)]
pub(crate) struct Best {
    pub score: Score,
    /// The graph of the entry, which breaks ties between equal scores.
    pub graph: String,
    pub address: DocAddress,
}

impl Best {
    /// Higher score first, then the smaller graph IRI.
    fn better_than(&self, other: &Best) -> bool {
        match self.score.total_cmp(&other.score) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => self.graph < other.graph,
        }
    }
}

fn str_column(reader: &SegmentReader, field: &str) -> tantivy::Result<StrColumn> {
    reader
        .fast_fields()
        .str(field)?
        .ok_or_else(|| TantivyError::FieldNotFound(field.to_string()))
}

/// The strings of sorted, distinct term ordinals of a column.
fn ord_strings(column: &StrColumn, ords: &[u64]) -> tantivy::Result<Vec<String>> {
    let mut out = Vec::with_capacity(ords.len());
    let mut broken = false;
    column
        .dictionary()
        .sorted_ords_to_term_cb(ords, |bytes| match std::str::from_utf8(bytes) {
            Ok(s) => out.push(s.to_string()),
            Err(_) => broken = true,
        })?;
    if broken || out.len() != ords.len() {
        return Err(TantivyError::InternalError(format!(
            "{} of {} term ordinals of a string column could not be read",
            ords.len().saturating_sub(out.len()),
            ords.len()
        )));
    }
    Ok(out)
}

/// For each node the matching entries name, its best entry.
pub(crate) struct BestPerNode {
    pub node_field: &'static str,
    pub graph_field: &'static str,
}

pub(crate) struct BestPerNodeInSegment {
    segment: SegmentOrdinal,
    nodes: StrColumn,
    graphs: StrColumn,
    /// Node ordinal → (score, graph ordinal, document).
    best: HashMap<u64, (Score, u64, DocId)>,
}

impl Collector for BestPerNode {
    type Fruit = HashMap<String, Best>;
    type Child = BestPerNodeInSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<BestPerNodeInSegment> {
        Ok(BestPerNodeInSegment {
            segment,
            nodes: str_column(reader, self.node_field)?,
            graphs: str_column(reader, self.graph_field)?,
            best: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        segments: Vec<tantivy::Result<Vec<(String, Best)>>>,
    ) -> tantivy::Result<HashMap<String, Best>> {
        let mut out: HashMap<String, Best> = HashMap::new();
        for segment in segments {
            for (node, best) in segment? {
                match out.get_mut(&node) {
                    Some(known) if !best.better_than(known) => {}
                    Some(known) => *known = best,
                    None => {
                        out.insert(node, best);
                    }
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for BestPerNodeInSegment {
    type Fruit = tantivy::Result<Vec<(String, Best)>>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let (Some(node), Some(graph)) = (
            self.nodes.term_ords(doc).next(),
            self.graphs.term_ords(doc).next(),
        ) else {
            return;
        };
        let slot = self.best.entry(node).or_insert((score, graph, doc));
        // Within a segment, ordinals sort as the strings do.
        if score > slot.0 || (score == slot.0 && graph < slot.1) {
            *slot = (score, graph, doc);
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut node_ords: Vec<u64> = self.best.keys().copied().collect();
        node_ords.sort_unstable();
        let mut graph_ords: Vec<u64> = self.best.values().map(|v| v.1).collect();
        graph_ords.sort_unstable();
        graph_ords.dedup();
        let node_names = ord_strings(&self.nodes, &node_ords)?;
        let graph_names = ord_strings(&self.graphs, &graph_ords)?;
        let mut out = Vec::with_capacity(node_ords.len());
        for (ord, name) in node_ords.iter().zip(node_names) {
            let Some(&(score, graph, doc)) = self.best.get(ord) else {
                continue;
            };
            let Ok(at) = graph_ords.binary_search(&graph) else {
                continue;
            };
            out.push((
                name,
                Best {
                    score,
                    graph: graph_names[at].clone(),
                    address: DocAddress::new(self.segment, doc),
                },
            ));
        }
        Ok(out)
    }
}

/// The distinct values of a string fast field over the matching entries.
pub(crate) struct Values {
    pub field: &'static str,
}

pub(crate) struct ValuesInSegment {
    column: StrColumn,
    ords: BTreeSet<u64>,
}

impl Collector for Values {
    type Fruit = BTreeSet<String>;
    type Child = ValuesInSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ValuesInSegment> {
        Ok(ValuesInSegment {
            column: str_column(reader, self.field)?,
            ords: BTreeSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        segments: Vec<tantivy::Result<Vec<String>>>,
    ) -> tantivy::Result<BTreeSet<String>> {
        let mut out = BTreeSet::new();
        for segment in segments {
            out.extend(segment?);
        }
        Ok(out)
    }
}

impl SegmentCollector for ValuesInSegment {
    type Fruit = tantivy::Result<Vec<String>>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.ords.extend(self.column.term_ords(doc));
    }

    fn harvest(self) -> Self::Fruit {
        let ords: Vec<u64> = self.ords.into_iter().collect();
        ord_strings(&self.column, &ords)
    }
}
