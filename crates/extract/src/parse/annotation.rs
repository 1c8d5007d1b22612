//! Unit annotations: the bracketed or stand-alone statements that say which units lead or
//! carry a task, in all the genre's forms — labels (`牵头单位：A，责任单位：B、C`), verbs
//! (`A牵头，B、C配合`, `A、B负责`) — and the conventions a document states inside them
//! (`列第一位的为牵头单位`, `第一个逗号前为牵头单位`, `以下均需…落实，不再列出`).

use regex::Regex;
use std::sync::LazyLock;

use super::lines::{Group, Line, depths, top_level_groups};
use super::roles::{LABEL_ENDINGS, LABEL_HEAD_MAX, Label, VERB, read_label, verb_role};
use super::structure::heading_of;
use super::units::{ListItem, is_collective, split_list};
use super::words::{has_unit_ending, is_han};
use crate::model::{Convention, Role, Span};
use crate::text::{fold, trim_range};

/// A label's ending with its colon: `单位：`, `部门（处室）:`.
static LABEL_COLON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:{})(?:\([^()]{{1,8}}\))?\s*:",
        LABEL_ENDINGS.join("|")
    ))
    .expect("valid regex")
});

/// A label in square brackets: `【牵头单位】`, `[责任部门]`, `〔配合单位〕`.
static LABEL_BRACKETED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\[【〔]\s*(\p{Han}{1,12})\s*[\]】〕]").expect("valid regex"));

/// A unit label found in a line.
#[derive(Debug, Clone)]
pub struct LabelAt {
    /// Line-relative start of the label (its bracket, if any).
    pub start: usize,
    /// Line-relative end of the label, after its colon or closing bracket.
    pub end: usize,
    /// The label's words as written.
    pub words: String,
    pub label: Label,
}

/// The unit labels of `line[from..to)`: any short phrase ending in 单位 / 部门 / 处室 / 科室 /
/// 机构 / 责任人 before a colon, or alone in square brackets. The phrase starts after a
/// character that is not Han (a bracket, a separator, the line start), so that a label is
/// never cut out of a longer run of words.
pub fn find_labels(line: &Line, from: usize, to: usize) -> Vec<LabelAt> {
    let folded = line.folded_chars(from, to);
    let at = |byte: usize| from + folded[..byte].chars().count();
    let mut out = Vec::new();
    for m in LABEL_COLON.find_iter(&folded) {
        let ending_start = at(m.start());
        let mut head = ending_start;
        while head > from && is_han(line.folded_char(head - 1)) {
            head -= 1;
        }
        if ending_start - head > LABEL_HEAD_MAX {
            continue;
        }
        let mut words_end = at(m.end()) - 1; // before the colon
        while words_end > head && fold(line.chars[words_end - 1]).is_whitespace() {
            words_end -= 1;
        }
        let words: String = line
            .folded_chars(head, words_end)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if let Some(label) = read_label(&words) {
            out.push(LabelAt {
                start: head,
                end: at(m.end()),
                words: line.original(head, words_end),
                label,
            });
        }
    }
    for c in LABEL_BRACKETED.captures_iter(&folded) {
        let (Some(whole), Some(words)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if let Some(label) = read_label(words.as_str()) {
            out.push(LabelAt {
                start: at(whole.start()),
                end: at(whole.end()),
                words: line.original(at(words.start()), at(words.end())),
                label,
            });
        }
    }
    out.sort_by_key(|l| l.start);
    out
}

/// A short `label：` that names no unit: a leader in charge or a deadline (`牵头负责领导：`,
/// `分管省领导：`, `完成时限：`). Unit labels are matched before it.
pub static SIDE_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[^:：。,;、]{2,10}[:：]").expect("valid regex"));

/// A clause that gives a time, not a unit: `2022年底前完成`, `持续推进`.
static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(\d{4}年.*|.*(年底|年内|月底|季度|底前|年前).*|(持续|长期|逐步|常态化)(推进|坚持|开展|实施)|长期)\s*$",
    )
    .expect("valid regex")
});

/// Whether the clause `line[from..to)` is a side note or a time rather than units.
fn is_side_clause(line: &Line, from: usize, to: usize) -> bool {
    let text = line.folded_chars(from, to);
    SIDE_NOTE.is_match(&text) || DEADLINE.is_match(&text)
}

