//! Statistics kept up to date with the store, so that nothing counts the whole store per
//! request or at start: the counts of documents, tasks, unit links, units and triples, each
//! document's task count, each graph's size, the tasks every unit takes part in, and the
//! weights the corpus-wide views draw: the tasks two units share (cooperation), the tasks
//! that tie a strategy to a region, region group or platform (strategy), and the tasks of a
//! jurisdiction's documents that name a partner region (region).
//!
//! They live in their own named graph, written in the same transaction as the write they
//! follow. What a document graph adds to them is computed from its quads
//! ([`Contribution::of`]), so any write path — ingest, Graph Store writes, removal — updates
//! them by taking the old graph's contribution out and putting the new one in; a SPARQL
//! Update, which may touch any graph, is followed by a full recount ([`recount`]).
//!
//! Counts are per graph and summed: a document or task is counted in each graph that types
//! it (a well-formed store has each in one); a unit is counted once however many graphs
//! name it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    QuadRef, Term, TermRef,
};
use oxigraph::store::{StorageError, Store, Transaction};
use sha2::{Digest, Sha256};

use policykg_extract::vocab::{ID, REFERENCE_GRAPH, STATISTICS_GRAPH, pol, rdf};

/// The node that holds the store-wide counts.
pub fn totals_node() -> NamedNode {
    NamedNode::new_unchecked(format!("{ID}statistics"))
}

/// The version of what the statistics graph keeps: a store whose statistics carry another
/// is counted anew when opened for writing.
pub const VERSION: i64 = 2;

/// The node of a kept weight, named by a hash of what it is about: `{ID}{kind}/{hash}`.
fn tally_node(kind: &str, parts: &[&str]) -> NamedNode {
    let digest = Sha256::digest(parts.join("\n").as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    NamedNode::new_unchecked(format!("{ID}{kind}/{hex}"))
}

/// The node of a pair of cooperating units (in IRI order).
fn pair_node(a: &NamedNode, b: &NamedNode) -> NamedNode {
    tally_node("cooperation", &[a.as_str(), b.as_str()])
}

/// A strategy and a region, region group or platform that one task names together.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tie {
    pub strategy: NamedNode,
    pub target: NamedNode,
    /// `pol:Region`, `pol:RegionGroup` or `pol:Platform`, from the property that links it.
    pub class: NamedNode,
    /// Whether the task states both (rather than either being inferred).
    pub stated: bool,
}

impl Tie {
    fn node(&self) -> NamedNode {
        let stated = if self.stated { "stated" } else { "inferred" };
        tally_node(
            "tie",
            &[
                self.strategy.as_str(),
                self.target.as_str(),
                self.class.as_str(),
                stated,
            ],
        )
    }
}

/// Whether a graph holds documents (rather than reference data or the statistics).
pub fn is_document_graph(graph: NamedNodeRef<'_>) -> bool {
    graph != REFERENCE_GRAPH && graph != STATISTICS_GRAPH
}

/// What one document graph adds to the statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contribution {
    pub triples: u64,
    /// Subjects typed `pol:Document`, with their tasks (`pol:hasTask`).
    pub documents: BTreeMap<NamedNode, u64>,
    pub tasks: u64,
    pub unit_links: u64,
    /// Subjects typed `pol:Unit`.
    pub units: BTreeSet<NamedNode>,
    /// For each unit, the tasks it takes part in (any role).
    pub unit_tasks: BTreeMap<NamedNode, u64>,
    /// For each pair of units (in IRI order), the tasks they share.
    pub pairs: BTreeMap<(NamedNode, NamedNode), u64>,
    /// For each strategy tied to a region, region group or platform, the tasks tying them.
    pub ties: BTreeMap<Tie, u64>,
    /// For each jurisdiction and region its documents' tasks name, those tasks.
    pub partners: BTreeMap<(NamedNode, NamedNode), u64>,
}

