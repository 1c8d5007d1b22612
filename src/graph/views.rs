//! The view definitions. Each view is a function of the store and [`ViewOptions`]; the
//! SPARQL it runs lives in `queries/views/`. Costs are linear in the rows the queries
//! return, except `cooperation` (quadratic in the units of one task) and `path` (one
//! shortest-path search).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use oxigraph::sparql::{CancellationToken, QueryResults};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::{Edge, Node, NodeKind, Relation, View};
use crate::sparql::{QueryError, evaluate, plain, select_rows};
use crate::store::PolicyStore;
use crate::vocab::{POL, compact_iri as compact};

const TASK_UNITS: &str = include_str!("../../queries/views/task-units.rq");
const SECTIONS: &str = include_str!("../../queries/views/sections.rq");
const TASK_ENTITIES: &str = include_str!("../../queries/views/task-entities.rq");
const REGIONS: &str = include_str!("../../queries/views/regions.rq");

/// The names of the views, as `policykg export VIEW` takes them.
pub const VIEW_NAMES: [&str; 7] = [
    "dependency",
    "cooperation",
    "strategy",
    "region",
    "ego",
    "path",
    "construct",
];

/// Why a view could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    #[error(
        "unknown view {0}: use one of dependency, cooperation, strategy, region, ego, path, construct"
    )]
    UnknownView(String),
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
    #[error("unknown role {0:?}: use lead, responsible, supporting or implied")]
    UnknownRole(String),
    #[error(transparent)]
    Query(#[from] QueryError),
}

/// Filters and parameters of the views. Empty fields filter nothing.
#[derive(Clone, Default)]
pub struct ViewOptions {
    /// A document: its key (`liaoning-2021-1`), 文号, or IRI.
    pub document: Option<String>,
    /// A section id (`2.3`): its tasks and those of its subsections.
    pub section: Option<String>,
    /// A strategy's canonical name: only tasks linked to it.
    pub strategy: Option<String>,
    /// A unit's name: only tasks it takes part in.
    pub unit: Option<String>,
    /// Only unit links of this role (lead, responsible, supporting, implied).
    pub role: Option<String>,
    /// Drop edges lighter than this.
    pub min_weight: Option<f64>,
    /// Leave inferred links out of the strategy view.
    pub stated_only: bool,
    /// `ego`: the node in the middle (IRI or label) and how far to go.
    pub focus: Option<String>,
    pub depth: Option<usize>,
    /// `path`: the two ends (IRI or label).
    pub from: Option<String>,
    pub to: Option<String>,
    /// `construct`: the query.
    pub query: Option<String>,
    /// Stops the view's queries when cancelled, e.g. by a caller's time limit.
    pub cancellation: CancellationToken,
}

type Row = HashMap<String, String>;

fn rows(store: &PolicyStore, options: &ViewOptions, query: &str) -> Result<Vec<Row>, QueryError> {
    let mut out = select_rows(store, query, options.cancellation.clone())?;
    // Stable order whatever the store's internal order.
    out.sort_by_cached_key(|r: &Row| {
        let mut items: Vec<_> = r.iter().collect();
        items.sort();
        format!("{items:?}")
    });
    Ok(out)
}

fn get<'a>(row: &'a Row, key: &str) -> &'a str {
    row.get(key).map_or("", String::as_str)
}

fn local(iri: &str) -> &str {
    iri.strip_prefix(POL).unwrap_or(iri)
}

impl ViewOptions {
    fn document_matches(&self, doc_iri: &str, doc_label: &str) -> bool {
        match &self.document {
            None => true,
            Some(d) => doc_iri == d || doc_iri.ends_with(&format!("/doc/{d}")) || doc_label == d,
        }
    }

    fn section_matches(&self, section_iri: &str) -> bool {
        match &self.section {
            None => true,
            Some(s) => section_iri
                .rsplit_once("/section/")
                .is_some_and(|(_, id)| id == s || id.starts_with(&format!("{s}."))),
        }
    }

    fn role_matches(&self, role: Relation) -> bool {
        match &self.role {
            None => true,
            Some(r) => role.label() == r,
        }
    }
}