/// A line that states the division of labour in the verb form: `部门分工：A牵头，B配合。`.
static DIVISION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(部门分工|责任分工|单位分工|分工)\s*[:：]").expect("valid regex")
});

static FIRST_IS_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(列|排)(在|名)?(第一位|第一个|首位|第一)(的|者)?(单位|部门)?(为|是)牵头")
        .expect("valid regex")
});

static BEFORE_COMMA_IS_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(第一个)?逗号(之)?前(面)?(的)?(单位|部门)?(为|是)牵头").expect("valid regex")
});

static MARK_IS_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(标|带|注|加|有)(有)?["“]?([*★☆▲△※])["”]?(号|标记)?(的)?(单位|部门)?(为|是)牵头"#)
        .expect("valid regex")
});

/// A carry-forward note: `以下均需X落实，不再列出`, `以下均涉及X，不再重复列出`.
static IMPLIED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"以下(各项)?(任务|工作|措施|事项)?(均|都|还|皆)?(需要|需|由|要|须|应|涉及|包括|包含|含)?(?P<units>.+?)(负责)?(落实|负责|参与|配合|实施|承担)?,?(均)?(不再|不另|不)(重复|一一|另行|单独)?(列出|列明|列举|标注|标明|注明|单列|列)",
    )
    .expect("valid regex")
});

/// Words that tell a convention clause from a continuation of the unit list.
const CONVENTION_WORDS: [&str; 5] = ["牵头", "下同", "不再", "不另", "以下"];

/// Units named with one role inside an annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub role: Role,
    pub items: Vec<ListItem>,
    /// The label that named the role, as written, when its words name none (the role is
    /// then the default, responsible).
    pub unknown_label: Option<String>,
}

impl Segment {
    fn new(role: Role, items: Vec<ListItem>) -> Self {
        Segment {
            role,
            items,
            unknown_label: None,
        }
    }
}

/// One annotation found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Index of the line in the document's line list.
    pub line_index: usize,
    /// The whole annotation, brackets included.
    pub span: Span,
    pub segments: Vec<Segment>,
    /// Conventions stated inside the annotation; they hold from this annotation on.
    pub conventions: Vec<Convention>,
    /// Units of a carry-forward note stated inside the annotation, with their spans.
    pub implied: Vec<ListItem>,
}

/// The conventions in force for an annotation.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub first_is_lead: bool,
    pub before_comma_is_lead: bool,
    pub lead_mark: Option<char>,
}

impl Rules {
    pub fn adopt(&mut self, convention: &Convention) {
        match convention {
            Convention::FirstListedIsLead { .. } => self.first_is_lead = true,
            Convention::BeforeFirstCommaIsLead { .. } => self.before_comma_is_lead = true,
            Convention::MarkIsLead { mark, .. } => self.lead_mark = Some(*mark),
            Convention::ImpliedForLaterTasks { .. } => {}
        }
    }
}

impl Annotation {
    /// The annotation's units with their roles under `rules`, in the order written.
    pub fn resolve(&self, rules: &Rules) -> Vec<(Role, ListItem)> {
        let explicit_lead = self.segments.iter().any(|s| {
            s.role == Role::Lead
                || s.items
                    .iter()
                    .any(|i| i.role_hint == Some(Role::Lead) || i.duty == Some(Role::Lead))
        });
        let first_responsible = self
            .segments
            .iter()
            .position(|s| s.role == Role::Responsible);
        let mut out = Vec::new();
        for (index, segment) in self.segments.iter().enumerate() {
            let first_group = segment.items.first().map(|i| i.comma_group);
            for (position, item) in segment.items.iter().enumerate() {
                let written = item.role_hint.or(item.duty);
                let mut role = written.unwrap_or(segment.role);
                if !explicit_lead && written.is_none() && role == Role::Responsible {
                    // A mark names the lead: the one the document states, or any lead mark
                    // where it states none (`*县人力社保局`).
                    let marked = item.mark.is_some()
                        && (rules.lead_mark.is_none() || item.mark == rules.lead_mark);
                    let in_first = first_responsible == Some(index);
                    let before_comma = rules.before_comma_is_lead
                        && in_first
                        && Some(item.comma_group) == first_group;
                    let first_listed = rules.first_is_lead && in_first && position == 0;
                    if marked || before_comma || first_listed {
                        role = Role::Lead;
                    }
                }
                out.push((role, item.clone()));
            }
        }
        out
    }
}

