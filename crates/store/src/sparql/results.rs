//! The answers of a query written out: the SPARQL result formats, the RDF formats and a
//! table for the terminal, each known by the short name the command line and the
//! endpoint's `format` parameter take.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, QuerySolutionIter, QueryTripleIter};
use unicode_width::UnicodeWidthStr;

use super::QueryError;
use policykg_extract::text::one_of;
use policykg_extract::vocab::PREFIXES;

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
    /// The formats of SELECT and ASK results, in the order messages list them.
    pub const SOLUTIONS: [ResultFormat; 5] = [
        ResultFormat::Json,
        ResultFormat::Xml,
        ResultFormat::Csv,
        ResultFormat::Tsv,
        ResultFormat::Table,
    ];

    /// Every format: those of solutions, then the RDF formats of graphs.
    pub fn all() -> impl Iterator<Item = ResultFormat> {
        ResultFormat::SOLUTIONS.into_iter().chain(
            RDF_FORMATS
                .iter()
                .filter_map(|(_, _, f)| f().map(ResultFormat::Rdf)),
        )
    }

    /// The short name [`ResultFormat::from_name`] reads back.
    pub fn name(self) -> &'static str {
        match self {
            ResultFormat::Json => "json",
            ResultFormat::Xml => "xml",
            ResultFormat::Csv => "csv",
            ResultFormat::Tsv => "tsv",
            ResultFormat::Table => "table",
            ResultFormat::Rdf(format) => RDF_FORMATS
                .iter()
                .find(|(_, _, f)| f() == Some(format))
                .map_or(format.file_extension(), |(name, _, _)| name),
        }
    }

    /// Names as a list for a message: `json, xml … or jsonld`.
    pub fn names(formats: impl IntoIterator<Item = ResultFormat>) -> String {
        one_of(formats.into_iter().map(ResultFormat::name))
    }

    /// Turtle for graphs, a table otherwise.
    pub fn default_for(results: &QueryResults<'_>) -> Self {
        match results {
            QueryResults::Graph(_) => ResultFormat::Rdf(RdfFormat::Turtle),
            _ => ResultFormat::Table,
        }
    }

    /// Reads a format name (see [`ResultFormat::all`]; RDF formats also by their other
    /// names, such as `turtle`).
    pub fn from_name(name: &str) -> Option<Self> {
        match ResultFormat::SOLUTIONS
            .into_iter()
            .find(|f| f.name() == name)
        {
            Some(format) => Some(format),
            None => rdf_format(name).map(ResultFormat::Rdf),
        }
    }
}

/// The RDF formats: the short name that names each in messages, the other names it
/// answers to, and the format.
type RdfName = (
    &'static str,
    &'static [&'static str],
    fn() -> Option<RdfFormat>,
);

const RDF_FORMATS: [RdfName; 6] = [
    ("ttl", &["turtle"], || Some(RdfFormat::Turtle)),
    ("nt", &["ntriples"], || Some(RdfFormat::NTriples)),
    ("nq", &["nquads"], || Some(RdfFormat::NQuads)),
    ("trig", &[], || Some(RdfFormat::TriG)),
    ("rdfxml", &["xml", "rdf"], || Some(RdfFormat::RdfXml)),
    ("jsonld", &["json-ld"], || {
        RdfFormat::from_extension("jsonld")
    }),
];

/// An RDF format by its short name or one of its other names.
pub fn rdf_format(name: &str) -> Option<RdfFormat> {
    RDF_FORMATS
        .iter()
        .find(|(short, others, _)| *short == name || others.contains(&name))
        .and_then(|(_, _, format)| format())
}

/// The short names of the RDF formats, as a list for a message.
pub fn rdf_format_names() -> String {
    one_of(RDF_FORMATS.iter().map(|(name, _, _)| *name))
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
    match results {
        QueryResults::Boolean(value) => match results_format(format) {
            Some(f) => {
                QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(out, value)?;
            }
            None if format == ResultFormat::Table => writeln!(out, "{value}")?,
            None => {
                return Err(wrong(
                    format,
                    "ASK",
                    ResultFormat::names(ResultFormat::SOLUTIONS),
                ));
            }
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
                None => {
                    return Err(wrong(
                        format,
                        "SELECT",
                        ResultFormat::names(ResultFormat::SOLUTIONS),
                    ));
                }
            }
        }
        QueryResults::Graph(triples) => {
            let ResultFormat::Rdf(rdf) = format else {
                return Err(wrong(format, "CONSTRUCT/DESCRIBE", rdf_format_names()));
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

fn wrong(format: ResultFormat, kind: &'static str, allowed: String) -> QueryError {
    QueryError::WrongFormat {
        format: format.name().to_string(),
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
