//! The RDF mapping: a [`ParsedDocument`] becomes the quads of its own named graph, as
//! described in `docs/rdf-model.md`. IRIs are minted from content (file key, section
//! path, unit name and jurisdiction, spans), never from counters, so the same input always
//! gives the same IRIs. Every unit link is both a direct triple (`task pol:leadUnit unit`)
//! and a qualified statement with its evidence span and quote.

use std::collections::BTreeMap;

use rustc_hash::FxHashSet;

use oxrdf::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};

use crate::model::{Concept, Convention, EntityLinks, LinkKind, ParsedDocument, Role, Span};
use crate::vocab::{
    ID, dcterms, document_graph, document_iri, document_key, iri_segment, org, pol, prov, rdf,
    rdfs, region_iri, unit_iri, xsd,
};

/// The jurisdiction that scopes a document's units: the stated one, or one of its own.
pub fn scope_of(doc: &ParsedDocument, key: &str) -> String {
    doc.document
        .jurisdiction
        .clone()
        .unwrap_or_else(|| format!("未知（{key}）"))
}

fn node(iri: String) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

fn role_local(role: Role) -> &'static str {
    role.as_str()
}

fn role_individual(role: Role) -> NamedNodeRef<'static> {
    match role {
        Role::Lead => pol::LEAD_ROLE,
        Role::Responsible => pol::RESPONSIBLE_ROLE,
        Role::Supporting => pol::SUPPORTING_ROLE,
        Role::Implied => pol::IMPLIED_ROLE,
    }
}

fn role_property(role: Role) -> NamedNodeRef<'static> {
    match role {
        Role::Lead => pol::LEAD_UNIT,
        Role::Responsible => pol::RESPONSIBLE_UNIT,
        Role::Supporting => pol::SUPPORTING_UNIT,
        Role::Implied => pol::IMPLIED_UNIT,
    }
}

fn convention_kind(c: &Convention) -> (&'static str, Span) {
    match c {
        Convention::FirstListedIsLead { span } => ("first_listed_is_lead", *span),
        Convention::BeforeFirstCommaIsLead { span } => ("before_first_comma_is_lead", *span),
        Convention::MarkIsLead { span, .. } => ("mark_is_lead", *span),
        Convention::ImpliedForLaterTasks { span, .. } => ("implied_for_later_tasks", *span),
    }
}

fn integer(value: usize) -> Literal {
    Literal::from(i64::try_from(value).unwrap_or(i64::MAX))
}

/// Collects the quads of one document's graph, without duplicates.
struct Writer {
    graph: GraphName,
    /// Fx hashing: the quads are the program's own, and SipHash over every term took a
    /// fifth of the time spent making them.
    quads: FxHashSet<Quad>,
}

impl Writer {
    fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads.insert(Quad::new(
            s.into(),
            p.into_owned(),
            o.into(),
            self.graph.clone(),
        ));
    }

    fn add_str(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, value: &str) {
        self.add(s.clone(), p, Literal::new_simple_literal(value));
    }

    fn add_opt(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, value: Option<&str>) {
        if let Some(v) = value {
            self.add_str(s, p, v);
        }
    }
}

/// Maps a parsed document to the quads of its graph, in a stable order.
pub fn document_quads(doc: &ParsedDocument) -> Vec<Quad> {
    sorted(document_quad_set(doc))
}

