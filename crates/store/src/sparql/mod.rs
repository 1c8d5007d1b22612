//! SPARQL over the store: parses a query (the default graph is the union of all graphs
//! unless the query names its own dataset), evaluates it under a cancellation token, and
//! writes the results in the SPARQL result formats, an RDF format, or a terminal table.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    PreparedSparqlUpdate, QueryDataset, QueryEvaluationError, QueryResults, QuerySolutionIter,
    QueryTripleIter, SparqlEvaluator, SparqlSyntaxError,
};
use spargebra::algebra::GraphPattern;
use spargebra::term::GroundTerm;
use unicode_width::UnicodeWidthStr;

use crate::store::PolicyStore;
use policykg_extract::vocab::PREFIXES;
use policykg_extract::{Classified, ErrorKind};

mod runner;
pub mod worker;

pub use oxigraph::sparql::CancellationToken;
pub use runner::{CancelOnDrop, QueryRunner, RunError, Ticket};

/// Why a query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("SPARQL syntax error: {0}")]
    Syntax(#[from] SparqlSyntaxError),
    #[error("SPARQL syntax error: graph IRI {iri}: {source}")]
    GraphIri {
        iri: String,
        #[source]
        source: oxigraph::model::IriParseError,
    },
    #[error("base IRI {iri}: {source}")]
    BaseIri {
        iri: String,
        #[source]
        source: oxigraph::model::IriParseError,
    },
    /// Graphs given by the protocol to an update that names its own.
    #[error(
        "using-graph-uri and using-named-graph-uri cannot be given with an update that has USING, USING NAMED or WITH"
    )]
    UsingTwice,
    #[error("query evaluation failed: {0}")]
    Evaluation(#[source] QueryEvaluationError),
    #[error("query cancelled: it ran past its time limit")]
    Cancelled,
    /// `SERVICE`: this endpoint does not query other endpoints.
    #[error("SERVICE {0}: federated queries are not offered here; query that endpoint yourself")]
    Service(String),
    #[error("{0} is not a SELECT query")]
    NotSelect(String),
    #[error("{format} is not a format for {kind} results; use one of: {allowed}")]
    WrongFormat {
        format: String,
        kind: &'static str,
        allowed: &'static str,
    },
    #[error("cannot write results: {0}")]
    Write(#[from] std::io::Error),
}

impl From<QueryEvaluationError> for QueryError {
    fn from(e: QueryEvaluationError) -> Self {
        match e {
            QueryEvaluationError::Cancelled => QueryError::Cancelled,
            QueryEvaluationError::UnsupportedService(name) => QueryError::Service(name.to_string()),
            QueryEvaluationError::InvalidServiceName(name) => QueryError::Service(name.to_string()),
            QueryEvaluationError::UnboundService => {
                QueryError::Service("with an unbound name".to_string())
            }
            other => QueryError::Evaluation(other),
        }
    }
}

impl Classified for QueryError {
    fn kind(&self) -> ErrorKind {
        match self {
            QueryError::Syntax(_)
            | QueryError::GraphIri { .. }
            | QueryError::BaseIri { .. }
            | QueryError::UsingTwice
            | QueryError::Service(_) => ErrorKind::Invalid,
            QueryError::WrongFormat { .. } => ErrorKind::NotAcceptable,
            QueryError::Cancelled => ErrorKind::TimeLimit,
            QueryError::Evaluation(_) | QueryError::NotSelect(_) | QueryError::Write(_) => {
                ErrorKind::Internal
            }
        }
    }
}

/// An evaluator with the project's prefixes declared.
fn evaluator(token: CancellationToken) -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new().with_cancellation_token(token);
    for (prefix, iri) in PREFIXES {
        evaluator = evaluator
            .with_prefix(prefix, iri)
            .expect("the project's prefixes are valid IRIs");
    }
    evaluator
}

/// Output formats of `policykg query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    Json,
    Xml,
    Csv,
    Tsv,
    Table,
    Rdf(RdfFormat),
}

