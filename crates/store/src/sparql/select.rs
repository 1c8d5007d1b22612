//! The one typed path from SPARQL to Rust values: a [`Query`] pairs a SELECT's text with the
//! struct its rows are read into; a [`Select`] binds the query's parameters, chooses the
//! graphs it reads and the token that stops it, and reads its rows with serde.
//!
//! A row is read by the names of its fields (with serde's renames): each must be a variable
//! the query projects, or the read fails naming it, so a misspelt variable is an error, not
//! an empty value. An unbound variable is a missing field: an `Option` is `None`, a field
//! with `#[serde(default)]` its default, any other field an error. Numbers and booleans are
//! read from the literal's lexical form; an IRI is its text, a literal its lexical form, a
//! blank node `_:id` (see [`plain`](super::plain)).

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::{CancellationToken, QueryResults};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};

use super::{QueryError, bound_query, plain};
use crate::Backend;
use crate::store::PolicyStore;

/// A SELECT kept in a file (its parameters are projected variables) and the struct `Row`
/// its rows are read into. Declared beside the file: `Query::new(include_str!("x.rq"))`.
pub struct Query<Row> {
    text: &'static str,
    row: PhantomData<fn() -> Row>,
}

impl<Row> Query<Row> {
    pub const fn new(text: &'static str) -> Self {
        Query {
            text,
            row: PhantomData,
        }
    }

    /// The query's text.
    pub fn text(&self) -> &'static str {
        self.text
    }

    /// A [`Select`] of this query, to bind and run.
    pub fn select(&self) -> Select<'static, Row> {
        Select::new(self.text)
    }
}

/// A SELECT ready to run: its text, the values given to its parameters, the graphs whose
/// union is its default graph (all of them unless chosen) and the token that stops it; its
/// rows are read into `Row`.
pub struct Select<'q, Row> {
    request: SelectRequest<'q>,
    in_value_order: bool,
    row: PhantomData<fn() -> Row>,
}

/// What a [`Backend`] is asked to evaluate: a SELECT with its parameters, graphs and
/// token, whatever struct its rows are read into.
#[derive(Clone)]
pub struct SelectRequest<'q> {
    pub text: &'q str,
    /// Values of the query's variables, joined first so that the evaluation starts from
    /// them.
    pub bindings: Vec<(&'q str, Term)>,
    /// The graphs (IRIs) whose union is the default graph; `None`: all graphs.
    pub graphs: Option<Vec<String>>,
    /// Stops the evaluation when cancelled.
    pub token: CancellationToken,
}

impl<'q, Row> Select<'q, Row> {
    /// A query given as text (a user's, or one made at run time).
    pub fn new(text: &'q str) -> Self {
        Select {
            request: SelectRequest {
                text,
                bindings: Vec::new(),
                graphs: None,
                token: CancellationToken::new(),
            },
            in_value_order: false,
            row: PhantomData,
        }
    }

    /// Gives the query's variable `variable` the value `value` (joined first, so that the
    /// evaluation starts from it).
    pub fn bind(mut self, variable: &'q str, value: impl Into<Term>) -> Self {
        self.request.bindings.push((variable, value.into()));
        self
    }

    /// Reads only `graphs` (IRIs): their union is the default graph. Without a call, the
    /// default graph is the union of all graphs.
    pub fn over(mut self, graphs: &[String]) -> Self {
        self.request.graphs = Some(graphs.to_vec());
        self
    }

    /// Stops the query when `token` is cancelled: the caller's time limit
    /// ([`QueryRunner`](super::QueryRunner) cancels it).
    pub fn within(mut self, token: CancellationToken) -> Self {
        self.request.token = token;
        self
    }

    /// Rows in the order of their values (variables by name, unbound ones left out) rather
    /// than the store's: for views, whose output must not depend on how the store holds
    /// its quads. Without it, rows come in the query's own order (its ORDER BY).
    pub fn in_value_order(mut self) -> Self {
        self.in_value_order = true;
        self
    }

