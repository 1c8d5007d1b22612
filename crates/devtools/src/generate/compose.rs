//! Composes one document: picks a jurisdiction, a year, a header (cover notice, direct
//! title or bare title), a heading layout and an annotation style, then writes the text
//! line by line while recording what each annotation assigns, as the parser's rules read
//! it (conventions in force, carry-forward notes, table columns).

use std::collections::HashSet;

use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::phrases::*;
use super::pools::{Level, Named, PLACES, POOLS, Place, UnitPool};
use super::{AnnotationStyle, ExpectedTask, GeneratedDocument, HeaderKind, HeadingLayout, Profile};
use policykg_extract::model::{ByRole, Metadata};

/// The conventions a document states, which decide how its lists are read.
#[derive(Debug, Clone, Copy, Default)]
struct Rules {
    first_is_lead: bool,
    before_comma: bool,
    mark: Option<char>,
}

/// Units of one annotation by role, in the order written (none implied: a carry-forward
/// note's units are drawn apart).
type Roles = ByRole<Vec<String>>;

/// Punctuation of annotations: most documents write full-width forms, some ASCII ones.
#[derive(Debug, Clone, Copy)]
struct Punct {
    open: char,
    close: char,
    colon: char,
    comma: char,
    semicolon: char,
}

const FULL: Punct = Punct {
    open: '（',
    close: '）',
    colon: '：',
    comma: '，',
    semicolon: '；',
};

const ASCII: Punct = Punct {
    open: '(',
    close: ')',
    colon: ':',
    comma: ',',
    semicolon: ';',
};

/// One data row of a task table, before it is written.
struct Row {
    number: String,
    title: String,
    /// Empty number and title cells: a merged cell carried down from the row above.
    merged: bool,
    text: String,
    lead: Vec<String>,
    others: Vec<String>,
    deadline: String,
}

/// Strategies, regions and platforms a stretch of text names (canonical names).
#[derive(Debug, Clone, Default)]
struct Entities {
    strategies: Vec<String>,
    regions: Vec<String>,
    platforms: Vec<String>,
}

impl Entities {
    fn add(list: &mut Vec<String>, name: &str) {
        if !list.iter().any(|n| n == name) {
            list.push(name.to_string());
        }
    }
}

/// How the standalone style writes its unit lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standalone {
    /// `责任单位：A、B，C`
    Responsible,
    /// `牵头单位：A；配合单位：B、C`
    LeadSupporting,
    /// `牵头责任单位：A。` then `协同责任单位：B、C。` on the next line.
    TwoLines,
    /// `部门分工：A牵头，B配合。`
    Division,
}

struct Composer {
    rng: ChaCha8Rng,
    place: &'static Place,
    pool: &'static UnitPool,
    weights: WeightedIndex<u32>,
    year: u16,
    style: AnnotationStyle,
    standalone: Standalone,
    punct: Punct,
    rules: Rules,
    /// Units a carry-forward note assigns to later tasks, once the note has been written.
    carried: Vec<String>,
    /// The carry-forward note still to be written into the first annotation.
    carry_in_first: Option<Vec<String>>,
    annotations_written: usize,
    /// How many departments besides the leads a task names, at most.
    breadth: usize,
    collective: Option<String>,
    collective_rate: f64,
    territorial_rate: f64,
    scope: &'static str,
    used_titles: HashSet<String>,
    body: Vec<String>,
    tasks: Vec<ExpectedTask>,
    rows: Vec<Row>,
}

/// Composes document `index` of the corpus of `seed`.
pub fn compose(seed: u64, index: usize) -> GeneratedDocument {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index as u64);
    let pools = &*POOLS;

    // The nine jurisdictions with a unit gazetteer carry most documents.
    let place_weights: Vec<u32> = PLACES
        .iter()
        .zip(&pools.units)
        .map(|(p, u)| match (u.in_gazetteer, p.level) {
            (true, Level::Central) => 8,
            (true, _) => 20,
            (false, _) => 5,
        })
        .collect();
    let place_index = WeightedIndex::new(&place_weights)
        .expect("positive weights")
        .sample(&mut rng);
    let place = &PLACES[place_index];
    let pool = &pools.units[place_index];

    // Zipf weights (1/rank) over the ranked departments; the department a document is
    // most about weighs three times more. Integers, so that every platform draws alike.
    let focal = rng.random_range(0..pool.departments.len().min(10));
    let unit_weights: Vec<u32> = (0..pool.departments.len())
        .map(|i| {
            let w = 1_000_000 / (i as u32 + 1);
            if i == focal { w * 3 } else { w }
        })
        .collect();
    let weights = WeightedIndex::new(&unit_weights).expect("positive weights");

    let style = pick_style(&mut rng, place);
    let standalone = *[
        Standalone::Responsible,
        Standalone::Responsible,
        Standalone::LeadSupporting,
        Standalone::TwoLines,
        Standalone::Division,
    ]
    .choose(&mut rng)
    .expect("not empty");
    let mut rules = Rules::default();
    match style {
        AnnotationStyle::FirstListedLead | AnnotationStyle::VerbFirstListed => {
            rules.first_is_lead = true;
        }
        AnnotationStyle::BeforeCommaLead => rules.before_comma = true,
        AnnotationStyle::MarkedLead => {
            rules.mark = Some(if rng.random_bool(0.7) { '★' } else { '*' });
        }
        AnnotationStyle::Standalone
            if standalone == Standalone::Responsible && rng.random_bool(0.4) =>
        {
            rules.first_is_lead = true;
        }
        _ => {}
    }
    let collective = pool.collectives.choose(&mut rng).cloned();
    let composer = Composer {
        place,
        pool,
        weights,
        year: rng.random_range(2015..=2026),
        style,
        standalone,
        punct: if rng.random_bool(0.15) { ASCII } else { FULL },
        rules,
        carried: Vec::new(),
        carry_in_first: None,
        annotations_written: 0,
        breadth: rng.random_range(3..=7),
        collective,
        collective_rate: *[0.0, 0.5, 0.8, 1.0].choose(&mut rng).expect("not empty"),
        territorial_rate: rng.random_range(0.0..0.3),
        scope: match place.level {
            Level::Central => "全国",
            Level::Province => "全省",
            Level::City => "全市",
        },
        used_titles: HashSet::new(),
        body: Vec::new(),
        tasks: Vec::new(),
        rows: Vec::new(),
        rng,
    };
    composer.write()
}

