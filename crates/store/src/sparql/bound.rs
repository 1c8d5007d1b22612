//! A query's parameters given their values: joined as VALUES to the first operand of its
//! pattern, so that the evaluation starts from them.

use oxigraph::model::{Term, Variable};
use oxigraph::sparql::CancellationToken;
use spargebra::algebra::GraphPattern;
use spargebra::term::GroundTerm;

use super::{QueryError, evaluator};
use policykg_extract::vocab::PREFIXES;

/// `query` parsed, its variables in `bindings` given their values by a VALUES clause joined
/// with its WHERE pattern, so that evaluation starts from them: Oxigraph plans a query
/// before it substitutes variables, and planned for any value, the evidence of one unit
/// among 1,000 documents took 18 s instead of 0.3 s. A blank node cannot be written in
/// VALUES and is substituted.
pub(super) fn bound_query(
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

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

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
}