impl ResultFormat {
    /// The short name [`ResultFormat::from_name`] reads back.
    pub fn name(self) -> String {
        match self {
            ResultFormat::Json => "json".into(),
            ResultFormat::Xml => "xml".into(),
            ResultFormat::Csv => "csv".into(),
            ResultFormat::Tsv => "tsv".into(),
            ResultFormat::Table => "table".into(),
            ResultFormat::Rdf(f) => f.file_extension().to_string(),
        }
    }

    /// Turtle for graphs, a table otherwise.
    pub fn default_for(results: &QueryResults<'_>) -> Self {
        match results {
            QueryResults::Graph(_) => ResultFormat::Rdf(RdfFormat::Turtle),
            _ => ResultFormat::Table,
        }
    }

    /// Reads a format name: json, xml, csv, tsv, table, ttl, nt, nq, trig, rdfxml, jsonld.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "json" => ResultFormat::Json,
            "xml" => ResultFormat::Xml,
            "csv" => ResultFormat::Csv,
            "tsv" => ResultFormat::Tsv,
            "table" => ResultFormat::Table,
            other => ResultFormat::Rdf(rdf_format(other)?),
        })
    }
}

/// RDF formats by their short names.
pub fn rdf_format(name: &str) -> Option<RdfFormat> {
    match name {
        "ttl" | "turtle" => Some(RdfFormat::Turtle),
        "nt" | "ntriples" => Some(RdfFormat::NTriples),
        "nq" | "nquads" => Some(RdfFormat::NQuads),
        "trig" => Some(RdfFormat::TriG),
        "rdfxml" | "xml" | "rdf" => Some(RdfFormat::RdfXml),
        "jsonld" | "json-ld" => RdfFormat::from_extension("jsonld"),
        _ => None,
    }
}

/// Evaluates `query` on the store. Cancel `token` to stop it.
pub fn evaluate<'a>(
    store: &'a PolicyStore,
    query: &str,
    token: CancellationToken,
) -> Result<QueryResults<'a>, QueryError> {
    evaluate_with_dataset(store, query, token, &Dataset::default())
}

/// What the SPARQL protocol says of an operation besides its text: the base IRI that
/// relative IRIs resolve against (a `BASE` in the text wins), and the graphs it reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Dataset {
    #[serde(default)]
    pub base: Option<String>,
    /// The graphs (IRIs) whose union is the default graph: `default-graph-uri` for a query,
    /// `using-graph-uri` for an update.
    #[serde(default)]
    pub default_graphs: Vec<String>,
    /// The only named graphs visible: `named-graph-uri` or `using-named-graph-uri`.
    #[serde(default)]
    pub named_graphs: Vec<String>,
}

impl Dataset {
    /// A dataset whose default graph is the union of `graphs`.
    pub fn of_graphs(graphs: &[String]) -> Self {
        Dataset {
            default_graphs: graphs.to_vec(),
            ..Dataset::default()
        }
    }

    fn graph_iris(iris: &[String]) -> Result<Vec<oxigraph::model::GraphName>, QueryError> {
        iris.iter()
            .map(|s| {
                oxigraph::model::NamedNode::new(s.as_str())
                    .map(Into::into)
                    .map_err(|source| QueryError::GraphIri {
                        iri: s.clone(),
                        source,
                    })
            })
            .collect()
    }

    fn named_iris(iris: &[String]) -> Result<Vec<oxigraph::model::NamedOrBlankNode>, QueryError> {
        Self::graph_iris(iris).map(|graphs| {
            graphs
                .into_iter()
                .filter_map(|g| match g {
                    oxigraph::model::GraphName::NamedNode(n) => Some(n.into()),
                    _ => None,
                })
                .collect()
        })
    }

    fn is_given(&self) -> bool {
        !self.default_graphs.is_empty() || !self.named_graphs.is_empty()
    }