fn pick_style(rng: &mut ChaCha8Rng, place: &Place) -> AnnotationStyle {
    use AnnotationStyle::*;
    if place.level == Level::Central {
        return *[VerbFirstListed, VerbFirstListed, Verb, LabelLeadResponsible]
            .choose(rng)
            .expect("not empty");
    }
    let styles = [
        (LabelLeadResponsible, 16),
        (LabelLeadSupporting, 10),
        (ResponsibleOnly, 12),
        (FirstListedLead, 12),
        (BeforeCommaLead, 10),
        (Verb, 12),
        (VerbFirstListed, 5),
        (Standalone, 10),
        (MarkedLead, 5),
        (Table, 8),
    ];
    let index = WeightedIndex::new(styles.iter().map(|s| s.1))
        .expect("positive weights")
        .sample(rng);
    styles[index].0
}

/// A number in Chinese numerals, as headings write it (1–99).
pub fn chinese(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "零".to_string(),
        1..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        _ => format!("{}十{}", DIGITS[n / 10 % 10], DIGITS[n % 10]),
    }
}

/// A year written digit by digit in Chinese numerals (二〇二一).
fn chinese_year(year: u16) -> String {
    year.to_string()
        .chars()
        .map(|d| match d {
            '0' => '〇',
            d => chinese(d.to_digit(10).unwrap_or(0) as usize)
                .chars()
                .next()
                .unwrap_or('〇'),
        })
        .collect()
}

/// The title the parser gives a task that does not open its item: the text's first
/// sentence, or its first clause when the sentence is long.
fn first_sentence(text: &str) -> String {
    let sentence: String = text
        .chars()
        .take_while(|c| !matches!(c, '。' | '！' | '？' | '；' | '\n'))
        .collect();
    if sentence.chars().count() <= 40 {
        return sentence;
    }
    sentence
        .chars()
        .take_while(|&c| c != '，')
        .take(40)
        .collect()
}

