//! Document metadata: title (also over two lines), 文号, issuer and the jurisdiction it
//! implies, signature date (Arabic or Chinese numerals), addressees, publication note, and
//! for a cover notice the title of the document it issues. Web-page leftovers are skipped.

use regex::Regex;
use std::sync::LazyLock;

use super::lines::Line;
use super::structure::chinese_number;
use super::units::{has_unit_ending, split_list};
use crate::model::{Metadata, Warning};

fn re(s: &str) -> Regex {
    Regex::new(s).expect("valid regex")
}

/// Lines a web page leaves around the text.
static LEFTOVER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(请选择.{0,8}:?|首页.*|当前位置.*|您现在的位置.*|(字号|字体)\s*:?.*[大中小].*|打印本页|打印|关闭窗口|关闭|【打印】|【关闭】|分享到.*|扫一扫.*|(来源|信息来源|发布时间|发布日期|浏览次数|点击数|访问量)\s*:.*)$",
    )
});

/// A red-head banner such as 辽宁省人民政府办公厅文件.
static BANNER: LazyLock<Regex> = LazyLock::new(|| re(r"^\S{2,24}文件$"));

static DOC_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\p{Han}{1,14})\s*[\[(〔【]\s*(\d{4})\s*[\])〕】]\s*(\d{1,5})\s*号$"));

const DATE_CORE: &str = r"(\d{4}|[〇零○O一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日";

static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^{DATE_CORE}$")));

/// `杭州市科学技术局2026年5月25日发布…`: an issuer and date in one line.
static DATED_ISSUE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(\p{{Han}}{{2,30}}?)\s*{DATE_CORE}\s*(印发|发布|公布|制定|修订)"
    ))
});

static GENRE_END: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(通知|意见|方案|办法|规定|决定|计划|细则|措施|要点|纲要|规划|批复|通告|公告|报告|清单|指引|条例|指南|规则|函|决议|纪要|分工)(\(.*\))*$",
    )
});

static PUBLICATION: LazyLock<Regex> = LazyLock::new(|| re(r"^[(〔\[]\s*(此件[^)〕\]]*)[)〕\]]$"));

static JURISDICTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(\p{Han}{2,10}?(?:特别行政区|自治区|省|市|自治州|州|盟|自治县|县|区|旗)(?:\p{Han}{2,6}?(?:市|自治州|州|盟|自治县|县|区|旗))?)",
    )
});

/// What the header and the signature say, and where the signature block begins.
pub struct HeaderFacts {
    pub metadata: Metadata,
    /// Code-point offset where a closing signature block starts (body text ends there).
    pub signature_start: Option<usize>,
    /// Indices of leftover lines to ignore.
    pub leftovers: Vec<usize>,
}

