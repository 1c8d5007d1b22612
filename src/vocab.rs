//! Every IRI the project mints or uses, declared once: the policykg ontology namespace,
//! the bases of data IRIs and named graphs, and the standard vocabularies reused.
//! `ontology/policykg.ttl` describes each `pol:` term declared here.

use oxigraph::model::NamedNodeRef;

/// The ontology namespace, `pol:`.
pub const POL: &str = "https://policykg.org/ns#";
/// Base of the IRIs minted for documents, units and regions.
pub const ID: &str = "https://policykg.org/id/";
/// Base of named-graph IRIs: one per document, plus [`REFERENCE_GRAPH`].
pub const GRAPH: &str = "https://policykg.org/graph/";
/// The graph holding the ontology and the gazetteers.
pub const REFERENCE_GRAPH: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://policykg.org/graph/reference");

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
        LEAD_ROLE = "LeadRole",
        RESPONSIBLE_ROLE = "ResponsibleRole",
        SUPPORTING_ROLE = "SupportingRole",
        IMPLIED_ROLE = "ImpliedRole",
        ROLES = "Roles",
        HAS_SECTION = "hasSection",
        HAS_TASK = "hasTask",
        HAS_GOAL = "hasGoal",
        STATES_CONVENTION = "statesConvention",
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
        STATED_PLATFORM = "statedPlatform",
        INFERRED_PLATFORM = "inferredPlatform",
        ENTITY_LINK_PROP = "entityLink",
        TARGET = "target",
        LINK_KIND = "linkKind",
        RULE = "rule",
        MEMBER_REGION = "memberRegion",
        PLATFORM_TYPE = "platformType",
        UNIT_TYPE = "unitType",
        REGION_LEVEL = "regionLevel",
        STATES_PAIRING = "statesPairing",
        FIRST_REGION = "firstRegion",
        SECOND_REGION = "secondRegion",
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
