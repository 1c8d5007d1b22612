//! The typed model of a parsed policy document: metadata, sections, tasks with their
//! unit references, goals and the warnings met on the way.
//!
//! Every extracted item carries a [`Span`] of Unicode code-point offsets into
//! [`ParsedDocument::text`], so that any fact can be traced back to its source.
//! The model knows nothing of RDF, graphs or HTTP.

use serde::{Deserialize, Serialize};

/// A half-open `[start, end)` range of Unicode code points (not bytes) in the decoded text.
/// Serialised as a two-element array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start after end");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
}

impl From<[usize; 2]> for Span {
    fn from([start, end]: [usize; 2]) -> Self {
        Span { start, end }
    }
}

impl From<Span> for [usize; 2] {
    fn from(span: Span) -> Self {
        [span.start, span.end]
    }
}

/// Where the text came from, how its bytes were decoded and the format they were read
/// from (spans refer to the text extracted from that format).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    pub sha256: String,
    pub encoding: String,
    #[serde(default)]
    pub format: SourceFormat,
}

/// Document-level metadata. Every field the text does not state is `None` (with a warning).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The document's title; for a cover notice (印发…的通知), the notice's title.
    pub title: Option<String>,
    /// The 文号, with its year bracket normalised to 〔〕.
    pub doc_number: Option<String>,
    /// The issuing body or bodies (joined with 、).
    pub issuer: Option<String>,
    /// The administrative area of the (first) issuer, e.g. 辽宁省.
    pub jurisdiction: Option<String>,
    /// ISO date `YYYY-MM-DD` of the signature.
    pub date: Option<String>,
    /// The 主送 addressees.
    pub addressees: Vec<String>,
    /// The publication note, e.g. 此件公开发布.
    pub publication: Option<String>,
    /// For a cover notice, the title of the document it issues.
    pub issued_title: Option<String>,
    /// Pairing arrangements stated in the text (沈阳与北京对口合作), canonical region names.
    #[serde(default)]
    pub pairings: Vec<[String; 2]>,
}

/// A numbered heading and the text it governs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Readable id made of the written numbers of the heading path, e.g. `2.1.3`.
    pub id: String,
    /// Depth in the heading tree, 1 for top-level headings.
    pub level: usize,
    /// The number as written, without brackets or punctuation (`一`, `3`, `①`).
    pub number: String,
    /// The number as an integer, where it can be read.
    pub ordinal: Option<u32>,
    /// The numbering style (`附件`, `章`, `节`, `条`, `一、`, `（一）`, `1.`, `（1）`, `①`).
    pub style: String,
    /// The heading text up to the first 。.
    pub title: String,
    pub parent: Option<String>,
    /// The heading and everything it governs.
    pub span: Span,
    /// The title's own span.
    pub title_span: Span,
    /// Strategies, regions and platforms named in the section's introduction (its text
    /// before its first sub-heading).
    #[serde(flatten)]
    pub links: EntityLinks,
}

/// The role a unit plays in a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Lead,
    Responsible,
    Supporting,
    /// Units that a carry-forward note assigns to later tasks without naming them there.
    Implied,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Lead,
        Role::Responsible,
        Role::Supporting,
        Role::Implied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Responsible => "responsible",
            Role::Supporting => "supporting",
            Role::Implied => "implied",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRole(pub String);

impl std::fmt::Display for UnknownRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown role {:?}: use lead, responsible, supporting or implied",
            self.0
        )
    }
}

impl std::error::Error for UnknownRole {}

impl std::str::FromStr for Role {
    type Err = UnknownRole;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == name)
            .ok_or_else(|| UnknownRole(name.to_string()))
    }
}

/// The concept of a gazetteer that the linker resolved a name to. Not part of the JSON
/// form: it is what the RDF mapping needs to name the node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Concept {
    pub iri: String,
    /// The canonical name.
    pub name: String,
    /// `pol:unitType` or `pol:platformType`, where the gazetteer gives one.
    pub entity_type: Option<String>,
}