/// Finds the annotations of one line (which must not be a table row).
/// Returns them with the positions of any unbalanced brackets in lines that carry a label.
pub fn find_in_line(line: &Line, line_index: usize) -> (Vec<Annotation>, Vec<usize>) {
    let (groups, stray) = top_level_groups(&line.chars, 0, line.len());
    let mut found = Vec::new();
    for group in &groups {
        if let Some(annotation) = bracketed(line, line_index, *group) {
            found.push(annotation);
        }
    }
    // A label outside brackets, at the start of the line or of a sentence, runs to the end.
    // A label that is itself a bracket group (`【牵头单位】`) stands outside it.
    let labels = find_labels(line, 0, line.len());
    let inside = |pos: usize| groups.iter().any(|g| g.open < pos && pos <= g.close);
    for label in &labels {
        if inside(label.start) || !starts_statement(line, label.start, &groups) {
            continue;
        }
        let (from, to) = trim_range(&line.chars, label.start, line.len());
        let end = found
            .iter()
            .filter(|a| a.span.start > line.start + label.start)
            .map(|a| a.span.start - line.start)
            .min()
            .unwrap_or(to);
        if let Some(parsed) = labelled(line, from, end) {
            found.push(Annotation {
                line_index,
                span: line.span(from, end),
                segments: parsed.0,
                conventions: parsed.1,
                implied: parsed.2,
            });
        }
        break;
    }
    if found.is_empty()
        && let Some(m) = DIVISION.find(&line.folded)
    {
        let after = line.folded[..m.end()].chars().count();
        let (from, to) = trim_range(&line.chars, after, line.len());
        if let Some(parsed) = verb_form(line, from, to) {
            let (start, _) = line.content_range();
            found.push(Annotation {
                line_index,
                span: line.span(start, to),
                segments: parsed.0,
                conventions: parsed.1,
                implied: parsed.2,
            });
        }
    }
    // A short line of its own in the verb form: `市发展改革委牵头，市财政局配合。`
    if found.is_empty()
        && let Some((from, to)) = standalone_statement(line, line_index)
        && let Some(parsed) = verb_form(line, from, to)
    {
        found.push(Annotation {
            line_index,
            span: line.span(from, to),
            segments: parsed.0,
            conventions: parsed.1,
            implied: parsed.2,
        });
    }
    found.sort_by_key(|a| a.span.start);
    let has_label = !labels.is_empty();
    (found, if has_label { stray } else { Vec::new() })
}

/// Longest line read as a statement of its own in the verb form.
const STANDALONE_MAX: usize = 80;

/// The content of a line that can be a statement of its own: short, not a heading, without
/// its closing full stop.
fn standalone_statement(line: &Line, line_index: usize) -> Option<(usize, usize)> {
    if line.is_table_row() || heading_of(line, line_index).is_some() {
        return None;
    }
    let (from, mut to) = line.content_range();
    while to > from && matches!(fold(line.chars[to - 1]), '。' | ';' | '.') {
        to -= 1;
    }
    (from < to && to - from <= STANDALONE_MAX).then_some((from, to))
}

/// Whether position `at` begins a statement: line start, or after a sentence end or a group.
fn starts_statement(line: &Line, at: usize, groups: &[Group]) -> bool {
    let before = line.chars[..at]
        .iter()
        .rposition(|&c| !fold(c).is_whitespace());
    match before {
        None => true,
        Some(p) => {
            matches!(fold(line.chars[p]), '。' | ';' | '!' | '?')
                || groups.iter().any(|g| g.close == p)
        }
    }
}