    /// The solutions from `backend`, not yet read into rows.
    pub fn solutions(&self, backend: &dyn Backend) -> Result<Solutions, QueryError> {
        let mut solutions = backend.solutions(&self.request)?;
        if self.in_value_order {
            solutions.sort_by_values();
        }
        Ok(solutions)
    }
}

/// The solutions of `request` evaluated on the embedded store.
pub(crate) fn evaluate_select(
    store: &PolicyStore,
    request: &SelectRequest<'_>,
) -> Result<Solutions, QueryError> {
    let mut prepared = bound_query(request.text, request.token.clone(), &request.bindings)?;
    if let Some(graphs) = &request.graphs {
        let graphs = graphs
            .iter()
            .map(|g| {
                NamedNode::new(g.as_str())
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
    let QueryResults::Solutions(solutions) = prepared.on_store(store.oxigraph()).execute()? else {
        return Err(QueryError::NotSelect("the query".into()));
    };
    let variables: Vec<String> = solutions
        .variables()
        .iter()
        .map(|v| v.as_str().to_string())
        .collect();
    let mut rows = Vec::new();
    for solution in solutions {
        let solution = solution?;
        rows.push(
            variables
                .iter()
                .map(|v| solution.get(v.as_str()).cloned())
                .collect(),
        );
    }
    Ok(Solutions::new(variables, rows))
}

impl<Row: DeserializeOwned> Select<'_, Row> {
    /// Runs the query on `backend` and reads every row into `Row`.
    pub fn rows(&self, backend: &dyn Backend) -> Result<Vec<Row>, QueryError> {
        self.solutions(backend)?.read(..)
    }
}

/// The solutions of a SELECT: its projected variables and, for each row, their values.
#[derive(Debug, Clone)]
pub struct Solutions {
    variables: Arc<[String]>,
    rows: Vec<Vec<Option<Term>>>,
}

impl Solutions {
    /// Solutions of `variables`, each row holding a value (or none) for each variable in
    /// that order: what a backend makes of the answer it got.
    /// A row of another length is cut or filled with unbound values to fit.
    pub fn new(variables: Vec<String>, mut rows: Vec<Vec<Option<Term>>>) -> Self {
        for row in &mut rows {
            row.resize(variables.len(), None);
        }
        Solutions {
            variables: variables.into(),
            rows,
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// About how many bytes of memory the rows hold, for caches bounded by size.
    pub fn bytes(&self) -> usize {
        let value =
            |t: &Option<Term>| size_of::<Option<Term>>() + t.as_ref().map_or(0, |t| plain(t).len());
        self.rows
            .iter()
            .map(|row| row.iter().map(value).sum::<usize>() + size_of::<Vec<Option<Term>>>())
            .sum()
    }

    /// The rows of `range` read into `Row`; a range past the end gives fewer rows.
    pub fn read<Row: DeserializeOwned>(
        &self,
        range: impl std::ops::RangeBounds<usize>,
    ) -> Result<Vec<Row>, QueryError> {
        use std::ops::Bound;
        let start = match range.start_bound() {
            Bound::Included(&s) => s,
            Bound::Excluded(&s) => s.saturating_add(1),
            Bound::Unbounded => 0,
        }
        .min(self.rows.len());
        let end = match range.end_bound() {
            Bound::Included(&e) => e.saturating_add(1),
            Bound::Excluded(&e) => e,
            Bound::Unbounded => self.rows.len(),
        }
        .clamp(start, self.rows.len());
        self.rows[start..end]
            .iter()
            .map(|values| {
                Row::deserialize(RowReader {
                    variables: &self.variables,
                    values,
                })
                .map_err(|e| QueryError::Row(e.0))
            })
            .collect()
    }

    /// Sorts the rows by their values: each row's bound variables in name order, compared
    /// as (name, value) pairs. A variable stands in the key by its rank among the names.
    fn sort_by_values(&mut self) {
        let mut by_name: Vec<usize> = (0..self.variables.len()).collect();
        by_name.sort_by(|&a, &b| self.variables[a].cmp(&self.variables[b]));
        let key = |values: &[Option<Term>]| -> ValueKey {
            by_name
                .iter()
                .enumerate()
                .filter_map(|(rank, &i)| values[i].as_ref().map(|t| (rank, plain(t))))
                .collect()
        };
        let mut keyed: Vec<(ValueKey, Vec<Option<Term>>)> = std::mem::take(&mut self.rows)
            .into_iter()
            .map(|row| (key(&row), row))
            .collect();
        keyed.sort_by(|(a, _), (b, _)| a.cmp(b));
        self.rows = keyed.into_iter().map(|(_, row)| row).collect();
    }
}

/// A row's bound values, each with the rank of its variable's name.
type ValueKey = Vec<(usize, String)>;

/// Why a row could not be read into its struct: a bug of the code that declares it, not of
/// the user's input.
#[derive(Debug)]
struct RowError(String);

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RowError {}

impl de::Error for RowError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        RowError(message.to_string())
    }
}

/// One row as a map from variable names to values, for serde.
struct RowReader<'r> {
    variables: &'r [String],
    values: &'r [Option<Term>],
}

impl<'de> de::Deserializer<'de> for RowReader<'_> {
    type Error = RowError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_map(Bound {
            entries: self.variables.iter().zip(self.values),
            value: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, RowError> {
        if let Some(missing) = fields
            .iter()
            .find(|f| !self.variables.iter().any(|v| v == *f))
        {
            return Err(RowError(format!(
                "{name}.{missing}: the query projects no variable ?{missing} (it projects {})",
                self.variables
                    .iter()
                    .map(|v| format!("?{v}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )));
        }
        self.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct enum identifier
        ignored_any
    }
}

/// The bound variables of a row, one after the other.
struct Bound<'r, I: Iterator<Item = (&'r String, &'r Option<Term>)>> {
    entries: I,
    value: Option<&'r Term>,
}

impl<'de, 'r, I: Iterator<Item = (&'r String, &'r Option<Term>)>> MapAccess<'de> for Bound<'r, I> {
    type Error = RowError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, RowError> {
        for (variable, value) in self.entries.by_ref() {
            if let Some(value) = value {
                self.value = Some(value);
                return seed
                    .deserialize(variable.as_str().into_deserializer())
                    .map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, RowError> {
        let term = self
            .value
            .take()
            .ok_or_else(|| RowError("a value asked for before its variable".into()))?;
        seed.deserialize(Value(term))
    }
}

/// One bound value: its plain text, or a number or boolean read from it.
struct Value<'r>(&'r Term);

impl Value<'_> {
    fn parsed<T: std::str::FromStr>(&self, what: &str) -> Result<T, RowError> {
        let text = plain(self.0);
        text.trim()
            .parse()
            .map_err(|_| RowError(format!("{text:?} is not {what}")))
    }
}

macro_rules! numbers {
    ($($method:ident => $visit:ident: $kind:ty, $what:literal;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
                visitor.$visit(self.parsed::<$kind>($what)?)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Value<'_> {
    type Error = RowError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_string(plain(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_some(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        match plain(self.0).as_str() {
            "true" | "1" => visitor.visit_bool(true),
            "false" | "0" => visitor.visit_bool(false),
            other => Err(RowError(format!("{other:?} is not a boolean"))),
        }
    }

    numbers! {
        deserialize_i8 => visit_i8: i8, "a number";
        deserialize_i16 => visit_i16: i16, "a number";
        deserialize_i32 => visit_i32: i32, "a number";
        deserialize_i64 => visit_i64: i64, "a number";
        deserialize_u8 => visit_u8: u8, "a whole number";
        deserialize_u16 => visit_u16: u16, "a whole number";
        deserialize_u32 => visit_u32: u32, "a whole number";
        deserialize_u64 => visit_u64: u64, "a whole number";
        deserialize_f32 => visit_f32: f32, "a number";
        deserialize_f64 => visit_f64: f64, "a number";
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, Literal, Quad};
    use policykg_extract::{Classified, ErrorKind};

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("urn:{s}"))
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
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Row {
            node: String,
            t: String,
            l: Option<String>,
        }
        let rows: Vec<Row> = Select::new(query)
            .bind("node", iri("a"))
            .rows(&store)
            .expect("rows");
        let row = |t: &str, l: Option<&str>| Row {
            node: "urn:a".into(),
            t: t.into(),
            l: l.map(Into::into),
        };
        assert_eq!(rows, [row("urn:t1", Some("one")), row("urn:t2", None)]);
    }

    #[test]
    fn rows_read_numbers_and_refuse_what_the_query_does_not_give() {
        let store = PolicyStore::in_memory().expect("store");
        let graph = GraphName::NamedNode(iri("g1"));
        for (t, unit) in [("t1", "a"), ("t2", "a"), ("t3", "b")] {
            let quad = Quad::new(iri(t), iri("unit"), iri(unit), graph.clone());
            store.oxigraph().insert(&quad).expect("insert");
        }
        let query = "SELECT ?unit (COUNT(?t) AS ?tasks) WHERE { ?t <urn:unit> ?unit } \
            GROUP BY ?unit ORDER BY DESC(?tasks)";
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Count {
            unit: String,
            tasks: u64,
        }
        let counts: Vec<Count> = Select::new(query).rows(&store).expect("rows");
        assert_eq!(
            counts,
            [
                Count {
                    unit: "urn:a".into(),
                    tasks: 2
                },
                Count {
                    unit: "urn:b".into(),
                    tasks: 1
                },
            ]
        );
        // A field the query does not project is named in the error.
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Misspelt {
            unit: String,
            task: u64,
        }
        let error = Select::<Misspelt>::new(query).rows(&store).unwrap_err();
        assert_eq!(
            error.to_string(),
            "a row of the query does not fit its struct: Misspelt.task: the query projects no variable ?task (it projects ?unit ?tasks)"
        );
        assert_eq!(error.kind(), ErrorKind::Internal);
        // A number that is not one, and an unbound variable read as required.
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct UnitAsNumber {
            unit: u64,
        }
        let error = Select::<UnitAsNumber>::new(query).rows(&store).unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("\"urn:a\" is not a whole number"),
            "{error}"
        );
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Required {
            l: String,
        }
        let error = Select::<Required>::new("SELECT ?l WHERE { OPTIONAL { ?s <urn:none> ?l } }")
            .rows(&store)
            .unwrap_err();
        assert!(error.to_string().ends_with("missing field `l`"), "{error}");
    }

    #[test]
    fn rows_in_value_order_do_not_follow_the_store() {
        let store = PolicyStore::in_memory().expect("store");
        let graph = GraphName::NamedNode(iri("g1"));
        for (t, label) in [("t1", "丙"), ("t2", "甲"), ("t3", "乙"), ("t4", "甲")] {
            let quad = Quad::new(
                iri(t),
                iri("label"),
                Literal::new_simple_literal(label),
                graph.clone(),
            );
            store.oxigraph().insert(&quad).expect("insert");
        }
        #[derive(Debug, serde::Deserialize)]
        struct Labelled {
            t: String,
            l: String,
        }
        // By the values of ?l first (variables by name), then of ?t.
        let rows: Vec<Labelled> = Select::new("SELECT ?t ?l WHERE { ?t <urn:label> ?l }")
            .in_value_order()
            .rows(&store)
            .expect("rows");
        let shown: Vec<(&str, &str)> = rows.iter().map(|r| (r.l.as_str(), r.t.as_str())).collect();
        assert_eq!(
            shown,
            [
                ("丙", "urn:t1"),
                ("乙", "urn:t3"),
                ("甲", "urn:t2"),
                ("甲", "urn:t4")
            ]
        );
    }
}