impl Composer {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        items.choose(&mut self.rng).expect("not empty")
    }

    fn pick_copy<T: Copy>(&mut self, items: &[T]) -> T {
        items.choose(&mut self.rng).copied().expect("not empty")
    }

    /// A pattern of `items` not among `used`, so that a paragraph says nothing twice.
    fn fresh(&mut self, items: &[&'static str], used: &[&str]) -> &'static str {
        let left: Vec<&'static str> = items
            .iter()
            .copied()
            .filter(|i| !used.contains(i))
            .collect();
        self.pick_copy(if left.is_empty() { items } else { &left })
    }

    fn write(mut self) -> GeneratedDocument {
        let place = self.place;
        let month: u32 = self.rng.random_range(1..=12);
        let day: u32 = self.rng.random_range(1..=28);
        let header_kind = match (place.level, self.rng.random_range(0..100)) {
            (Level::Central, 0..55) => HeaderKind::CoverNotice,
            (Level::Central, _) => HeaderKind::Direct,
            (_, 0..45) => HeaderKind::CoverNotice,
            (_, 45..75) => HeaderKind::Direct,
            _ => HeaderKind::Bare,
        };
        let layout = self.pick_copy(&[
            HeadingLayout::Deep,
            HeadingLayout::Flat,
            HeadingLayout::Flat,
            HeadingLayout::Items,
        ]);

        // Issuers and the 文号.
        let by_government = self.chance(0.25);
        let issuers: Vec<String> =
            if header_kind == HeaderKind::Bare && !self.pool.issuers.is_empty() && self.chance(0.6)
            {
                let pool = self.pool;
                let first = self.pick(&pool.issuers).clone();
                let mut names = vec![first];
                if self.chance(0.3) {
                    let second = self.pick(&pool.issuers).clone();
                    if second != names[0] {
                        names.push(second);
                    }
                }
                names
            } else if by_government {
                vec![place.government.to_string()]
            } else {
                vec![place.office.to_string()]
            };
        let issuer = issuers.join("、");
        let from_office = issuers[0] == place.office;
        let doc_number = (header_kind != HeaderKind::Bare).then(|| {
            let prefix = if from_office {
                place.office_number
            } else {
                place.government_number
            };
            format!(
                "{prefix}〔{}〕{}号",
                self.year,
                self.rng.random_range(1..=160)
            )
        });

        // Titles.
        let topic = self.pick_copy(TOPICS);
        let (title, title_lines, issued_title) = match header_kind {
            HeaderKind::Direct => {
                let genre = self.pick_copy(DIRECT_GENRES);
                let title = format!("{issuer}关于{topic}的{genre}");
                let lines = if self.chance(0.35) {
                    vec![format!("{issuer}关于"), format!("{topic}的{genre}")]
                } else {
                    vec![title.clone()]
                };
                (title, lines, None)
            }
            HeaderKind::CoverNotice => {
                let issued = self.issued_name(topic);
                let quoted = self.chance(0.5);
                let inner = if quoted {
                    format!("《{issued}》")
                } else {
                    issued.clone()
                };
                let title = format!("{issuer}关于印发{inner}的通知");
                let lines = if self.chance(0.25) {
                    vec![format!("{issuer}关于印发"), format!("{inner}的通知")]
                } else {
                    vec![title.clone()]
                };
                (title, lines, Some(issued))
            }
            HeaderKind::Bare => {
                let issued = self.issued_name(topic);
                (issued.clone(), vec![issued], None)
            }
        };

        let date_written = if self.chance(0.2) {
            format!(
                "{}年{}月{}日",
                chinese_year(self.year),
                chinese(month as usize),
                chinese(day as usize)
            )
        } else {
            format!("{}年{}月{}日", self.year, month, day)
        };
        let date = format!("{}-{month:02}-{day:02}", self.year);
        let publication = (header_kind != HeaderKind::Bare && self.chance(0.85))
            .then(|| self.pick(&["此件公开发布", "此件主动公开"]).to_string());
        let addressees = header_kind != HeaderKind::Bare;

        // Conventions stated before the body: a carry-forward note, a lead mark.
        let carry_units = self.carry_units();
        let mut preamble_notes = Vec::new();
        if let Some(units) = carry_units {
            let holds_note = self.style == AnnotationStyle::FirstListedLead
                || (self.style == AnnotationStyle::Standalone
                    && self.standalone == Standalone::Responsible);
            let in_first = holds_note && self.chance(0.8);
            if in_first {
                self.carry_in_first = Some(units);
            } else {
                preamble_notes.push(self.carry_note(&units));
                self.carried = units;
            }
        }

        // The body first: its size decides nothing in the header.
        let tasks_wanted = self.task_count();
        self.write_body(layout, tasks_wanted);

        let mut lines: Vec<String> = Vec::new();
        let banner = header_kind != HeaderKind::Bare && self.chance(0.3);
        if banner {
            lines.push(format!("{}文件", issuers[0]));
        }
        let number_first = self.chance(0.5);
        if let (Some(number), true) = (&doc_number, number_first) {
            lines.push(number.clone());
            lines.push(String::new());
        }
        lines.extend(title_lines);
        if let (Some(number), false) = (&doc_number, number_first) {
            lines.push(number.clone());
        }
        let approver = place.approver;
        let intro = self.intro(header_kind, topic, from_office);
        let punct = self.punct;
        let signature = |lines: &mut Vec<String>, rng: &mut ChaCha8Rng| {
            lines.push(String::new());
            if issuers.len() > 1 && rng.random_bool(0.5) {
                lines.extend(issuers.iter().cloned());
            } else {
                lines.push(issuers.join(" "));
            }
            lines.push(date_written.clone());
            if let Some(p) = &publication {
                lines.push(format!("{}{p}{}", punct.open, punct.close));
            }
        };
        match header_kind {
            HeaderKind::CoverNotice => {
                lines.push(format!("{}：", place.addressees));
                let issued = issued_title.clone().unwrap_or_default();
                lines.push(if from_office {
                    format!("《{issued}》已经{approver}同意，现印发给你们，请认真贯彻执行。")
                } else {
                    format!("现将《{issued}》印发给你们，请结合实际认真贯彻落实。")
                });
                signature(&mut lines, &mut self.rng);
                lines.push(String::new());
                lines.push(issued);
            }
            HeaderKind::Direct => lines.push(format!("{}：", place.addressees)),
            HeaderKind::Bare => {}
        }
        let mut intro = intro;
        for note in &preamble_notes {
            intro.push_str(note);
        }
        lines.push(intro);
        if let Some(mark) = self.rules.mark {
            lines.push(format!("注：标{mark}的为牵头单位。"));
        }
        lines.append(&mut self.body);
        if header_kind != HeaderKind::CoverNotice {
            signature(&mut lines, &mut self.rng);
        }
        if !self.rows.is_empty() {
            self.write_table(&mut lines, &title);
        }
        let mut text = lines.join("\n");
        text.push('\n');

        let metadata = Metadata {
            title: Some(title),
            doc_number,
            issuer: Some(issuer),
            jurisdiction: Some(place.name.to_string()),
            date: Some(date),
            addressees: if addressees {
                place
                    .addressee_names
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            } else {
                Vec::new()
            },
            publication,
            issued_title,
            pairings: Vec::new(),
        };
        GeneratedDocument {
            text,
            metadata,
            tasks: self.tasks,
            profile: Profile {
                jurisdiction: place.name,
                units_in_gazetteer: self.pool.in_gazetteer,
                year: self.year,
                header: header_kind,
                layout,
                style: self.style,
            },
        }
    }

    /// The name of an issued document: place, topic and genre.
    fn issued_name(&mut self, topic: &str) -> String {
        let genre = self
            .pick(ISSUED_GENRES)
            .replace("{Y}", &self.year.to_string())
            .replace("{Z}", &(self.year + 2).to_string());
        format!("{}{topic}{genre}", self.place.title_name)
    }

    fn intro(&mut self, header: HeaderKind, topic: &str, from_office: bool) -> String {
        let purpose = self.pick_copy(PURPOSES);
        let scope = &self.scope[3..]; // 省, 市 or 国
        match header {
            HeaderKind::Direct if from_office => format!(
                "为{purpose}，{topic}，经{}同意，现提出如下意见。",
                self.place.approver
            ),
            HeaderKind::Direct => format!("为{purpose}，{topic}，现提出如下意见。"),
            _ => format!("为{purpose}，{topic}，结合本{scope}实际，制定本方案。"),
        }
    }

    /// The units of a carry-forward note, if the document states one.
    fn carry_units(&mut self) -> Option<Vec<String>> {
        if matches!(
            self.style,
            AnnotationStyle::Table | AnnotationStyle::VerbFirstListed
        ) || !self.chance(0.35)
        {
            return None;
        }
        let collective = self.collective.clone()?;
        let mut units = Vec::new();
        let pool = self.pool;
        if !pool.territorial.is_empty() && self.chance(0.3) {
            units.push(self.pick(&pool.territorial).clone());
        }
        units.push(collective);
        Some(units)
    }

    fn carry_note(&mut self, units: &[String]) -> String {
        let list = units.join("、");
        match self.rng.random_range(0..3) {
            0 => format!("以下均需{list}落实，不再列出。"),
            1 => format!("以下各项任务均需{list}落实，不再一一列出。"),
            _ => format!("以下各项工作均由{list}负责落实，不再列出。"),
        }
    }

    /// Tasks in the document: from 5 to 60, small documents the most common and the
    /// mean near 21 (5 plus the product of two uniform draws, a long-tailed law).
    fn task_count(&mut self) -> usize {
        let a: usize = self.rng.random_range(0..=60);
        let b: usize = self.rng.random_range(0..=60);
        (5 + a * b / 56).min(60)
    }

    fn item_title(&mut self) -> (String, &'static str) {
        for _ in 0..20 {
            let verb = self.pick_copy(ITEM_VERBS);
            let object = self.pick_copy(ITEM_OBJECTS);
            let title = format!("{verb}{object}");
            if self.used_titles.insert(title.clone()) {
                return (title, object);
            }
        }
        let object = self.pick_copy(ITEM_OBJECTS);
        let title = format!("持续{}", object);
        (title, object)
    }

    fn section_title(&mut self) -> String {
        for _ in 0..20 {
            let title = self.pick(SECTION_TITLES).to_string();
            if self.used_titles.insert(title.clone()) {
                return title;
            }
        }
        format!("着力{}", self.pick(ITEM_OBJECTS))
    }

    fn fill(&mut self, pattern: &str, object: &str, entities: &mut Entities) -> String {
        let pools = &*POOLS;
        let mut out = pattern.to_string();
        if out.contains("{S}") {
            let s: &Named = self.pick(&pools.strategies);
            out = out.replace("{S}", &s.label);
            Entities::add(&mut entities.strategies, &s.name);
        }
        if out.contains("{R}") {
            let own = self.place.name;
            let candidates: Vec<&Named> = pools
                .regions
                .iter()
                .filter(|r| !own.starts_with(r.name.as_str()))
                .collect();
            let r = self.pick_copy(&candidates);
            out = out.replace("{R}", &r.label);
            Entities::add(&mut entities.regions, &r.name);
        }
        if out.contains("{P}") {
            let p: &Named = self.pick(&pools.platforms);
            out = out.replace("{P}", &p.label);
            Entities::add(&mut entities.platforms, &p.name);
        }
        if out.contains("{F}") {
            let f = self.pick_copy(FIELDS);
            out = out.replace("{F}", f);
        }
        let year = self.year + self.rng.random_range(2..=5);
        let number = self.pick_copy(&[3, 5, 10, 20, 30, 50, 100, 200, 500]);
        out.replace("{O}", object)
            .replace("{Y}", &year.to_string())
            .replace("{N}", &number.to_string())
            .replace("{L}", self.scope)
    }

    /// The sentences of one task: two to four, some naming a strategy, a partner region
    /// or a platform, some with a dated goal.
    fn paragraph(&mut self, object: &str, entities: &mut Entities) -> String {
        let mut out = String::new();
        let count = self.rng.random_range(2..=4);
        let mut patterns: Vec<&str> = Vec::new();
        if self.chance(0.35) {
            patterns.push(self.pick_copy(STRATEGY_SENTENCES));
        }
        if self.chance(0.35) {
            patterns.push(self.pick_copy(REGION_SENTENCES));
        }
        if self.chance(0.25) {
            patterns.push(self.pick_copy(PLATFORM_SENTENCES));
        }
        while patterns.len() < count {
            let plain = self.fresh(PLAIN_SENTENCES, &patterns);
            patterns.push(plain);
        }
        patterns.shuffle(&mut self.rng);
        if self.chance(0.3) {
            patterns.push(self.pick_copy(GOAL_SENTENCES));
        }
        for pattern in patterns {
            let sentence = self.fill(pattern, object, entities);
            out.push_str(&sentence);
        }
        out
    }

    fn write_body(&mut self, layout: HeadingLayout, tasks_wanted: usize) {
        let p = self.punct;
        let mut top = 0;
        let preamble = layout == HeadingLayout::Deep || self.chance(0.4);
        let mut flat_counter = 0;
        if preamble {
            top += 1;
            self.body.push(format!("{}、总体要求", chinese(top)));
            let guidance: String = {
                let a = self.pick_copy(GUIDANCE);
                let b = self.pick_copy(GUIDANCE);
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}{b}")
                }
            };
            let mut targets = String::new();
            let near = self.year + self.rng.random_range(3..=5);
            let far = self.year + self.rng.random_range(8..=14);
            for year in [near, far] {
                let t = self.pick_copy(TARGETS);
                let mut entities = Entities::default();
                let t = self.fill(t, "", &mut entities);
                targets.push_str(&format!("到{year}年，{t}。"));
            }
            self.body
                .push(format!("{}一{}指导思想。{guidance}", p.open, p.close));
            self.body
                .push(format!("{}二{}工作目标。{targets}", p.open, p.close));
            flat_counter = 2;
        }
        let per_section = self.rng.random_range(3..=7);
        let groups = tasks_wanted.div_ceil(per_section).max(1);
        let mut sizes = vec![tasks_wanted / groups; groups];
        for size in sizes.iter_mut().take(tasks_wanted % groups) {
            *size += 1;
        }
        let continuous = self.chance(0.5);
        if !continuous {
            flat_counter = 0;
        }
        let separator = self.pick_copy(&[".", ".", "．", "、"]);
        match layout {
            HeadingLayout::Deep => {
                top += 1;
                let heading = self.pick_copy(&["主要任务", "重点任务", "重点工作"]);
                self.body.push(format!("{}、{heading}", chinese(top)));
                let mut entities = Entities::default();
                let a = self.pick(STRATEGY_SENTENCES);
                let intro = self.fill(a, "区域协同发展", &mut entities);
                self.body.push(intro);
                for (k, &size) in sizes.iter().enumerate() {
                    let title = self.section_title();
                    self.body
                        .push(format!("{}{}{}{title}", p.open, chinese(k + 1), p.close));
                    let mut number = 0;
                    self.items(size, || {
                        number += 1;
                        (format!("{number}{separator}"), number.to_string())
                    });
                }
            }
            HeadingLayout::Flat => {
                for &size in &sizes {
                    top += 1;
                    let title = self.section_title();
                    self.body.push(format!("{}、{title}", chinese(top)));
                    if !continuous {
                        flat_counter = 0;
                    }
                    let counter = &mut flat_counter;
                    self.items(size, || {
                        *counter += 1;
                        (
                            format!("{}{}{}", p.open, chinese(*counter), p.close),
                            chinese(*counter),
                        )
                    });
                }
            }
            HeadingLayout::Items => {
                let mut number = 0;
                for &size in &sizes {
                    top += 1;
                    let title = self.section_title();
                    self.body.push(format!("{}、{title}", chinese(top)));
                    self.items(size, || {
                        number += 1;
                        (format!("{number}{separator}"), number.to_string())
                    });
                }
            }
        }
        if layout == HeadingLayout::Deep || self.chance(0.5) {
            top += 1;
            let heading = self.pick_copy(&["保障措施", "组织实施", "工作要求"]);
            self.body.push(format!("{}、{heading}", chinese(top)));
            let count = self.rng.random_range(2..=4);
            let mut chosen: Vec<&(&str, &str)> = Vec::new();
            while chosen.len() < count {
                let s = self.pick(SAFEGUARDS);
                if !chosen.contains(&s) {
                    chosen.push(s);
                }
            }
            for (k, (title, text)) in chosen.into_iter().enumerate() {
                self.body.push(format!(
                    "{}{}{}{title}。{text}",
                    p.open,
                    chinese(k + 1),
                    p.close
                ));
            }
        }
    }

    /// Writes items holding `tasks` tasks; `marker` gives each item's heading marker and
    /// its number as the parser reports it.
    fn items(&mut self, tasks: usize, mut marker: impl FnMut() -> (String, String)) {
        let mut left = tasks;
        while left > 0 {
            let inline = !matches!(
                self.style,
                AnnotationStyle::Table | AnnotationStyle::Standalone
            );
            let two = inline && left >= 2 && self.chance(0.12);
            let (written, number) = marker();
            self.item(&written, &number, if two { 2 } else { 1 });
            left -= if two { 2 } else { 1 };
        }
    }

    fn item(&mut self, marker: &str, number: &str, tasks: usize) {
        let (title, object) = self.item_title();
        let mut entities = Entities::default();
        let text = self.paragraph(object, &mut entities);
        match self.style {
            AnnotationStyle::Table => {
                self.body.push(format!("{marker}{title}。{text}"));
                self.table_rows(&title, object);
            }
            AnnotationStyle::Standalone => {
                self.body.push(format!("{marker}{title}。{text}"));
                let (lines, roles) = self.standalone_lines();
                self.body.extend(lines);
                self.record(number.to_string(), title, roles, entities);
            }
            _ => {
                let (annotation, roles) = self.inline_annotation();
                let mut line = format!("{marker}{title}。{text}{annotation}");
                self.record(number.to_string(), title, roles, entities);
                if tasks == 2 {
                    let mut second_entities = Entities::default();
                    let second = self.paragraph(object, &mut second_entities);
                    let (annotation, roles) = self.inline_annotation();
                    line.push_str(&second);
                    line.push_str(&annotation);
                    let title = first_sentence(&second);
                    self.record(format!("{number}-2"), title, roles, second_entities);
                }
                self.body.push(line);
            }
        }
    }

    /// Records a task, with the units a carry-forward note adds to it.
    fn record(&mut self, number: String, title: String, roles: Roles, entities: Entities) {
        let implied: Vec<String> = self
            .carried
            .iter()
            .filter(|u| !roles.iter().any(|(_, names)| names.contains(u)))
            .cloned()
            .collect();
        self.tasks.push(ExpectedTask {
            number,
            title,
            units: ByRole { implied, ..roles },
            strategies: entities.strategies,
            regions: entities.regions,
            platforms: entities.platforms,
        });
        // A note written into this annotation holds for the tasks after it.
        if let Some(units) = self.carry_in_first.take() {
            self.carried = units;
        }
        self.annotations_written += 1;
    }

    /// `count` departments, drawn by weight without repetition, none of `except`.
    fn departments(&mut self, count: usize, except: &[String]) -> Vec<String> {
        let pool = &self.pool.departments;
        let count = count.min(pool.len().saturating_sub(except.len()));
        let mut out: Vec<String> = Vec::new();
        let mut tries = 0;
        while out.len() < count && tries < 200 {
            tries += 1;
            let name = &pool[self.weights.sample(&mut self.rng)];
            if !out.contains(name) && !except.contains(name) {
                out.push(name.clone());
            }
        }
        out
    }

    /// Leads and further departments of one task.
    fn draw(&mut self, max_leads: usize) -> (Vec<String>, Vec<String>) {
        let leads = match self.rng.random_range(0..100) {
            0..70 => 1,
            70..95 => 2,
            _ => 3,
        }
        .min(max_leads);
        let lead = self.departments(leads, &[]);
        let others = self.rng.random_range(0..=self.breadth);
        let others = self.departments(others, &lead);
        (lead, others)
    }

    /// Territorial units and the collective written after a task's departments.
    fn tail(&mut self, force_collective: bool) -> (Vec<String>, Option<String>) {
        let pool = self.pool;
        let mut territorial = Vec::new();
        if !pool.territorial.is_empty() && self.chance(self.territorial_rate) {
            territorial.push(self.pick(&pool.territorial).clone());
        }
        // After a carry-forward note, documents seldom name the carried units again.
        let rate = if self.carried.is_empty() {
            self.collective_rate
        } else {
            0.1
        };
        let collective = if force_collective || self.chance(rate) {
            self.collective.clone()
        } else {
            None
        };
        (territorial, collective)
    }

    /// `A、B` then `，C`: departments and territorial units joined by 、, the collective
    /// after a comma.
    fn list(&self, names: &[String], collective: Option<&String>) -> String {
        let mut out = names.join("、");
        if let Some(c) = collective {
            if !out.is_empty() {
                out.push(self.punct.comma);
            }
            out.push_str(c);
        }
        out
    }

    fn convention_first(&mut self) -> &'static str {
        self.pick_copy(&[
            "列第一位的为牵头单位，下同",
            "列第一位者为牵头单位，下同",
            "排在第一位的为牵头单位，下同",
            "列在首位的单位为牵头单位，下同",
        ])
    }

    /// An annotation written inside the task's paragraph, and what it assigns.
    fn inline_annotation(&mut self) -> (String, Roles) {
        let p = self.punct;
        let first = self.annotations_written == 0;
        let mut roles = Roles::default();
        let body = match self.style {
            AnnotationStyle::LabelLeadResponsible => {
                let (lead, mut others) = self.draw(3);
                let (territorial, collective) = self.tail(false);
                others.extend(territorial);
                let sep = if self.chance(0.5) {
                    p.comma
                } else {
                    p.semicolon
                };
                let mut out = format!("牵头单位{}{}", p.colon, lead.join("、"));
                roles.lead = lead;
                if !others.is_empty() && self.chance(0.15) {
                    // Three labels: some departments support rather than carry.
                    let split = self.rng.random_range(0..others.len());
                    let supporting = others.split_off(split);
                    if !others.is_empty() {
                        out.push_str(&format!("{sep}责任单位{}{}", p.colon, others.join("、")));
                    }
                    out.push_str(&format!(
                        "{sep}配合单位{}{}",
                        p.colon,
                        self.list(&supporting, collective.as_ref())
                    ));
                    roles.responsible = others;
                    roles.supporting = supporting;
                    roles.supporting.extend(collective);
                } else if !others.is_empty() || collective.is_some() {
                    out.push_str(&format!(
                        "{sep}责任单位{}{}",
                        p.colon,
                        self.list(&others, collective.as_ref())
                    ));
                    roles.responsible = others;
                    roles.responsible.extend(collective);
                }
                if self.chance(0.1) {
                    let year = self.year + self.rng.random_range(1..=3);
                    out.push_str(&format!("{}完成时限{}{year}年底前", p.semicolon, p.colon));
                }
                out
            }
            AnnotationStyle::LabelLeadSupporting => {
                let (lead, mut others) = self.draw(2);
                let (territorial, collective) = self.tail(false);
                others.extend(territorial);
                let mut out = format!("牵头单位{}{}", p.colon, lead.join("、"));
                if !others.is_empty() || collective.is_some() {
                    let sep = if self.chance(0.6) {
                        p.comma
                    } else {
                        p.semicolon
                    };
                    out.push_str(&format!(
                        "{sep}配合单位{}{}",
                        p.colon,
                        self.list(&others, collective.as_ref())
                    ));
                }
                roles.lead = lead;
                roles.supporting = others;
                roles.supporting.extend(collective);
                out
            }
            AnnotationStyle::ResponsibleOnly => {
                let (mut names, others) = self.draw(3);
                names.extend(others);
                let (territorial, collective) = self.tail(false);
                let hinted = (names.len() > 1 && self.chance(0.1))
                    .then(|| self.rng.random_range(0..names.len()));
                let mut written: Vec<String> = names.clone();
                if let Some(h) = hinted {
                    written[h] = format!("{}{}牵头{}", names[h], p.open, p.close);
                    roles.lead.push(names[h].clone());
                }
                for (i, n) in names.iter().enumerate() {
                    if Some(i) != hinted {
                        roles.responsible.push(n.clone());
                    }
                }
                written.extend(territorial.iter().cloned());
                roles.responsible.extend(territorial);
                let mut out = format!(
                    "责任单位{}{}",
                    p.colon,
                    self.list(&written, collective.as_ref())
                );
                if collective.is_none() && hinted.is_none() && self.chance(0.06) {
                    out.push_str("等相关部门");
                }
                roles.responsible.extend(collective);
                out
            }
            AnnotationStyle::FirstListedLead => {
                let (lead, others) = self.draw(1);
                let force = first && self.carry_in_first.is_some();
                let (territorial, collective) = self.tail(force);
                let mut names = lead.clone();
                names.extend(others.iter().cloned());
                names.extend(territorial.iter().cloned());
                let mut out = format!(
                    "责任单位{}{}",
                    p.colon,
                    self.list(&names, collective.as_ref())
                );
                if first {
                    out.push('。');
                    out.push_str(self.convention_first());
                    out.push('。');
                    if let Some(units) = self.carry_in_first.clone() {
                        let note = self.carry_note(&units);
                        out.push_str(note.trim_end_matches('。'));
                    }
                }
                roles.lead = lead;
                roles.responsible = others;
                roles.responsible.extend(territorial);
                roles.responsible.extend(collective);
                out
            }
            AnnotationStyle::BeforeCommaLead => {
                let (lead, others) = self.draw(2);
                let (territorial, collective) = self.tail(false);
                let mut out = format!("责任单位{}{}", p.colon, lead.join("、"));
                let mut rest = others;
                rest.extend(territorial.iter().cloned());
                if !rest.is_empty() || collective.is_some() {
                    out.push(p.comma);
                    out.push_str(&self.list(&rest, collective.as_ref()));
                }
                if first {
                    let convention = self.pick_copy(&[
                        "第一个逗号前为牵头单位，多个牵头单位的按职责分工负责，下同",
                        "第一个逗号前的单位为牵头单位，下同",
                        "逗号前为牵头部门，其余为责任单位，下同",
                    ]);
                    out.push(p.semicolon);
                    out.push_str(convention);
                }
                roles.lead = lead;
                roles.responsible = rest;
                roles.responsible.extend(collective);
                if out.contains('（') && p.open == '（' {
                    return (format!("〔{out}〕"), roles);
                }
                out
            }
            AnnotationStyle::Verb => self.verb_annotation(&mut roles),
            AnnotationStyle::VerbFirstListed => {
                if !first && self.chance(0.2) {
                    self.verb_annotation(&mut roles)
                } else {
                    let (lead, others) = self.draw(1);
                    let (territorial, collective) = self.tail(false);
                    let mut names = lead.clone();
                    names.extend(others.iter().cloned());
                    names.extend(territorial.iter().cloned());
                    let verb = if collective.is_some() {
                        "按职责分工负责"
                    } else {
                        self.pick_copy(&["负责", "负责", "按职责分工负责", "分工负责"])
                    };
                    let mut out = format!("{}{verb}", self.list(&names, collective.as_ref()));
                    if first {
                        out.push('。');
                        out.push_str(self.pick_copy(&[
                            "列第一位者为牵头单位，下同",
                            "列第一位的为牵头单位，下同",
                        ]));
                    }
                    roles.lead = lead;
                    roles.responsible = others;
                    roles.responsible.extend(territorial);
                    roles.responsible.extend(collective);
                    out
                }
            }
            AnnotationStyle::MarkedLead => {
                let mark = self.rules.mark.unwrap_or('★');
                let (lead, others) = self.draw(2);
                let (territorial, collective) = self.tail(false);
                // Leads sit anywhere in the list, each with its mark.
                let mut names: Vec<(String, bool)> =
                    others.into_iter().map(|n| (n, false)).collect();
                for l in lead {
                    let at = self.rng.random_range(0..=names.len());
                    names.insert(at, (l, true));
                }
                let written: Vec<String> = names
                    .iter()
                    .map(|(n, marked)| {
                        if *marked {
                            format!("{n}{mark}")
                        } else {
                            n.clone()
                        }
                    })
                    .chain(territorial.iter().cloned())
                    .collect();
                for (n, marked) in names {
                    if marked {
                        roles.lead.push(n);
                    } else {
                        roles.responsible.push(n);
                    }
                }
                roles.responsible.extend(territorial);
                let out = format!(
                    "责任单位{}{}",
                    p.colon,
                    self.list(&written, collective.as_ref())
                );
                roles.responsible.extend(collective);
                out
            }
            AnnotationStyle::Standalone | AnnotationStyle::Table => {
                unreachable!("written on their own lines")
            }
        };
        (format!("{}{body}{}", p.open, p.close), roles)
    }

    /// `A牵头，B、C配合，D落实` and the other verb forms.
    fn verb_annotation(&mut self, roles: &mut Roles) -> String {
        let p = self.punct;
        let (lead, mut others) = self.draw(2);
        let (territorial, collective) = self.tail(false);
        others.extend(territorial);
        match self.rng.random_range(0..100) {
            0..65 => {
                let by = if self.chance(0.2) { "由" } else { "" };
                let verb = self.pick_copy(&["牵头", "牵头", "牵头负责", "负总责"]);
                let mut out = format!("{by}{}{verb}", lead.join("、"));
                if !others.is_empty() {
                    let verb = self.pick_copy(&["配合", "配合", "参与", "协助"]);
                    out.push_str(&format!("{}{}{verb}", p.comma, others.join("、")));
                }
                if let Some(c) = &collective {
                    let verb = self.pick_copy(&["落实", "负责落实", "抓好落实"]);
                    out.push_str(&format!("{}{c}{verb}", p.comma));
                }
                if self.chance(0.1) {
                    let year = self.year + self.rng.random_range(1..=3);
                    out.push_str(&format!("{}{year}年底前完成", p.comma));
                }
                roles.lead = lead;
                roles.supporting = others;
                roles.responsible.extend(collective);
                out
            }
            65..85 => {
                let mut names = lead;
                names.extend(others);
                let verb = if collective.is_some() {
                    "按职责分工负责"
                } else {
                    self.pick_copy(&["负责", "按职责分工负责", "共同负责"])
                };
                let out = format!("{}{verb}", self.list(&names, collective.as_ref()));
                if self.rules.first_is_lead {
                    roles.lead.push(names.remove(0));
                }
                roles.responsible = names;
                roles.responsible.extend(collective);
                out
            }
            _ => {
                let mut out = format!("{}为牵头单位", lead.join("、"));
                if !others.is_empty() {
                    out.push_str(&format!("{}{}为配合单位", p.comma, others.join("、")));
                }
                roles.lead = lead;
                roles.supporting = others;
                out
            }
        }
    }

    /// The unit lines the standalone style writes under a task's paragraph.
    fn standalone_lines(&mut self) -> (Vec<String>, Roles) {
        let first = self.annotations_written == 0;
        let mut roles = Roles::default();
        let lines = match self.standalone {
            Standalone::Responsible => {
                let (lead, others) = self.draw(if self.rules.first_is_lead { 1 } else { 3 });
                let force = first && self.carry_in_first.is_some();
                let (territorial, collective) = self.tail(force);
                let mut names = lead.clone();
                names.extend(others.iter().cloned());
                names.extend(territorial.iter().cloned());
                let mut line = format!("责任单位：{}", self.list(&names, collective.as_ref()));
                if first && self.rules.first_is_lead {
                    line.push('。');
                    line.push_str(self.convention_first());
                    line.push('。');
                }
                if first && let Some(units) = self.carry_in_first.clone() {
                    if !line.ends_with('。') {
                        line.push('。');
                    }
                    line.push_str(&self.carry_note(&units));
                }
                if self.rules.first_is_lead {
                    roles.lead = lead;
                    roles.responsible = others;
                } else {
                    roles.responsible = lead;
                    roles.responsible.extend(others);
                }
                roles.responsible.extend(territorial);
                roles.responsible.extend(collective);
                vec![line]
            }
            Standalone::LeadSupporting => {
                let (lead, mut others) = self.draw(2);
                let (territorial, collective) = self.tail(false);
                others.extend(territorial);
                let mut line = format!("牵头单位：{}", lead.join("、"));
                if !others.is_empty() || collective.is_some() {
                    line.push_str(&format!(
                        "；配合单位：{}",
                        self.list(&others, collective.as_ref())
                    ));
                }
                roles.lead = lead;
                roles.supporting = others;
                roles.supporting.extend(collective);
                vec![line]
            }
            Standalone::TwoLines => {
                let (lead, mut others) = self.draw(2);
                let (territorial, collective) = self.tail(false);
                others.extend(territorial);
                // The parser gives a task its carried units when it reads the first line;
                // a carried unit named again on the second would be read twice (as
                // supporting and as implied), so the second line leaves them out, as
                // "不再列出" says.
                others.retain(|u| !self.carried.contains(u));
                let collective = collective.filter(|c| !self.carried.contains(c));
                let mut lines = vec![format!("牵头责任单位：{}。", lead.join("、"))];
                if !others.is_empty() || collective.is_some() {
                    lines.push(format!(
                        "协同责任单位：{}。",
                        self.list(&others, collective.as_ref())
                    ));
                }
                roles.lead = lead;
                roles.supporting = others;
                roles.supporting.extend(collective);
                lines
            }
            Standalone::Division => {
                let (lead, others) = self.draw(2);
                let (territorial, collective) = self.tail(false);
                let mut supporting = others;
                supporting.extend(territorial);
                let mut line = format!("部门分工：{}牵头", lead.join("、"));
                if !supporting.is_empty() {
                    line.push_str(&format!("，{}配合", supporting.join("、")));
                }
                if let Some(c) = &collective {
                    line.push_str(&format!("，{c}落实"));
                }
                line.push('。');
                roles.lead = lead;
                roles.supporting = supporting;
                roles.responsible.extend(collective);
                vec![line]
            }
        };
        (lines, roles)
    }

    /// Rows of the task table for one body item: usually one, sometimes two sharing the
    /// item's number and title in merged cells.
    fn table_rows(&mut self, title: &str, object: &str) {
        let number = (self.rows.iter().filter(|r| !r.merged).count() + 1).to_string();
        let count = if self.chance(0.2) { 2 } else { 1 };
        for k in 0..count {
            let mut entities = Entities::default();
            let mut text = String::new();
            let mut patterns = Vec::new();
            for _ in 0..self.rng.random_range(1..=2) {
                let pattern = if self.chance(0.3) {
                    self.fresh(STRATEGY_SENTENCES, &patterns)
                } else if self.chance(0.3) {
                    self.fresh(REGION_SENTENCES, &patterns)
                } else {
                    self.fresh(PLAIN_SENTENCES, &patterns)
                };
                patterns.push(pattern);
                text.push_str(&self.fill(pattern, object, &mut entities));
            }
            let (lead, mut others) = self.draw(2);
            let (territorial, collective) = self.tail(false);
            others.extend(territorial);
            others.extend(collective);
            let deadline = match self.rng.random_range(0..3) {
                0 => "持续推进".to_string(),
                1 => format!("{}年底前", self.year + self.rng.random_range(1..=3)),
                _ => format!(
                    "{}年{}月底前",
                    self.year + self.rng.random_range(1..=2),
                    self.rng.random_range(1..=12)
                ),
            };
            self.rows.push(Row {
                number: number.clone(),
                title: title.to_string(),
                merged: k > 0,
                text,
                lead,
                others,
                deadline,
            });
        }
    }

    /// The attachment with the task table, and the tasks its rows hold.
    fn write_table(&mut self, lines: &mut Vec<String>, title: &str) {
        let with_text = self.chance(0.8);
        let with_deadline = self.chance(0.5);
        let responsible_column = self.chance(0.2);
        let period = self.chance(0.5);
        lines.push(String::new());
        lines.push("附件".to_string());
        lines.push(format!("{title}重点任务分工表"));
        let mut header = vec!["序号", "工作事项"];
        if with_text {
            header.push("主要内容");
        }
        header.push("牵头单位");
        header.push(if responsible_column {
            "责任单位"
        } else {
            "配合单位"
        });
        if with_deadline {
            header.push("完成时限");
        }
        lines.push(header.join("\t"));
        let rows = std::mem::take(&mut self.rows);
        let mut previous_title = String::new();
        for row in rows {
            let number = row.number.clone();
            let mut cells = Vec::new();
            if row.merged {
                cells.push(String::new());
                cells.push(String::new());
            } else {
                cells.push(number.clone());
                cells.push(if period {
                    format!("{}。", row.title)
                } else {
                    row.title.clone()
                });
            }
            if with_text {
                cells.push(row.text.clone());
            }
            cells.push(row.lead.join("、"));
            cells.push(if row.others.is_empty() {
                "/".to_string()
            } else {
                row.others.join("、")
            });
            if with_deadline {
                cells.push(row.deadline.clone());
            }
            lines.push(cells.join("\t"));
            let title = if row.merged {
                previous_title.clone()
            } else {
                row.title.clone()
            };
            previous_title = title.clone();
            // The parser takes a whole row for the annotation naming the units, and
            // links nothing inside annotations: a row's text names no entity for it.
            let entities = Entities::default();
            let roles = if responsible_column {
                Roles {
                    lead: row.lead,
                    responsible: row.others,
                    ..Roles::default()
                }
            } else {
                Roles {
                    lead: row.lead,
                    supporting: row.others,
                    ..Roles::default()
                }
            };
            self.tasks.push(ExpectedTask {
                number,
                title,
                units: roles,
                strategies: entities.strategies,
                regions: entities.regions,
                platforms: entities.platforms,
            });
        }
    }
}
