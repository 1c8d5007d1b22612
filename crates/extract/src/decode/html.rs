//! HTML pages: the charset the page declares (or the one its bytes show), then the article
//! body — the element that holds most of the page's text outside links, with the site's
//! navigation, footers, share bars, forms, scripts and styles left out — as paragraphs, one
//! a line, and every data table as one line per row with TAB-separated cells. The
//! document's title is put first when the body does not start with it.

use std::collections::HashMap;
use std::sync::LazyLock;

use ego_tree::{NodeId, NodeRef};
use encoding_rs::{Encoding, GB18030, GBK, UTF_8};
use scraper::{Html, Node};

use super::grid::{Grid, clean_cell};
use super::{DecodeError, Decoded};
use crate::model::SourceFormat;

type NodeIn<'a> = NodeRef<'a, Node>;

/// Deeper elements are not read (a guard for the recursion).
const MAX_DEPTH: usize = 400;

/// Reads an HTML page's article text.
pub(crate) fn read(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    let (source, encoding) = decode_page(bytes);
    let page = Html::parse_document(&source);
    let text = article_text(&page);
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    if letters < 10 {
        return Err(DecodeError::NoArticleText);
    }
    Ok(Decoded {
        text,
        encoding,
        format: SourceFormat::Html,
    })
}

static META_CHARSET: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    regex::bytes::Regex::new(
        r#"(?i)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)|<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_.:\-]+)"#,
    )
    .expect("valid regex")
});

/// The page's text: a BOM wins, then the charset the page declares in its first 4 KB
/// (when the bytes are valid in it), then UTF-8, then what `chardetng` guesses. GB2312 and
/// GBK pages are read as GB18030, their superset. Bytes that are invalid in the chosen
/// encoding become U+FFFD, as in a browser.
fn decode_page(bytes: &[u8]) -> (String, &'static str) {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), encoding.name());
    }
    let head = &bytes[..bytes.len().min(4096)];
    let declared = META_CHARSET
        .captures(head)
        .and_then(|c| c.get(1).or_else(|| c.get(2)))
        .and_then(|m| Encoding::for_label(m.as_bytes()))
        // A page cannot declare UTF-16 in ASCII bytes: browsers read it as UTF-8.
        .map(|e| {
            if e.is_single_byte() || e.output_encoding() == e {
                e
            } else {
                UTF_8
            }
        })
        .map(|e| if e == GBK { GB18030 } else { e });
    if let Some(encoding) = declared {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if !had_errors {
            return (text.into_owned(), encoding.name());
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), UTF_8.name());
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guessed = detector.guess(None, true);
    let guessed = if guessed == GBK { GB18030 } else { guessed };
    let (text, had_errors) = guessed.decode_without_bom_handling(bytes);
    match declared {
        Some(encoding) if had_errors => {
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            (text.into_owned(), encoding.name())
        }
        _ => (text.into_owned(), guessed.name()),
    }
}

fn element(node: NodeIn<'_>) -> Option<&scraper::node::Element> {
    node.value().as_element()
}

fn name_is(node: NodeIn<'_>, names: &[&str]) -> bool {
    element(node).is_some_and(|e| names.contains(&e.name()))
}

const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "select", "option",
    "optgroup", "datalist", "button", "input", "textarea", "label", "iframe", "frame", "frameset",
    "object", "embed", "applet", "svg", "math", "canvas", "map", "area", "audio", "video",
    "source", "track", "nav", "footer", "aside", "dialog",
];

/// Class and id words of the parts of a site around an article.
const CHROME_PREFIXES: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "foot",
    "share",
    "bdshare",
    "jiathis",
    "fenxiang",
    "breadcrumb",
    "crumb",
    "sidebar",
    "toolbar",
    "copyright",
    "topbar",
    "banner",
    "search",
    "login",
    "related",
    "recommend",
    "qrcode",
    "ewm",
];
const CHROME_WORDS: &[&str] = &[
    "print", "close", "position", "location", "weizhi", "dqwz", "side", "skip", "hidden",
    "fontsize", "font",
];

/// Elements left out: scripts, styles, forms, media, navigation, footers, hidden elements,
/// and whatever a class or id names as site chrome (navigation, share bars, breadcrumbs …).
fn is_skipped(node: NodeIn<'_>) -> bool {
    let Some(e) = element(node) else {
        return false;
    };
    if SKIPPED_TAGS.contains(&e.name()) || e.attr("hidden").is_some() {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    let names = [e.attr("class"), e.attr("id")];
    names.into_iter().flatten().any(|value| {
        value
            .to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| {
                CHROME_WORDS.contains(&word) || CHROME_PREFIXES.iter().any(|p| word.starts_with(p))
            })
    })
}