/// The quads of [`document_quads`] in no particular order, for the store, which keeps its
/// own: ordering them formats every quad as text.
pub fn document_quad_set(doc: &ParsedDocument) -> FxHashSet<Quad> {
    let key = document_key(&doc.source.path);
    let d = document_iri(&key);
    let mut w = Writer {
        graph: document_graph(&key).into(),
        quads: FxHashSet::default(),
    };
    let scope = scope_of(doc, &key);
    let meta = &doc.document;

    let mut publishers: Vec<String> = Vec::new();
    w.add(d.clone(), rdf::TYPE, pol::DOCUMENT);
    w.add_opt(&d, dcterms::TITLE, meta.title.as_deref());
    w.add_opt(
        &d,
        rdfs::LABEL,
        meta.title.as_deref().or(Some(key.as_str())),
    );
    w.add_opt(&d, dcterms::IDENTIFIER, meta.doc_number.as_deref());
    if let Some(date) = &meta.date {
        w.add(
            d.clone(),
            dcterms::ISSUED,
            Literal::new_typed_literal(date, xsd::DATE),
        );
    }
    if let Some(issuer) = &meta.issuer {
        w.add_str(&d, pol::ISSUER_NAME, issuer);
        publishers.extend(issuer.split('、').map(str::to_string));
    }
    let (region, region_name) = match &doc.resolved.jurisdiction {
        Some(concept) => (node(concept.iri.clone()), concept.name.clone()),
        None => (region_iri(&scope), scope.clone()),
    };
    w.add(d.clone(), pol::JURISDICTION, region.clone());
    w.add(region.clone(), rdf::TYPE, pol::REGION);
    w.add_str(&region, rdfs::LABEL, &region_name);
    let units = UnitScope {
        scope: &scope,
        region: &region,
    };
    for addressee in &meta.addressees {
        w.add_str(&d, pol::ADDRESSEE, addressee);
    }
    w.add_opt(&d, pol::PUBLICATION_NOTE, meta.publication.as_deref());
    w.add_opt(&d, pol::ISSUED_TITLE, meta.issued_title.as_deref());
    for name in &publishers {
        let concept = doc
            .resolved
            .issuers
            .iter()
            .find(|(issuer, _)| issuer == name)
            .and_then(|(_, concept)| concept.as_ref());
        let u = units.add(&mut w, name, false, concept);
        w.add(d.clone(), dcterms::PUBLISHER, u);
    }
    w.add_str(&d, pol::FULL_TEXT, &doc.text);
    w.add_str(&d, pol::SHA256, &doc.source.sha256);
    w.add_str(&d, pol::SOURCE_PATH, &doc.source.path);
    w.add_str(&d, pol::ENCODING, &doc.source.encoding);

    let chars: Vec<char> = doc.text.chars().collect();
    let quote = |span: Span| -> String {
        chars[span.start.min(chars.len())..span.end.min(chars.len())]
            .iter()
            .collect()
    };
    let evidence = |w: &mut Writer, span: Span, with_quote: bool| -> NamedNode {
        let e = node(format!("{}/span/{}-{}", d.as_str(), span.start, span.end));
        w.add(e.clone(), rdf::TYPE, pol::EVIDENCE);
        w.add(e.clone(), pol::START, integer(span.start));
        w.add(e.clone(), pol::END, integer(span.end));
        w.add(e.clone(), prov::WAS_QUOTED_FROM, d.clone());
        if with_quote {
            w.add_str(&e, pol::QUOTE, &quote(span));
        }
        e
    };

    let section_iri = |id: &str| node(format!("{}/section/{}", d.as_str(), iri_segment(id)));
    for s in &doc.sections {
        let si = section_iri(&s.id);
        w.add(d.clone(), pol::HAS_SECTION, si.clone());
        w.add(si.clone(), rdf::TYPE, pol::SECTION);
        w.add_str(&si, pol::NUMBER, &s.number);
        if let Some(n) = s.ordinal {
            w.add(si.clone(), pol::ORDINAL, integer(n as usize));
        }
        w.add(si.clone(), pol::LEVEL, integer(s.level));
        w.add_str(&si, pol::HEADING_STYLE, &s.style);
        w.add_str(&si, dcterms::TITLE, &s.title);
        w.add_str(&si, rdfs::LABEL, &s.title);
        if let Some(parent) = &s.parent {
            w.add(si.clone(), pol::PARENT_SECTION, section_iri(parent));
        }
        let e = evidence(&mut w, s.span, false);
        w.add(si.clone(), pol::EVIDENCE_PROP, e);
        add_links(&mut w, &si, &s.links, &evidence);
    }

    let mut per_item: BTreeMap<String, usize> = BTreeMap::new();
    for (index, task) in doc.tasks.iter().enumerate() {
        let task_key = match &task.item {
            Some(item) => {
                let seen = per_item.entry(item.clone()).or_insert(0);
                *seen += 1;
                if *seen == 1 {
                    item.clone()
                } else {
                    format!("{item}-{seen}")
                }
            }
            None => format!("t{}", index + 1),
        };
        let t = node(format!("{}/task/{}", d.as_str(), iri_segment(&task_key)));
        w.add(d.clone(), pol::HAS_TASK, t.clone());
        w.add(t.clone(), rdf::TYPE, pol::TASK);
        w.add_str(&t, pol::NUMBER, &task.number);
        w.add_str(&t, dcterms::TITLE, &task.title);
        w.add_str(&t, rdfs::LABEL, &task.title);
        w.add_str(&t, pol::TEXT, &task.text);
        if let Some(section) = &task.section {
            w.add(t.clone(), pol::SECTION_PROP, section_iri(section));
        }
        if let Some(item) = &task.item {
            w.add(t.clone(), pol::ITEM, section_iri(item));
        }
        let e = evidence(&mut w, task.span, false);
        w.add(t.clone(), pol::EVIDENCE_PROP, e);
        let e = evidence(&mut w, task.annotation_span, true);
        w.add(t.clone(), pol::ANNOTATION, e);
        for role in Role::ALL {
            for (position, unit) in task.units(role).iter().enumerate() {
                let u = units.add(&mut w, &unit.name, unit.collective, unit.concept.as_ref());
                w.add(t.clone(), role_property(role), u.clone());
                let l = node(format!(
                    "{}/{}/{}",
                    t.as_str(),
                    role_local(role),
                    position + 1
                ));
                w.add(t.clone(), pol::UNIT_LINK_PROP, l.clone());
                w.add(l.clone(), rdf::TYPE, pol::UNIT_LINK);
                w.add(l.clone(), pol::UNIT_PROP, u);
                w.add(l.clone(), pol::ROLE_PROP, role_individual(role));
                w.add(l.clone(), pol::POSITION, integer(position + 1));
                let e = evidence(&mut w, unit.span, true);
                w.add(l, pol::EVIDENCE_PROP, e);
            }
        }
        add_links(&mut w, &t, &task.links, &evidence);
    }

    let mut per_year: BTreeMap<u16, usize> = BTreeMap::new();
    for goal in &doc.goals {
        let n = per_year.entry(goal.year).or_insert(0);
        *n += 1;
        let g = node(format!("{}/goal/{}-{n}", d.as_str(), goal.year));
        w.add(d.clone(), pol::HAS_GOAL, g.clone());
        w.add(g.clone(), rdf::TYPE, pol::GOAL);
        w.add(g.clone(), pol::YEAR, integer(goal.year.into()));
        w.add_str(&g, pol::TEXT, &goal.text);
        if let Some(section) = &goal.section {
            w.add(g.clone(), pol::SECTION_PROP, section_iri(section));
        }
        let e = evidence(&mut w, goal.span, true);
        w.add(g.clone(), pol::EVIDENCE_PROP, e);
        add_links(&mut w, &g, &goal.links, &evidence);
    }

    for (n, pairing) in doc.pairings.iter().enumerate() {
        let p = node(format!("{}/pairing/{}", d.as_str(), n + 1));
        w.add(d.clone(), pol::STATES_PAIRING, p.clone());
        w.add(p.clone(), rdf::TYPE, pol::PAIRING);
        for (property, name, concept) in [
            (pol::FIRST_REGION, &pairing.regions[0], &pairing.concepts[0]),
            (
                pol::SECOND_REGION,
                &pairing.regions[1],
                &pairing.concepts[1],
            ),
        ] {
            let r = target(&mut w, TargetKind::Region, name, None, concept.as_ref());
            w.add(p.clone(), property, r);
        }
        let e = evidence(&mut w, pairing.span, true);
        w.add(p, pol::EVIDENCE_PROP, e);
    }

    for convention in &doc.conventions {
        let (kind, span) = convention_kind(convention);
        let c = node(format!("{}/convention/{}", d.as_str(), span.start));
        w.add(d.clone(), pol::STATES_CONVENTION, c.clone());
        w.add(c.clone(), rdf::TYPE, pol::CONVENTION);
        w.add_str(&c, pol::CONVENTION_KIND, kind);
        let e = evidence(&mut w, span, true);
        w.add(c, pol::EVIDENCE_PROP, e);
    }

    for clause in doc.unread_candidates() {
        let u = node(format!("{}/unread/{}", d.as_str(), clause.span.start));
        w.add(d.clone(), pol::HAS_UNREAD_CLAUSE, u.clone());
        w.add(u.clone(), rdf::TYPE, pol::UNREAD_CLAUSE);
        w.add(u.clone(), pol::LINE, integer(clause.line));
        let e = evidence(&mut w, clause.span, true);
        w.add(u, pol::EVIDENCE_PROP, e);
    }

    w.quads
}

