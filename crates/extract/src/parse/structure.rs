//! Headings and sections: recognises the genre's numbering styles (`附件1`, `第一部分`, `第一章`,
//! `第一节`, `第一条`, `一、`, `（一）`, `1.`, `（1）`, `①`), checks that numbers follow on
//! (restarting at 1 or running on across sections), and builds the section tree with spans.

use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

use super::lines::{Line, depths};
use crate::model::{Section, Span, Warning};
use crate::text::{fold, trim_range};

/// Numbering styles from the outermost to the innermost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Style {
    Attachment,
    Division,
    Chapter,
    Part,
    Article,
    Chinese,
    ChineseParen,
    Arabic,
    ArabicParen,
    Circled,
}

impl Style {
    pub fn label(self) -> &'static str {
        match self {
            Style::Attachment => "附件",
            Style::Division => "部分",
            Style::Chapter => "章",
            Style::Part => "节",
            Style::Article => "条",
            Style::Chinese => "一、",
            Style::ChineseParen => "（一）",
            Style::Arabic => "1.",
            Style::ArabicParen => "（1）",
            Style::Circled => "①",
        }
    }
}

const CN: &str = "[一二三四五六七八九十百零〇两]+";

static PATTERNS: LazyLock<Vec<(Style, Regex)>> = LazyLock::new(|| {
    let p = |s: &str| Regex::new(s).expect("valid regex");
    vec![
        (Style::Attachment, p(r"^附件\s*(\d*)\s*$")),
        (Style::Attachment, p(r"^附件\s*(\d+)\s*[:.、]?\s*(\S.*)$")),
        (
            Style::Division,
            p(&format!(r"^第\s*({CN}|\d+)\s*部分\s*(.*)$")),
        ),
        (
            Style::Chapter,
            p(&format!(r"^第\s*({CN}|\d+)\s*章\s*(.*)$")),
        ),
        (Style::Part, p(&format!(r"^第\s*({CN}|\d+)\s*节\s*(.*)$"))),
        (
            Style::Article,
            p(&format!(r"^第\s*({CN}|\d+)\s*条\s*(.*)$")),
        ),
        (Style::Chinese, p(&format!(r"^({CN})\s*[、.]\s*(.*)$"))),
        (
            Style::ChineseParen,
            p(&format!(r"^\(\s*({CN})\s*\)\s*[、.]?\s*(.*)$")),
        ),
        (Style::Arabic, p(r"^(\d{1,3})\s*[.、]\s*(.*)$")),
        (
            Style::ArabicParen,
            p(r"^\(\s*(\d{1,3})\s*\)\s*[、.]?\s*(.*)$"),
        ),
        (Style::ArabicParen, p(r"^(\d{1,3})\)\s*(.*)$")),
        (Style::Circled, p(r"^([①-⑳])\s*(.*)$")),
    ]
});

/// A line that opens an attachment list (`附件：1.…`).
static ATTACHMENT_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^附件\s*[:]\s*\S").expect("valid regex"));

/// A recognised heading line.
#[derive(Debug, Clone)]
pub struct Heading {
    pub line_index: usize,
    pub style: Style,
    pub number: String,
    pub ordinal: Option<u32>,
    /// Line-relative start of the heading marker.
    pub marker_start: usize,
    /// Line-relative `[from, to)` of the title.
    pub title: (usize, usize),
    /// `11.121人才梯队项目` may be item 11 or the decimal 11.121: only the numbering around
    /// it can tell.
    pub ambiguous: bool,
}

/// Reads a number written in Chinese numerals (一 … 九十九, 一百 …) or digits.
pub fn chinese_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as u32)
    };
    let mut total = 0;
    let mut current = 0;
    let mut seen = false;
    for c in s.chars() {
        match c {
            '〇' => current = 0,
            '两' => current = 2,
            '十' => {
                total += if current == 0 { 10 } else { current * 10 };
                current = 0;
            }
            '百' => {
                total += if current == 0 { 100 } else { current * 100 };
                current = 0;
            }
            _ => current = digit(c)?,
        }
        seen = true;
    }
    seen.then_some(total + current)
}

fn circled_number(c: char) -> Option<u32> {
    ('①'..='⑳').contains(&c).then(|| c as u32 - '①' as u32 + 1)
}