/// One mention of a unit in an annotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRef {
    /// The unit's name, with a shared suffix restored (`沈阳` → `沈阳市政府`) and
    /// ASCII brackets written as full-width ones.
    pub name: String,
    /// Where the name is written; for an implied unit, where the carry-forward note names it.
    pub span: Span,
    /// The text exactly as written at `span`.
    pub surface: String,
    /// A collective reference such as 各市政府 or 有关部门.
    pub collective: bool,
    /// The unit of the document's jurisdiction that the name denotes, if the linker knows it.
    #[serde(skip)]
    pub concept: Option<Concept>,
}

/// A stretch of text governed by one unit annotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// `t1`, `t2`, … in document order.
    pub id: String,
    /// The section above the task's numbered item (its parent), or the item itself at top level.
    pub section: Option<String>,
    /// The numbered item holding the annotation.
    pub item: Option<String>,
    pub number: String,
    pub title: String,
    /// The task text without its number and without the annotation.
    pub text: String,
    /// Where `text` is.
    pub text_span: Span,
    /// From the start of the task's text to the end of its annotation.
    pub span: Span,
    /// The annotation (or table row) that names the units.
    pub annotation_span: Span,
    /// The units by role; in JSON `lead_units`, `responsible_units`, `supporting_units`
    /// and `implied_units`.
    #[serde(flatten, with = "task_units")]
    pub units: ByRole<Vec<UnitRef>>,
    #[serde(flatten)]
    pub links: EntityLinks,
}

impl Task {
    pub fn units(&self, role: Role) -> &[UnitRef] {
        &self.units[role]
    }

    pub(crate) fn units_mut(&mut self, role: Role) -> &mut Vec<UnitRef> {
        &mut self.units[role]
    }
}

/// One value for each [`Role`]: the units of a task, the names a gold file gives for each
/// role, the counts of a score. Indexed by role (`units[Role::Lead]`); in JSON an object
/// with a member per role (`lead`, `responsible`, `supporting`, `implied`), each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ByRole<T> {
    pub lead: T,
    pub responsible: T,
    pub supporting: T,
    pub implied: T,
}

impl<T> ByRole<T> {
    /// Each role with its value, in the order of [`Role::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = (Role, &T)> {
        Role::ALL.into_iter().map(move |role| (role, &self[role]))
    }

    /// The same roles with `f` applied to each value.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> ByRole<U> {
        ByRole {
            lead: f(self.lead),
            responsible: f(self.responsible),
            supporting: f(self.supporting),
            implied: f(self.implied),
        }
    }
}

impl<T> std::ops::Index<Role> for ByRole<T> {
    type Output = T;

    fn index(&self, role: Role) -> &T {
        match role {
            Role::Lead => &self.lead,
            Role::Responsible => &self.responsible,
            Role::Supporting => &self.supporting,
            Role::Implied => &self.implied,
        }
    }
}

impl<T> std::ops::IndexMut<Role> for ByRole<T> {
    fn index_mut(&mut self, role: Role) -> &mut T {
        match role {
            Role::Lead => &mut self.lead,
            Role::Responsible => &mut self.responsible,
            Role::Supporting => &mut self.supporting,
            Role::Implied => &mut self.implied,
        }
    }
}

/// A task's units in JSON as the model has always written them: `lead_units` … beside the
/// task's other members.
mod task_units {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{ByRole, UnitRef};

