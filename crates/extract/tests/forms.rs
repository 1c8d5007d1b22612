//! The genre's many ways of writing the same facts: encodings, line breaks, full- and
//! half-width forms, bracket kinds, annotation styles and conventions. Each test builds a
//! small document or a variant of the seed and checks what the parser reads from it.

use crate::util;
use util::parse_str;

use policykg_extract::extract_bytes;
use policykg_extract::link::Gazetteer;
use policykg_extract::model::{ParsedDocument, Role};
use util::{seed, seed_path};

/// (number, lead, responsible, supporting, implied) of every task.
type Summary = Vec<(String, Vec<String>, Vec<String>, Vec<String>, Vec<String>)>;

fn summary(doc: &ParsedDocument) -> Summary {
    doc.tasks
        .iter()
        .map(|t| {
            let n = |r: Role| t.units(r).iter().map(|u| u.name.clone()).collect();
            (
                t.number.clone(),
                n(Role::Lead),
                n(Role::Responsible),
                n(Role::Supporting),
                n(Role::Implied),
            )
        })
        .collect()
}

fn seed_text() -> String {
    std::fs::read_to_string(seed_path()).expect("seed readable")
}

#[test]
fn gb18030_utf16_and_bom_give_the_same_model() {
    let original = seed();
    let text = seed_text();
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    for (bytes, encoding) in [
        (gb.into_owned(), "gb18030"),
        (utf16, "UTF-16LE"),
        (bom, "UTF-8"),
    ] {
        let doc =
            extract_bytes(&bytes, &seed_path(), Gazetteer::builtin()).expect("variant parses");
        assert_eq!(doc.source.encoding, encoding);
        assert_eq!(doc.tasks, original.tasks, "{encoding}");
        assert_eq!(doc.sections, original.sections, "{encoding}");
        assert_eq!(doc.document, original.document, "{encoding}");
    }
}

#[test]
fn crlf_indentation_and_odd_spaces_change_nothing_but_offsets() {
    let original = seed();
    let text = seed_text()
        .lines()
        .map(|l| format!("\u{3000}\u{a0} {l}"))
        .collect::<Vec<_>>()
        .join("\r\n");
    let doc = parse_str(&text);
    assert_eq!(summary(&doc), summary(&original));
    assert_eq!(doc.document.title, original.document.title);
    assert_eq!(doc.document.date, original.document.date);
    for task in &doc.tasks {
        for unit in &task.units.lead {
            assert_eq!(doc.slice(unit.span), unit.surface);
        }
    }
}

#[test]
fn full_width_punctuation_and_digits_read_like_half_width() {
    let original = seed();
    let full: String = seed_text()
        .chars()
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            ':' => '：',
            ',' => '，',
            '.' => '．',
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).expect("full-width digit"),
            c => c,
        })
        .collect();
    let doc = parse_str(&full);
    assert_eq!(summary(&doc), summary(&original));
    assert_eq!(doc.document.date.as_deref(), Some("2021-01-08"));
    assert_eq!(
        doc.document.doc_number.as_deref(),
        Some("辽政办发〔2021〕1号")
    );
}

const SMALL: &str = "\
吉林省人民政府办公厅关于推进示范工作的实施方案
吉政办发[2024]12号
各市人民政府，省政府各部门：
一、重点任务
（一）推进甲项工作。加快建设。（省发展改革委牵头，省财政厅、省商务厅配合）
（二）推进乙项工作。加快推广。
牵头单位：省科技厅；配合单位：省教育厅、省文化和旅游厅
（三）推进丙项工作。加快落实。【责任单位：省工业和信息化厅、各市（区）政府】
（四）推进丁项工作。先做一件事（责任单位：省农业农村厅）。再做另一件事（牵头单位：省林草局，责任单位：省水利厅）。
吉林省人民政府办公厅
二〇二四年三月五日
（此件主动公开）
";

#[test]
fn annotation_styles_of_the_genre() {
    let doc = parse_str(SMALL);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        summary(&doc),
        vec![
            (
                "一".to_string(),
                s(&["省发展改革委"]),
                s(&[]),
                s(&["省财政厅", "省商务厅"]),
                s(&[])
            ),
            (
                "二".to_string(),
                s(&["省科技厅"]),
                s(&[]),
                s(&["省教育厅", "省文化和旅游厅"]),
                s(&[])
            ),
            (
                "三".to_string(),
                s(&[]),
                s(&["省工业和信息化厅", "各市（区）政府"]),
                s(&[]),
                s(&[])
            ),
            (
                "四".to_string(),
                s(&[]),
                s(&["省农业农村厅"]),
                s(&[]),
                s(&[])
            ),
            (
                "四-2".to_string(),
                s(&["省林草局"]),
                s(&["省水利厅"]),
                s(&[]),
                s(&[])
            ),
        ]
    );
    assert_eq!(doc.tasks[3].title, "推进丁项工作");
    assert_eq!(doc.tasks[4].title, "再做另一件事");
    assert_eq!(doc.tasks[4].text, "再做另一件事");
    let meta = &doc.document;
    assert_eq!(meta.doc_number.as_deref(), Some("吉政办发〔2024〕12号"));
    assert_eq!(meta.date.as_deref(), Some("2024-03-05"));
    assert_eq!(meta.issuer.as_deref(), Some("吉林省人民政府办公厅"));
    assert_eq!(meta.jurisdiction.as_deref(), Some("吉林省"));
    assert_eq!(meta.publication.as_deref(), Some("此件主动公开"));
    assert_eq!(meta.addressees, ["各市人民政府", "省政府各部门"]);
    assert!(doc.tasks[2].units.responsible[1].collective);
}

