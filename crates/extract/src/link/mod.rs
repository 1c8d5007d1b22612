//! Entity linking: finds the national strategies, regions and platforms that tasks, goals
//! and section introductions name (gazetteer labels, plus platforms found by the genre's
//! naming patterns), infers further links by stated rules, and reads the pairing
//! arrangements (`沈阳与北京对口合作`). Every link keeps the span of its mention.

mod gazetteer;

use std::collections::HashSet;

use regex::Regex;
use std::sync::LazyLock;

use crate::model::{
    Concept, EntityLink, EntityLinks, LinkKind, Pairing, ParsedDocument, Resolved, Role, Rule, Span,
};
use crate::text::{char_offsets, fold_str, normalise_name};
pub use gazetteer::{Entry, Gazetteer, GazetteerError, Kind};

/// Name endings of platforms, longest first where one ends another.
const PLATFORM_SUFFIXES: [(&str, &str); 16] = [
    ("自由贸易试验区", "free-trade-zone"),
    ("自由贸易港", "free-trade-zone"),
    ("示范区", "demonstration-zone"),
    ("实验室", "laboratory"),
    ("产业园区", "industrial-park"),
    ("产业园", "industrial-park"),
    ("试验区", "free-trade-zone"),
    ("交易会", "fair"),
    ("博览会", "fair"),
    ("洽谈会", "fair"),
    ("航运中心", "shipping-centre"),
    ("国家公园", "national-park"),
    ("科学城", "science-city"),
    ("新区", "new-area"),
    ("合作区", "cooperation-zone"),
    ("班列", "freight-corridor"),
];

/// Generic name endings: a name ending so is a platform only where the text plans to build
/// it (`打造东北信息中心`, `共建国家区域医疗中心`); longest first.
const PLANNED_SUFFIXES: [(&str, &str); 5] = [
    ("中心枢纽", "hub"),
    ("枢纽", "hub"),
    ("中心", "centre"),
    ("平台", "platform"),
    ("基地", "base"),
];

/// Verbs that plan a platform: what they govern is to be built, not one that exists.
const PLANNING_VERBS: &[&str] = &[
    "建设",
    "共建",
    "共建共享",
    "建立",
    "打造",
    "筹建",
    "组建",
    "谋划",
    "创建",
    "搭建",
    "设立",
];

/// Words that end a platform name on its left: verbs and prepositions before it.
const LEFT_BOUNDARIES: &[&str] = &[
    "与",
    "和",
    "及",
    "以",
    "在",
    "对",
    "向",
    "把",
    "将",
    "为",
    "等",
    "的",
    "支持",
    "推进",
    "推动",
    "加快",
    "共建",
    "参与",
    "依托",
    "围绕",
    "打造",
    "办好",
    "参加",
    "深化",
    "加强",
    "创建",
    "联合",
    "鼓励",
    "引导",
    "探索",
    "争取",
    "申报",
    "设立",
    "组建",
    "借鉴",
    "建设",
    "统筹",
    "借助",
    "依靠",
    "利用",
    "建立",
    "搭建",
    "形成",
    "成为",
    "通过",
    "实现",
    "入驻",
    "落户",
    "筹建",
    "谋划",
    "共建共享",
];

/// Words that say nothing about which platform is meant.
const GENERIC_WORDS: &[&str] = &[
    "合作地区",
    "国家级",
    "自主创新",
    "自由贸易",
    "电子商务",
    "国家",
    "国际",
    "省级",
    "市级",
    "各类",
    "重点",
    "高端",
    "特色",
    "合作",
    "产业",
    "区域",
    "一批",
    "新型",
    "地区",
    "自贸",
    "综合",
    "跨境",
    "创新",
    "现代",
    "示范",
    "相关",
    "有关",
    "本地",
    "当地",
    "境外",
    "海外",
    "联合",
    "共建",
    "主要",
    "大型",
    "现有",
    "已有",
    "新建",
    "开源",
    "公共",
    "共性",
    "全国",
    "全省",
    "全市",
    "高校",
    "标杆",
    "各地",
    "各",
    "省",
    "市",
];

/// A stem with one of these words describes a kind of platform (`监管科学领域重点实验室`:
/// laboratories of a field), not one named platform.
const DESCRIPTIVE_WORDS: &[&str] = &["领域", "方面", "行业"];

/// The rest of an institution's name after a region's (`吉林大学`, `大连理工大学`): the
/// mention names the institution, not the region.
static INSTITUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Han}A-Za-z]{0,4}?(大学|学院)($|[^生])").expect("valid regex")
});

