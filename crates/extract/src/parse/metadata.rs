//! Document metadata: title (also over two lines), 文号, issuer and the jurisdiction it
//! implies, signature date (Arabic or Chinese numerals), addressees, publication note, and
//! for a cover notice the title of the document it issues. Web-page leftovers are skipped.

use regex::Regex;
use std::sync::LazyLock;

use super::lines::Line;
use super::structure::chinese_number;
use super::units::split_list;
use super::words::has_unit_ending;
use crate::model::{Metadata, Warning};
use crate::text::match_form;

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

/// `杭州市科学技术局2026年5月25日发布…`: an issuer (maybe with a second name in brackets:
/// `罗湖区科技和工业信息化局（乡村振兴和协作交流局）`) and date in one line.
static DATED_ISSUE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^([\p{{Han}}()]{{2,40}}?)\s*{DATE_CORE}\s*(印发|发布|公布|制定|修订)"
    ))
});

/// `广州市卫生健康委等4部门`: a title's issuers counted rather than named.
static COUNTED_ISSUERS: LazyLock<Regex> =
    LazyLock::new(|| re(r"等(\d+|[一二三四五六七八九十]+)?个?(部门|单位|机构)$"));

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
    /// Indices of the lines the metadata was read from (title, 文号, addressees, signature
    /// and date).
    pub used: Vec<usize>,
}

/// Whether a (folded, trimmed) line is a date, alone or after its issuer.
pub fn is_date_line(text: &str) -> bool {
    DATE_LINE.is_match(text) || DATED_ISSUE.is_match(text)
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

    let doc_number_line = (0..header_end)
        .filter(|&i| usable(i))
        .find(|&i| DOC_NUMBER.is_match(lines[i].trimmed()));
    let doc_number = doc_number_line.and_then(|i| {
        let c = DOC_NUMBER.captures(lines[i].trimmed())?;
        // The issuer's short name as written (traditional characters stay so).
        let (from, _) = lines[i].content_range();
        let short = lines[i].original(from, from + c[1].chars().count());
        Some(format!("{short}〔{}〕{}号", &c[2], &c[3]))
    });

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
    let mut used: Vec<usize> = title_lines.clone();
    used.extend((0..header_end).filter(|&i| usable(i) && BANNER.is_match(lines[i].trimmed())));
    used.extend(doc_number_line);
    used.extend(addressee_line);
    used.extend(date_line);
    let mut date = date_line.and_then(|i| iso_date(lines[i].trimmed()));
    let mut issuers: Vec<String> = Vec::new();
    let mut signature_first = date_line;
    if let Some(d) = date_line {
        let mut i = d;
        // A line that is only a bracket group names the issuer above it again
        // (`四川省科学技术厅` then `（四川省人工智能产业链链长办公室）`).
        let mut pending_note: Option<String> = None;
        while i > 0 {
            i -= 1;
            if lines[i].is_blank() {
                continue;
            }
            if title_lines.contains(&i) || d - i > 6 {
                break;
            }
            let text = lines[i].trimmed();
            if pending_note.is_none() && is_bracket_note(text) {
                pending_note = Some(original_trimmed(&lines[i]));
                used.push(i);
                continue;
            }
            let names = signature_names(&lines[i]);
            if names.is_empty() {
                break;
            }
            let mut names = names;
            if let (Some(note), Some(last)) = (pending_note.take(), names.last_mut()) {
                last.push_str(&note);
            }
            issuers.splice(0..0, names);
            used.push(i);
            signature_first = Some(i);
        }
    }
    if date.is_none() || issuers.is_empty() {
        // 杭州市科学技术局2026年5月25日发布
        if let Some((i, c)) = lines
            .iter()
            .enumerate()
            .find_map(|(i, l)| DATED_ISSUE.captures(l.trimmed()).map(|c| (i, c)))
        {
            used.push(i);
            if date.is_none() {
                date = iso_date(&c[0][c[1].len()..]);
            }
            if issuers.is_empty() && has_unit_ending(c[1].trim_end_matches(')')) {
                let line = &lines[i];
                let (from, _) = line.content_range();
                issuers.push(line.original(from, from + c[1].chars().count()));
            }
        }
    }
    if issuers.is_empty()
        && let Some(t) = &title
        && let Some(at) = match_form(t).find("关于")
        && at > 0
    {
        let head: String = t
            .chars()
            .take(match_form(t)[..at].chars().count())
            .collect();
        issuers = title_issuers(&head);
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
    used.sort_unstable();
    used.dedup();
    HeaderFacts {
        metadata,
        signature_start,
        leftovers,
        used,
    }
}

/// A line that is nothing but a bracketed name: `（四川省人工智能产业链链长办公室）`.
fn is_bracket_note(text: &str) -> bool {
    let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) else {
        return false;
    };
    inner.chars().count() <= 30
        && !inner.contains(['(', ')', '。', ':', ',', ';'])
        && has_unit_ending(inner)
}