/// Classifies a bracket group: a label form, a verb form, or no annotation.
fn bracketed(line: &Line, line_index: usize, group: Group) -> Option<Annotation> {
    let (from, to) = trim_range(&line.chars, group.open + 1, group.close);
    if from >= to {
        return None;
    }
    let labels = find_labels(line, from, to);
    let parsed = match labels.first() {
        Some(first) if first.start == from => labelled(line, from, to),
        // `（牵头领导：张三；牵头单位：A）`: side notes before the first label.
        Some(first) => {
            let before = line.folded_chars(from, first.start);
            if SIDE_NOTE.is_match(&before) && before.trim_end().ends_with([';', ',', '。']) {
                labelled(line, first.start, to)
            } else {
                verb_form(line, from, to)
            }
        }
        None => verb_form(line, from, to),
    }?;
    Some(Annotation {
        line_index,
        span: line.span(group.open, group.close + 1),
        segments: parsed.0,
        conventions: parsed.1,
        implied: parsed.2,
    })
}

type Parsed = (Vec<Segment>, Vec<Convention>, Vec<ListItem>);

/// `牵头单位：A，责任单位：B、C；…` from `from` (at the first label) to `to`.
fn labelled(line: &Line, from: usize, to: usize) -> Option<Parsed> {
    let labels = find_labels(line, from, to);
    let first = labels.first()?;
    if first.start != from {
        return None;
    }
    let mut segments = Vec::new();
    let mut conventions = Vec::new();
    let mut implied = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let label_end = label.end;
        let next_label = labels.get(i + 1).map_or(to, |next| next.start);
        // `责任单位：A；完成时限：年底前`: the list ends before a side note.
        let depth = depths(&line.chars, label_end, next_label);
        let separators: Vec<usize> = (label_end..next_label)
            .filter(|&p| {
                depth[p - label_end] == 0 && matches!(fold(line.chars[p]), ';' | '。' | ',' | ' ')
            })
            .collect();
        let segment_end = separators
            .iter()
            .enumerate()
            .find(|&(k, &p)| {
                let clause_end = separators.get(k + 1).copied().unwrap_or(next_label);
                SIDE_NOTE.is_match(&line.folded_chars(p + 1, next_label))
                    || DEADLINE.is_match(&line.folded_chars(p + 1, clause_end))
            })
            .map_or(next_label, |(_, &p)| p);
        // `【责任单位】A 【完成时限】年底前`: a bracketed side label ends the list too.
        let segment_end = (label_end..segment_end)
            .find(|&p| depth[p - label_end] == 0 && line.folded_char(p) == '【')
            .unwrap_or(segment_end);
        let (list_end, mut stated, mut units) = split_conventions(line, label_end, segment_end);
        conventions.append(&mut stated);
        implied.append(&mut units);
        let items = split_list(line, label_end, list_end);
        match label.label {
            // Internal divisions (`市卫健委内牵头处室：规划处`) are not units of the task.
            Label::Internal => {}
            // A phrase without role words (`省直部门：`) is a label only before unit names.
            Label::Units { known: false, .. } if !items.iter().all(|i| looks_like_unit(&i.key)) => {
            }
            Label::Units { role, known } if !items.is_empty() => segments.push(Segment {
                role,
                items,
                unknown_label: (!known).then(|| label.words.clone()),
            }),
            Label::Units { .. } => {}
        }
    }
    name_implied_as_listed(&mut implied, &segments);
    (!segments.is_empty()).then_some((segments, conventions, implied))
}

/// A carry-forward note may shorten the names its own annotation lists (`各县区人民政府、
/// 市各功能区管委会，以下均涉及各县区、功能区，不再重复列出`): each implied name is written
/// as the listed name that holds it.
fn name_implied_as_listed(implied: &mut [ListItem], segments: &[Segment]) {
    for item in implied {
        let short = item.key.trim_start_matches('各');
        if short.chars().count() < 2 {
            continue;
        }
        let listed = segments
            .iter()
            .flat_map(|s| &s.items)
            .find(|l| l.key == item.key)
            .or_else(|| {
                segments
                    .iter()
                    .flat_map(|s| &s.items)
                    .find(|l| l.key.contains(short))
            });
        if let Some(listed) = listed {
            item.unit.name = listed.unit.name.clone();
            item.unit.collective = listed.unit.collective;
            item.key = listed.key.clone();
        }
    }
}