fn role_relation(role_iri: &str) -> Relation {
    match local(role_iri) {
        "LeadRole" => Relation::Lead,
        "SupportingRole" => Relation::Supporting,
        "ImpliedRole" => Relation::Implied,
        _ => Relation::Responsible,
    }
}

fn edge(relation: Relation, evidence: Vec<String>) -> Edge {
    Edge {
        relation,
        weight: 1.0,
        label: None,
        evidence,
    }
}

fn node(id: &str, label: &str, kind: NodeKind, subtype: Option<&str>, tooltip: &str) -> Node {
    Node {
        id: id.to_string(),
        label: label.to_string(),
        kind,
        subtype: subtype.filter(|s| !s.is_empty()).map(str::to_string),
        cluster: None,
        tooltip: tooltip.to_string(),
    }
}

/// Tasks that pass the strategy filter, when there is one.
fn strategy_tasks(
    store: &PolicyStore,
    options: &ViewOptions,
) -> Result<Option<BTreeSet<String>>, QueryError> {
    let Some(strategy) = &options.strategy else {
        return Ok(None);
    };
    let rows = rows(store, options, TASK_ENTITIES)?;
    Ok(Some(
        rows.iter()
            .filter(|r| get(r, "targetLabel") == strategy && local(get(r, "class")) == "Strategy")
            .filter(|r| !options.stated_only || get(r, "kind") == "stated")
            .map(|r| get(r, "task").to_string())
            .collect(),
    ))
}

/// Unit-link rows that pass the document, section, strategy and unit filters.
fn unit_rows(store: &PolicyStore, options: &ViewOptions) -> Result<Vec<Row>, QueryError> {
    let by_strategy = strategy_tasks(store, options)?;
    let all = rows(store, options, TASK_UNITS)?;
    let unit_tasks: Option<BTreeSet<String>> = options.unit.as_ref().map(|u| {
        all.iter()
            .filter(|r| get(r, "unitLabel") == u)
            .map(|r| get(r, "task").to_string())
            .collect()
    });
    Ok(all
        .into_iter()
        .filter(|r| options.document_matches(get(r, "doc"), get(r, "docLabel")))
        .filter(|r| options.section_matches(get(r, "section")))
        .filter(|r| {
            by_strategy
                .as_ref()
                .is_none_or(|s| s.contains(get(r, "task")))
        })
        .filter(|r| {
            unit_tasks
                .as_ref()
                .is_none_or(|s| s.contains(get(r, "task")))
        })
        .collect())
}

/// `dependency`: document → sections → tasks → lead and responsible units (supporting
/// and implied too), the chain of who answers for what. Directed; sections are grouped
/// by their top-level section in drawings.
pub fn dependency(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let mut view = View::new("dependency", true);
    let unit_rows = unit_rows(store, options)?;
    let sections: BTreeMap<String, Row> = rows(store, options, SECTIONS)?
        .into_iter()
        .map(|r| (get(&r, "section").to_string(), r))
        .collect();
    let top_of = |mut s: String| -> String {
        while let Some(parent) = sections.get(&s).map(|r| get(r, "parent").to_string()) {
            if parent.is_empty() {
                break;
            }
            s = parent;
        }
        s
    };
    for r in &unit_rows {
        let relation = role_relation(get(r, "role"));
        if !options.role_matches(relation) {
            continue;
        }
        let doc = view.node(node(
            get(r, "doc"),
            get(r, "docLabel"),
            NodeKind::Document,
            None,
            get(r, "docLabel"),
        ));
        let task_label = format!("{} {}", get(r, "taskNumber"), get(r, "taskTitle"));
        let task = view.node(node(
            get(r, "task"),
            &task_label,
            NodeKind::Task,
            None,
            get(r, "text"),
        ));
        // The chain of sections above the task, up to the document.
        let mut child = task;
        let mut current = get(r, "section").to_string();
        let top = top_of(current.clone());
        while let Some(s) = sections.get(&current) {
            let label = format!("{} {}", get(s, "number"), get(s, "title"));
            let mut section = node(
                &current,
                &label,
                NodeKind::Section,
                Some(get(s, "style")),
                get(s, "title"),
            );
            section.cluster = Some(top.clone());
            let si = view.node(section);
            view.edge(si, child, edge(Relation::Contains, Vec::new()));
            child = si;
            current = get(s, "parent").to_string();
            if current.is_empty() {
                break;
            }
        }
        view.edge(doc, child, edge(Relation::Contains, Vec::new()));
        let unit = view.node(node(
            get(r, "unit"),
            get(r, "unitLabel"),
            NodeKind::Unit,
            Some(get(r, "unitType")),
            get(r, "unitLabel"),
        ));
        view.edge(
            task,
            unit,
            edge(relation, vec![get(r, "annotation").to_string()]),
        );
    }
    // Within a task, Contains edges were added once per unit row; count them once.
    for e in view.graph.edge_weights_mut() {
        if e.relation == Relation::Contains {
            e.weight = 1.0;
        }
    }
    Ok(view)
}