    /// Sets the protocol's graphs on an operation's dataset.
    fn apply(&self, dataset: &mut QueryDataset) -> Result<(), QueryError> {
        if !self.default_graphs.is_empty() {
            dataset.set_default_graph(Self::graph_iris(&self.default_graphs)?);
        }
        if !self.named_graphs.is_empty() {
            dataset.set_available_named_graphs(Self::named_iris(&self.named_graphs)?);
        }
        Ok(())
    }

    fn evaluator(&self, token: CancellationToken) -> Result<SparqlEvaluator, QueryError> {
        let evaluator = evaluator(token);
        match &self.base {
            Some(base) => {
                evaluator
                    .with_base_iri(base.as_str())
                    .map_err(|source| QueryError::BaseIri {
                        iri: base.clone(),
                        source,
                    })
            }
            None => Ok(evaluator),
        }
    }
}

/// Evaluates `query` with the SPARQL protocol's dataset and base IRI. With no graphs given
/// and no FROM in the query, the default graph is the union of all graphs.
pub fn evaluate_with_dataset<'a>(
    store: &'a PolicyStore,
    query: &str,
    token: CancellationToken,
    dataset: &Dataset,
) -> Result<QueryResults<'a>, QueryError> {
    let mut prepared = dataset.evaluator(token)?.parse_query(query)?;
    dataset.apply(prepared.dataset_mut())?;
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    Ok(prepared.on_store(store.oxigraph()).execute()?)
}

/// Parses an update with the project's prefixes and the protocol's base IRI and graphs.
/// Graphs given by the protocol replace the default dataset of each DELETE/INSERT; an
/// operation that names its own (`USING`, `WITH`) cannot also take them.
pub fn prepare_update(update: &str, dataset: &Dataset) -> Result<PreparedSparqlUpdate, QueryError> {
    let mut prepared = dataset
        .evaluator(CancellationToken::new())?
        .parse_update(update)?;
    if dataset.is_given() {
        for using in prepared.using_datasets_mut() {
            if !using.is_default_dataset() {
                return Err(QueryError::UsingTwice);
            }
            dataset.apply(using)?;
        }
    }
    Ok(prepared)
}

/// A SELECT's solutions as rows of plain values by variable name, in the store's order.
pub fn select_rows(
    store: &PolicyStore,
    query: &str,
    token: CancellationToken,
) -> Result<Vec<std::collections::HashMap<String, String>>, QueryError> {
    select_bound(store, query, token, &[])
}

/// [`select_rows`] over a dataset whose default graph is the union of `graphs` (IRIs):
/// the query reads those graphs only.
pub fn select_in(
    store: &PolicyStore,
    query: &str,
    token: CancellationToken,
    graphs: &[String],
) -> Result<Vec<std::collections::HashMap<String, String>>, QueryError> {
    rows_of(evaluate_with_dataset(
        store,
        query,
        token,
        &Dataset::of_graphs(graphs),
    )?)
}

/// The solutions of a SELECT as rows of plain values by variable name.
fn rows_of(
    results: QueryResults<'_>,
) -> Result<Vec<std::collections::HashMap<String, String>>, QueryError> {
    let QueryResults::Solutions(solutions) = results else {
        return Err(QueryError::NotSelect("the query".into()));
    };
    let mut out = Vec::new();
    for solution in solutions {
        out.push(
            solution?
                .iter()
                .map(|(v, t)| (v.as_str().to_string(), plain(t)))
                .collect(),
        );
    }
    Ok(out)
}

/// [`select_rows`] with variables of the query bound to terms before it is evaluated: the
/// parameters of a query kept in a file.
pub fn select_bound(
    store: &PolicyStore,
    query: &str,
    token: CancellationToken,
    bindings: &[(&str, Term)],
) -> Result<Vec<std::collections::HashMap<String, String>>, QueryError> {
    select_bound_in(store, query, token, bindings, &[])
}