/// Quads in N-Quads text order: the same set always comes out in the same order.
pub fn sorted(quads: impl IntoIterator<Item = Quad>) -> Vec<Quad> {
    let mut out: Vec<Quad> = quads.into_iter().collect();
    out.sort_by_cached_key(ToString::to_string);
    out.dedup();
    out
}

/// Units of one jurisdiction: a name the linker resolved becomes its unit (one node for all
/// the ways it is written), any other name a unit of type `unknown`.
struct UnitScope<'a> {
    scope: &'a str,
    region: &'a NamedNode,
}

impl UnitScope<'_> {
    fn add(
        &self,
        w: &mut Writer,
        name: &str,
        collective: bool,
        concept: Option<&Concept>,
    ) -> NamedNode {
        let (u, label, unit_type) = match concept {
            Some(concept) => (
                node(concept.iri.clone()),
                concept.name.clone(),
                concept
                    .entity_type
                    .clone()
                    .unwrap_or_else(|| "unknown".to_string()),
            ),
            None => (
                unit_iri(self.scope, name),
                name.to_string(),
                "unknown".to_string(),
            ),
        };
        w.add(u.clone(), rdf::TYPE, pol::UNIT);
        w.add(u.clone(), rdf::TYPE, org::ORGANIZATION);
        w.add_str(&u, rdfs::LABEL, &label);
        w.add(u.clone(), pol::JURISDICTION, self.region.clone());
        w.add(u.clone(), pol::COLLECTIVE, Literal::from(collective));
        w.add_str(&u, pol::UNIT_TYPE, &unit_type);
        u
    }
}

