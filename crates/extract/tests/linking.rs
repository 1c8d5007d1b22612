//! Entity linking: the strategies, regions and platforms each task of the seed states,
//! its pairing arrangements, inferred links with their rules, evidence spans, and the
//! accuracy on every gold file that annotates links.

use crate::util;

use policykg_extract::link::Gazetteer;
use policykg_extract::model::{LinkKind, ParsedDocument, Rule, Task};
use util::{parse, root, seed};

fn task<'a>(doc: &'a ParsedDocument, title: &str) -> &'a Task {
    doc.tasks
        .iter()
        .find(|t| t.title == title)
        .unwrap_or_else(|| panic!("no task {title}"))
}

fn stated(links: &[policykg_extract::model::EntityLink]) -> Vec<&str> {
    links
        .iter()
        .filter(|l| l.link == LinkKind::Stated)
        .map(|l| l.name.as_str())
        .collect()
}

/// Inferred links as (name, rule, the mention they follow from).
fn inferred(links: &[policykg_extract::model::EntityLink]) -> Vec<(&str, Option<Rule>, &str)> {
    links
        .iter()
        .filter(|l| l.link == LinkKind::Inferred)
        .map(|l| (l.name.as_str(), l.rule, l.surface.as_str()))
        .collect()
}

#[test]
fn transport_task_names_three_strategies() {
    let doc = seed();
    let t = task(&doc, "畅通对外交通衔接");
    assert_eq!(
        stated(&t.links.strategies),
        ["京津冀协同发展", "长江经济带发展", "粤港澳大湾区建设"]
    );
    // 京津冀 and 粤港澳 name groups; no province or city is named by itself.
    assert!(stated(&t.links.regions).is_empty());
    assert_eq!(stated(&t.links.region_groups), ["京津冀", "粤港澳"]);
    let group = Some(Rule::MemberOfGroup);
    assert_eq!(
        inferred(&t.links.regions),
        [
            ("北京", group, "京津冀"),
            ("天津", group, "京津冀"),
            ("河北", group, "京津冀"),
            ("广东", group, "粤港澳"),
            ("香港", group, "粤港澳"),
            ("澳门", group, "粤港澳"),
        ]
    );
    assert_eq!(
        stated(&t.links.platforms),
        ["大连东北亚国际航运中心", "中欧班列"]
    );
}

#[test]
fn a_compact_form_states_the_group_and_infers_its_members() {
    let doc = seed();
    let t = task(&doc, "推动双向投资合作");
    assert!(stated(&t.links.regions).is_empty());
    assert_eq!(
        stated(&t.links.region_groups),
        ["京津冀", "长三角", "珠三角", "粤港澳"]
    );
    let group = t
        .links
        .region_groups
        .iter()
        .find(|g| g.name == "珠三角")
        .expect("珠三角");
    assert_eq!(
        group.concept.as_ref().map(|c| c.iri.as_str()),
        Some("https://policykg.org/id/region-group/珠三角")
    );
    let shenzhen = t
        .links
        .regions
        .iter()
        .find(|l| l.name == "深圳")
        .expect("深圳 follows from 珠三角");
    assert_eq!(shenzhen.link, LinkKind::Inferred);
    assert_eq!(shenzhen.rule, Some(Rule::MemberOfGroup));
    assert_eq!(
        shenzhen.reason.as_deref(),
        Some("深圳 is a member region of 珠三角")
    );
    assert_eq!(doc.slice(shenzhen.span), "珠三角");
}

#[test]
fn free_trade_task_names_four_countries() {
    let doc = seed();
    let t = task(&doc, "加快中国(辽宁)自由贸易试验区建设");
    assert_eq!(stated(&t.links.regions), ["北京", "广东", "上海", "黑龙江"]);
    assert_eq!(stated(&t.links.region_groups), ["日韩俄蒙"]);
    let group = Some(Rule::MemberOfGroup);
    assert_eq!(
        inferred(&t.links.regions),
        [
            ("日本", group, "日韩俄蒙"),
            ("韩国", group, "日韩俄蒙"),
            ("俄罗斯", group, "日韩俄蒙"),
            ("蒙古", group, "日韩俄蒙"),
        ]
    );
    assert_eq!(
        stated(&t.links.platforms),
        ["中国（辽宁）自由贸易试验区", "大连自由贸易港"]
    );
}

#[test]
fn laboratory_task_names_four_labs() {
    let doc = seed();
    let t = task(&doc, "高水平建设科技创新载体和平台");
    assert_eq!(
        stated(&t.links.platforms),
        [
            "辽宁实验室",
            "怀柔科学城国家实验室",
            "张江实验室",
            "鹏城实验室"
        ]
    );
    assert!(
        t.links
            .platforms
            .iter()
            .all(|p| p.entity_type.as_deref() == Some("laboratory"))
    );
    assert!(
        stated(&t.links.regions).is_empty(),
        "辽宁 inside 辽宁实验室 is no region"
    );
}