    #[derive(Serialize)]
    struct Written<'a> {
        lead_units: &'a [UnitRef],
        responsible_units: &'a [UnitRef],
        supporting_units: &'a [UnitRef],
        implied_units: &'a [UnitRef],
    }

    #[derive(Deserialize)]
    struct Read {
        lead_units: Vec<UnitRef>,
        responsible_units: Vec<UnitRef>,
        supporting_units: Vec<UnitRef>,
        implied_units: Vec<UnitRef>,
    }

    pub fn serialize<S: Serializer>(units: &ByRole<Vec<UnitRef>>, s: S) -> Result<S::Ok, S::Error> {
        Written {
            lead_units: &units.lead,
            responsible_units: &units.responsible,
            supporting_units: &units.supporting,
            implied_units: &units.implied,
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ByRole<Vec<UnitRef>>, D::Error> {
        let read = Read::deserialize(d)?;
        Ok(ByRole {
            lead: read.lead_units,
            responsible: read.responsible_units,
            supporting: read.supporting_units,
            implied: read.implied_units,
        })
    }
}

/// A dated target such as 到2025年，….
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub year: u16,
    pub text: String,
    pub span: Span,
    /// The innermost section holding the goal.
    pub section: Option<String>,
    #[serde(flatten)]
    pub links: EntityLinks,
}

/// Whether the text names an entity or the linker concluded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// The text names it.
    Stated,
    /// Concluded by a rule (membership, a section's introduction …); see `rule`.
    Inferred,
}

/// The rule that concludes an inferred link; serialised as its id (`member-of-group`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A member of a region group the text names: `京津冀` states the group, and 北京, 天津
    /// and 河北 follow from it.
    MemberOfGroup,
    /// A strategy one of whose member regions the text names (黑龙江 → 东北振兴).
    MemberRegionOfStrategy,
    /// A strategy named in the introduction of a section above the task.
    SectionIntroduction,
}

impl Rule {
    /// The rule's id, as written in JSON and RDF.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::MemberOfGroup => "member-of-group",
            Rule::MemberRegionOfStrategy => "member-region-of-strategy",
            Rule::SectionIntroduction => "section-introduction",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A link from a stretch of text to a strategy, region, region group or platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityLink {
    /// The canonical name (the gazetteer's preferred label, or the platform's name).
    pub name: String,
    /// The text as written.
    pub surface: String,
    /// Where the mention is; for an inferred link, the mention it was inferred from.
    pub span: Span,
    pub link: LinkKind,
    /// The rule that concludes an inferred link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
    /// The rule applied to this link, in words (`北京 is a member region of 京津冀`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For a platform: the text plans to build it (`打造东北信息中心`) rather than names one
    /// that exists.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub planned: bool,
    /// The platform type, for platforms.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<String>,
    /// The gazetteer's concept; `None` for a platform found only by its naming pattern.
    #[serde(skip)]
    pub concept: Option<Concept>,
}

/// The strategies, regions, region groups and platforms linked to a task, goal or section
/// introduction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityLinks {
    #[serde(default)]
    pub strategies: Vec<EntityLink>,
    /// Regions the text names (stated), and the members of the region groups it names
    /// (inferred by [`Rule::MemberOfGroup`]): a stated region is never one only a compact
    /// form names.
    #[serde(default)]
    pub regions: Vec<EntityLink>,
    /// Compact forms naming several regions at once (`京津冀`, `日韩俄蒙`), always stated.
    #[serde(default)]
    pub region_groups: Vec<EntityLink>,
    #[serde(default)]
    pub platforms: Vec<EntityLink>,
}

/// A pairing arrangement between two regions (对口合作).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pairing {
    pub regions: [String; 2],
    pub surface: String,
    pub span: Span,
    /// The gazetteer's concepts of the two regions.
    #[serde(skip)]
    pub concepts: [Option<Concept>; 2],
}

/// A rule the document states about its own annotations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Convention {
    /// 列第一位的为牵头单位: the first unit listed is the lead.
    FirstListedIsLead { span: Span },
    /// 第一个逗号前为牵头单位: the units before the first comma are leads.
    BeforeFirstCommaIsLead { span: Span },
    /// 标*的为牵头单位: units carrying the mark are leads.
    MarkIsLead { mark: char, span: Span },
    /// 以下均需…落实，不再列出: units implied for every later task.
    ImpliedForLaterTasks { units: Vec<String>, span: Span },
}

/// Something skipped or doubtful, with its 1-based line number where it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub line: Option<usize>,
    pub message: String,
}