/// `A牵头，B、C配合` or `A、B负责。列第一位者为牵头单位，下同`.
fn verb_form(line: &Line, from: usize, to: usize) -> Option<Parsed> {
    let (statement_end, conventions, implied) = split_conventions(line, from, to);
    let (from, statement_end) = trim_range(&line.chars, from, statement_end);
    let depth = depths(&line.chars, from, statement_end);
    // Groups separated by commas at depth 0, each maybe closed by a verb.
    let mut bounds = Vec::new();
    let mut start = from;
    for i in from..statement_end {
        if depth[i - from] == 0 && matches!(fold(line.chars[i]), ',' | ';') {
            bounds.push((start, i));
            start = i + 1;
        }
    }
    bounds.push((start, statement_end));
    // `A牵头，B配合，2022年底前完成`: times and side notes at the end are not units.
    while bounds.len() > 1
        && let Some(&(s, e)) = bounds.last()
        && is_side_clause(line, s, e)
    {
        bounds.pop();
    }

    // (from, to, role of the verb, where 会同 joins a lead to the others).
    let mut groups: Vec<(usize, usize, Option<Role>, Option<usize>)> = Vec::new();
    for (s, e) in bounds {
        let (mut s, e) = trim_range(&line.chars, s, e);
        // 由省发展改革委牵头: the preposition is not part of the name.
        if s < e && line.folded_char(s) == '由' {
            s += 1;
        }
        if s >= e {
            continue;
        }
        let folded = line.folded_chars(s, e);
        let (end, role) = match VERB.find(&folded) {
            Some(m) => (
                s + folded[..m.start()].chars().count(),
                Some(verb_role(m.as_str())),
            ),
            None => (e, None),
        };
        // 省发展改革委会同省财政厅负责: the unit before 会同 leads.
        let depth = depths(&line.chars, s, end);
        let together = (s + 2..end.saturating_sub(1)).find(|&i| {
            depth[i - s] == 0 && line.folded_char(i) == '会' && line.folded_char(i + 1) == '同'
        });
        groups.push((s, end, role, together));
    }
    // The last group must end with a verb; earlier groups without one take the next verb.
    let mut next_role = groups.last()?.2?;
    for group in groups.iter_mut().rev() {
        match group.2 {
            Some(role) => next_role = role,
            None => group.2 = Some(next_role),
        }
    }
    let mut segments: Vec<Segment> = Vec::new();
    for (index, (s, e, role, together)) in groups.into_iter().enumerate() {
        let role = role.unwrap_or(Role::Responsible);
        let parts = match together {
            Some(at) => vec![(s, at, Role::Lead), (at + 2, e, role)],
            None => vec![(s, e, role)],
        };
        for (s, e, role) in parts {
            let mut items = split_list(line, s, e);
            if items.is_empty() || !items.iter().all(|i| looks_like_unit(&i.key)) {
                return None;
            }
            for item in &mut items {
                item.comma_group = index;
            }
            match segments.last_mut() {
                Some(last) if last.role == role => last.items.extend(items),
                _ => segments.push(Segment::new(role, items)),
            }
        }
    }
    let mut implied = implied;
    name_implied_as_listed(&mut implied, &segments);
    (!segments.is_empty()).then_some((segments, conventions, implied))
}

/// Whether a name found in a verb-form group can be a unit (and not a clause of prose):
/// it ends like a unit (`省财政厅`, `各县（市、区）`, `各地`), whatever a collective opens
/// with (`各地各部门要认真` is prose).
fn looks_like_unit(name: &str) -> bool {
    const NOT_A_START: [char; 18] = [
        '由', '对', '在', '按', '经', '并', '将', '如', '及', '把', '向', '从', '以', '为', '与',
        '和', '含', '即',
    ];
    let n = name.chars().count();
    // The name without a closing bracket group: 各县（市、区） ends like 各县.
    let base = match name.rfind(['(', '（', '〔']) {
        Some(at) if name.ends_with([')', '）', '〕']) && at > 0 => &name[..at],
        _ => name,
    };
    (2..=30).contains(&n)
        && !name.contains(['。', ':', '：', '“', '”', '《', '"'])
        && !name.starts_with(NOT_A_START)
        && !name.chars().any(|c| c.is_ascii_digit())
        && (has_unit_ending(base) || is_collective(name) && base.ends_with(['地', '方']))
}

