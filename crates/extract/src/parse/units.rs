//! Unit lists: splits a list of unit names as the genre writes it (`、` `，` `；`, never
//! inside brackets; on 和/及 only between two whole names), restores shared suffixes (`沈阳、大连、营口市政府`),
//! keeps collective names whole (`各区、县级市`), trims list tails (`等相关部门`), duties
//! (`按职责分工负责`) and scope notes (`〈含开发区管委会，下同〉`). Names are tested in matching
//! form (simplified, folded) and reported as written.

use regex::Regex;
use std::sync::LazyLock;

use super::lines::{Line, depths, top_level_groups};
use super::roles::{VERB, role_phrase, verb_role};
use super::words::{has_office_ending, has_unit_ending, is_han};

use crate::model::{Role, Span, UnitRef};
use crate::text::normalise_name;
use crate::text::{fold, trim_range};

/// One unit name found in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    pub unit: UnitRef,
    /// The name in matching form (see [`crate::text::match_form`]), for tests on its words;
    /// as many characters as `unit.name`.
    pub key: String,
    /// Index of the comma-separated group the item sits in (0 before the first `，`).
    pub comma_group: usize,
    /// The lead mark (`*`, `★` …) the name carried, if any.
    pub mark: Option<char>,
    /// A role written after the name: `省发展改革委（牵头）`.
    pub role_hint: Option<Role>,
    /// A role that a verb after the name (or after the last name of its comma group) gives
    /// it: `责任单位：市教育局，市人社局配合`.
    pub duty: Option<Role>,
}

/// Characters that may mark a lead unit.
pub const LEAD_MARKS: [char; 6] = ['*', '★', '☆', '▲', '△', '※'];

/// Words that, standing alone after a collective name, continue it (`各区、县级市`).
static DIVISION_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(县级市|县\(市\)|县\(市、区\)|区\(县、市\)|市\(州\)|市州|自治区|直辖市|计划单列市|副省级市|自治州|自治县|地区|县|区|市|州|盟|旗|乡|镇|街道|乡镇|委|办|局|厅|部门|直属机构)((人民)?政府)?$",
    )
    .expect("valid regex")
});

/// A bracketed note after a name that widens or scopes it rather than naming it:
/// `各区人民政府〈含开发区管委会，下同〉`.
static SCOPE_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(含|包括|包含|不含|即|下同|以下)|下同$").expect("valid regex"));

/// Tails that widen a list to unnamed others (`等相关部门`, `等有关部门和单位`,
/// `等相关区政府`): dropped from the name.
static LIST_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(等(其他|其它)?(相关|有关)?((\p{Han}{0,2}(政府|部门|单位|机构))(和|及|、)?(单位|部门)?)?)$",
    )
    .expect("valid regex")
});

/// Words that open a note in brackets rather than a list of units (`（以下简称市科技局）`).
const NOTE_OPENERS: [&str; 14] = [
    "含",
    "包括",
    "包含",
    "不含",
    "即",
    "简称",
    "以下简称",
    "以下称",
    "下称",
    "如",
    "例如",
    "详见",
    "参见",
    "见",
];

/// Whether `piece` (matching form, one item of a clause) has the shape of a unit's name,
/// maybe after 由 and before a verb or a short word of its own (`省商务厅主抓`): what the
/// coverage audit counts as a unit a clause names.
pub fn unit_shaped(piece: &str) -> bool {
    let piece = piece.trim();
    let piece = piece.strip_prefix('由').unwrap_or(piece);
    if NOTE_OPENERS.iter().any(|w| piece.starts_with(w))
        || piece.contains(['的', '是', '"', '“', '”', '《', '》'])
        || piece.chars().any(|c| c.is_ascii_digit())
    {
        return false;
    }
    let name = match VERB.find(piece) {
        Some(m) if m.start() > 0 => &piece[..m.start()],
        _ => piece,
    };
    let name = match LIST_TAIL.find(name) {
        Some(m) if m.start() > 0 => &name[..m.start()],
        _ => name,
    };
    let chars: Vec<char> = name.chars().collect();
    // A name, then at most four characters of its own.
    (0..=4.min(chars.len())).any(|tail| {
        let head: String = chars[..chars.len() - tail].iter().collect();
        let own = &chars[chars.len() - tail..];
        (3..=20).contains(&head.chars().count())
            && has_office_ending(&head)
            && !head.contains(['由', '给', '把', '被', '将', '使', '让'])
            && own.iter().all(|&c| is_han(c))
    })
}