#[test]
fn three_pairing_arrangements() {
    let doc = seed();
    let pairs: Vec<[&str; 2]> = doc
        .document
        .pairings
        .iter()
        .map(|[a, b]| [a.as_str(), b.as_str()])
        .collect();
    assert_eq!(
        pairs,
        [["沈阳", "北京"], ["辽宁", "江苏"], ["大连", "上海"]]
    );
    let surfaces: Vec<String> = doc.pairings.iter().map(|p| doc.slice(p.span)).collect();
    assert_eq!(surfaces, ["沈阳与北京", "辽宁与江苏", "大连与上海"]);
}

#[test]
fn inferred_links_say_why_and_stay_apart() {
    let doc = seed();
    let t = task(&doc, "深化营商环境优化对接");
    assert!(stated(&t.links.strategies).is_empty());
    let inferred: Vec<(&str, &str)> = t
        .links
        .strategies
        .iter()
        .filter(|l| l.link == LinkKind::Inferred)
        .map(|l| {
            assert_eq!(l.rule, Some(Rule::SectionIntroduction));
            (l.name.as_str(), l.reason.as_deref().unwrap_or_default())
        })
        .collect();
    let why = "named in the introduction of section 2 主要任务";
    assert_eq!(
        inferred,
        [
            ("京津冀协同发展", why),
            ("长江经济带发展", why),
            ("长三角一体化发展", why),
            ("粤港澳大湾区建设", why),
        ]
    );
    let free_trade = task(&doc, "加快中国(辽宁)自由贸易试验区建设");
    let northeast = free_trade
        .links
        .strategies
        .iter()
        .find(|l| l.name == "东北振兴")
        .expect("黑龙江 brings 东北振兴");
    assert_eq!(northeast.link, LinkKind::Inferred);
    assert_eq!(northeast.rule, Some(Rule::MemberRegionOfStrategy));
    assert_eq!(
        northeast.reason.as_deref(),
        Some("黑龙江 is a member region of 东北振兴")
    );
    assert_eq!(northeast.surface, "黑龙江");
}

#[test]
fn every_link_span_cuts_out_its_surface_in_every_document() {
    let mut paths: Vec<_> = std::fs::read_dir(root().join("tests/corpus"))
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.push(util::seed_path());
    for path in paths {
        let doc = parse(&path);
        let mut all = Vec::new();
        for t in &doc.tasks {
            all.extend(
                t.links
                    .strategies
                    .iter()
                    .chain(&t.links.regions)
                    .chain(&t.links.region_groups)
                    .chain(&t.links.platforms),
            );
        }
        for g in &doc.goals {
            all.extend(
                g.links
                    .strategies
                    .iter()
                    .chain(&g.links.regions)
                    .chain(&g.links.region_groups)
                    .chain(&g.links.platforms),
            );
        }
        for s in &doc.sections {
            all.extend(
                s.links
                    .strategies
                    .iter()
                    .chain(&s.links.regions)
                    .chain(&s.links.region_groups)
                    .chain(&s.links.platforms),
            );
        }
        // Unit annotations are never searched: 沈抚示范区管委会 names a unit, not a platform.
        for link in &all {
            assert!(
                doc.tasks
                    .iter()
                    .all(|t| link.span.end <= t.annotation_span.start
                        || t.annotation_span.end <= link.span.start),
                "{}: {} found inside an annotation",
                path.display(),
                link.surface
            );
        }
        for link in all {
            assert_eq!(doc.slice(link.span), link.surface, "{}", path.display());
            assert_eq!(link.rule.is_some(), link.link == LinkKind::Inferred);
            assert_eq!(link.reason.is_some(), link.link == LinkKind::Inferred);
        }
    }
}

#[test]
fn idioms_and_institutions_are_not_regions() {
    let text = "某省人民政府关于推进数字经济的实施意见\n一、重点任务\n\
        （一）建设算力网络。确保定期评估，实现长治久安，工作四平八稳，推动大带宽、大连接网络建设，\
        支持中山大学、吉林大学、大连理工大学开展研究，支持辽宁大学生创业，推动朝阳产业发展。（责任单位：省科技厅）\n\
        （二）深化与大连、保定、中山的合作。（责任单位：省商务厅）\n";
    let doc = policykg_extract::extract_bytes(
        text.as_bytes(),
        std::path::Path::new("idioms.txt"),
        Gazetteer::builtin(),
    )
    .expect("parses");
    assert_eq!(doc.tasks.len(), 2);
    // 辽宁大学生 is 辽宁 and 大学生 (students), not a university.
    assert_eq!(stated(&doc.tasks[0].links.regions), ["辽宁"]);
    assert!(stated(&doc.tasks[0].links.strategies).is_empty());
    assert_eq!(
        stated(&doc.tasks[1].links.regions),
        ["大连", "保定", "中山"]
    );
}