/// Cuts a unit list at the first sentence that states a convention. Returns where the list
/// ends, the conventions found after it and the units of a carry-forward note.
fn split_conventions(
    line: &Line,
    from: usize,
    to: usize,
) -> (usize, Vec<Convention>, Vec<ListItem>) {
    let depth = depths(&line.chars, from, to);
    let boundaries: Vec<usize> = (from..to)
        .filter(|&i| depth[i - from] == 0 && matches!(fold(line.chars[i]), '。' | ';' | ','))
        .collect();
    for &b in &boundaries {
        let rest = line.folded_chars(b + 1, to);
        if fold(line.chars[b]) == ',' {
            // After a comma only a clause that opens with the convention ends the list
            // (`…，以下均涉及各县区，不再重复列出`).
            let (clause, _) = trim_range(&line.chars, b + 1, to);
            let (conventions, implied) = stated_in(line, b + 1, to);
            if conventions
                .iter()
                .any(|c| convention_span(c).start == line.start + clause)
            {
                return (b, conventions, implied);
            }
        } else if CONVENTION_WORDS.iter().any(|w| rest.contains(w)) {
            let (conventions, implied) = stated_in(line, b + 1, to);
            return (b, conventions, implied);
        }
    }
    // A list ending in a sentence mark keeps everything before it.
    let end = match boundaries.last() {
        Some(&b)
            if fold(line.chars[b]) != ',' && line.folded_chars(b + 1, to).trim().is_empty() =>
        {
            b
        }
        _ => to,
    };
    (end, Vec::new(), Vec::new())
}

/// Where a convention is stated.
fn convention_span(convention: &Convention) -> Span {
    match convention {
        Convention::FirstListedIsLead { span }
        | Convention::BeforeFirstCommaIsLead { span }
        | Convention::MarkIsLead { span, .. }
        | Convention::ImpliedForLaterTasks { span, .. } => *span,
    }
}

/// Reads the conventions stated in `line[from..to)`, with the units of a carry-forward note.
pub fn stated_in(line: &Line, from: usize, to: usize) -> (Vec<Convention>, Vec<ListItem>) {
    let folded = line.folded_chars(from, to);
    let span_of = |m: &regex::Match| {
        line.span(
            from + folded[..m.start()].chars().count(),
            from + folded[..m.end()].chars().count(),
        )
    };
    let mut out = Vec::new();
    if let Some(m) = FIRST_IS_LEAD.find(&folded) {
        out.push(Convention::FirstListedIsLead { span: span_of(&m) });
    }
    if let Some(m) = BEFORE_COMMA_IS_LEAD.find(&folded) {
        out.push(Convention::BeforeFirstCommaIsLead { span: span_of(&m) });
    }
    if let Some(c) = MARK_IS_LEAD.captures(&folded) {
        let whole = c.get(0).expect("group 0 always matches");
        if let Some(mark) = c.get(3).and_then(|m| m.as_str().chars().next()) {
            out.push(Convention::MarkIsLead {
                mark,
                span: span_of(&whole),
            });
        }
    }
    let mut implied = Vec::new();
    if let Some((span, items)) = implied_in(line, from, to) {
        out.push(Convention::ImpliedForLaterTasks {
            units: items.iter().map(|i| i.unit.name.clone()).collect(),
            span,
        });
        implied = items;
    }
    (out, implied)
}

/// Reads a carry-forward note (`以下均需X落实，不再列出`) in `line[from..to)`: its span and
/// the units it names.
pub fn implied_in(line: &Line, from: usize, to: usize) -> Option<(Span, Vec<ListItem>)> {
    let folded = line.folded_chars(from, to);
    let c = IMPLIED.captures(&folded)?;
    let whole = c.get(0)?;
    let units = c.name("units")?;
    let at = |byte: usize| from + folded[..byte].chars().count();
    let items = split_list(line, at(units.start()), at(units.end()));
    (!items.is_empty()).then(|| (line.span(at(whole.start()), at(whole.end())), items))
}