/// A collective reference names a class of units rather than one unit.
pub fn is_collective(name: &str) -> bool {
    let n = name.trim_start_matches(['省', '市', '县', '区']);
    name.starts_with('各')
        || name.starts_with("有关")
        || name.starts_with("相关")
        || n.starts_with("政府各")
        || n.starts_with("直各")
        || name.contains("各有关")
        || name.contains("有关部门")
        || name.contains("相关部门")
}

/// Splits `line[from..to)` into unit names.
pub fn split_list(line: &Line, from: usize, to: usize) -> Vec<ListItem> {
    let (from, to) = trim_range(&line.chars, from, to);
    if from >= to {
        return Vec::new();
    }
    let depth = depths(&line.chars, from, to);
    // Pieces between separators at bracket depth 0, with the separator that ended them.
    let mut pieces: Vec<(usize, usize, usize)> = Vec::new(); // (from, to, comma_group)
    let mut group = 0;
    let mut piece_start = from;
    for i in from..to {
        let c = fold(line.chars[i]);
        if depth[i - from] != 0 {
            continue;
        }
        let is_comma = matches!(c, ',' | ';');
        if c == '、' || is_comma {
            pieces.push((piece_start, i, group));
            if is_comma {
                group += 1;
            }
            piece_start = i + 1;
        }
    }
    pieces.push((piece_start, to, group));
    let pieces: Vec<(usize, usize, usize)> = pieces
        .into_iter()
        .flat_map(|(start, end, group)| {
            split_at_conjunction(line, start, end)
                .into_iter()
                .map(move |(s, e)| (s, e, group))
        })
        .collect();

    let mut items: Vec<ListItem> = Vec::new();
    let mut last_group = usize::MAX;
    for (start, end, group) in pieces {
        let (start, end) = trim_range(&line.chars, start, end);
        let same_run = group == last_group;
        last_group = group;
        if start >= end {
            continue;
        }
        let folded = line.folded_chars(start, end);
        // A bare division word continues the collective name before it (各区、县级市).
        if same_run
            && DIVISION_WORD.is_match(&folded)
            && let Some(prev) = items.last_mut()
            && prev.comma_group == group
            && prev.key.contains('各')
        {
            let span_start = prev.unit.span.start;
            let new_end = line.start + end;
            prev.unit.span = Span::new(span_start, new_end);
            prev.unit.surface = line.original(span_start - line.start, end);
            prev.unit.name = normalise_name(&prev.unit.surface);
            prev.key = normalise_name(&line.folded_chars(span_start - line.start, end));
            continue;
        }
        if let Some(mut item) = clean_item(line, start, end, group) {
            // 各区卫生健康局、财政局: a bare department after a collective takes its place part.
            if same_run
                && let Some(prev) = items.last()
                && prev.comma_group == group
                && let Some(prefix) = collective_place_prefix(&prev.key)
                && is_bare_department(&item.key)
            {
                let written: String = prev.unit.name.chars().take(prefix).collect();
                let key: String = prev.key.chars().take(prefix).collect();
                item.unit.name = format!("{written}{}", item.unit.name);
                item.key = format!("{key}{}", item.key);
                item.unit.collective = true;
            }
            items.push(item);
        }
    }
    expand_shared_suffixes(&mut items);
    // `A、B配合`: the verb after the last name of a comma group holds for the names before it.
    let mut duty = None;
    let mut duty_group = usize::MAX;
    for item in items.iter_mut().rev() {
        if item.comma_group != duty_group {
            duty = None;
            duty_group = item.comma_group;
        }
        match item.duty {
            Some(d) => duty = Some(d),
            None if item.role_hint.is_none() => item.duty = duty,
            None => {}
        }
    }
    items
}

/// `市级各有关部门及各县市区政府` → two names: 及, 以及 or 和 at bracket depth 0 joins two
/// names when both sides end like a unit and the right side opens like one. Names that hold
/// the word (`省文化和旅游厅`, `各有关部门和单位`) fail the test and stay whole.
fn split_at_conjunction(line: &Line, from: usize, to: usize) -> Vec<(usize, usize)> {
    let depth = depths(&line.chars, from, to);
    for i in from..to {
        if depth[i - from] != 0 || !matches!(line.chars[i], '及' | '和') {
            continue;
        }
        let left_end = if i > from && line.chars[i] == '及' && line.chars[i - 1] == '以' {
            i - 1
        } else {
            i
        };
        let (ls, le) = trim_range(&line.chars, from, left_end);
        let (rs, re) = trim_range(&line.chars, i + 1, to);
        let left = line.folded_chars(ls, le);
        let right = line.folded_chars(rs, re);
        let opens_like_unit = ["各", "省", "市", "县", "区", "国家", "中国", "自治区"]
            .iter()
            .any(|p| right.starts_with(p));
        if left.chars().count() >= 4
            && right.chars().count() >= 4
            && opens_like_unit
            && has_unit_ending(&left)
            && has_unit_ending(&right)
        {
            let mut out = vec![(ls, le)];
            out.extend(split_at_conjunction(line, rs, re));
            return out;
        }
    }
    vec![(from, to)]
}