/// What a link points at.
#[derive(Clone, Copy)]
enum TargetKind {
    Strategy,
    Region,
    RegionGroup,
    Platform,
}

/// The node a link points at: the gazetteer's concept the linker resolved, or else (a
/// platform found by its name pattern) a node described in the document's graph.
fn target(
    w: &mut Writer,
    kind: TargetKind,
    name: &str,
    entity_type: Option<&str>,
    concept: Option<&Concept>,
) -> NamedNode {
    if let Some(concept) = concept {
        return node(concept.iri.clone());
    }
    let (path, class) = match kind {
        TargetKind::Strategy => ("strategy", pol::STRATEGY),
        TargetKind::Platform => ("platform", pol::PLATFORM),
        TargetKind::Region => ("region", pol::REGION),
        TargetKind::RegionGroup => ("region-group", pol::REGION_GROUP),
    };
    let t = node(format!("{ID}{path}/{}", iri_segment(name)));
    w.add(t.clone(), rdf::TYPE, class);
    w.add_str(&t, rdfs::LABEL, name);
    if let Some(kind) = entity_type {
        w.add_str(&t, pol::PLATFORM_TYPE, kind);
    }
    t
}

/// Stated and inferred links of a task, goal or section: direct triples, kept apart by
/// property, and qualified links with their rule and evidence. Region groups are only ever
/// stated: their members are inferred region links.
fn add_links(
    w: &mut Writer,
    subject: &NamedNode,
    links: &EntityLinks,
    evidence: &dyn Fn(&mut Writer, Span, bool) -> NamedNode,
) {
    let groups = [
        (
            "strategy",
            TargetKind::Strategy,
            &links.strategies,
            pol::STATED_STRATEGY,
            Some(pol::INFERRED_STRATEGY),
        ),
        (
            "region",
            TargetKind::Region,
            &links.regions,
            pol::STATED_REGION,
            Some(pol::INFERRED_REGION),
        ),
        (
            "region-group",
            TargetKind::RegionGroup,
            &links.region_groups,
            pol::STATED_REGION_GROUP,
            None,
        ),
        (
            "platform",
            TargetKind::Platform,
            &links.platforms,
            pol::STATED_PLATFORM,
            Some(pol::INFERRED_PLATFORM),
        ),
    ];
    for (path, kind, list, stated, inferred) in groups {
        for (n, link) in list.iter().enumerate() {
            let t = target(
                w,
                kind,
                &link.name,
                link.entity_type.as_deref(),
                link.concept.as_ref(),
            );
            let (property, kind_name) = match link.link {
                LinkKind::Stated => (Some(stated), "stated"),
                LinkKind::Inferred => (inferred, "inferred"),
            };
            if let Some(property) = property {
                w.add(subject.clone(), property, t.clone());
            }
            let l = node(format!("{}/link/{path}/{}", subject.as_str(), n + 1));
            w.add(subject.clone(), pol::ENTITY_LINK_PROP, l.clone());
            w.add(l.clone(), rdf::TYPE, pol::ENTITY_LINK);
            w.add(l.clone(), pol::TARGET, t);
            w.add_str(&l, pol::LINK_KIND, kind_name);
            if let Some(rule) = link.rule {
                w.add_str(&l, pol::RULE, rule.as_str());
            }
            w.add_opt(&l, pol::REASON, link.reason.as_deref());
            if link.planned {
                w.add(l.clone(), pol::PLANNED, Literal::from(true));
            }
            let e = evidence(w, link.span, true);
            w.add(l, pol::EVIDENCE_PROP, e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_segments() {
        assert_eq!(
            document_key("data/docs/liaoning-2021-1.txt"),
            "liaoning-2021-1"
        );
        assert_eq!(document_key("C:\\docs\\a.b.txt"), "a.b");
        assert_eq!(iri_segment("省科技厅"), "省科技厅");
        assert_eq!(iri_segment("各县（市、区）政府"), "各县（市、区）政府");
        assert_eq!(iri_segment("a b/c?d#e<f>"), "a%20b%2Fc%3Fd%23e%3Cf%3E");
        assert_eq!(
            unit_iri("辽宁省", "省科技厅").as_str(),
            "https://policykg.org/id/unit/辽宁省/省科技厅"
        );
        assert_ne!(
            unit_iri("辽宁省", "省科技厅"),
            unit_iri("江苏省", "省科技厅")
        );
    }

    #[test]
    fn iris_are_readable_paths() {
        let text = "辽宁省人民政府办公厅关于甲事的通知\n一、任务\n（一）做甲事。（牵头单位：省科技厅）再做乙事（牵头单位：省财政厅）\n";
        let doc = crate::extract_bytes(
            text.as_bytes(),
            std::path::Path::new("docs/ln-a.txt"),
            crate::Gazetteer::builtin(),
        )
        .expect("parses");
        let subjects: std::collections::BTreeSet<String> = document_quads(&doc)
            .into_iter()
            .map(|q| q.subject.to_string())
            .collect();
        for iri in [
            "<https://policykg.org/id/doc/ln-a>",
            "<https://policykg.org/id/doc/ln-a/section/1.1>",
            "<https://policykg.org/id/doc/ln-a/task/1.1>",
            "<https://policykg.org/id/doc/ln-a/task/1.1-2>",
            "<https://policykg.org/id/doc/ln-a/task/1.1/lead/1>",
            "<https://policykg.org/id/unit/辽宁省/省科技厅>",
            "<https://policykg.org/id/region/辽宁>",
        ] {
            assert!(subjects.contains(iri), "{iri} missing from {subjects:?}");
        }
    }
}