static PAIRING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"对口(合作|协作|支援)").expect("valid regex"));

/// The text as code points and folded, with a byte-to-char table for the folded form.
struct Text {
    folded: Vec<char>,
    original: Vec<char>,
}

impl Text {
    fn new(text: &str) -> Self {
        Text {
            folded: fold_str(text).chars().collect(),
            original: text.chars().collect(),
        }
    }

    fn slice(&self, span: Span) -> String {
        self.original[span.start..span.end].iter().collect()
    }

    fn folded_slice(&self, span: Span) -> String {
        self.folded[span.start..span.end].iter().collect()
    }

    fn ends_with(&self, at: usize, word: &str) -> bool {
        let n = word.chars().count();
        at >= n && self.folded[at - n..at].iter().copied().eq(word.chars())
    }
}

/// A mention found in a span of the text.
#[derive(Debug, Clone)]
struct Mention {
    span: Span,
    entry: usize,
}

/// A platform found in a span: canonical name, type, span.
#[derive(Debug, Clone)]
struct PlatformMention {
    name: String,
    entity_type: Option<String>,
    span: Span,
    /// Governed by a planning verb.
    planned: bool,
}

/// Links the document's tasks, goals and section introductions, and reads its pairings.
pub fn link_document(doc: &mut ParsedDocument, gazetteer: &Gazetteer) {
    let text = Text::new(&doc.text);
    let own = doc
        .document
        .jurisdiction
        .as_deref()
        .and_then(|j| gazetteer.region(j))
        .map(|e| e.name.clone());
    // Annotations name units: a place or platform inside a unit's name (沈抚示范区管委会,
    // 大连海关) is not a mention, whichever span is being linked.
    let annotations: Vec<Span> = doc.tasks.iter().map(|t| t.annotation_span).collect();
    let linker = Linker {
        gazetteer,
        text: &text,
        own: own.as_deref(),
        annotations: &annotations,
    };

    let intro_spans: Vec<Span> = doc
        .sections
        .iter()
        .map(|s| {
            let first_child = doc
                .sections
                .iter()
                .filter(|c| c.parent.as_deref() == Some(s.id.as_str()))
                .map(|c| c.span.start)
                .min();
            Span::new(
                s.span.start,
                first_child.unwrap_or(s.span.end).max(s.span.start),
            )
        })
        .collect();
    let intro_links: Vec<EntityLinks> = intro_spans
        .iter()
        .map(|&span| linker.stated(span))
        .collect();
    for (section, links) in doc.sections.iter_mut().zip(&intro_links) {
        section.links = links.clone();
    }

    for task in &mut doc.tasks {
        let mut links = linker.stated(task.text_span);
        // Strategies named in the introductions of the sections above the task's item.
        let mut ancestor = task
            .item
            .as_deref()
            .and_then(|item| doc.sections.iter().position(|s| s.id == item))
            .and_then(|i| doc.sections[i].parent.clone());
        while let Some(id) = ancestor {
            let Some(i) = doc.sections.iter().position(|s| s.id == id) else {
                break;
            };
            let section = &doc.sections[i];
            for strategy in &intro_links[i].strategies {
                let reason = format!(
                    "named in the introduction of section {} {}",
                    section.id, section.title
                );
                push_inferred(
                    &mut links.strategies,
                    strategy,
                    Rule::SectionIntroduction,
                    reason,
                );
            }
            ancestor = section.parent.clone();
        }
        linker.infer_from_members(&mut links);
        task.links = links;
    }
    for goal in &mut doc.goals {
        let mut links = linker.stated(goal.span);
        linker.infer_from_members(&mut links);
        goal.links = links;
    }

    doc.pairings = linker.pairings();
    doc.document.pairings = doc.pairings.iter().map(|p| p.regions.clone()).collect();
    resolve_names(doc, gazetteer);
}

impl From<&Entry> for Concept {
    fn from(entry: &Entry) -> Self {
        Concept {
            iri: entry.iri.clone(),
            name: entry.name.clone(),
            entity_type: entry.entity_type.clone(),
        }
    }
}