#[test]
fn document_number_brackets_are_normalised() {
    for written in [
        "辽政办发〔2021〕1号",
        "辽政办发[2021]1号",
        "辽政办发(2021)1号",
        "辽政办发【2021】1号",
        "辽政办发（2021）1号",
    ] {
        let text = format!(
            "辽宁省人民政府办公厅关于某事的通知\n{written}\n一、总体要求\n（一）某事。（牵头单位：省科技厅）\n"
        );
        let doc = parse_str(&text);
        assert_eq!(
            doc.document.doc_number.as_deref(),
            Some("辽政办发〔2021〕1号"),
            "{written}"
        );
    }
}

#[test]
fn stated_lead_mark() {
    let text = "\
某市人民政府关于某事的意见
一、任务（标*的为牵头单位）
1．做甲事。（责任单位：市财政局、市科技局*）
2．做乙事。（责任单位：*市教育局、市科技局）
";
    let doc = parse_str(text);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        summary(&doc),
        vec![
            (
                "1".to_string(),
                s(&["市科技局"]),
                s(&["市财政局"]),
                s(&[]),
                s(&[])
            ),
            (
                "2".to_string(),
                s(&["市教育局"]),
                s(&["市科技局"]),
                s(&[]),
                s(&[])
            ),
        ]
    );
    assert!(matches!(
        doc.conventions[..],
        [policykg_extract::model::Convention::MarkIsLead { mark: '*', .. }]
    ));
}

#[test]
fn carry_forward_notes_keep_implied_units_apart() {
    let text = "\
某市人民政府关于某事的意见
一、任务
1．做甲事。（责任单位：市财政局、市科技局，各区县政府。列第一位的为牵头单位，下同。以下均需各区县政府落实，不再列出）
2．做乙事。（责任单位：市教育局、市科技局）
";
    let doc = parse_str(text);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        summary(&doc),
        vec![
            (
                "1".to_string(),
                s(&["市财政局"]),
                s(&["市科技局", "各区县政府"]),
                s(&[]),
                s(&[])
            ),
            (
                "2".to_string(),
                s(&["市教育局"]),
                s(&["市科技局"]),
                s(&[]),
                s(&["各区县政府"])
            ),
        ]
    );
    let implied = &doc.tasks[1].units.implied[0];
    assert_eq!(doc.slice(implied.span), "各区县政府");
    assert!(implied.span.start < doc.tasks[0].annotation_span.end);
}

#[test]
fn cover_notice_keeps_both_parts() {
    let text = "\
某市人民政府办公室关于印发《某市推进某事行动计划（2026—2027年）》的通知
某政办〔2026〕3号
各区人民政府，市政府各部门：
《某市推进某事行动计划（2026—2027年）》已经市政府同意，现印发给你们，请认真贯彻落实。
某市人民政府办公室
2026年6月24日
某市推进某事行动计划（2026—2027年）
一、重点任务
1．做甲事。到2027年，建成10个社区。
责任单位：市科技局，各区政府
";
    let doc = parse_str(text);
    assert_eq!(
        doc.document.title.as_deref(),
        Some("某市人民政府办公室关于印发《某市推进某事行动计划（2026—2027年）》的通知")
    );
    assert_eq!(
        doc.document.issued_title.as_deref(),
        Some("某市推进某事行动计划（2026—2027年）")
    );
    assert_eq!(doc.document.date.as_deref(), Some("2026-06-24"));
    assert_eq!(doc.tasks.len(), 1);
    assert_eq!(doc.tasks[0].text, "做甲事。到2027年，建成10个社区。");
    assert_eq!(doc.goals.len(), 1);
    assert_eq!(doc.goals[0].year, 2027);
}

#[test]
fn articles_and_deeper_levels() {
    let text = "\
某省某事管理办法
第一章 总则
第一条 为了规范某事，制定本办法。
第二条 职责分工如下：
（一）省发展改革委负责统筹。（省发展改革委负责）
（二）专项工作：
1. 甲项（省科技厅牵头，省财政厅配合）
(1)子项一
①要点
";
    let doc = parse_str(text);
    let shape: Vec<(&str, usize, &str)> = doc
        .sections
        .iter()
        .map(|s| (s.style.as_str(), s.level, s.id.as_str()))
        .collect();
    assert_eq!(
        shape,
        [
            ("章", 1, "1"),
            ("条", 2, "1.1"),
            ("条", 2, "1.2"),
            ("（一）", 3, "1.2.1"),
            ("（一）", 3, "1.2.2"),
            ("1.", 4, "1.2.2.1"),
            ("（1）", 5, "1.2.2.1.1"),
            ("①", 6, "1.2.2.1.1.1"),
        ]
    );
    assert_eq!(doc.sections[0].title, "总则");
    assert_eq!(doc.tasks.len(), 2);
    assert_eq!(doc.tasks[1].section.as_deref(), Some("1.2.2"));
    assert_eq!(doc.tasks[1].title, "甲项");
}