/// `各区卫生健康局` → 2, the length of `各区`: the collective place part of a collective
/// department name.
fn collective_place_prefix(key: &str) -> Option<usize> {
    let rest = key.strip_prefix('各')?;
    let place = rest.chars().next()?;
    let tail: String = rest.chars().skip(1).collect();
    (matches!(place, '省' | '市' | '县' | '区' | '州')
        && has_unit_ending(&tail)
        && tail.chars().count() >= 2)
        .then_some(2)
}

/// A department named without any place: 财政局, 人力资源社会保障局.
fn is_bare_department(key: &str) -> bool {
    const PLACE_STARTS: [char; 9] = ['省', '市', '县', '区', '州', '各', '国', '中', '有'];
    let n = key.chars().count();
    (2..=12).contains(&n)
        && !key.starts_with(PLACE_STARTS)
        && !key.contains(['市', '县', '区', '省'])
        && ["局", "厅", "委", "办", "委员会"]
            .iter()
            .any(|e| key.ends_with(e))
}

/// Trims marks, scope notes, roles, duties and list tails off one piece and builds its
/// unit reference.
fn clean_item(line: &Line, mut start: usize, mut end: usize, group: usize) -> Option<ListItem> {
    let mut mark = None;
    loop {
        let first = fold(line.chars[start]);
        let last = fold(line.chars[end - 1]);
        if LEAD_MARKS.contains(&first) {
            mark = Some(first);
            start += 1;
        } else if LEAD_MARKS.contains(&last) {
            mark = Some(last);
            end -= 1;
        } else {
            break;
        }
        (start, end) = trim_range(&line.chars, start, end);
        if start >= end {
            return None;
        }
    }
    let mut role_hint = None;
    // A bracket group closing the piece: a role (`（牵头）`), a scope note (`〈含…，下同〉`)
    // or part of the name (`市委组织部（人才办）`).
    let (groups, _) = top_level_groups(&line.chars, start, end);
    if let Some(last) = groups.last()
        && last.close + 1 == end
        && last.open > start
    {
        let inside = line.folded_chars(last.open + 1, last.close);
        let inside = inside.trim();
        if let Some(role) = role_phrase(inside) {
            role_hint = Some(role);
            (start, end) = trim_range(&line.chars, start, last.open);
        } else if SCOPE_NOTE.is_match(inside) {
            (start, end) = trim_range(&line.chars, start, last.open);
        }
        if start >= end {
            return None;
        }
    }
    let mut folded = line.folded_chars(start, end);
    let mut duty = None;
    if let Some(verb) = VERB.find(&folded)
        && folded[..verb.start()].chars().count() >= 2
    {
        duty = Some(verb_role(verb.as_str()));
        end = start + folded[..verb.start()].chars().count();
        folded = line.folded_chars(start, end);
    }
    if let Some(tail) = LIST_TAIL.find(&folded) {
        // Keep names that are nothing but the tail's words (各有关部门和单位).
        let head_chars = folded[..tail.start()].chars().count();
        if head_chars >= 2 {
            end = start + head_chars;
        }
    }
    let (start, end) = trim_range(&line.chars, start, end);
    if start >= end {
        return None;
    }
    let surface = line.original(start, end);
    let name = normalise_name(&surface);
    let key = normalise_name(&line.folded_chars(start, end));
    Some(ListItem {
        unit: UnitRef {
            collective: is_collective(&key),
            name,
            span: line.span(start, end),
            surface,
            concept: None,
        },
        key,
        comma_group: group,
        mark,
        role_hint,
        duty: duty.filter(|&d| d != Role::Responsible),
    })
}

/// `沈阳、大连、营口市政府`: bare place names before a unit whose name starts with a place
/// take that unit's suffix.
fn expand_shared_suffixes(items: &mut [ListItem]) {
    let mut i = 0;
    while i < items.len() {
        // A run of bare names in one comma group, followed by a full name in the same group.
        let group = items[i].comma_group;
        let mut j = i;
        while j < items.len() && items[j].comma_group == group && is_bare_place(&items[j].key) {
            j += 1;
        }
        if j > i
            && j < items.len()
            && items[j].comma_group == group
            && let Some(at) = place_suffix_start(&items[j].key)
        {
            let written: String = items[j].unit.name.chars().skip(at).collect();
            let key: String = items[j].key.chars().skip(at).collect();
            for item in &mut items[i..j] {
                item.unit.name = format!("{}{}", item.unit.name, written);
                item.key = format!("{}{}", item.key, key);
                item.unit.collective = is_collective(&item.key);
            }
        }
        i = j.max(i + 1);
    }
}