/// Reads the metadata. `first_heading` is the index of the first heading line, if any.
pub fn extract(
    lines: &[Line],
    first_heading: Option<usize>,
    last_heading: Option<usize>,
    warnings: &mut Vec<Warning>,
) -> HeaderFacts {
    let leftovers: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| LEFTOVER.is_match(l.trimmed()))
        .map(|(i, _)| i)
        .collect();
    for &i in &leftovers {
        warnings.push(Warning {
            line: Some(lines[i].number),
            message: format!("skipped web-page leftover \"{}\"", lines[i].trimmed()),
        });
    }
    let header_end = first_heading.unwrap_or(lines.len().min(30));
    let usable = |i: usize| !leftovers.contains(&i) && !lines[i].is_blank();

    let doc_number = (0..header_end)
        .filter(|&i| usable(i))
        .find_map(|i| DOC_NUMBER.captures(lines[i].trimmed()))
        .map(|c| format!("{}〔{}〕{}号", &c[1], &c[2], &c[3]));

    let (title, title_lines) = find_title(lines, header_end, &usable);

    let addressee_line = (0..header_end)
        .filter(|&i| usable(i) && !title_lines.contains(&i))
        .find(|&i| {
            let t = lines[i].trimmed();
            t.ends_with(':') && t.chars().count() <= 150 && !t.contains('。')
        });
    let addressees = addressee_line
        .map(|i| {
            let line = &lines[i];
            let (from, to) = line.content_range();
            split_list(line, from, to - 1)
                .into_iter()
                .map(|item| item.unit.name)
                .collect()
        })
        .unwrap_or_default();

    let date_line = (0..lines.len())
        .filter(|&i| usable(i))
        .find(|&i| DATE_LINE.is_match(lines[i].trimmed()));
    let mut date = date_line.and_then(|i| iso_date(lines[i].trimmed()));
    let mut issuers: Vec<String> = Vec::new();
    let mut signature_first = date_line;
    if let Some(d) = date_line {
        let mut i = d;
        while i > 0 {
            i -= 1;
            if lines[i].is_blank() {
                continue;
            }
            let names: Vec<&str> = lines[i].trimmed().split_whitespace().collect();
            let is_signature = names.iter().all(|n| {
                n.chars().count() <= 30 && has_unit_ending(n) && !n.contains([',', '。', ':', '、'])
            });
            if !is_signature || title_lines.contains(&i) || d - i > 3 {
                break;
            }
            issuers.splice(0..0, names.into_iter().map(str::to_string));
            signature_first = Some(i);
        }
    }
    if date.is_none() || issuers.is_empty() {
        // 杭州市科学技术局2026年5月25日发布
        if let Some(c) = lines.iter().find_map(|l| DATED_ISSUE.captures(l.trimmed())) {
            if date.is_none() {
                date = iso_date(&c[0][c[1].len()..]);
            }
            if issuers.is_empty() && has_unit_ending(&c[1]) {
                issuers.push(c[1].to_string());
            }
        }
    }
    if issuers.is_empty()
        && let Some(t) = &title
        && let Some(at) = t.find("关于")
        && at > 0
        && has_unit_ending(&t[..at])
    {
        issuers.push(t[..at].to_string());
    }
    let issuer = (!issuers.is_empty()).then(|| issuers.join("、"));
    let jurisdiction = issuer.as_deref().and_then(jurisdiction_of);

    let publication = lines
        .iter()
        .find_map(|l| PUBLICATION.captures(l.trimmed()))
        .map(|c| c[1].trim().to_string());

    let issued_title = title
        .as_deref()
        .and_then(|t| issued_title(t, lines, title_lines.last().copied()));

    let signature_start = match (signature_first, last_heading) {
        (Some(s), Some(h)) if s > h => Some(lines[s].start),
        _ => None,
    };

    let metadata = Metadata {
        title,
        doc_number,
        issuer,
        jurisdiction,
        date,
        addressees,
        publication,
        issued_title,
        pairings: Vec::new(),
    };
    for (field, missing) in [
        ("title", metadata.title.is_none()),
        ("document number (文号)", metadata.doc_number.is_none()),
        ("issuer", metadata.issuer.is_none()),
        ("jurisdiction", metadata.jurisdiction.is_none()),
        ("date", metadata.date.is_none()),
        ("addressees (主送)", metadata.addressees.is_empty()),
        ("publication note (此件…)", metadata.publication.is_none()),
    ] {
        if missing {
            warnings.push(Warning {
                line: None,
                message: format!("no {field} found"),
            });
        }
    }
    HeaderFacts {
        metadata,
        signature_start,
        leftovers,
    }
}

/// The title: the first line of the header that is not a banner, number, addressee line
/// or prose; joined with the next line when it does not end like a title yet.
fn find_title(
    lines: &[Line],
    header_end: usize,
    usable: &dyn Fn(usize) -> bool,
) -> (Option<String>, Vec<usize>) {
    let candidates: Vec<usize> = (0..header_end).filter(|&i| usable(i)).collect();
    for (k, &i) in candidates.iter().enumerate() {
        let t = lines[i].trimmed();
        if BANNER.is_match(t) || DOC_NUMBER.is_match(t) || DATE_LINE.is_match(t) {
            continue;
        }
        if t.ends_with(':') || t.ends_with('。') || t.chars().count() > 80 {
            return (None, Vec::new());
        }
        let first = t.to_string();
        if !GENRE_END.is_match(&first)
            && let Some(&j) = candidates.get(k + 1)
        {
            let next = lines[j].trimmed();
            let joinable = j - i <= 2
                && next.chars().count() <= 60
                && !next.ends_with(':')
                && !next.ends_with('。')
                && !DOC_NUMBER.is_match(next)
                && !DATE_LINE.is_match(next);
            if joinable {
                let joined = format!(
                    "{}{}",
                    original_trimmed(&lines[i]),
                    original_trimmed(&lines[j])
                );
                return (Some(joined), vec![i, j]);
            }
        }
        return (Some(original_trimmed(&lines[i])), vec![i]);
    }
    (None, Vec::new())
}