#[cfg(test)]
mod tests {
    use super::super::lines::lines;
    use super::*;

    fn resolve(text: &str, rules: &Rules) -> Vec<(Role, String)> {
        let line = &lines(text)[0];
        let (found, _) = find_in_line(line, 0);
        found
            .iter()
            .flat_map(|a| a.resolve(rules))
            .map(|(role, item)| (role, item.unit.name))
            .collect()
    }

    #[test]
    fn label_form_with_ascii_punctuation() {
        let got = resolve(
            "任务。(牵头单位:省商务厅,责任单位:沈抚示范区管委会,沈阳、大连、营口市政府)",
            &Rules::default(),
        );
        assert_eq!(
            got,
            [
                (Role::Lead, "省商务厅".to_string()),
                (Role::Responsible, "沈抚示范区管委会".to_string()),
                (Role::Responsible, "沈阳市政府".to_string()),
                (Role::Responsible, "大连市政府".to_string()),
                (Role::Responsible, "营口市政府".to_string()),
            ]
        );
    }

    #[test]
    fn verb_form_with_lead_and_supporting() {
        let got = resolve(
            "任务。（省发展改革委牵头，省财政厅、省商务厅配合）",
            &Rules::default(),
        );
        assert_eq!(
            got,
            [
                (Role::Lead, "省发展改革委".to_string()),
                (Role::Supporting, "省财政厅".to_string()),
                (Role::Supporting, "省商务厅".to_string()),
            ]
        );
    }

    #[test]
    fn verb_form_with_a_preposition_and_role_marks() {
        let got = resolve(
            "做事。（由省发展改革委牵头，省财政厅配合）",
            &Rules::default(),
        );
        assert_eq!(
            got,
            [
                (Role::Lead, "省发展改革委".to_string()),
                (Role::Supporting, "省财政厅".to_string()),
            ]
        );
        let got = resolve(
            "做事。（责任单位：省财政厅、省发展改革委（牵头）、省商务厅）",
            &Rules {
                first_is_lead: true,
                ..Rules::default()
            },
        );
        assert_eq!(
            got,
            [
                (Role::Responsible, "省财政厅".to_string()),
                (Role::Lead, "省发展改革委".to_string()),
                (Role::Responsible, "省商务厅".to_string()),
            ]
        );
        let got = resolve("做事。（各市政府负责落实）", &Rules::default());
        assert_eq!(got, [(Role::Responsible, "各市政府".to_string())]);
    }

    #[test]
    fn prose_in_brackets_is_not_an_annotation() {
        assert!(resolve("以“留交会”（简称“留交会”）为平台", &Rules::default()).is_empty());
        assert!(
            resolve(
                "全科医生（含助理全科医生和中医类别全科医生）",
                &Rules::default()
            )
            .is_empty()
        );
        assert!(resolve("（所需经费由各级财政负责）", &Rules::default()).is_empty());
        assert!(resolve("（2021年起由省财政负责）", &Rules::default()).is_empty());
    }

    #[test]
    fn conventions_are_read_and_cut_from_the_list() {
        let line = &lines("（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）")[0];
        let (found, _) = find_in_line(line, 0);
        assert_eq!(found.len(), 1);
        assert!(matches!(
            found[0].conventions[..],
            [Convention::FirstListedIsLead { .. }]
        ));
        let mut rules = Rules::default();
        rules.adopt(&found[0].conventions[0]);
        let roles: Vec<Role> = found[0]
            .resolve(&rules)
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        assert_eq!(roles, [Role::Lead, Role::Responsible]);
    }

    #[test]
    fn before_first_comma_rule() {
        let rules = Rules {
            before_comma_is_lead: true,
            ..Rules::default()
        };
        let got = resolve(
            "〔责任单位：市科技局、市数据局，市经信局、各县（市、区）政府〕",
            &rules,
        );
        let roles: Vec<Role> = got.iter().map(|(r, _)| *r).collect();
        assert_eq!(
            roles,
            [Role::Lead, Role::Lead, Role::Responsible, Role::Responsible]
        );
    }