/// `cooperation`: units as nodes, an undirected edge between two units for the tasks they
/// share, weighted by the count, with the shared task titles as its evidence.
pub fn cooperation(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let mut view = View::new("cooperation", false);
    // task → (title, unit → (label, type))
    type Units = BTreeMap<String, (String, String)>;
    let mut tasks: BTreeMap<String, (String, Units)> = BTreeMap::new();
    for r in unit_rows(
        store,
        &ViewOptions {
            unit: None,
            ..options.clone()
        },
    )? {
        if !options.role_matches(role_relation(get(&r, "role"))) {
            continue;
        }
        let entry = tasks
            .entry(get(&r, "task").to_string())
            .or_insert_with(|| (get(&r, "taskTitle").to_string(), BTreeMap::new()));
        entry.1.insert(
            get(&r, "unit").to_string(),
            (
                get(&r, "unitLabel").to_string(),
                get(&r, "unitType").to_string(),
            ),
        );
    }
    for (title, units) in tasks.values() {
        let units: Vec<_> = units.iter().collect();
        for (i, (a, (la, ta))) in units.iter().enumerate() {
            let na = view.node(node(a, la, NodeKind::Unit, Some(ta), la));
            for (b, (lb, tb)) in &units[i + 1..] {
                let nb = view.node(node(b, lb, NodeKind::Unit, Some(tb), lb));
                view.edge(na, nb, edge(Relation::Cooperation, vec![title.clone()]));
            }
        }
    }
    for e in view.graph.edge_weights_mut() {
        e.label = (e.weight > 1.0).then(|| format!("{}", e.weight));
    }
    let mut view = match options.min_weight {
        Some(w) => view.with_min_weight(w),
        None => view,
    };
    if let Some(unit) = &options.unit {
        let keep: BTreeSet<NodeIndex> = view
            .graph
            .node_indices()
            .filter(|&n| view.graph[n].label == *unit)
            .flat_map(|n| std::iter::once(n).chain(view.graph.neighbors_undirected(n)))
            .collect();
        view.graph.retain_nodes(|_, n| keep.contains(&n));
        view.reindex();
    }
    Ok(view)
}