/// Characters of text (not counting whitespace) under each element, and how many of them
/// are inside links.
#[derive(Debug, Clone, Copy, Default)]
struct Count {
    text: usize,
    link: usize,
}

impl Count {
    fn outside_links(self) -> usize {
        self.text.saturating_sub(self.link)
    }
}

fn count(
    node: NodeIn<'_>,
    depth: usize,
    in_link: bool,
    counts: &mut HashMap<NodeId, Count>,
) -> Count {
    let total = match node.value() {
        Node::Text(t) => {
            let n = t.chars().filter(|c| !c.is_whitespace()).count();
            Count {
                text: n,
                link: if in_link { n } else { 0 },
            }
        }
        Node::Element(_) | Node::Document | Node::Fragment
            if depth < MAX_DEPTH && !is_skipped(node) =>
        {
            let in_link = in_link
                || element(node).is_some_and(|e| e.name() == "a" && e.attr("href").is_some());
            let mut sum = Count::default();
            for child in node.children() {
                let c = count(child, depth + 1, in_link, counts);
                sum.text += c.text;
                sum.link += c.link;
            }
            sum
        }
        _ => Count::default(),
    };
    counts.insert(node.id(), total);
    total
}

/// The article text of a page.
fn article_text(page: &Html) -> String {
    let root = page.tree.root();
    let mut counts = HashMap::new();
    count(root, 0, false, &mut counts);
    let body = root
        .descendants()
        .find(|n| name_is(*n, &["body"]))
        .unwrap_or(root);
    let container = article_container(body, &counts);
    let mut writer = Writer::default();
    writer.block(container, 0);
    writer.newline();
    let lines: Vec<String> = writer
        .lines
        .into_iter()
        .filter(|l| !is_widget_label(l))
        .collect();
    let mut text = lines.join("\n");
    if let Some(title) = title(page, container) {
        let squeezed = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
        let start: String = squeezed(&text).chars().take(600).collect();
        if !start.contains(&squeezed(&title)) {
            text = format!("{title}\n{text}");
        }
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

/// Labels of the year and issue pickers of gazette pages (请选择年份:), left behind when
/// the picker itself is dropped.
fn is_widget_label(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("请选择") && line.chars().count() <= 8
}

/// From `body` down: the child that holds nearly all the text outside links, as long as
/// there is one — the tightest element around the article. Data tables are not entered.
fn article_container<'a>(body: NodeIn<'a>, counts: &HashMap<NodeId, Count>) -> NodeIn<'a> {
    let outside = |n: NodeIn<'_>| counts.get(&n.id()).map_or(0, |c| c.outside_links());
    let mut node = body;
    for _ in 0..MAX_DEPTH {
        let total = outside(node);
        let best = node
            .children()
            .filter(|c| element(*c).is_some() && !is_skipped(*c))
            .max_by_key(|c| outside(*c));
        let Some(best) = best else { break };
        let rest = total.saturating_sub(outside(best));
        let enough = rest * 100 <= total * 15 || rest <= 200;
        if total == 0 || !enough || !is_container(best) || outside(best) == 0 {
            break;
        }
        node = best;
    }
    node
}

/// An element that may hold the article: not a paragraph, heading, list item or data
/// table, and with blocks or line breaks inside.
fn is_container(node: NodeIn<'_>) -> bool {
    let Some(e) = element(node) else {
        return false;
    };
    if ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "a"].contains(&e.name())
        || (e.name() == "table" && is_data_table(node))
    {
        return false;
    }
    node.children()
        .any(|c| name_is(c, BLOCK_TAGS) || name_is(c, &["br"]))
}

/// The document's title as the page states it apart from the body: the `ArticleTitle`
/// meta tag of government publishing systems, else the last heading or `title`-classed
/// element before the body, else the longest part of `<title>`.
fn title(page: &Html, container: NodeIn<'_>) -> Option<String> {
    let root = page.tree.root();
    let plausible = |s: &str| {
        let n = s.chars().filter(|c| !c.is_whitespace()).count();
        (4..=200).contains(&n)
    };
    for node in root.descendants() {
        if let Some(e) = element(node)
            && e.name() == "meta"
            && e.attr("name")
                .is_some_and(|n| n.eq_ignore_ascii_case("ArticleTitle"))
            && let Some(content) = e.attr("content")
        {
            let content = clean_cell(content);
            if plausible(&content) {
                return Some(content);
            }
        }
    }
    let mut before = None;
    for node in root.descendants() {
        if node.id() == container.id() {
            break;
        }
        let Some(e) = element(node) else { continue };
        let titled = ["h1", "h2", "h3"].contains(&e.name())
            || [e.attr("class"), e.attr("id")]
                .into_iter()
                .flatten()
                .any(|v| v.to_ascii_lowercase().contains("title"));
        if !titled || container.ancestors().any(|a| a.id() == node.id()) {
            continue;
        }
        let text = clean_cell(&plain_text(node));
        if plausible(&text) {
            before = Some(text);
        }
    }
    if before.is_some() {
        return before;
    }
    let title = root.descendants().find(|n| name_is(*n, &["title"]))?;
    let text = clean_cell(&plain_text(title));
    text.split(['_', '|', '-', '–', '—'])
        .map(str::trim)
        .max_by_key(|part| part.chars().count())
        .filter(|part| plausible(part))
        .map(str::to_string)
}