/// Recognises a heading at the start of `line`, without checking its number's order.
pub fn heading_of(line: &Line, line_index: usize) -> Option<Heading> {
    if line.is_table_row() {
        return None;
    }
    let (start, end) = line.content_range();
    if start >= end {
        return None;
    }
    let content = line.folded_chars(start, end);
    for (style, re) in PATTERNS.iter() {
        let Some(c) = re.captures(&content) else {
            continue;
        };
        let number = c.get(1).map_or("", |m| m.as_str()).to_string();
        let body_byte = c.get(2).map_or(content.len(), |m| m.start());
        let body_start = start + content[..body_byte].chars().count();
        let ambiguous = *style == Style::Arabic
            && content[body_byte..].starts_with(|c: char| c.is_ascii_digit());
        let ordinal = match style {
            Style::Circled => number.chars().next().and_then(circled_number),
            _ => chinese_number(&number),
        };
        let title = title_range(line, body_start, end);
        return Some(Heading {
            line_index,
            style: *style,
            number,
            ordinal,
            marker_start: start,
            title,
            ambiguous,
        });
    }
    None
}

/// A heading's title: the text up to the first 。 outside brackets, without a trailing
/// colon or comma.
fn title_range(line: &Line, from: usize, to: usize) -> (usize, usize) {
    let depth = depths(&line.chars, from, to);
    let stop = (from..to)
        .find(|&i| depth[i - from] == 0 && matches!(fold(line.chars[i]), '。' | '!' | '?'))
        .unwrap_or(to);
    let (from, mut end) = trim_range(&line.chars, from, stop);
    while end > from && matches!(fold(line.chars[end - 1]), ':' | ',' | ';') {
        end -= 1;
    }
    (from, end)
}

/// Finds the headings of the document, dropping lines whose number does not fit.
pub fn headings(lines: &[Line], warnings: &mut Vec<Warning>) -> Vec<Heading> {
    let mut found: Vec<Heading> = Vec::new();
    // Last number seen per style anywhere, and per (parent heading, style).
    let mut last_global: HashMap<Style, u32> = HashMap::new();
    let mut last_in_parent: HashMap<(Option<usize>, Style), u32> = HashMap::new();
    let mut open: Vec<usize> = Vec::new(); // indices into `found`
    let mut in_attachment_list = false;
    for (index, line) in lines.iter().enumerate() {
        if ATTACHMENT_LIST.is_match(line.trimmed()) {
            in_attachment_list = true;
            continue;
        }
        let Some(heading) = heading_of(line, index) else {
            if !line.is_blank() {
                in_attachment_list = false;
            }
            continue;
        };
        if in_attachment_list && heading.style == Style::Arabic && !line.folded.contains('。') {
            continue; // the next entry of an attachment list
        }
        in_attachment_list = false;
        while open
            .last()
            .is_some_and(|&i| found[i].style >= heading.style)
        {
            open.pop();
        }
        let parent = open.last().copied();
        if let Some(n) = heading.ordinal
            && heading.style != Style::Attachment
        {
            let global = last_global.get(&heading.style).copied().unwrap_or(0);
            let local = last_in_parent
                .get(&(parent, heading.style))
                .copied()
                .unwrap_or(0);
            let follows = n == 1 || n == global + 1 || n == local + 1;
            if heading.ambiguous && !(n > 1 && (n == global + 1 || n == local + 1)) {
                continue; // a decimal such as 1.5倍 opening a line
            }
            if !follows {
                let near = n > local && n <= local.max(global) + 3 || n == local;
                if !near {
                    warnings.push(Warning {
                        line: Some(line.number),
                        message: format!(
                            "line starts like a heading ({}) but its number {} does not follow {}; read as text",
                            heading.style.label(),
                            n,
                            local
                        ),
                    });
                    continue;
                }
                warnings.push(Warning {
                    line: Some(line.number),
                    message: format!(
                        "heading number {} does not follow {} ({} numbering)",
                        n,
                        local,
                        heading.style.label()
                    ),
                });
            }
            last_global.insert(heading.style, n);
            last_in_parent.insert((parent, heading.style), n);
        }
        open.push(found.len());
        found.push(heading);
    }
    found
}

/// Builds sections from headings. Sections end where a heading of the same or an outer
/// style begins, or at `body_end`.
pub fn sections(lines: &[Line], headings: &[Heading], body_end: usize) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::with_capacity(headings.len());
    let mut open: Vec<usize> = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    for (i, heading) in headings.iter().enumerate() {
        while open
            .last()
            .is_some_and(|&j| headings[j].style >= heading.style)
        {
            open.pop();
        }
        let parent = open.last().copied();
        let line = &lines[heading.line_index];
        let token = match (heading.style, heading.ordinal) {
            (Style::Attachment, _) => format!("A{}", heading.number),
            (_, Some(n)) => n.to_string(),
            (_, None) => heading.number.clone(),
        };
        let mut id = match parent {
            Some(p) if heading.style != Style::Attachment => format!("{}.{}", out[p].id, token),
            _ => token,
        };
        let seen = used_ids.entry(id.clone()).or_insert(0);
        *seen += 1;
        if *seen > 1 {
            id = format!("{id}~{seen}");
        }
        let start = line.start + heading.marker_start;
        let heading_end = line.start + line.content_range().1;
        let end = headings[i + 1..]
            .iter()
            .find(|h| h.style <= heading.style)
            .map_or(body_end, |h| lines[h.line_index].start);
        let end = trim_end(lines, start, end.max(heading_end));
        out.push(Section {
            id,
            level: parent.map_or(1, |p| out[p].level + 1),
            number: heading.number.clone(),
            ordinal: heading.ordinal,
            style: heading.style.label().to_string(),
            title: line.original(heading.title.0, heading.title.1),
            parent: parent.map(|p| out[p].id.clone()),
            span: Span::new(start, end),
            title_span: line.span(heading.title.0, heading.title.1),
            links: Default::default(),
        });
        open.push(i);
    }
    out
}