/// `strategy`: strategies → tasks → partner regions and platforms; stated and inferred
/// links are different relations (drawn solid and dashed).
pub fn strategy(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let mut view = View::new("strategy", true);
    let all = rows(store, options, TASK_ENTITIES)?;
    let by_strategy = strategy_tasks(store, options)?;
    let doc_ok: BTreeSet<String> = if options.document.is_some() {
        unit_rows(
            store,
            &ViewOptions {
                strategy: None,
                unit: None,
                ..options.clone()
            },
        )?
        .iter()
        .map(|r| get(r, "task").to_string())
        .collect()
    } else {
        all.iter().map(|r| get(r, "task").to_string()).collect()
    };
    for r in &all {
        let task_id = get(r, "task");
        if !doc_ok.contains(task_id) || by_strategy.as_ref().is_some_and(|s| !s.contains(task_id)) {
            continue;
        }
        let stated = get(r, "kind") == "stated";
        if options.stated_only && !stated {
            continue;
        }
        let (kind, relation) = match (local(get(r, "class")), stated) {
            ("Strategy", true) => (NodeKind::Strategy, Relation::StatedStrategy),
            ("Strategy", false) => (NodeKind::Strategy, Relation::InferredStrategy),
            ("Region", true) => (NodeKind::Region, Relation::StatedRegion),
            ("Region", false) => (NodeKind::Region, Relation::InferredRegion),
            (_, true) => (NodeKind::Platform, Relation::StatedPlatform),
            (_, false) => (NodeKind::Platform, Relation::InferredPlatform),
        };
        let task_label = format!("{} {}", get(r, "taskNumber"), get(r, "taskTitle"));
        let task = view.node(node(
            task_id,
            &task_label,
            NodeKind::Task,
            None,
            get(r, "taskTitle"),
        ));
        let target = view.node(node(
            get(r, "target"),
            get(r, "targetLabel"),
            kind,
            Some(get(r, "type")),
            get(r, "targetLabel"),
        ));
        let evidence = match get(r, "rule") {
            "" => get(r, "quote").to_string(),
            rule => format!("{rule} ({})", get(r, "quote")),
        };
        if kind == NodeKind::Strategy {
            view.edge(target, task, edge(relation, vec![evidence]));
        } else {
            view.edge(task, target, edge(relation, vec![evidence]));
        }
    }
    Ok(view)
}

/// `region`: each document's jurisdiction and its partner regions, edges weighted by the
/// tasks naming them, and the pairing arrangements as their own edges.
pub fn region(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let mut view = View::new("region", false);
    let docs: BTreeSet<String> = rows(store, options, TASK_UNITS)?
        .iter()
        .filter(|r| options.document_matches(get(r, "doc"), get(r, "docLabel")))
        .map(|r| get(r, "doc").to_string())
        .collect();
    for r in rows(store, options, REGIONS)? {
        if !docs.contains(get(&r, "doc")) {
            continue;
        }
        let home = view.node(node(
            get(&r, "home"),
            get(&r, "homeLabel"),
            NodeKind::Region,
            Some("jurisdiction"),
            get(&r, "homeLabel"),
        ));
        if !get(&r, "region").is_empty() {
            let partner = view.node(node(
                get(&r, "region"),
                get(&r, "regionLabel"),
                NodeKind::Region,
                None,
                get(&r, "regionLabel"),
            ));
            view.edge(
                home,
                partner,
                edge(Relation::Partner, vec![get(&r, "taskTitle").to_string()]),
            );
        }
        if !get(&r, "pairing").is_empty() {
            let a = view.node(node(
                get(&r, "first"),
                get(&r, "firstLabel"),
                NodeKind::Region,
                None,
                get(&r, "firstLabel"),
            ));
            let b = view.node(node(
                get(&r, "second"),
                get(&r, "secondLabel"),
                NodeKind::Region,
                None,
                get(&r, "secondLabel"),
            ));
            view.edge(
                a,
                b,
                edge(Relation::Pairing, vec![get(&r, "quote").to_string()]),
            );
        }
    }
    for e in view.graph.edge_weights_mut() {
        if e.relation == Relation::Partner {
            e.label = Some(format!("{}", e.weight));
        }
    }
    Ok(match options.min_weight {
        Some(w) => view.with_min_weight(w),
        None => view,
    })
}

/// Everything at once: dependency, strategy and region views merged, for `ego` and `path`.
fn everything(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let mut all = View::new("all", false);
    for part in [
        dependency(store, options)?,
        strategy(store, options)?,
        region(store, options)?,
    ] {
        for e in part.graph.edge_indices() {
            let (a, b) = part.graph.edge_endpoints(e).expect("edge of this graph");
            let na = all.node(part.graph[a].clone());
            let nb = all.node(part.graph[b].clone());
            all.edge(na, nb, part.graph[e].clone());
        }
    }
    Ok(all)
}