/// All the text under a node, scripts and styles left out.
fn plain_text(node: NodeIn<'_>) -> String {
    let mut out = String::new();
    for n in node.descendants() {
        if let Node::Text(t) = n.value()
            && !n.ancestors().any(|a| name_is(a, &["script", "style"]))
        {
            out.push_str(t);
        }
    }
    out
}

const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The rows of a table (those of its own, not of tables inside its cells).
fn table_rows(table: NodeIn<'_>) -> Vec<NodeIn<'_>> {
    let mut rows = Vec::new();
    for child in table.children() {
        if name_is(child, &["tr"]) {
            rows.push(child);
        } else if name_is(child, &["thead", "tbody", "tfoot"]) {
            rows.extend(child.children().filter(|c| name_is(*c, &["tr"])));
        }
    }
    rows
}

fn cells(row: NodeIn<'_>) -> impl Iterator<Item = NodeIn<'_>> {
    row.children().filter(|c| name_is(*c, &["td", "th"]))
}

fn span(cell: NodeIn<'_>, attribute: &str) -> usize {
    element(cell)
        .and_then(|e| e.attr(attribute))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
}

/// A table of data, as opposed to one that lays out a page: it holds no other table, has
/// two columns or more, and no cell holds headings or many paragraphs.
fn is_data_table(table: NodeIn<'_>) -> bool {
    if table.descendants().skip(1).any(|n| name_is(n, &["table"])) {
        return false;
    }
    let rows = table_rows(table);
    let columns = rows
        .iter()
        .map(|r| {
            cells(*r)
                .map(|c| span(c, "colspan").clamp(1, 1000))
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0);
    if columns < 2 {
        return false;
    }
    !rows.iter().flat_map(|r| cells(*r)).any(|cell| {
        let blocks = cell
            .descendants()
            .filter(|n| name_is(*n, &["p", "div", "li", "br"]))
            .count();
        blocks > 40
            || cell
                .descendants()
                .any(|n| name_is(n, &["h1", "h2", "h3", "h4"]))
    })
}

/// Whitespace met and not yet written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
enum Pending {
    #[default]
    None,
    Space,
    /// Whitespace holding a line break: dropped between two CJK characters, as CSS does.
    Break,
}

/// Lines of text written from the DOM, whitespace collapsed as a browser shows it.
#[derive(Debug, Default)]
struct Writer {
    lines: Vec<String>,
    line: String,
    pending: Pending,
}

/// Characters a line break between two of which is no space in CSS text layout.
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3FFFD}')
}

impl Writer {
    fn text(&mut self, text: &str, preformatted: bool) {
        for c in text.chars() {
            if preformatted && c == '\n' {
                self.newline();
            } else if c == '\n' || c == '\r' {
                self.pending = self.pending.max(Pending::Break);
            } else if c.is_whitespace() && c != '\u{3000}' {
                self.pending = self.pending.max(Pending::Space);
            } else {
                if self.pending != Pending::None
                    && let Some(previous) = self.line.chars().last()
                {
                    let drop = self.pending == Pending::Break && is_wide(previous) && is_wide(c);
                    if !drop {
                        self.line.push(' ');
                    }
                }
                self.pending = Pending::None;
                self.line.push(c);
            }
        }
    }

    fn newline(&mut self) {
        let line = self.line.trim();
        if !line.is_empty() {
            self.lines.push(line.to_string());
        }
        self.line.clear();
        self.pending = Pending::None;
    }

    /// Writes a node and what it holds.
    fn block(&mut self, node: NodeIn<'_>, depth: usize) {
        if depth > MAX_DEPTH || is_skipped(node) {
            return;
        }
        match node.value() {
            Node::Text(t) => {
                let preformatted = node.ancestors().any(|a| name_is(a, &["pre"]));
                self.text(t, preformatted);
            }
            Node::Element(e) => {
                let name = e.name();
                if name == "br" {
                    self.newline();
                } else if name == "table" && is_data_table(node) {
                    self.newline();
                    self.lines.extend(table_lines(node, depth));
                } else if BLOCK_TAGS.contains(&name) {
                    self.newline();
                    for child in node.children() {
                        self.block(child, depth + 1);
                    }
                    self.newline();
                } else {
                    for child in node.children() {
                        self.block(child, depth + 1);
                    }
                }
            }
            Node::Document | Node::Fragment => {
                for child in node.children() {
                    self.block(child, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// A data table's rows: `rowspan` and `colspan` cells repeated into every position they
/// cover (a `rowspan` of 0 reaches the last row).
fn table_lines(table: NodeIn<'_>, depth: usize) -> Vec<String> {
    let rows = table_rows(table);
    let mut grid = Grid::new();
    for (r, row) in rows.iter().enumerate() {
        let mut column = 0;
        for cell in cells(*row) {
            let mut writer = Writer::default();
            for child in cell.children() {
                writer.block(child, depth + 1);
            }
            writer.newline();
            let text = writer.lines.join(" ");
            let rowspan = match span(cell, "rowspan") {
                0 => rows.len() - r,
                n => n.min(rows.len() - r),
            };
            column = grid.place(r, column, text, rowspan, span(cell, "colspan"));
        }
    }
    grid.truncate(rows.len());
    grid.lines()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        read(html.as_bytes()).expect("reads").text
    }

    #[test]
    fn article_body_without_the_site() {
        let page = r##"<!DOCTYPE html><html><head><title>关于推进工作的通知_某市人民政府网站</title>
            <style>p{color:red}</style><script>var a = "一、脚本";</script></head><body>
            <div class="top-nav"><a href="/">首页</a><a href="/zw">政务公开</a></div>
            <div class="main"><div class="crumb">当前位置：<a href="/">首页</a></div>
            <h1 class="article-title">关于推进工作的通知</h1>
            <div class="info">发布日期：2023-11-07</div>
            <div class="bdshare">分享到：<a href="#">微信</a></div>
            <div class="TRS_Editor"><p>各区人民政府：</p><p>　　一、总体要求
            </p><p>（一）加强组织领导。各区要落实。</p>
            <p>二、职责<br>分工</p></div></div>
            <div class="footer">主办：某市人民政府办公厅 地址：某路1号 电话：12345678</div>
            </body></html>"##;
        assert_eq!(
            text(page),
            "关于推进工作的通知\n各区人民政府：\n一、总体要求\n（一）加强组织领导。各区要落实。\n二、职责\n分工\n"
        );
    }

    #[test]
    fn tables_become_tab_separated_rows() {
        let page = r#"<html><body><p>附件 任务分工表</p><table border="1">
            <tr><td>序号</td><td>任务</td><td>牵头单位</td><td>配合单位</td></tr>
            <tr><td rowspan="2">1</td><td rowspan="2">扩大
            来源</td><td>市卫生健康委</td><td>市财政局</td></tr>
            <tr><td colspan="2">各区政府</td></tr>
            <tr><td colspan="4">说明：合并行</td></tr></table></body></html>"#;
        assert_eq!(
            text(page),
            "附件 任务分工表\n序号\t任务\t牵头单位\t配合单位\n1\t扩大来源\t市卫生健康委\t市财政局\n1\t扩大来源\t各区政府\t各区政府\n说明：合并行\n"
        );
    }

    #[test]
    fn declared_gbk_charset() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>一、总体要求。推进家庭医生签约服务。</p></body></html>";
        let (bytes, _, _) = GB18030.encode(page);
        let decoded = read(&bytes).expect("reads");
        assert_eq!(decoded.text, "一、总体要求。推进家庭医生签约服务。\n");
        assert_eq!(decoded.encoding, "gb18030");
    }

    #[test]
    fn layout_tables_keep_their_paragraphs() {
        let page = "<html><body><table><tr><td><p>一、总体要求</p><p>（一）指导思想。</p></td></tr></table></body></html>";
        assert_eq!(text(page), "一、总体要求\n（一）指导思想。\n");
    }

    #[test]
    fn a_page_without_text_is_refused() {
        let page = r#"<html><head><title>x</title><script>document.write("一、总体要求")</script></head>
            <body><nav><a href="/">首页</a></nav><select><option>2021</option></select>
            <div class="footer">版权所有</div></body></html>"#;
        assert_eq!(read(page.as_bytes()), Err(DecodeError::NoArticleText));
    }
}