    #[test]
    fn stand_alone_label_line() {
        let got = resolve(
            "责任单位：市科技局、市工信局，各开发区管委会",
            &Rules::default(),
        );
        assert_eq!(got.len(), 3);
        let got = resolve(
            "责任单位：市行政审批局；完成时限：2022年10月底前。",
            &Rules::default(),
        );
        assert_eq!(got, [(Role::Responsible, "市行政审批局".to_string())]);
        // 主要责任 names the lead: labels are read by their role words.
        let got = resolve(
            "（主要责任单位：市商务局；配合单位：市财政局）",
            &Rules::default(),
        );
        assert_eq!(
            got,
            [
                (Role::Lead, "市商务局".to_string()),
                (Role::Supporting, "市财政局".to_string())
            ]
        );
        let got = resolve(
            "（责任单位：市教育局，市人社局按职责分工负责）",
            &Rules::default(),
        );
        assert_eq!(
            got,
            [
                (Role::Responsible, "市教育局".to_string()),
                (Role::Responsible, "市人社局".to_string())
            ]
        );
        let got = resolve(
            "（市发展改革委牵头，市财政局参与，各区县落实）",
            &Rules::default(),
        );
        assert_eq!(
            got,
            [
                (Role::Lead, "市发展改革委".to_string()),
                (Role::Supporting, "市财政局".to_string()),
                (Role::Responsible, "各区县".to_string())
            ]
        );
        let got = resolve(
            "（市发展改革委牵头，市财政局配合，2022年底前完成）",
            &Rules::default(),
        );
        assert_eq!(
            got,
            [
                (Role::Lead, "市发展改革委".to_string()),
                (Role::Supporting, "市财政局".to_string())
            ]
        );
        let got = resolve("（市商务局牵头；持续推进）", &Rules::default());
        assert_eq!(got, [(Role::Lead, "市商务局".to_string())]);
        let got = resolve("（责任单位：市科技局，2022年6月底前）", &Rules::default());
        assert_eq!(got, [(Role::Responsible, "市科技局".to_string())]);
        for (text, lead) in [
            ("（市政府办公室负总责，各部门配合）", "市政府办公室"),
            ("（市发展改革委牵头负责，市财政局配合）", "市发展改革委"),
            ("（市科技局为牵头单位，市财政局为配合单位）", "市科技局"),
            ("（市商务局主责，市财政局协同）", "市商务局"),
        ] {
            let got = resolve(text, &Rules::default());
            assert_eq!(got.first(), Some(&(Role::Lead, lead.to_string())), "{text}");
            assert_eq!(got.len(), 2, "{text}");
            assert_eq!(got[1].0, Role::Supporting, "{text}");
        }
        assert!(resolve("（具体办法另行落实）", &Rules::default()).is_empty());
        let got = resolve("牵头责任单位：省商务厅。", &Rules::default());
        assert_eq!(got, [(Role::Lead, "省商务厅".to_string())]);
        let got = resolve(
            "【责任单位】市教育局 【完成时限】2024年12月",
            &Rules::default(),
        );
        assert_eq!(got, [(Role::Responsible, "市教育局".to_string())]);
        let got = resolve("牵头单位：省科技厅；配合单位：省财政厅", &Rules::default());
        assert_eq!(
            got,
            [
                (Role::Lead, "省科技厅".to_string()),
                (Role::Supporting, "省财政厅".to_string())
            ]
        );
    }

    #[test]
    fn a_phrase_without_role_words_is_a_label_only_before_unit_names() {
        assert_eq!(
            resolve("省直部门：省教育厅、省科技厅", &Rules::default()),
            [
                (Role::Responsible, "省教育厅".to_string()),
                (Role::Responsible, "省科技厅".to_string())
            ]
        );
        assert!(resolve("省直部门：负责制定配套政策", &Rules::default()).is_empty());
    }

    #[test]
    fn implied_units_note() {
        let text =
            "列第一位的为牵头单位，下同。以下均需各区〔县、市〕政府、开发园区管委会落实，不再列出";
        let line = &lines(text)[0];
        let (_, items) = implied_in(line, 0, line.len()).expect("note is read");
        let names: Vec<&str> = items.iter().map(|i| i.unit.name.as_str()).collect();
        assert_eq!(names, ["各区〔县、市〕政府", "开发园区管委会"]);
    }
}