/// A short name with no unit ending, such as 沈阳 or 大连.
fn is_bare_place(key: &str) -> bool {
    let n = key.chars().count();
    (2..=4).contains(&n)
        && !has_unit_ending(key)
        && !is_collective(key)
        && key.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// For `营口市政府` where the suffix after the place name (`市政府`) starts: 2.
fn place_suffix_start(key: &str) -> Option<usize> {
    let chars: Vec<char> = key.chars().collect();
    let at = chars
        .iter()
        .enumerate()
        .skip(2)
        .find(|(_, c)| matches!(c, '市' | '县' | '区' | '州' | '省' | '盟' | '旗'))
        .map(|(i, _)| i)?;
    (chars.len() - at >= 2).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::super::lines::lines;
    use super::*;

    fn names(list: &str) -> Vec<String> {
        let line = &lines(list)[0];
        split_list(line, 0, line.len())
            .into_iter()
            .map(|i| i.unit.name)
            .collect()
    }

    #[test]
    fn splits_outside_brackets_only() {
        assert_eq!(
            names("市科技局，市经信局、各县（市、区）政府"),
            ["市科技局", "市经信局", "各县（市、区）政府"]
        );
        assert_eq!(
            names("市委改革办〔市营商环境建设局〕、市发改委"),
            ["市委改革办〔市营商环境建设局〕", "市发改委"]
        );
    }

    #[test]
    fn splits_on_he_or_ji_only_between_whole_names() {
        assert_eq!(
            names("省文化和旅游厅、省工业和信息化厅"),
            ["省文化和旅游厅", "省工业和信息化厅"]
        );
        assert_eq!(names("各有关部门和单位"), ["各有关部门和单位"]);
        assert_eq!(
            names("市级各有关部门及各县市区政府"),
            ["市级各有关部门", "各县市区政府"]
        );
        assert_eq!(
            names("省发展改革委以及省住房和城乡建设厅"),
            ["省发展改革委", "省住房和城乡建设厅"]
        );
    }

    #[test]
    fn expands_a_shared_suffix() {
        assert_eq!(
            names("沈抚示范区管委会,沈阳、大连、营口市政府"),
            ["沈抚示范区管委会", "沈阳市政府", "大连市政府", "营口市政府"]
        );
    }

    #[test]
    fn keeps_collective_names_whole() {
        assert_eq!(
            names("市国资委，各区、县级市"),
            ["市国资委", "各区、县级市"]
        );
        assert_eq!(names("各区、县(市)政府"), ["各区、县（市）政府"]);
        let line = &lines("各市政府")[0];
        assert!(split_list(line, 0, line.len())[0].unit.collective);
    }

    #[test]
    fn collective_lists_share_their_place() {
        assert_eq!(
            names("各区卫生健康局、财政局、人力资源社会保障局，市医保中心"),
            [
                "各区卫生健康局",
                "各区财政局",
                "各区人力资源社会保障局",
                "市医保中心"
            ]
        );
        assert_eq!(
            names("各省、自治区、直辖市人民政府，国务院各部委"),
            ["各省、自治区、直辖市人民政府", "国务院各部委"]
        );
        assert_eq!(names("市科技局、团市委"), ["市科技局", "团市委"]);
    }

    #[test]
    fn drops_list_tails_and_marks() {
        assert_eq!(names("市发改委等相关部门"), ["市发改委"]);
        assert_eq!(
            names("人力资源社会保障部等有关部门和单位"),
            ["人力资源社会保障部"]
        );
        assert_eq!(names("各有关部门和单位"), ["各有关部门和单位"]);
        assert_eq!(
            names("临港新片区管委会、浦东新区等相关区政府"),
            ["临港新片区管委会", "浦东新区"]
        );
        assert_eq!(names("市教育局等"), ["市教育局"]);
        assert_eq!(
            names("省发展改革委（牵头）、省财政厅"),
            ["省发展改革委", "省财政厅"]
        );
        let line = &lines("省发展改革委*、省财政厅")[0];
        let items = split_list(line, 0, line.len());
        assert_eq!(items[0].mark, Some('*'));
        assert_eq!(items[0].unit.name, "省发展改革委");
    }

    #[test]
    fn comma_groups_are_counted() {
        let line = &lines("市科技局、市数据局，市委网信办")[0];
        let groups: Vec<usize> = split_list(line, 0, line.len())
            .iter()
            .map(|i| i.comma_group)
            .collect();
        assert_eq!(groups, [0, 0, 1]);
    }
}