/// [`select_bound`] over a dataset whose default graph is the union of `graphs` (IRIs;
/// none: all graphs): a query about one document then reads that document only.
pub fn select_bound_in(
    store: &PolicyStore,
    query: &str,
    token: CancellationToken,
    bindings: &[(&str, Term)],
    graphs: &[String],
) -> Result<Vec<std::collections::HashMap<String, String>>, QueryError> {
    let mut prepared = bound_query(query, token, bindings)?;
    if !graphs.is_empty() {
        let graphs = graphs
            .iter()
            .map(|g| {
                oxigraph::model::NamedNode::new(g.as_str())
                    .map(Into::into)
                    .map_err(|source| QueryError::GraphIri {
                        iri: g.clone(),
                        source,
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        prepared.dataset_mut().set_default_graph(graphs);
    }
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    rows_of(prepared.on_store(store.oxigraph()).execute()?)
}

/// `query` parsed, its variables in `bindings` given their values by a VALUES clause joined
/// with its WHERE pattern, so that evaluation starts from them: Oxigraph plans a query
/// before it substitutes variables, and planned for any value, the evidence of one unit
/// among 1,000 documents took 18 s instead of 0.3 s. A blank node cannot be written in
/// VALUES and is substituted.
fn bound_query(
    query: &str,
    token: CancellationToken,
    bindings: &[(&str, Term)],
) -> Result<oxigraph::sparql::PreparedSparqlQuery, QueryError> {
    let mut parser = spargebra::SparqlParser::new();
    for (prefix, iri) in PREFIXES {
        parser = parser
            .with_prefix(prefix, iri)
            .expect("the project's prefixes are valid IRIs");
    }
    let mut parsed = parser.parse_query(query)?;
    let mut variables = Vec::new();
    let mut values = Vec::new();
    let mut substituted = Vec::new();
    for (name, term) in bindings {
        let variable = Variable::new_unchecked(*name);
        match term {
            Term::NamedNode(node) => values.push(Some(GroundTerm::NamedNode(node.clone()))),
            Term::Literal(literal) => values.push(Some(GroundTerm::Literal(literal.clone()))),
            _ => {
                substituted.push((variable, term.clone()));
                continue;
            }
        }
        variables.push(variable);
    }
    if !variables.is_empty() {
        let given = GraphPattern::Values {
            variables,
            bindings: vec![values],
        };
        match &mut parsed {
            spargebra::Query::Select { pattern, .. }
            | spargebra::Query::Construct { pattern, .. }
            | spargebra::Query::Describe { pattern, .. }
            | spargebra::Query::Ask { pattern, .. } => {
                *pattern = join_first(std::mem::take(pattern), given, Depth::AboveProjection);
            }
        }
    }
    let mut prepared = evaluator(token).for_query(parsed);
    for (variable, term) in substituted {
        prepared = prepared.substitute_variable(variable, term);
    }
    Ok(prepared)
}

/// How far down a query [`join_first`] has gone.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// Above the query's projection: its LIMIT, OFFSET, DISTINCT.
    AboveProjection,
    /// Below it: its ordering, grouping, HAVING and the aggregates' values.
    BelowProjection,
    /// In its WHERE pattern, where a projection is a subquery's.
    Where,
}

/// `pattern` joined with `given` as deep as its first operand goes, so that evaluation
/// starts from the given values: joined above an OPTIONAL, the values came after it, and
/// the evaluation matched the whole store first. The query's own modifiers are passed
/// through (a parameter is a constant of the whole query); a subquery is joined, never
/// entered, since its variables are its own.
fn join_first(pattern: GraphPattern, given: GraphPattern, depth: Depth) -> GraphPattern {
    use GraphPattern as P;
    let first = |inner: Box<P>, given, depth| Box::new(join_first(*inner, given, depth));
    let above = depth == Depth::AboveProjection;
    let modifiers = depth != Depth::Where;
    match pattern {
        P::Slice {
            inner,
            start,
            length,
        } if above => P::Slice {
            inner: first(inner, given, depth),
            start,
            length,
        },
        P::Distinct { inner } if above => P::Distinct {
            inner: first(inner, given, depth),
        },
        P::Reduced { inner } if above => P::Reduced {
            inner: first(inner, given, depth),
        },
        P::Project { inner, variables } if above => P::Project {
            inner: first(inner, given, Depth::BelowProjection),
            variables,
        },
        P::OrderBy { inner, expression } if modifiers => P::OrderBy {
            inner: first(inner, given, depth),
            expression,
        },
        P::Group {
            inner,
            variables,
            aggregates,
        } if modifiers => P::Group {
            inner: first(inner, given, Depth::Where),
            variables,
            aggregates,
        },
        P::Filter { expr, inner } => P::Filter {
            expr,
            inner: first(inner, given, depth),
        },
        P::Extend {
            inner,
            variable,
            expression,
        } => P::Extend {
            inner: first(inner, given, depth),
            variable,
            expression,
        },
        P::Join { left, right } => P::Join {
            left: first(left, given, Depth::Where),
            right,
        },
        P::LeftJoin {
            left,
            right,
            expression,
        } => P::LeftJoin {
            left: first(left, given, Depth::Where),
            right,
            expression,
        },
        P::Minus { left, right } => P::Minus {
            left: first(left, given, Depth::Where),
            right,
        },
        P::Union { left, right } => P::Union {
            left: first(left, given.clone(), Depth::Where),
            right: first(right, given, Depth::Where),
        },
        // Inside GRAPH ?g, values given for ?g itself would not choose the graph.
        P::Graph { name, inner } if !binds_graph_name(&given, &name) => P::Graph {
            name,
            inner: first(inner, given, Depth::Where),
        },
        other => P::Join {
            left: Box::new(given),
            right: Box::new(other),
        },
    }
}

fn binds_graph_name(given: &GraphPattern, name: &spargebra::term::NamedNodePattern) -> bool {
    match (given, name) {
        (
            GraphPattern::Values { variables, .. },
            spargebra::term::NamedNodePattern::Variable(v),
        ) => variables.contains(v),
        _ => false,
    }
}

/// The same results with the first one already evaluated, so that an error there (a
/// time limit, a bad value) is known before anything is written; the rest stay lazy.
pub fn with_first_result(results: QueryResults<'_>) -> Result<QueryResults<'_>, QueryError> {
    Ok(match results {
        QueryResults::Solutions(mut solutions) => {
            let variables = solutions.variables().to_vec();
            let first = solutions.next().transpose()?;
            let rest = first.into_iter().map(Ok).chain(solutions);
            QueryResults::Solutions(QuerySolutionIter::new(variables.into(), rest))
        }
        QueryResults::Graph(mut triples) => {
            let first = triples.next().transpose()?;
            QueryResults::Graph(QueryTripleIter::new(
                first.into_iter().map(Ok).chain(triples),
            ))
        }
        boolean => boolean,
    })
}

/// Writes query results in `format`.
pub fn write_results(
    results: QueryResults<'_>,
    format: ResultFormat,
    mut out: impl Write,
) -> Result<(), QueryError> {
    const SELECT_FORMATS: &str = "json, xml, csv, tsv, table";
    const GRAPH_FORMATS: &str = "ttl, nt, nq, trig, rdfxml, jsonld";
    match results {
        QueryResults::Boolean(value) => match results_format(format) {
            Some(f) => {
                QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(out, value)?;
            }
            None if format == ResultFormat::Table => writeln!(out, "{value}")?,
            None => return Err(wrong(format, "ASK", SELECT_FORMATS)),
        },
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            match results_format(format) {
                Some(f) => {
                    let mut serializer = QueryResultsSerializer::from_format(f)
                        .serialize_solutions_to_writer(out, variables)?;
                    for solution in solutions {
                        serializer.serialize(&solution?)?;
                    }
                    serializer.finish()?;
                }
                None if format == ResultFormat::Table => {
                    let header: Vec<String> =
                        variables.iter().map(|v| v.as_str().to_string()).collect();
                    let mut rows = Vec::new();
                    for solution in solutions {
                        let solution = solution?;
                        rows.push(
                            variables
                                .iter()
                                .map(|v| solution.get(v).map(compact).unwrap_or_default())
                                .collect(),
                        );
                    }
                    write_table(&mut out, &header, &rows)?;
                }
                None => return Err(wrong(format, "SELECT", SELECT_FORMATS)),
            }
        }
        QueryResults::Graph(triples) => {
            let ResultFormat::Rdf(rdf) = format else {
                return Err(wrong(format, "CONSTRUCT/DESCRIBE", GRAPH_FORMATS));
            };
            let mut serializer = RdfSerializer::from_format(rdf);
            for (prefix, iri) in PREFIXES {
                serializer = serializer
                    .with_prefix(prefix, iri)
                    .expect("the project's prefixes are valid IRIs");
            }
            let mut writer = serializer.for_writer(out);
            for triple in triples {
                writer.serialize_triple(&triple?)?;
            }
            writer.finish()?;
        }
    }
    Ok(())
}

fn wrong(format: ResultFormat, kind: &'static str, allowed: &'static str) -> QueryError {
    QueryError::WrongFormat {
        format: format.name(),
        kind,
        allowed,
    }
}

/// The SPARQL results format of `format`, if it is one.
pub fn results_format(format: ResultFormat) -> Option<QueryResultsFormat> {
    match format {
        ResultFormat::Json => Some(QueryResultsFormat::Json),
        ResultFormat::Xml => Some(QueryResultsFormat::Xml),
        ResultFormat::Csv => Some(QueryResultsFormat::Csv),
        ResultFormat::Tsv => Some(QueryResultsFormat::Tsv),
        _ => None,
    }
}

/// The plain value of a term: an IRI as it is, a literal's lexical form, `_:id` for a
/// blank node.
pub fn plain(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_string(),
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_string(),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// A term for a terminal: IRIs shortened with the known prefixes.
fn compact(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => policykg_extract::vocab::compact_iri(n.as_str()),
        other => plain(other),
    }
}

/// Writes rows as an aligned table; wide (CJK) characters count as two columns.
fn write_table(
    out: &mut impl Write,
    header: &[String],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let clean = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(clean(cell).width());
        }
    }
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c = clean(c);
                format!("{c}{}", " ".repeat(widths[i] - c.width()))
            })
            .collect::<Vec<_>>()
            .join(" │ ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(header))?;
    writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "─".repeat(*w))
            .collect::<Vec<_>>()
            .join("─┼─")
    )?;
    for row in rows {
        writeln!(out, "{}", line(row))?;
    }
    writeln!(out, "({} rows)", rows.len())
}