/// Records the concept each name denotes: the document's jurisdiction, its issuers and the
/// units of its tasks (units of the jurisdiction's gazetteer), and the targets of its links.
fn resolve_names(doc: &mut ParsedDocument, gazetteer: &Gazetteer) {
    let jurisdiction = doc.document.jurisdiction.clone();
    let unit = |name: &str| {
        jurisdiction
            .as_deref()
            .and_then(|j| gazetteer.unit(j, name))
            .map(Concept::from)
    };
    doc.resolved = Resolved {
        jurisdiction: jurisdiction
            .as_deref()
            .and_then(|j| gazetteer.region(j))
            .map(Concept::from),
        issuers: doc
            .document
            .issuer
            .iter()
            .flat_map(|issuer| issuer.split('、'))
            .map(|name| (name.to_string(), unit(name)))
            .collect(),
    };
    let concept = |kind: Kind, name: &str| gazetteer.concept(kind, name).map(Concept::from);
    let resolve_links = |links: &mut EntityLinks| {
        for (kind, list) in [
            (Kind::Strategy, &mut links.strategies),
            (Kind::Region, &mut links.regions),
            (Kind::RegionGroup, &mut links.region_groups),
            (Kind::Platform, &mut links.platforms),
        ] {
            for link in list {
                link.concept = concept(kind, &link.name);
            }
        }
    };
    for section in &mut doc.sections {
        resolve_links(&mut section.links);
    }
    for goal in &mut doc.goals {
        resolve_links(&mut goal.links);
    }
    for task in &mut doc.tasks {
        resolve_links(&mut task.links);
        for role in Role::ALL {
            for unit_ref in task.units_mut(role) {
                unit_ref.concept = unit(&unit_ref.name);
            }
        }
    }
    for pairing in &mut doc.pairings {
        pairing.concepts = pairing
            .regions
            .clone()
            .map(|name| concept(Kind::Region, &name));
    }
}

/// Adds `from` as a link inferred by `rule`, unless the list links its name already (a
/// stated link is never replaced by an inferred one).
fn push_inferred(list: &mut Vec<EntityLink>, from: &EntityLink, rule: Rule, reason: String) {
    if list.iter().any(|l| l.name == from.name) {
        return;
    }
    list.push(EntityLink {
        link: LinkKind::Inferred,
        rule: Some(rule),
        reason: Some(reason),
        ..from.clone()
    });
}

struct Linker<'a> {
    gazetteer: &'a Gazetteer,
    text: &'a Text,
    /// The canonical name of the document's own jurisdiction, never a partner region.
    own: Option<&'a str>,
    /// Unit annotations, never searched for entities.
    annotations: &'a [Span],
}