/// Moves `end` back over whitespace and line breaks, not before `start`.
fn trim_end(lines: &[Line], start: usize, end: usize) -> usize {
    let mut end = end;
    // Walk lines backwards from the one holding `end`.
    for line in lines.iter().rev() {
        if line.start >= end {
            continue;
        }
        let upto = (end - line.start).min(line.len());
        let (from, to) = trim_range(&line.chars, 0, upto);
        if from < to {
            return (line.start + to).max(start);
        }
        end = line.start;
        if end <= start {
            break;
        }
    }
    start.max(end)
}

#[cfg(test)]
mod tests {
    use super::super::lines::lines;
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number("一"), Some(1));
        assert_eq!(chinese_number("十"), Some(10));
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(chinese_number("二十"), Some(20));
        assert_eq!(chinese_number("三十一"), Some(31));
        assert_eq!(chinese_number("一百零五"), Some(105));
        assert_eq!(chinese_number("12"), Some(12));
        assert_eq!(chinese_number("甲"), None);
    }

    #[test]
    fn heading_styles_and_titles() {
        let ls = lines(
            "第一部分 总体要求\n一、总体要求\n(一)指导思想。以…\n（二）加快中国(辽宁)自由贸易试验区建设。推进\n１．打造环高校OPC创业带。以\n(1)细则\n①要点\n第三条 为了规范。\n1.5倍增长\n",
        );
        let got: Vec<(Style, String, String)> = ls
            .iter()
            .enumerate()
            .filter_map(|(i, l)| heading_of(l, i))
            .filter(|h| !h.ambiguous)
            .map(|h| {
                let l = &ls[h.line_index];
                (h.style, h.number, l.original(h.title.0, h.title.1))
            })
            .collect();
        assert_eq!(
            got,
            [
                (Style::Division, "一".into(), "总体要求".into()),
                (Style::Chinese, "一".into(), "总体要求".into()),
                (Style::ChineseParen, "一".into(), "指导思想".into()),
                (
                    Style::ChineseParen,
                    "二".into(),
                    "加快中国(辽宁)自由贸易试验区建设".into()
                ),
                (Style::Arabic, "1".into(), "打造环高校OPC创业带".into()),
                (Style::ArabicParen, "1".into(), "细则".into()),
                (Style::Circled, "①".into(), "要点".into()),
                (Style::Article, "三".into(), "为了规范".into()),
            ]
        );
    }

    #[test]
    fn numbering_runs_on_across_sections() {
        let ls = lines("一、甲\n1.子一\n二、乙\n（一）丙\n2.子二\n3.子三\n附件：1.表一\n2.表二\n");
        let mut warnings = Vec::new();
        let hs = headings(&ls, &mut warnings);
        let numbers: Vec<&str> = hs.iter().map(|h| h.number.as_str()).collect();
        assert_eq!(numbers, ["一", "1", "二", "一", "2", "3"]);
        assert!(warnings.is_empty(), "{warnings:?}");
        let text: String = ls
            .iter()
            .map(|l| l.chars.iter().collect::<String>() + "\n")
            .collect();
        let secs = sections(&ls, &hs, text.chars().count());
        let ids: Vec<&str> = secs.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["1", "1.1", "2", "2.1", "2.1.2", "2.1.3"]);
        assert_eq!(secs[4].parent.as_deref(), Some("2.1"));
    }

    #[test]
    fn a_number_out_of_order_is_text_with_a_warning() {
        let ls = lines("一、甲\n1.子一\n2.子二\n9.不是标题\n3.121项目\n7.5倍增长\n");
        let mut warnings = Vec::new();
        let hs = headings(&ls, &mut warnings);
        let numbers: Vec<&str> = hs.iter().map(|h| h.number.as_str()).collect();
        assert_eq!(numbers, ["一", "1", "2", "3"]);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, Some(4));
    }
}