/// The whole result of parsing one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedDocument {
    pub source: Source,
    pub document: Metadata,
    pub sections: Vec<Section>,
    pub tasks: Vec<Task>,
    pub goals: Vec<Goal>,
    pub conventions: Vec<Convention>,
    /// The pairing arrangements with their evidence.
    #[serde(default)]
    pub pairings: Vec<Pairing>,
    pub warnings: Vec<Warning>,
    /// The decoded text all spans point into.
    #[serde(skip)]
    pub text: String,
    /// What the linker resolved the document's own names to: its jurisdiction and issuers.
    #[serde(skip)]
    pub resolved: Resolved,
    /// How many of the clauses that look like unit annotations were read.
    #[serde(default)]
    pub coverage: Coverage,
}

/// The coverage of a document's unit annotations: the annotations read (inline,
/// stand-alone and table rows) and the clauses that name units like an annotation but were
/// not read (each also a warning).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Annotations read.
    pub annotations: usize,
    /// Clauses that look like annotations: those read and those not.
    pub candidates: usize,
    /// The clauses not read.
    pub unread: Vec<Unread>,
}

/// A bracketed clause or a line that names units but was not read as an annotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unread {
    /// 1-based line number.
    pub line: usize,
    pub span: Span,
    /// The clause as written.
    pub text: String,
}

/// Document-level names resolved by the linker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// The region of the document's jurisdiction.
    pub jurisdiction: Option<Concept>,
    /// Each issuer (the metadata's issuer split on 、) and the unit it denotes.
    pub issuers: Vec<(String, Option<Concept>)>,
}

impl ParsedDocument {
    /// The text of `span`, by code points.
    pub fn slice(&self, span: Span) -> String {
        self.text
            .chars()
            .skip(span.start)
            .take(span.len())
            .collect()
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The clauses that look like unit annotations but were not read: a strict run fails
    /// when there is any.
    pub fn unread_candidates(&self) -> &[Unread] {
        &self.coverage.unread
    }

    /// Number of unit references with `role` across all tasks.
    pub fn count_units(&self, role: Role) -> usize {
        self.tasks.iter().map(|t| t.units(role).len()).sum()
    }
}

/// The format a document was read from.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// Plain text (UTF-8, UTF-16, GB18030/GBK …).
    #[default]
    Text,
    /// An HTML page: the article body is read, the site around it left out.
    Html,
    /// A Word document (`.docx`, Office Open XML).
    Docx,
    /// A PDF with a text layer.
    Pdf,
}

impl SourceFormat {
    pub const ALL: [SourceFormat; 4] = [
        SourceFormat::Text,
        SourceFormat::Html,
        SourceFormat::Docx,
        SourceFormat::Pdf,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Html => "html",
            SourceFormat::Docx => "docx",
            SourceFormat::Pdf => "pdf",
        }
    }

    /// The format a file name's extension stands for, if any.
    pub fn from_extension(path: &std::path::Path) -> Option<SourceFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "txt" | "text" => Some(SourceFormat::Text),
            "html" | "htm" | "shtml" | "xhtml" => Some(SourceFormat::Html),
            "docx" => Some(SourceFormat::Docx),
            "pdf" => Some(SourceFormat::Pdf),
            _ => None,
        }
    }
}

impl std::fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a [`SourceFormat`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSourceFormat(pub String);

impl std::fmt::Display for UnknownSourceFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown document format '{}' (expected {})",
            self.0,
            crate::text::one_of(SourceFormat::ALL.map(SourceFormat::as_str))
        )
    }
}

impl std::error::Error for UnknownSourceFormat {}

impl std::str::FromStr for SourceFormat {
    type Err = UnknownSourceFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => Ok(SourceFormat::Text),
            "html" | "htm" => Ok(SourceFormat::Html),
            "docx" | "word" => Ok(SourceFormat::Docx),
            "pdf" => Ok(SourceFormat::Pdf),
            _ => Err(UnknownSourceFormat(s.to_string())),
        }
    }
}