/// The properties that link a task to a strategy, with whether the link is stated.
const STRATEGY_PROPERTIES: [(NamedNodeRef<'static>, bool); 2] = [
    (pol::STATED_STRATEGY, true),
    (pol::INFERRED_STRATEGY, false),
];

/// The properties that link a task to a region, region group or platform: the target's
/// class and whether the link is stated.
const TARGET_PROPERTIES: [(NamedNodeRef<'static>, NamedNodeRef<'static>, bool); 5] = [
    (pol::STATED_REGION, pol::REGION, true),
    (pol::INFERRED_REGION, pol::REGION, false),
    (pol::STATED_REGION_GROUP, pol::REGION_GROUP, true),
    (pol::STATED_PLATFORM, pol::PLATFORM, true),
    (pol::INFERRED_PLATFORM, pol::PLATFORM, false),
];

/// What one task links to, as read from its triples.
#[derive(Default)]
struct TaskLinks {
    units: BTreeSet<NamedNode>,
    strategies: BTreeSet<(NamedNode, bool)>,
    /// (target, class, stated)
    targets: BTreeSet<(NamedNode, NamedNode, bool)>,
}

/// The properties that link a task to a unit, one per role.
const ROLE_PROPERTIES: [NamedNodeRef<'static>; 4] = [
    pol::LEAD_UNIT,
    pol::RESPONSIBLE_UNIT,
    pol::SUPPORTING_UNIT,
    pol::IMPLIED_UNIT,
];

impl Contribution {
    /// The contribution of a graph's quads (their graph names are not looked at).
    pub fn of<'a>(quads: impl IntoIterator<Item = QuadRef<'a>>) -> Self {
        let mut out = Contribution::default();
        let mut links: HashMap<NamedOrBlankNode, TaskLinks> = HashMap::new();
        let mut typed_tasks: HashSet<NamedOrBlankNode> = HashSet::new();
        let mut has_task: HashMap<NamedNode, HashSet<Term>> = HashMap::new();
        let mut jurisdictions: HashMap<NamedNode, BTreeSet<NamedNode>> = HashMap::new();
        let mut documents = BTreeSet::new();
        for quad in quads {
            out.triples += 1;
            let (subject, predicate, object) = (quad.subject, quad.predicate, quad.object);
            if predicate == pol::HAS_TASK {
                if let NamedOrBlankNodeRef::NamedNode(doc) = subject {
                    has_task
                        .entry(doc.into_owned())
                        .or_default()
                        .insert(object.into_owned());
                }
                continue;
            }
            let TermRef::NamedNode(target) = object else {
                continue;
            };
            if predicate == rdf::TYPE {
                if target == pol::TASK {
                    out.tasks += 1;
                    typed_tasks.insert(subject.into_owned());
                } else if target == pol::UNIT_LINK {
                    out.unit_links += 1;
                } else if let NamedOrBlankNodeRef::NamedNode(n) = subject {
                    if target == pol::DOCUMENT {
                        documents.insert(n.into_owned());
                    } else if target == pol::UNIT {
                        out.units.insert(n.into_owned());
                    }
                }
            } else if ROLE_PROPERTIES.contains(&predicate) {
                links
                    .entry(subject.into_owned())
                    .or_default()
                    .units
                    .insert(target.into_owned());
            } else if let Some((_, stated)) =
                STRATEGY_PROPERTIES.iter().find(|(p, _)| *p == predicate)
            {
                links
                    .entry(subject.into_owned())
                    .or_default()
                    .strategies
                    .insert((target.into_owned(), *stated));
            } else if let Some((_, class, stated)) =
                TARGET_PROPERTIES.iter().find(|(p, _, _)| *p == predicate)
            {
                links
                    .entry(subject.into_owned())
                    .or_default()
                    .targets
                    .insert((target.into_owned(), class.into_owned(), *stated));
            } else if predicate == pol::JURISDICTION
                && let NamedOrBlankNodeRef::NamedNode(doc) = subject
            {
                jurisdictions
                    .entry(doc.into_owned())
                    .or_default()
                    .insert(target.into_owned());
            }
        }
        // The tasks of each document with a jurisdiction, for the partner regions.
        let mut homes: HashMap<NamedOrBlankNode, BTreeSet<&NamedNode>> = HashMap::new();
        for (doc, tasks) in &has_task {
            if let (true, Some(regions)) = (documents.contains(doc), jurisdictions.get(doc)) {
                for task in tasks {
                    if let Term::NamedNode(task) = task {
                        homes
                            .entry(task.clone().into())
                            .or_default()
                            .extend(regions.iter());
                    }
                }
            }
        }
        out.documents = documents
            .into_iter()
            .map(|d| {
                let tasks = has_task.get(&d).map_or(0, |t| t.len() as u64);
                (d, tasks)
            })
            .collect();
        for (task, linked) in &links {
            let units: Vec<&NamedNode> = linked.units.iter().collect();
            for (i, a) in units.iter().enumerate() {
                *out.unit_tasks.entry((*a).clone()).or_default() += 1;
                for b in &units[i + 1..] {
                    *out.pairs.entry(((*a).clone(), (*b).clone())).or_default() += 1;
                }
            }
            if !typed_tasks.contains(task) {
                continue;
            }
            let ties: BTreeSet<Tie> = linked
                .strategies
                .iter()
                .flat_map(|(strategy, strategy_stated)| {
                    linked.targets.iter().map(|(target, class, stated)| Tie {
                        strategy: strategy.clone(),
                        target: target.clone(),
                        class: class.clone(),
                        stated: *strategy_stated && *stated,
                    })
                })
                .collect();
            for tie in ties {
                *out.ties.entry(tie).or_default() += 1;
            }
            let regions: BTreeSet<&NamedNode> = linked
                .targets
                .iter()
                .filter(|(_, class, _)| class.as_ref() == pol::REGION)
                .map(|(region, _, _)| region)
                .collect();
            for home in homes.get(task).into_iter().flatten() {
                for region in &regions {
                    *out.partners
                        .entry(((*home).clone(), (*region).clone()))
                        .or_default() += 1;
                }
            }
        }
        out
    }

    /// The contribution of the graph as it is in the store.
    pub fn stored(store: &Store, graph: NamedNodeRef<'_>) -> Result<Self, StorageError> {
        let quads = store
            .quads_for_pattern(None, None, None, Some(graph.into()))
            .collect::<Result<Vec<Quad>, _>>()?;
        Ok(Contribution::of(quads.iter().map(Quad::as_ref)))
    }
}