/// The issuers a signature line names (several, separated by spaces), as written; empty
/// when the line is not a signature.
fn signature_names(line: &Line) -> Vec<String> {
    let (from, to) = line.content_range();
    let mut out = Vec::new();
    let mut start = None;
    for i in from..=to {
        let blank = i == to || line.folded_char(i).is_whitespace();
        match (blank, start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                let name = line.folded_chars(s, i);
                let fits = name.chars().count() <= 30
                    && has_unit_ending(name.trim_end_matches(')'))
                    && !name.contains([',', '。', ':', '、']);
                if !fits {
                    return Vec::new();
                }
                out.push(line.original(s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The issuers a title names before 关于 (`省发展改革委 省财政厅`, `省委办公厅、省政府办公厅`,
/// `广州市卫生健康委等4部门`): each name that ends like a unit.
fn title_issuers(head: &str) -> Vec<String> {
    let head = head.trim();
    let key = match_form(head);
    let keep = COUNTED_ISSUERS
        .find(&key)
        .map_or(key.chars().count(), |m| key[..m.start()].chars().count());
    let head: String = head.chars().take(keep).collect();
    let names: Vec<String> = head
        .split(|c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，'))
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    let all_units = !names.is_empty() && names.iter().all(|n| has_unit_ending(&match_form(n)));
    if all_units { names } else { Vec::new() }
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
    // Found in matching form, cut from the title as written.
    let key = match_form(title);
    let at = key.find("印发")? + "印发".len();
    let end = at + key[at..].rfind("的通知")?;
    let chars = |byte: usize| key[..byte].chars().count();
    let inner: String = title
        .chars()
        .skip(chars(at))
        .take(chars(end) - chars(at))
        .collect();
    let inner = inner.trim_matches(['《', '》']);
    if inner.is_empty() {
        return None;
    }
    let inner_key = match_form(inner);
    let start = after.map_or(0, |a| a + 1);
    let written = lines[start.min(lines.len())..]
        .iter()
        .find(|l| {
            l.trimmed().contains(&inner_key)
                && l.trimmed().chars().count() <= inner.chars().count() + 8
        })
        .map(original_trimmed);
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
    // Matched in simplified form, reported as written.
    let key = match_form(first);
    const NATIONAL: [&str; 5] = ["国务院", "中共中央", "全国人大", "中华人民共和国", "中央"];
    if NATIONAL.iter().any(|p| key.starts_with(p)) {
        return Some("中国".to_string());
    }
    let c = JURISDICTION.captures(&key)?;
    Some(first.chars().take(c[1].chars().count()).collect())
}

#[cfg(test)]
mod tests {
    use super::super::lines::lines;
    use super::*;

    /// Title, issuer, jurisdiction and date of a document's header.
    fn header(text: &str) -> [Option<String>; 4] {
        let ls = lines(text);
        let first_heading = ls.iter().position(|l| l.trimmed().starts_with("一、"));
        let facts = extract(&ls, first_heading, first_heading, &mut Vec::new());
        let m = facts.metadata;
        [m.title, m.issuer, m.jurisdiction, m.date]
    }

    fn some(values: [&str; 4]) -> [Option<String>; 4] {
        values.map(|v| (!v.is_empty()).then(|| v.to_string()))
    }

    #[test]
    fn an_annotation_above_the_signature_is_no_part_of_it() {
        let ls = lines(
            "辽宁省人民政府办公厅关于甲事的通知\n一、任务\n（一）做甲事。（牵头单位：省科技厅）\n辽宁省人民政府办公厅\n2021年1月8日\n",
        );
        let facts = extract(&ls, Some(1), Some(2), &mut Vec::new());
        assert_eq!(facts.used, [0, 3, 4]);
        assert_eq!(
            facts.metadata.issuer.as_deref(),
            Some("辽宁省人民政府办公厅")
        );
    }

    #[test]
    fn notices_of_every_issuer() {
        // A leading group's office, named only in the title.
        assert_eq!(
            header(
                "浙江省数字经济发展领导小组办公室关于印发《浙江省数据要素市场培育行动方案》的通知\n各市、县（市、区）人民政府：\n现将方案印发给你们。\n一、总体要求\n"
            ),
            some([
                "浙江省数字经济发展领导小组办公室关于印发《浙江省数据要素市场培育行动方案》的通知",
                "浙江省数字经济发展领导小组办公室",
                "浙江省",
                ""
            ])
        );
        // A department's notice with its signature and date.
        assert_eq!(
            header(
                "湖南省科学技术厅关于印发《湖南省科技成果转化行动方案》的通知\n湘科发〔2022〕9号\n各市州科技局：\n现将方案印发给你们。\n湖南省科学技术厅\n2022年3月1日\n一、总体要求\n"
            ),
            some([
                "湖南省科学技术厅关于印发《湖南省科技成果转化行动方案》的通知",
                "湖南省科学技术厅",
                "湖南省",
                "2022-03-01"
            ])
        );
        // A joint notice: issuers on one signature line, and in the title only.
        assert_eq!(
            header(
                "江西省发展和改革委员会 江西省财政厅关于印发《江西省服务业扩大开放实施方案》的通知\n各设区市发展改革委、财政局：\n现将方案印发给你们。\n江西省发展和改革委员会　江西省财政厅\n2023年5月6日\n一、总体要求\n"
            ),
            some([
                "江西省发展和改革委员会 江西省财政厅关于印发《江西省服务业扩大开放实施方案》的通知",
                "江西省发展和改革委员会、江西省财政厅",
                "江西省",
                "2023-05-06"
            ])
        );
        assert_eq!(
            header(
                "中共成都市委办公厅 成都市人民政府办公厅关于印发《成都市营商环境提升方案》的通知\n各区（市）县党委和人民政府：\n现将方案印发给你们。\n一、总体要求\n"
            ),
            some([
                "中共成都市委办公厅 成都市人民政府办公厅关于印发《成都市营商环境提升方案》的通知",
                "中共成都市委办公厅、成都市人民政府办公厅",
                "成都市",
                ""
            ])
        );
        // Issuers counted, not named: the first is kept.
        assert_eq!(
            header(
                "广州市卫生健康委等4部门关于印发家庭医生签约服务方案的通知\n各区卫生健康局：\n现将方案印发给你们。\n一、总体要求\n"
            )[1..3],
            some(["", "广州市卫生健康委", "广州市", ""])[1..3]
        );
        // An office with a second name in brackets, over two signature lines.
        assert_eq!(
            header(
                "关于印发《四川省人工智能行动方案》的通知\n省直有关部门：\n现将方案印发给你们。\n四川省科学技术厅\n（四川省人工智能产业链链长办公室）\n四川省经济和信息化厅\n2026年4月16日\n一、总体要求\n"
            )[1..3],
            some([
                "",
                "四川省科学技术厅（四川省人工智能产业链链长办公室）、四川省经济和信息化厅",
                "四川省",
                ""
            ])[1..3]
        );
        // Traditional characters: matched simplified, reported as written.
        assert_eq!(
            header(
                "廣東省人民政府辦公廳關於印發《廣東省數字政府建設方案》的通知\n粵府辦〔2021〕3號\n各地級以上市人民政府：\n現將方案印發給你們。\n廣東省人民政府辦公廳\n2021年2月5日\n一、總體要求\n"
            )[1..4],
            some(["", "廣東省人民政府辦公廳", "廣東省", "2021-02-05"])[1..4]
        );
        assert_eq!(
            header(
                "廣東省數字政府改革建設領導小組辦公室關於印發《數據工作要點》的通知\n各地級以上市人民政府：\n一、總體要求\n"
            )[1..3],
            some(["", "廣東省數字政府改革建設領導小組辦公室", "廣東省", ""])[1..3]
        );
    }

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
