//! The first document, 辽政办发〔2021〕1号, with the figures a reader counted in it.

use crate::util;

use std::collections::BTreeSet;

use policykg_extract::model::Role;
use util::{names, seed};

#[test]
fn metadata() {
    let doc = seed();
    let meta = &doc.document;
    assert_eq!(
        meta.title.as_deref(),
        Some("辽宁省人民政府办公厅关于对接国家重大区域发展战略的实施意见")
    );
    assert_eq!(meta.doc_number.as_deref(), Some("辽政办发〔2021〕1号"));
    assert_eq!(meta.issuer.as_deref(), Some("辽宁省人民政府办公厅"));
    assert_eq!(meta.jurisdiction.as_deref(), Some("辽宁省"));
    assert_eq!(meta.date.as_deref(), Some("2021-01-08"));
    assert_eq!(
        meta.addressees,
        ["各市人民政府", "省政府各厅委", "各直属机构"]
    );
    assert_eq!(meta.publication.as_deref(), Some("此件公开发布"));
    assert_eq!(meta.issued_title, None);
    assert_eq!(doc.source.encoding, "UTF-8");
}

#[test]
fn twenty_four_tasks_under_seven_subsections_of_the_main_tasks() {
    let doc = seed();
    assert_eq!(doc.tasks.len(), 24);
    let main_tasks = doc
        .sections
        .iter()
        .find(|s| s.title == "主要任务" && s.level == 1)
        .expect("二、主要任务 is a section");
    assert_eq!(main_tasks.number, "二");
    let subsections: Vec<&str> = doc
        .sections
        .iter()
        .filter(|s| s.parent.as_deref() == Some(main_tasks.id.as_str()))
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(
        subsections,
        [
            "强化体制机制对接合作",
            "强化产业对接合作",
            "强化科技创新对接合作",
            "强化对外开放对接合作",
            "强化金融创新对接合作",
            "强化生态环境建设对接合作",
            "强化文旅康养产业对接合作",
        ]
    );
    let per_subsection: Vec<usize> = doc
        .sections
        .iter()
        .filter(|s| s.parent.as_deref() == Some(main_tasks.id.as_str()))
        .map(|s| {
            doc.tasks
                .iter()
                .filter(|t| t.section.as_deref() == Some(s.id.as_str()))
                .count()
        })
        .collect();
    assert_eq!(per_subsection, [3, 5, 5, 4, 2, 2, 3]);
}

#[test]
fn unit_reference_counts() {
    let doc = seed();
    assert_eq!(doc.count_units(Role::Lead), 31);
    assert_eq!(doc.count_units(Role::Responsible), 108);
    assert_eq!(doc.count_units(Role::Supporting), 0);
    assert_eq!(doc.count_units(Role::Implied), 0);
    let distinct: BTreeSet<&str> = doc
        .tasks
        .iter()
        .flat_map(|t| Role::ALL.into_iter().flat_map(move |r| t.units(r)))
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(distinct.len(), 42);
    let collective: BTreeSet<&str> = doc
        .tasks
        .iter()
        .flat_map(|t| Role::ALL.into_iter().flat_map(move |r| t.units(r)))
        .filter(|u| u.collective)
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(collective.into_iter().collect::<Vec<_>>(), ["各市政府"]);
}

#[test]
fn first_task_in_full() {
    let doc = seed();
    let task = &doc.tasks[0];
    assert_eq!(task.number, "1");
    assert_eq!(task.title, "深化营商环境优化对接");
    assert!(task.text.starts_with("深化营商环境优化对接。主动融入"));
    assert!(task.text.ends_with("配置高效公平。"));
    assert_eq!(names(&doc, 0, Role::Lead), ["省营商局"]);
    assert_eq!(
        names(&doc, 0, Role::Responsible),
        [
            "省发展改革委",
            "省商务厅",
            "省市场监管局",
            "省科技厅",
            "省工业和信息化厅",
            "省自然资源厅",
            "省人力资源社会保障厅",
            "省金融监管局",
            "沈抚示范区管委会",
            "各市政府",
        ]
    );
    assert_eq!(doc.slice(task.annotation_span).chars().next(), Some('('));
    assert!(doc.slice(task.span).starts_with("1.深化营商环境优化对接。"));
}

#[test]
fn shared_suffix_is_expanded_with_spans_on_the_written_names() {
    let doc = seed();
    let task = &doc.tasks[16];
    assert_eq!(task.title, "加快中国(辽宁)自由贸易试验区建设");
    assert_eq!(names(&doc, 16, Role::Lead), ["省商务厅"]);
    assert_eq!(
        names(&doc, 16, Role::Responsible),
        ["沈抚示范区管委会", "沈阳市政府", "大连市政府", "营口市政府"]
    );
    let surfaces: Vec<String> = task
        .units
        .responsible
        .iter()
        .map(|u| doc.slice(u.span))
        .collect();
    assert_eq!(surfaces, ["沈抚示范区管委会", "沈阳", "大连", "营口市政府"]);
}

#[test]
fn tasks_with_several_leads() {
    let doc = seed();
    assert_eq!(doc.tasks[12].title, "强化人才队伍建设");
    assert_eq!(
        names(&doc, 12, Role::Lead),
        ["省委组织部", "省人力资源社会保障厅"]
    );
    assert_eq!(
        names(&doc, 12, Role::Responsible),
        ["省科技厅", "沈抚示范区管委会", "各市政府"]
    );
    assert_eq!(doc.tasks[22].title, "共建国家区域医疗中心");
    assert_eq!(
        names(&doc, 22, Role::Lead),
        ["省卫生健康委", "省发展改革委", "省科技厅"]
    );
}

#[test]
fn goals_for_2025_and_2035() {
    let doc = seed();
    let goals: Vec<(u16, &str)> = doc
        .goals
        .iter()
        .map(|g| (g.year, g.text.as_str()))
        .collect();
    assert_eq!(goals.len(), 2);
    assert_eq!(goals[0].0, 2025);
    assert!(
        goals[0]
            .1
            .starts_with("到2025年,初步建立对接国家重大区域发展战略的体制机制")
    );
    assert!(goals[0].1.ends_with("承接载体。"));
    assert_eq!(goals[1].0, 2035);
    assert!(goals[1].1.ends_with("目标基本实现。"));
    let section = doc.section(doc.goals[0].section.as_deref().expect("goal in a section"));
    assert_eq!(section.map(|s| s.title.as_str()), Some("工作目标"));
}

#[test]
fn web_page_leftovers_are_skipped_with_warnings() {
    let doc = seed();
    let lines: Vec<Option<usize>> = doc
        .warnings
        .iter()
        .filter(|w| w.message.contains("leftover"))
        .map(|w| w.line)
        .collect();
    assert_eq!(lines, [Some(1), Some(2)]);
}