/// Adds to or takes from numbers in the statistics graph, within one transaction. Each
/// number is read once and written once, at [`Counter::finish`], however many documents
/// change it: a batch of documents that share units changes their counts many times.
struct Counter<'t, 'a> {
    transaction: &'t mut Transaction<'a>,
    /// (subject, property) → (the value stored, the value now).
    values: HashMap<(NamedNode, NamedNode), (i64, i64)>,
    /// The quads that describe a kept weight, by its node and count property: written when
    /// the count rises from zero, taken out when it falls to zero.
    descriptions: HashMap<(NamedNode, NamedNode), Vec<Quad>>,
}

fn number(term: &Term) -> i64 {
    match term {
        Term::Literal(l) => l.value().parse().unwrap_or(0),
        _ => 0,
    }
}

/// The number found by a lookup of (subject, property) in the statistics graph, read
/// through the store or through a transaction; 0 when there is none.
fn first_number(
    mut found: impl Iterator<Item = Result<Quad, StorageError>>,
) -> Result<i64, StorageError> {
    Ok(found.next().transpose()?.map_or(0, |q| number(&q.object)))
}

impl<'t, 'a> Counter<'t, 'a> {
    fn new(transaction: &'t mut Transaction<'a>) -> Self {
        Counter {
            transaction,
            values: HashMap::new(),
            descriptions: HashMap::new(),
        }
    }

    fn entry(
        &mut self,
        subject: &NamedNode,
        property: NamedNodeRef<'_>,
    ) -> Result<&mut (i64, i64), StorageError> {
        let key = (subject.clone(), property.into_owned());
        if !self.values.contains_key(&key) {
            let stored = first_number(self.transaction.quads_for_pattern(
                Some(subject.as_ref().into()),
                Some(property),
                None,
                Some(STATISTICS_GRAPH.into()),
            ))?;
            self.values.insert(key.clone(), (stored, stored));
        }
        Ok(self.values.entry(key).or_default())
    }

    fn get(
        &mut self,
        subject: &NamedNode,
        property: NamedNodeRef<'_>,
    ) -> Result<i64, StorageError> {
        Ok(self.entry(subject, property)?.1)
    }