/// Collects written bytes and hands them on in chunks of about 16 KiB: the serialisers
/// write small pieces, the response body and the worker pipe want fewer, larger ones.
pub struct ChunkWriter<F: FnMut(Vec<u8>) -> std::io::Result<()>> {
    send: F,
    buffer: Vec<u8>,
}

impl<F: FnMut(Vec<u8>) -> std::io::Result<()>> ChunkWriter<F> {
    pub fn new(send: F) -> Self {
        ChunkWriter {
            send,
            buffer: Vec::new(),
        }
    }
}

impl<F: FnMut(Vec<u8>) -> std::io::Result<()>> Write for ChunkWriter<F> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= 16 * 1024 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.buffer.is_empty() {
            (self.send)(std::mem::take(&mut self.buffer))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad};

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("urn:{s}"))
    }

    /// The operand evaluation starts from: the leftmost, through every operator that
    /// `join_first` goes into.
    fn leftmost(pattern: &GraphPattern) -> &GraphPattern {
        match pattern {
            GraphPattern::Join { left, .. }
            | GraphPattern::LeftJoin { left, .. }
            | GraphPattern::Minus { left, .. } => leftmost(left),
            GraphPattern::Filter { inner, .. }
            | GraphPattern::Extend { inner, .. }
            | GraphPattern::Graph { inner, .. }
            | GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. }
            | GraphPattern::OrderBy { inner, .. }
            | GraphPattern::Group { inner, .. } => leftmost(inner),
            other => other,
        }
    }

    #[test]
    fn given_values_come_first_below_the_modifiers_and_the_optional_never_in_a_subquery() {
        let query = "SELECT ?node ?p (COUNT(?x) AS ?n) WHERE { \
            GRAPH ?g { ?x ?p ?node } FILTER (?g != <urn:stats>) \
            OPTIONAL { ?x <urn:label> ?l } } GROUP BY ?node ?p ORDER BY ?p LIMIT 5";
        let spargebra::Query::Select { pattern, .. } = spargebra::SparqlParser::new()
            .parse_query(query)
            .expect("parses")
        else {
            panic!("a SELECT query");
        };
        let given = GraphPattern::Values {
            variables: vec![Variable::new_unchecked("node")],
            bindings: vec![vec![Some(GroundTerm::NamedNode(iri("a")))]],
        };
        let joined = join_first(pattern, given.clone(), Depth::AboveProjection);
        assert_eq!(leftmost(&joined), &given);
        // A subquery's ?node is its own: the values are joined with the subquery.
        let query = "SELECT ?node ?n WHERE {             { SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?p ?node } GROUP BY ?x } }";
        let spargebra::Query::Select { pattern, .. } = spargebra::SparqlParser::new()
            .parse_query(query)
            .expect("parses")
        else {
            panic!("a SELECT query");
        };
        let GraphPattern::Project { inner, .. } =
            join_first(pattern, given.clone(), Depth::AboveProjection)
        else {
            panic!("the query's projection stays on top");
        };
        assert!(
            matches!(&*inner, GraphPattern::Join { left, right }
                if **left == given && matches!(**right, GraphPattern::Project { .. })),
            "{inner:?}"
        );
        // Values for the graph's own variable stay outside GRAPH.
        let graph_given = GraphPattern::Values {
            variables: vec![Variable::new_unchecked("g")],
            bindings: vec![vec![Some(GroundTerm::NamedNode(iri("g1")))]],
        };
        let pattern = GraphPattern::Graph {
            name: Variable::new_unchecked("g").into(),
            inner: Box::new(GraphPattern::Bgp { patterns: vec![] }),
        };
        assert!(matches!(
            join_first(pattern, graph_given, Depth::Where),
            GraphPattern::Join { right, .. } if matches!(*right, GraphPattern::Graph { .. })
        ));
    }

    #[test]
    fn bound_rows_are_those_of_the_given_value_only() {
        let store = PolicyStore::in_memory().expect("store");
        let graph = GraphName::NamedNode(iri("g1"));
        let quads = [
            Quad::new(iri("t1"), iri("unit"), iri("a"), graph.clone()),
            Quad::new(iri("t2"), iri("unit"), iri("a"), graph.clone()),
            Quad::new(iri("t3"), iri("unit"), iri("b"), graph.clone()),
            Quad::new(
                iri("t1"),
                iri("label"),
                Literal::new_simple_literal("one"),
                graph,
            ),
        ];
        for quad in &quads {
            store.oxigraph().insert(quad).expect("insert");
        }
        let query = "SELECT ?node ?t ?l WHERE { ?t <urn:unit> ?node \
            OPTIONAL { ?t <urn:label> ?l } } ORDER BY ?t";
        let rows = select_bound(
            &store,
            query,
            CancellationToken::new(),
            &[("node", iri("a").into())],
        )
        .expect("rows");
        let shown: Vec<(String, String, Option<String>)> = rows
            .iter()
            .map(|r| (r["node"].clone(), r["t"].clone(), r.get("l").cloned()))
            .collect();
        assert_eq!(
            shown,
            [
                ("urn:a".into(), "urn:t1".into(), Some("one".into())),
                ("urn:a".into(), "urn:t2".into(), None),
            ]
        );
    }
}