fn original_trimmed(line: &Line) -> String {
    let (from, to) = line.content_range();
    line.original(from, to)
}

/// For `…关于印发《X》的通知` or `…印发X的通知`, the title X as the issued document
/// writes it, if a later line carries it.
fn issued_title(title: &str, lines: &[Line], after: Option<usize>) -> Option<String> {
    let at = title.find("印发")?;
    let rest = &title[at + "印发".len()..];
    let end = rest.rfind("的通知")?;
    let inner = rest[..end].trim_matches(['《', '》']);
    if inner.is_empty() {
        return None;
    }
    let start = after.map_or(0, |a| a + 1);
    let written = lines[start.min(lines.len())..]
        .iter()
        .map(original_trimmed)
        .find(|l| l.contains(inner) && l.chars().count() <= inner.chars().count() + 8);
    Some(written.unwrap_or_else(|| inner.to_string()))
}

/// `2021年1月8日` or `二〇二一年一月八日` → `2021-01-08`.
pub fn iso_date(text: &str) -> Option<String> {
    let c = Regex::new(DATE_CORE).ok()?.captures(text)?;
    let year: String = c[1]
        .chars()
        .map(|ch| match ch {
            '〇' | '零' | '○' | 'O' => Some('0'),
            d if d.is_ascii_digit() => Some(d),
            d => chinese_number(&d.to_string()).and_then(|n| char::from_digit(n, 10)),
        })
        .collect::<Option<String>>()?;
    let year: u32 = year.parse().ok()?;
    let month = chinese_number(&c[2])?;
    let day = chinese_number(&c[3])?;
    ((1900..=2200).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// The administrative area an issuer belongs to: 辽宁省人民政府办公厅 → 辽宁省.
pub fn jurisdiction_of(issuer: &str) -> Option<String> {
    let first = issuer.split('、').next()?.trim_start_matches("中共");
    const NATIONAL: [&str; 5] = ["国务院", "中共中央", "全国人大", "中华人民共和国", "中央"];
    if NATIONAL.iter().any(|p| first.starts_with(p)) {
        return Some("中国".to_string());
    }
    JURISDICTION.captures(first).map(|c| c[1].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_numeral_systems() {
        assert_eq!(iso_date("2021年1月8日").as_deref(), Some("2021-01-08"));
        assert_eq!(
            iso_date("二〇二一年一月八日").as_deref(),
            Some("2021-01-08")
        );
        assert_eq!(
            iso_date("二〇一八年十一月十六日").as_deref(),
            Some("2018-11-16")
        );
        assert_eq!(iso_date("2021年13月8日"), None);
    }

    #[test]
    fn jurisdictions() {
        assert_eq!(
            jurisdiction_of("辽宁省人民政府办公厅").as_deref(),
            Some("辽宁省")
        );
        assert_eq!(
            jurisdiction_of("广州市卫生健康委员会、广州市财政局").as_deref(),
            Some("广州市")
        );
        assert_eq!(jurisdiction_of("国务院").as_deref(), Some("中国"));
        assert_eq!(
            jurisdiction_of("内蒙古自治区人民政府").as_deref(),
            Some("内蒙古自治区")
        );
        assert_eq!(
            jurisdiction_of("北京市海淀区人民政府").as_deref(),
            Some("北京市海淀区")
        );
        assert_eq!(
            jurisdiction_of("杭州市科学技术局").as_deref(),
            Some("杭州市")
        );
        assert_eq!(
            jurisdiction_of("北京市市场监督管理局").as_deref(),
            Some("北京市")
        );
    }
}