    /// Sets a number; a number of zero is not stored.
    fn set(
        &mut self,
        subject: &NamedNode,
        property: NamedNodeRef<'_>,
        value: i64,
    ) -> Result<(), StorageError> {
        self.entry(subject, property)?.1 = value;
        Ok(())
    }

    fn add(
        &mut self,
        subject: &NamedNode,
        property: NamedNodeRef<'_>,
        delta: i64,
    ) -> Result<i64, StorageError> {
        let entry = self.entry(subject, property)?;
        entry.1 += delta;
        Ok(entry.1)
    }

    /// Adds `by` to the count of a kept weight described by `description`.
    fn tally(
        &mut self,
        node: &NamedNode,
        count: NamedNodeRef<'_>,
        by: i64,
        description: &[QuadRef<'_>],
    ) -> Result<(), StorageError> {
        if by == 0 {
            return Ok(());
        }
        self.add(node, count, by)?;
        self.descriptions
            .entry((node.clone(), count.into_owned()))
            .or_insert_with(|| description.iter().map(|q| q.into_owned()).collect());
        Ok(())
    }

    /// Writes the numbers that changed, and the descriptions of weights that appeared or
    /// went.
    fn finish(self) {
        let graph = GraphNameRef::from(STATISTICS_GRAPH);
        for ((subject, property), (stored, now)) in &self.values {
            if stored == now {
                continue;
            }
            if *stored != 0 {
                self.transaction.remove(QuadRef::new(
                    subject,
                    property,
                    &Literal::from(*stored),
                    graph,
                ));
            }
            if *now != 0 {
                self.transaction.insert(QuadRef::new(
                    subject,
                    property,
                    &Literal::from(*now),
                    graph,
                ));
            }
        }
        for (key, description) in &self.descriptions {
            let (stored, now) = self.values.get(key).copied().unwrap_or_default();
            if stored == 0 && now != 0 {
                for quad in description {
                    self.transaction.insert(quad);
                }
            } else if stored != 0 && now == 0 {
                for quad in description {
                    self.transaction.remove(quad);
                }
            }
        }
    }
}

/// Takes `old` out of the statistics and puts `new` in, for the document graph `graph`.
pub fn apply(
    transaction: &mut Transaction<'_>,
    graph: NamedNodeRef<'_>,
    old: &Contribution,
    new: &Contribution,
) -> Result<(), StorageError> {
    apply_all(transaction, [(graph, old, new)])
}

/// [`apply`] for several graphs at once, each number written once.
pub fn apply_all<'c>(
    transaction: &mut Transaction<'_>,
    changes: impl IntoIterator<Item = (NamedNodeRef<'c>, &'c Contribution, &'c Contribution)>,
) -> Result<(), StorageError> {
    let mut counter = Counter::new(transaction);
    for (graph, old, new) in changes {
        change(&mut counter, graph, old, new)?;
    }
    counter.finish();
    Ok(())
}

fn change(
    counter: &mut Counter<'_, '_>,
    graph: NamedNodeRef<'_>,
    old: &Contribution,
    new: &Contribution,
) -> Result<(), StorageError> {
    let totals = totals_node();
    let graph = graph.into_owned();
    let delta = |a: u64, b: u64| b as i64 - a as i64;
    counter.add(&totals, pol::TRIPLE_COUNT, delta(old.triples, new.triples))?;
    counter.set(&graph, pol::TRIPLE_COUNT, new.triples as i64)?;
    let document_count = |c: &Contribution| c.documents.len() as u64;
    counter.add(
        &totals,
        pol::DOCUMENT_COUNT,
        delta(document_count(old), document_count(new)),
    )?;
    counter.add(&totals, pol::TASK_COUNT, delta(old.tasks, new.tasks))?;
    counter.add(
        &totals,
        pol::UNIT_LINK_COUNT,
        delta(old.unit_links, new.unit_links),
    )?;
    for doc in old.documents.keys() {
        if !new.documents.contains_key(doc) {
            counter.set(doc, pol::TASK_COUNT, 0)?;
        }
    }
    for (doc, tasks) in &new.documents {
        counter.set(doc, pol::TASK_COUNT, *tasks as i64)?;
    }
    // A unit counts once however many graphs name it: graphs are counted per unit.
    let mut units_delta = 0;
    for unit in old.units.symmetric_difference(&new.units) {
        let change = if new.units.contains(unit) { 1 } else { -1 };
        let before = counter.get(unit, pol::GRAPH_COUNT)?;
        let after = counter.add(unit, pol::GRAPH_COUNT, change)?;
        units_delta += i64::from(after > 0) - i64::from(before > 0);
    }
    counter.add(&totals, pol::UNIT_COUNT, units_delta)?;
    let units: BTreeSet<&NamedNode> = old.unit_tasks.keys().chain(new.unit_tasks.keys()).collect();
    for unit in units {
        let (a, b) = (old.unit_tasks.get(unit), new.unit_tasks.get(unit));
        counter.add(
            unit,
            pol::TASK_COUNT,
            delta(a.copied().unwrap_or(0), b.copied().unwrap_or(0)),
        )?;
    }
    let stats = GraphNameRef::from(STATISTICS_GRAPH);
    let change =
        |a: Option<&u64>, b: Option<&u64>| delta(a.copied().unwrap_or(0), b.copied().unwrap_or(0));
    for pair in old
        .pairs
        .keys()
        .chain(new.pairs.keys())
        .collect::<BTreeSet<_>>()
    {
        let node = pair_node(&pair.0, &pair.1);
        let description = [
            QuadRef::new(&node, rdf::TYPE, pol::COOPERATION, stats),
            QuadRef::new(&node, pol::COOPERATING_UNIT, &pair.0, stats),
            QuadRef::new(&node, pol::COOPERATING_UNIT, &pair.1, stats),
        ];
        let by = change(old.pairs.get(pair), new.pairs.get(pair));
        counter.tally(&node, pol::SHARED_TASKS, by, &description)?;
    }
    for tie in old
        .ties
        .keys()
        .chain(new.ties.keys())
        .collect::<BTreeSet<_>>()
    {
        let node = tie.node();
        let stated = Literal::from(tie.stated);
        let description = [
            QuadRef::new(&node, rdf::TYPE, pol::TIE, stats),
            QuadRef::new(&node, pol::TIED_STRATEGY, &tie.strategy, stats),
            QuadRef::new(&node, pol::TIED_TARGET, &tie.target, stats),
            QuadRef::new(&node, pol::TARGET_CLASS, &tie.class, stats),
            QuadRef::new(&node, pol::BOTH_STATED, &stated, stats),
        ];
        let by = change(old.ties.get(tie), new.ties.get(tie));
        counter.tally(&node, pol::TASK_COUNT, by, &description)?;
    }
    for key in old
        .partners
        .keys()
        .chain(new.partners.keys())
        .collect::<BTreeSet<_>>()
    {
        let (home, region) = key;
        let node = tally_node("partnership", &[home.as_str(), region.as_str()]);
        let description = [
            QuadRef::new(&node, rdf::TYPE, pol::PARTNERSHIP, stats),
            QuadRef::new(&node, pol::HOME_REGION, home, stats),
            QuadRef::new(&node, pol::PARTNER_REGION, region, stats),
        ];
        let by = change(old.partners.get(key), new.partners.get(key));
        counter.tally(&node, pol::TASK_COUNT, by, &description)?;
    }
    Ok(())
}

/// Computes the statistics from every document graph and writes them anew.
pub fn recount(store: &Store) -> Result<(), StorageError> {
    let mut graphs = Vec::new();
    for g in store.named_graphs() {
        if let NamedOrBlankNode::NamedNode(n) = g?
            && is_document_graph(n.as_ref())
        {
            graphs.push(n);
        }
    }
    let mut transaction = store.start_transaction()?;
    transaction.clear_graph(STATISTICS_GRAPH)?;
    transaction.insert_named_graph(STATISTICS_GRAPH);
    transaction.insert(QuadRef::new(
        &totals_node(),
        pol::STATISTICS_VERSION,
        &Literal::from(VERSION),
        STATISTICS_GRAPH,
    ));
    count_into(store, &mut transaction, &graphs)?;
    transaction.commit()
}

/// Adds the contributions of `graphs`, as stored, to the statistics, a few hundred graphs
/// per pass so that a corpus's contributions are not all held at once.
fn count_into(
    store: &Store,
    transaction: &mut Transaction<'_>,
    graphs: &[NamedNode],
) -> Result<(), StorageError> {
    let empty = Contribution::default();
    for chunk in graphs.chunks(256) {
        let contributions = chunk
            .iter()
            .map(|g| Contribution::stored(store, g.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        apply_all(
            transaction,
            chunk
                .iter()
                .zip(&contributions)
                .map(|(g, c)| (g.as_ref(), &empty, c)),
        )?;
    }
    Ok(())
}

/// Counts the document graphs that hold quads but have no statistics kept: graphs a bulk
/// load stored just before the process stopped, before their statistics transaction. Each
/// such graph is whole (the bulk load adds its files in one step); only its counts are
/// missing. `candidates` are the graphs the interrupted write was about to change (the
/// search index's record of them), or none for every graph. Returns how many graphs were
/// counted.
pub fn complete(
    store: &Store,
    candidates: Option<&BTreeSet<String>>,
) -> Result<usize, StorageError> {
    let graphs: Vec<NamedNode> = match candidates {
        // Names read back from a file: one that is not an IRI names no graph.
        Some(names) => names
            .iter()
            .filter_map(|n| NamedNode::new(n).ok())
            .collect(),
        None => store
            .named_graphs()
            .filter_map(|g| match g {
                Ok(NamedOrBlankNode::NamedNode(n)) => Some(Ok(n)),
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<Result<_, _>>()?,
    };
    let mut missing = Vec::new();
    for graph in graphs {
        if is_document_graph(graph.as_ref())
            && read(store, &graph, pol::TRIPLE_COUNT)? == 0
            && store
                .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
                .next()
                .is_some()
        {
            missing.push(graph);
        }
    }
    if missing.is_empty() {
        return Ok(0);
    }
    let mut transaction = store.start_transaction()?;
    count_into(store, &mut transaction, &missing)?;
    transaction.commit()?;
    Ok(missing.len())
}

/// Whether the store keeps statistics of this version.
pub fn is_current(store: &Store) -> Result<bool, StorageError> {
    Ok(read(store, &totals_node(), pol::STATISTICS_VERSION)? == VERSION as u64)
}

/// The store-wide counts as they are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub documents: u64,
    pub tasks: u64,
    pub unit_links: u64,
    pub units: u64,
    pub triples: u64,
}

/// A number of the statistics graph.
fn read(
    store: &Store,
    subject: &NamedNode,
    property: NamedNodeRef<'_>,
) -> Result<u64, StorageError> {
    let found = first_number(store.quads_for_pattern(
        Some(subject.as_ref().into()),
        Some(property),
        None,
        Some(STATISTICS_GRAPH.into()),
    ))?;
    Ok(found.max(0) as u64)
}

/// The store-wide counts, read in a few lookups.
pub fn totals(store: &Store) -> Result<Totals, StorageError> {
    let node = totals_node();
    Ok(Totals {
        documents: read(store, &node, pol::DOCUMENT_COUNT)?,
        tasks: read(store, &node, pol::TASK_COUNT)?,
        unit_links: read(store, &node, pol::UNIT_LINK_COUNT)?,
        units: read(store, &node, pol::UNIT_COUNT)?,
        triples: read(store, &node, pol::TRIPLE_COUNT)?,
    })
}

/// The document graphs that name a unit, as kept.
pub fn unit_graphs(store: &Store, unit: &NamedNode) -> Result<u64, StorageError> {
    read(store, unit, pol::GRAPH_COUNT)
}

/// The tasks two units (in IRI order) share, as kept.
pub fn shared_tasks(store: &Store, a: &NamedNode, b: &NamedNode) -> Result<u64, StorageError> {
    read(store, &pair_node(a, b), pol::SHARED_TASKS)
}

/// The triples of a graph, as kept.
pub fn graph_triples(store: &Store, graph: &NamedNode) -> Result<u64, StorageError> {
    read(store, graph, pol::TRIPLE_COUNT)
}
