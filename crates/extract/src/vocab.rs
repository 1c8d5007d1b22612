//! Every IRI the project mints or uses, declared once: the policykg ontology namespace,
//! the bases of data IRIs and named graphs, and the standard vocabularies reused.
//! `ontology/policykg.ttl` describes each `pol:` term declared here.

use oxrdf::{NamedNode, NamedNodeRef};

/// The ontology namespace, `pol:`.
pub const POL: &str = "https://policykg.org/ns#";
/// Base of the IRIs minted for documents, units and regions.
pub const ID: &str = "https://policykg.org/id/";
/// Base of named-graph IRIs: one per document, plus [`REFERENCE_GRAPH`].
pub const GRAPH: &str = "https://policykg.org/graph/";
/// The graph holding the ontology and the gazetteers.
pub const REFERENCE_GRAPH: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://policykg.org/graph/reference");
/// The graph holding the statistics kept up to date with every write.
pub const STATISTICS_GRAPH: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://policykg.org/graph/statistics");

/// The key that names a document: its file name without extension.
pub fn document_key(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    if stem.is_empty() {
        "document".to_string()
    } else {
        stem.to_string()
    }
}

/// Percent-encodes what an IRI path segment may not hold; keeps CJK and most punctuation
/// readable.
pub fn iri_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let allowed = if c.is_ascii() {
            c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@".contains(c)
        } else {
            !c.is_control() && !c.is_whitespace() && !is_private_or_special(c)
        };
        if allowed {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Characters RFC 3987 keeps out of IRIs even though they are not ASCII.
fn is_private_or_special(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xFFF0..=0xFFFF | 0xFDD0..=0xFDEF | 0x2028 | 0x2029)
}

/// The named graph of a document.
pub fn document_graph(key: &str) -> NamedNode {
    node(format!("{GRAPH}{}", iri_segment(key)))
}

/// The IRI of a document.
pub fn document_iri(key: &str) -> NamedNode {
    node(format!("{ID}doc/{}", iri_segment(key)))
}

/// The IRI of a unit, scoped by its jurisdiction.
pub fn unit_iri(jurisdiction: &str, name: &str) -> NamedNode {
    node(format!(
        "{ID}unit/{}/{}",
        iri_segment(jurisdiction),
        iri_segment(name)
    ))
}

/// The IRI of a region (a jurisdiction or, later, a partner region).
pub fn region_iri(name: &str) -> NamedNode {
    node(format!("{ID}region/{}", iri_segment(name)))
}

fn node(iri: String) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

/// Prefixes used when printing RDF and in the named queries.
pub const PREFIXES: [(&str, &str); 10] = [
    ("pol", POL),
    ("id", ID),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("org", "http://www.w3.org/ns/org#"),
    ("prov", "http://www.w3.org/ns/prov#"),
];

/// An IRI shortened with the first of [`PREFIXES`] it starts with (`pol:leadUnit`), or whole.
pub fn compact_iri(iri: &str) -> String {
    for (prefix, namespace) in PREFIXES {
        if let Some(local) = iri.strip_prefix(namespace) {
            return format!("{prefix}:{local}");
        }
    }
    iri.to_string()
}

macro_rules! terms {
    ($ns:literal; $($name:ident = $local:literal),* $(,)?) => {
        $(pub const $name: NamedNodeRef<'static> =
            NamedNodeRef::new_unchecked(concat!($ns, $local));)*
    };
}