/// Finds a node by IRI, or by label when the label is unique.
fn resolve(view: &View, parameter: &'static str, value: &str) -> Result<NodeIndex, ViewError> {
    if let Some(i) = view.find(value) {
        return Ok(i);
    }
    let matches: Vec<NodeIndex> = view
        .sorted_nodes()
        .into_iter()
        .filter(|&i| view.graph[i].label == value)
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => {
            let similar: Vec<&str> = view
                .sorted_nodes()
                .into_iter()
                .map(|i| view.graph[i].label.as_str())
                .filter(|l| l.contains(value) || value.contains(*l))
                .take(5)
                .collect();
            Err(ViewError::NoSuchNode {
                parameter,
                value: value.to_string(),
                hint: if similar.is_empty() {
                    String::new()
                } else {
                    format!(" (similar: {})", similar.join(", "))
                },
            })
        }
        many => Err(ViewError::Ambiguous {
            parameter,
            value: value.to_string(),
            candidates: many
                .iter()
                .map(|&i| view.graph[i].id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// Copies the nodes `keep` and the edges among them into a new view.
fn subview(
    source: &View,
    name: &str,
    keep: &BTreeSet<NodeIndex>,
    edges: Option<&BTreeSet<(NodeIndex, NodeIndex)>>,
) -> View {
    let mut out = View::new(name, false);
    for &n in keep {
        out.node(source.graph[n].clone());
    }
    for e in source.graph.edge_references() {
        let (a, b) = (e.source(), e.target());
        let wanted = match edges {
            Some(set) => set.contains(&(a, b)) || set.contains(&(b, a)),
            None => keep.contains(&a) && keep.contains(&b),
        };
        if wanted {
            let na = out.node(source.graph[a].clone());
            let nb = out.node(source.graph[b].clone());
            out.edge(na, nb, e.weight().clone());
        }
    }
    out
}

/// `ego`: the nodes within `depth` relations of the focus, across all relations.
pub fn ego(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let focus = options.focus.as_deref().ok_or(ViewError::Missing {
        view: "ego",
        parameter: "focus",
    })?;
    let depth = options.depth.unwrap_or(1);
    let all = everything(store, options)?;
    let start = resolve(&all, "focus", focus)?;
    let mut seen = BTreeSet::from([start]);
    let mut queue = VecDeque::from([(start, 0)]);
    while let Some((n, d)) = queue.pop_front() {
        if d == depth {
            continue;
        }
        for m in all.graph.neighbors_undirected(n) {
            if seen.insert(m) {
                queue.push_back((m, d + 1));
            }
        }
    }
    Ok(subview(&all, "ego", &seen, None))
}

/// One step of a chain between two nodes, with its evidence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hop {
    pub from: String,
    pub relation: Relation,
    pub to: String,
    pub evidence: Vec<String>,
}

fn shortest_paths(all: &View, options: &ViewOptions) -> Result<Vec<Vec<NodeIndex>>, ViewError> {
    let from = options.from.as_deref().ok_or(ViewError::Missing {
        view: "path",
        parameter: "from",
    })?;
    let to = options.to.as_deref().ok_or(ViewError::Missing {
        view: "path",
        parameter: "to",
    })?;
    let a = resolve(all, "from", from)?;
    let b = resolve(all, "to", to)?;
    let undirected = all.graph.clone().into_edge_type::<petgraph::Undirected>();
    let mut paths = rustworkx_core::shortest_path::all_shortest_paths(&undirected, a, b, |_| {
        Ok::<usize, std::convert::Infallible>(1)
    })
    .unwrap_or_default();
    paths.sort_by_cached_key(|p| {
        p.iter()
            .map(|&n| all.graph[n].label.clone())
            .collect::<Vec<_>>()
    });
    Ok(paths)
}

/// `path`: the shortest chains of relations between `--from` and `--to`.
pub fn path(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let all = everything(store, options)?;
    let paths = shortest_paths(&all, options)?;
    let keep: BTreeSet<NodeIndex> = paths.iter().flatten().copied().collect();
    let pairs: BTreeSet<(NodeIndex, NodeIndex)> = paths
        .iter()
        .flat_map(|p| p.windows(2).map(|w| (w[0], w[1])))
        .collect();
    Ok(subview(&all, "path", &keep, Some(&pairs)))
}

/// The shortest chains between `--from` and `--to`, hop by hop with the evidence.
pub fn path_hops(store: &PolicyStore, options: &ViewOptions) -> Result<Vec<Vec<Hop>>, ViewError> {
    let all = everything(store, options)?;
    let paths = shortest_paths(&all, options)?;
    Ok(paths
        .iter()
        .map(|p| {
            p.windows(2)
                .map(|w| {
                    let e = all
                        .graph
                        .edges_connecting(w[0], w[1])
                        .chain(all.graph.edges_connecting(w[1], w[0]))
                        .map(|e| e.weight().clone())
                        .min_by_key(|e| e.relation)
                        .expect("consecutive nodes of a path are adjacent");
                    Hop {
                        from: all.graph[w[0]].label.clone(),
                        relation: e.relation,
                        to: all.graph[w[1]].label.clone(),
                        evidence: e.evidence,
                    }
                })
                .collect()
        })
        .collect())
}

/// `construct`: the triples of a CONSTRUCT/DESCRIBE query, or of a SELECT of ?s ?p ?o,
/// drawn as a graph (literals become their own nodes).
pub fn construct(store: &PolicyStore, options: &ViewOptions) -> Result<View, ViewError> {
    let query = options.query.as_deref().ok_or(ViewError::Missing {
        view: "construct",
        parameter: "query",
    })?;
    construct_from(evaluate(store, query, options.cancellation.clone())?)
}

/// The `construct` view of results already evaluated.
pub fn construct_from(results: QueryResults<'_>) -> Result<View, ViewError> {
    let mut triples: Vec<(String, String, String, bool)> = Vec::new();
    match results {
        QueryResults::Graph(iter) => {
            for t in iter {
                let t = t.map_err(QueryError::from)?;
                let literal = matches!(t.object, oxigraph::model::Term::Literal(_));
                triples.push((
                    t.subject.to_string(),
                    t.predicate.as_str().to_string(),
                    plain(&t.object),
                    literal,
                ));
            }
        }
        QueryResults::Solutions(solutions) => {
            for s in solutions {
                let s = s.map_err(QueryError::from)?;
                let (Some(a), Some(p), Some(o)) = (s.get("s"), s.get("p"), s.get("o")) else {
                    return Err(ViewError::NotAGraphQuery);
                };
                let literal = matches!(o, oxigraph::model::Term::Literal(_));
                triples.push((plain(a), plain(p), plain(o), literal));
            }
        }
        QueryResults::Boolean(_) => return Err(ViewError::NotAGraphQuery),
    }
    triples.sort();
    let mut view = View::new("construct", true);
    for (s, p, o, literal) in triples {
        let s = s.trim_start_matches('<').trim_end_matches('>').to_string();
        let a = view.node(node(&s, &compact(&s), NodeKind::Resource, None, &s));
        let (kind, id) = if literal {
            (NodeKind::Literal, format!("\"{o}\""))
        } else {
            (NodeKind::Resource, o.clone())
        };
        let label = if literal { o.clone() } else { compact(&o) };
        let b = view.node(node(&id, &label, kind, None, &o));
        view.edge(
            a,
            b,
            Edge {
                relation: Relation::Predicate,
                weight: 1.0,
                label: Some(compact(&p)),
                evidence: Vec::new(),
            },
        );
    }
    Ok(view)
}

/// Builds a view by name.
pub fn build_view(
    store: &PolicyStore,
    name: &str,
    options: &ViewOptions,
) -> Result<View, ViewError> {
    if let Some(role) = &options.role
        && !crate::model::Role::ALL.iter().any(|r| r.as_str() == role)
    {
        return Err(ViewError::UnknownRole(role.clone()));
    }
    let view = match name {
        "dependency" => dependency(store, options),
        "cooperation" => cooperation(store, options),
        "strategy" => strategy(store, options),
        "region" => region(store, options),
        "ego" => ego(store, options),
        "path" => path(store, options),
        "construct" => construct(store, options),
        other => Err(ViewError::UnknownView(other.to_string())),
    }?;
    Ok(match (name, options.min_weight) {
        ("dependency" | "strategy", Some(w)) => view.with_min_weight(w),
        _ => view,
    })
}