impl Linker<'_> {
    /// Gazetteer mentions in `span`.
    fn mentions(&self, span: Span) -> Vec<Mention> {
        let folded = self.text.folded_slice(span);
        let char_at = char_offsets(&folded);
        let mut out = Vec::new();
        for found in self.gazetteer.find_all(&folded) {
            let mention_span = Span::new(
                span.start + char_at[found.start],
                span.start + char_at[found.end],
            );
            for entry in found.entries {
                out.push(Mention {
                    span: mention_span,
                    entry,
                });
            }
        }
        out
    }

    /// The stated strategies, regions and platforms of `span`.
    fn in_annotation(&self, s: Span) -> bool {
        self.annotations
            .iter()
            .any(|a| a.start < s.end && s.start < a.end)
    }

    fn stated(&self, span: Span) -> EntityLinks {
        let mentions: Vec<Mention> = self
            .mentions(span)
            .into_iter()
            .filter(|m| !self.in_annotation(m.span))
            .collect();
        let entries = &self.gazetteer.entries;
        let mut platforms: Vec<PlatformMention> = mentions
            .iter()
            .filter(|m| entries[m.entry].kind == Kind::Platform)
            .map(|m| PlatformMention {
                name: entries[m.entry].name.clone(),
                entity_type: entries[m.entry].entity_type.clone(),
                span: m.span,
                planned: self.planned_at(span, m.span.start),
            })
            .collect();
        for found in self
            .pattern_platforms(span)
            .into_iter()
            .filter(|p| !self.in_annotation(p.span))
        {
            let overlapping = platforms
                .iter()
                .position(|p| p.span.start < found.span.end && found.span.start < p.span.end);
            match overlapping {
                // A listed platform at the end of a longer pattern match (优化整合中欧班列)
                // is the name; the rest is the verb before it.
                Some(i) if platforms[i].span.end == found.span.end => {}
                Some(i) if platforms[i].span.len() >= found.span.len() => {}
                Some(i) => platforms[i] = found,
                None => platforms.push(found),
            }
        }
        platforms.sort_by_key(|p| p.span.start);
        let inside_platform = |s: Span| {
            platforms
                .iter()
                .any(|p| p.span.start <= s.start && s.end <= p.span.end)
        };

        let mut links = EntityLinks::default();
        let stated = |name: &str, span: Span, entity_type: Option<String>| EntityLink {
            name: name.to_string(),
            surface: self.text.slice(span),
            span,
            link: LinkKind::Stated,
            rule: None,
            reason: None,
            planned: false,
            entity_type,
            concept: None,
        };
        let add = |list: &mut Vec<EntityLink>, link: EntityLink| {
            if !list.iter().any(|l| l.name == link.name) {
                list.push(link);
            }
        };
        for m in &mentions {
            let entry = &entries[m.entry];
            match entry.kind {
                Kind::Strategy => add(&mut links.strategies, stated(&entry.name, m.span, None)),
                Kind::Region
                    if !inside_platform(m.span)
                        && !self.opens_an_institution(m.span)
                        && Some(entry.name.as_str()) != self.own =>
                {
                    add(&mut links.regions, stated(&entry.name, m.span, None));
                }
                // A compact form states the group, not its members.
                Kind::RegionGroup if !inside_platform(m.span) => {
                    add(&mut links.region_groups, stated(&entry.name, m.span, None));
                }
                _ => {}
            }
        }
        // Members follow from each group once every region the text names is in: a member
        // also named by itself stays stated.
        for group in links.region_groups.clone() {
            let Some(entry) = self.gazetteer.concept(Kind::RegionGroup, &group.name) else {
                continue;
            };
            for &member in &entry.members {
                let name = &entries[member].name;
                if Some(name.as_str()) == self.own {
                    continue;
                }
                let reason = format!("{name} is a member region of {}", group.name);
                let from = EntityLink {
                    name: name.clone(),
                    ..group.clone()
                };
                push_inferred(&mut links.regions, &from, Rule::MemberOfGroup, reason);
            }
        }
        for p in platforms {
            let link = EntityLink {
                planned: p.planned,
                ..stated(&p.name, p.span, p.entity_type)
            };
            add(&mut links.platforms, link);
        }
        links
    }

    /// Whether the mention at `s` begins the name of a university or college.
    fn opens_an_institution(&self, s: Span) -> bool {
        let folded = &self.text.folded;
        let rest: String = folded[s.end.min(folded.len())..(s.end + 8).min(folded.len())]
            .iter()
            .collect();
        INSTITUTION.is_match(&rest)
    }

    /// Platforms found by their name endings: the name runs left from the ending to a
    /// verb, preposition or punctuation, over brackets; generic names are dropped.
    fn pattern_platforms(&self, span: Span) -> Vec<PlatformMention> {
        let folded = &self.text.folded;
        let mut out: Vec<PlatformMention> = Vec::new();
        let mut i = span.start;
        while i < span.end {
            let at = |s: &&(&str, &str)| {
                let n = s.0.chars().count();
                i + n <= span.end && folded[i..i + n].iter().copied().eq(s.0.chars())
            };
            let found = PLATFORM_SUFFIXES
                .iter()
                .find(at)
                .map(|f| (f, false))
                .or_else(|| PLANNED_SUFFIXES.iter().find(at).map(|f| (f, true)));
            let Some(((suffix, kind), generic)) = found else {
                i += 1;
                continue;
            };
            let end = i + suffix.chars().count();
            let mut start = i;
            while start > span.start && i - start < 24 {
                if LEFT_BOUNDARIES
                    .iter()
                    .any(|w| self.text.ends_with(start, w))
                {
                    break;
                }
                let c = folded[start - 1];
                if c == ')' {
                    // Take a bracketed part of the name whole: 中德(沈阳)….
                    match (span.start..start - 1).rev().find(|&k| folded[k] == '(') {
                        Some(open) => start = open,
                        None => break,
                    }
                } else if ('\u{4e00}'..='\u{9fff}').contains(&c) || c.is_ascii_alphanumeric() {
                    start -= 1;
                } else {
                    break;
                }
            }
            let name_span = Span::new(start, end);
            let stem: String = folded[start..i].iter().collect();
            let mut rest = stem.clone();
            for word in GENERIC_WORDS {
                rest = rest.replace(word, "");
            }
            let rest = rest.replace(['(', ')'], "");
            let descriptive = DESCRIPTIVE_WORDS.iter().any(|w| stem.contains(w));
            let planned = self.planned_at(span, start);
            if rest.chars().count() >= 2 && !descriptive && (planned || !generic) {
                let written = normalise_name(&self.text.slice(name_span));
                let (name, entity_type) = match self.gazetteer.platform(&written) {
                    Some(entry) => (entry.name.clone(), entry.entity_type.clone()),
                    None => (written, Some(kind.to_string())),
                };
                out.push(PlatformMention {
                    name,
                    entity_type,
                    span: name_span,
                    planned,
                });
            }
            i = end;
        }
        out
    }

    /// Whether a planning verb governs the name beginning at `start`: right before it
    /// (`打造东北信息中心`), or before the list it ends (`打造东北信息中心、大数据中心`).
    fn planned_at(&self, span: Span, start: usize) -> bool {
        let folded = &self.text.folded;
        let mut at = start;
        loop {
            if PLANNING_VERBS.iter().any(|w| self.text.ends_with(at, w)) {
                return true;
            }
            if at <= span.start || folded[at - 1] != '、' {
                return false;
            }
            // The list item before: back over its name to the word or mark before it.
            at -= 1;
            let item_end = at;
            while at > span.start
                && item_end - at < 24
                && !LEFT_BOUNDARIES.iter().any(|w| self.text.ends_with(at, w))
                && (('\u{4e00}'..='\u{9fff}').contains(&folded[at - 1])
                    || folded[at - 1].is_ascii_alphanumeric()
                    || matches!(folded[at - 1], '(' | ')'))
            {
                at -= 1;
            }
            if at == item_end {
                return false;
            }
        }
    }

    /// Strategies a region named by itself belongs to, as inferred links: a city belongs
    /// to the strategies that list it, a province to those of at most four members (a
    /// province says little about a strategy spanning a third of the country).
    fn infer_from_members(&self, links: &mut EntityLinks) {
        let entries = &self.gazetteer.entries;
        let regions = links.regions.clone();
        for region in regions.iter().filter(|r| r.link == LinkKind::Stated) {
            let Some(entry) = self.gazetteer.region(&region.surface) else {
                continue;
            };
            let is_city = entry.broader.is_some();
            for strategy in entries.iter().filter(|e| e.kind == Kind::Strategy) {
                let member = strategy
                    .members
                    .iter()
                    .any(|&m| entries[m].name == region.name);
                if member && (is_city || strategy.members.len() <= 4) {
                    let reason = format!("{} is a member region of {}", region.name, strategy.name);
                    let from = EntityLink {
                        name: strategy.name.clone(),
                        ..region.clone()
                    };
                    push_inferred(
                        &mut links.strategies,
                        &from,
                        Rule::MemberRegionOfStrategy,
                        reason,
                    );
                }
            }
        }
    }

    /// `A与B对口合作`, `A与B、C与D对口合作`: pairs of regions, in the order written.
    fn pairings(&self) -> Vec<Pairing> {
        let folded: String = self.text.folded.iter().collect();
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for m in PAIRING.find_iter(&folded) {
            let end = folded[..m.start()].chars().count();
            // The clause before 对口合作, back to punctuation or 以.
            let mut start = end;
            while start > 0 && end - start < 40 {
                let c = self.text.folded[start - 1];
                if matches!(c, ',' | '。' | ';' | ':' | '\n' | '以' | '(' | ')') {
                    break;
                }
                start -= 1;
            }
            let mut offset = start;
            for part in self.text.folded[start..end]
                .iter()
                .collect::<String>()
                .split('、')
            {
                let part_chars = part.chars().count();
                if let Some((left, right)) = part.split_once('与') {
                    let left_name = self.region_suffix(left);
                    let right_name = self.region_prefix(right);
                    if let (Some(a), Some(b)) = (left_name, right_name) {
                        let span = Span::new(offset, offset + part_chars);
                        if seen.insert((a.clone(), b.clone())) {
                            out.push(Pairing {
                                regions: [a, b],
                                surface: self.text.slice(span),
                                span,
                                concepts: Default::default(),
                            });
                        }
                    }
                }
                offset += part_chars + 1;
            }
        }
        out
    }

    /// The region named by the longest ending of `text`.
    fn region_suffix(&self, text: &str) -> Option<String> {
        let chars: Vec<char> = text.chars().collect();
        (0..chars.len()).find_map(|k| {
            let candidate: String = chars[k..].iter().collect();
            self.gazetteer.region(&candidate).map(|e| e.name.clone())
        })
    }

    /// The region named by the longest beginning of `text`.
    fn region_prefix(&self, text: &str) -> Option<String> {
        let chars: Vec<char> = text.chars().collect();
        (1..=chars.len()).rev().find_map(|k| {
            let candidate: String = chars[..k].iter().collect();
            self.gazetteer.region(&candidate).map(|e| e.name.clone())
        })
    }
}