/// Own classes, properties and individuals.
pub mod pol {
    use super::NamedNodeRef;
    terms!("https://policykg.org/ns#";
        DOCUMENT = "Document",
        SECTION = "Section",
        TASK = "Task",
        GOAL = "Goal",
        UNIT = "Unit",
        UNIT_LINK = "UnitLink",
        ROLE = "Role",
        EVIDENCE = "Evidence",
        REGION = "Region",
        STRATEGY = "Strategy",
        PLATFORM = "Platform",
        CONVENTION = "Convention",
        UNREAD_CLAUSE = "UnreadClause",
        LEAD_ROLE = "LeadRole",
        RESPONSIBLE_ROLE = "ResponsibleRole",
        SUPPORTING_ROLE = "SupportingRole",
        IMPLIED_ROLE = "ImpliedRole",
        ROLES = "Roles",
        HAS_SECTION = "hasSection",
        HAS_TASK = "hasTask",
        HAS_GOAL = "hasGoal",
        STATES_CONVENTION = "statesConvention",
        HAS_UNREAD_CLAUSE = "hasUnreadClause",
        LINE = "line",
        PARENT_SECTION = "parentSection",
        SECTION_PROP = "section",
        ITEM = "item",
        INVOLVES_UNIT = "involvesUnit",
        LEAD_UNIT = "leadUnit",
        RESPONSIBLE_UNIT = "responsibleUnit",
        SUPPORTING_UNIT = "supportingUnit",
        IMPLIED_UNIT = "impliedUnit",
        UNIT_LINK_PROP = "unitLink",
        UNIT_PROP = "unit",
        ROLE_PROP = "role",
        EVIDENCE_PROP = "evidence",
        ANNOTATION = "annotation",
        JURISDICTION = "jurisdiction",
        NUMBER = "number",
        ORDINAL = "ordinal",
        LEVEL = "level",
        HEADING_STYLE = "headingStyle",
        TEXT = "text",
        YEAR = "year",
        START = "start",
        END = "end",
        QUOTE = "quote",
        POSITION = "position",
        COLLECTIVE = "collective",
        FULL_TEXT = "fullText",
        SHA256 = "sha256",
        SOURCE_PATH = "sourcePath",
        ENCODING = "encoding",
        ADDRESSEE = "addressee",
        PUBLICATION_NOTE = "publicationNote",
        ISSUED_TITLE = "issuedTitle",
        ISSUER_NAME = "issuerName",
        CONVENTION_KIND = "conventionKind",
        ENTITY_LINK = "EntityLink",
        PAIRING = "Pairing",
        REGION_GROUP = "RegionGroup",
        STATED_STRATEGY = "statedStrategy",
        INFERRED_STRATEGY = "inferredStrategy",
        STATED_REGION = "statedRegion",
        INFERRED_REGION = "inferredRegion",
        STATED_REGION_GROUP = "statedRegionGroup",
        STATED_PLATFORM = "statedPlatform",
        INFERRED_PLATFORM = "inferredPlatform",
        ENTITY_LINK_PROP = "entityLink",
        TARGET = "target",
        LINK_KIND = "linkKind",
        RULE = "rule",
        REASON = "reason",
        PLANNED = "planned",
        MEMBER_REGION = "memberRegion",
        PLATFORM_TYPE = "platformType",
        UNIT_TYPE = "unitType",
        REGION_LEVEL = "regionLevel",
        STATES_PAIRING = "statesPairing",
        FIRST_REGION = "firstRegion",
        SECOND_REGION = "secondRegion",
        COOPERATION = "Cooperation",
        COOPERATING_UNIT = "cooperatingUnit",
        SHARED_TASKS = "sharedTasks",
        DOCUMENT_COUNT = "documentCount",
        TASK_COUNT = "taskCount",
        UNIT_LINK_COUNT = "unitLinkCount",
        UNIT_COUNT = "unitCount",
        TRIPLE_COUNT = "tripleCount",
        GRAPH_COUNT = "graphCount",
        STATISTICS_VERSION = "statisticsVersion",
        TIE = "Tie",
        TIED_STRATEGY = "tiedStrategy",
        TIED_TARGET = "tiedTarget",
        TARGET_CLASS = "targetClass",
        BOTH_STATED = "bothStated",
        PARTNERSHIP = "Partnership",
        HOME_REGION = "homeRegion",
        PARTNER_REGION = "partnerRegion",
    );
}

pub mod rdf {
    use super::NamedNodeRef;
    terms!("http://www.w3.org/1999/02/22-rdf-syntax-ns#"; TYPE = "type");
}

pub mod rdfs {
    use super::NamedNodeRef;
    terms!("http://www.w3.org/2000/01/rdf-schema#"; LABEL = "label");
}

pub mod skos {
    use super::NamedNodeRef;
    terms!("http://www.w3.org/2004/02/skos/core#"; PREF_LABEL = "prefLabel");
}

pub mod dcterms {
    use super::NamedNodeRef;
    terms!("http://purl.org/dc/terms/";
        TITLE = "title",
        IDENTIFIER = "identifier",
        ISSUED = "issued",
        PUBLISHER = "publisher",
    );
}

pub mod org {
    use super::NamedNodeRef;
    terms!("http://www.w3.org/ns/org#"; ORGANIZATION = "Organization");
}

pub mod prov {
    use super::NamedNodeRef;
    terms!("http://www.w3.org/ns/prov#"; WAS_QUOTED_FROM = "wasQuotedFrom");
}

pub mod xsd {
    use super::NamedNodeRef;
    terms!("http://www.w3.org/2001/XMLSchema#"; DATE = "date");
}