#[test]
fn task_table_rows_are_tasks() {
    let text = "\
某区关于某事的工作方案
一、主要任务
（一）扩大来源。做甲事。
附件
任务分工表
序号\t工作事项\t主要内容\t牵头单位\t配合单位\t完成时限
1\t扩大来源。\t做甲事。\t区卫健局\t区财政局、区人社局\t2024年底
\t\t做乙事。\t各街道（镇）\t/\t长期
";
    let doc = parse_str(text);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        summary(&doc),
        vec![
            (
                "1".to_string(),
                s(&["区卫健局"]),
                s(&[]),
                s(&["区财政局", "区人社局"]),
                s(&[])
            ),
            (
                "1".to_string(),
                s(&["各街道（镇）"]),
                s(&[]),
                s(&[]),
                s(&[])
            ),
        ]
    );
    assert_eq!(doc.tasks[1].title, "扩大来源");
    assert_eq!(doc.tasks[1].text, "做乙事。");
    assert_eq!(doc.tasks[0].section.as_deref(), Some("1"));
}

#[test]
fn label_lines_under_a_task_and_division_lines() {
    // Each task followed by its leader, then one label line per role.
    let lines = "某省人民政府关于分解年度重点工作的通知\n一、稳住经济大盘\n\
        1．全省生产总值增长6%以上。\n牵头负责领导：王某。\n牵头责任单位：省发展改革委。\n\
        协同责任单位：省政府各部门、各直属机构。\n\
        2．外贸进出口稳中提质。\n牵头负责领导：王某。\n完成时限：年底前\n\
        牵头责任单位：省商务厅。\n协同责任单位：省财政厅、合肥海关等。\n";
    let doc = parse_str(lines);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        summary(&doc),
        vec![
            (
                "1".to_string(),
                s(&["省发展改革委"]),
                s(&[]),
                s(&["省政府各部门", "各直属机构"]),
                s(&[])
            ),
            (
                "2".to_string(),
                s(&["省商务厅"]),
                s(&[]),
                s(&["省财政厅", "合肥海关"]),
                s(&[])
            ),
        ]
    );
    assert_eq!(doc.tasks[0].title, "全省生产总值增长6%以上");
    // `部门分工：` introduces the verb form on a line of its own.
    let division = "某省重点工作分工方案\n一、主要预期目标\n1.居民收入稳步增长。\n分管省领导：李某\n\
        部门分工：省人力资源社会保障厅牵头，省发展改革委、省统计局配合。\n\
        2.城镇调查失业率控制在5.5%以内。\n部门分工：省人力资源社会保障厅负责。\n";
    let doc = parse_str(division);
    assert_eq!(
        summary(&doc),
        vec![
            (
                "1".to_string(),
                s(&["省人力资源社会保障厅"]),
                s(&[]),
                s(&["省发展改革委", "省统计局"]),
                s(&[])
            ),
            (
                "2".to_string(),
                s(&[]),
                s(&["省人力资源社会保障厅"]),
                s(&[]),
                s(&[])
            ),
        ]
    );
    // Every unit keeps the span it was read from.
    let text: Vec<char> = division.chars().collect();
    let unit = &doc.tasks[0].units.supporting[1];
    let (a, b) = (unit.span.start, unit.span.end);
    assert_eq!(text[a..b].iter().collect::<String>(), "省统计局");
}

#[test]
fn bracketed_labels_side_notes_and_times() {
    let text = "某市工作方案\n一、重点任务\n\
        1.推进甲项。（牵头领导：张某；牵头单位：市发展改革委；责任单位：市财政局）\n\
        2.推进乙项。【牵头单位】市科技局【责任单位】市教育局、市人社局\n\
        3.推进丙项。\n【牵头单位】市商务局\n【配合单位】市财政局\n\
        4.推进丁项。（责任单位：市住建局　完成时限：2023年）\n\
        5.推进戊项。（市交通局牵头，市公安局配合，2022年底前完成）\n";
    let doc = parse_str(text);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        summary(&doc),
        vec![
            (
                "1".to_string(),
                s(&["市发展改革委"]),
                s(&["市财政局"]),
                s(&[]),
                s(&[])
            ),
            (
                "2".to_string(),
                s(&["市科技局"]),
                s(&["市教育局", "市人社局"]),
                s(&[]),
                s(&[])
            ),
            (
                "3".to_string(),
                s(&["市商务局"]),
                s(&[]),
                s(&["市财政局"]),
                s(&[])
            ),
            ("4".to_string(), s(&[]), s(&["市住建局"]), s(&[]), s(&[])),
            (
                "5".to_string(),
                s(&["市交通局"]),
                s(&[]),
                s(&["市公安局"]),
                s(&[])
            ),
        ]
    );
}
