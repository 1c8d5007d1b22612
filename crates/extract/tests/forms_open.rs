//! Annotation forms that none of the corpus documents uses: labels read by their role words
//! (牵头考核单位, 参加单位, 协办单位, 责任处室 …), verbs with modifiers (按职责分工, 分别,
//! 共同, 会同 …), chained clauses, labels in 【】, traditional characters, table columns, an
//! unknown label, stand-alone statements, carry-forward notes, and the coverage audit.
//! Each test gives the exact units per role it expects.

use crate::util::parse_str;

use policykg_extract::model::{ParsedDocument, Role};
use policykg_extract::render_outline;

/// A small document whose only numbered item ends with `annotation`.
fn one_task(annotation: &str) -> ParsedDocument {
    parse_str(&format!(
        "关于推进甲项工作的实施方案\n一、重点任务\n（一）推进甲项工作。做好甲项。{annotation}\n"
    ))
}

/// Units of every task: [lead, responsible, supporting, implied] names.
fn units(doc: &ParsedDocument) -> Vec<[Vec<String>; 4]> {
    doc.tasks
        .iter()
        .map(|t| {
            Role::ALL.map(|r| {
                t.units(r)
                    .iter()
                    .map(|u| u.name.clone())
                    .collect::<Vec<_>>()
            })
        })
        .collect()
}

fn v(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// One task with these units.
fn expect(annotation: &str, lead: &[&str], responsible: &[&str], supporting: &[&str]) {
    let doc = one_task(annotation);
    assert_eq!(
        units(&doc),
        [[v(lead), v(responsible), v(supporting), v(&[])]],
        "{annotation}"
    );
    assert!(
        doc.unread_candidates().is_empty(),
        "{annotation}: {:?}",
        doc.unread_candidates()
    );
}

#[test]
fn lead_labels_by_their_words() {
    expect(
        "（牵头考核单位：省发展改革委；参加单位：省财政厅、省商务厅）",
        &["省发展改革委"],
        &[],
        &["省财政厅", "省商务厅"],
    );
    expect(
        "（主办单位：市文化广电旅游局，协办单位：市体育局）",
        &["市文化广电旅游局"],
        &[],
        &["市体育局"],
    );
    expect(
        "（主要责任单位：县农业农村局；其他责任单位：县水利局、县林业局）",
        &["县农业农村局"],
        &["县水利局", "县林业局"],
        &[],
    );
    expect(
        "（牵头负责单位：区住房城乡建设局；协作单位：区城管局）",
        &["区住房城乡建设局"],
        &[],
        &["区城管局"],
    );
}

#[test]
fn supporting_labels_by_their_words() {
    expect(
        "（责任单位：州民政局；配合部门：州财政局、州卫生健康委）",
        &[],
        &["州民政局"],
        &["州财政局", "州卫生健康委"],
    );
    expect(
        "（牵头单位：省教育厅；支持单位：省科协）",
        &["省教育厅"],
        &[],
        &["省科协"],
    );
    expect(
        "（牵头单位：市司法局；协助单位：市公安局、市信访局）",
        &["市司法局"],
        &[],
        &["市公安局", "市信访局"],
    );
    expect(
        "（牵头单位：市应急局；参与部门：市消防救援支队）",
        &["市应急局"],
        &[],
        &["市消防救援支队"],
    );
}

#[test]
fn responsible_labels_by_their_words() {
    expect(
        "（责任处室：规划处、财务处）",
        &[],
        &["规划处", "财务处"],
        &[],
    );
    expect("（责任科室：医政科）", &[], &["医政科"], &[]);
    expect("（实施机构：市疾控中心）", &[], &["市疾控中心"], &[]);
    expect("（承办单位：市档案馆）", &[], &["市档案馆"], &[]);
    expect(
        "（落实部门：各乡镇人民政府）",
        &[],
        &["各乡镇人民政府"],
        &[],
    );
    expect("（责任单位（部门）：市审计局）", &[], &["市审计局"], &[]);
    expect("（责任人：市统计局局长）", &[], &["市统计局局长"], &[]);
}

#[test]
fn labels_in_square_brackets() {
    expect(
        "【牵头单位】省交通运输厅【配合单位】省公安厅、省应急管理厅",
        &["省交通运输厅"],
        &[],
        &["省公安厅", "省应急管理厅"],
    );
    expect(
        "[责任部门]市城管局、市园林局",
        &[],
        &["市城管局", "市园林局"],
        &[],
    );
}

#[test]
fn a_label_without_role_words_is_responsible_with_a_warning() {
    let doc = one_task("（报送单位：市发展改革委、市统计局）");
    assert_eq!(
        units(&doc),
        [[v(&[]), v(&["市发展改革委", "市统计局"]), v(&[]), v(&[])]]
    );
    let warnings: Vec<(Option<usize>, &str)> = doc
        .warnings
        .iter()
        .filter(|w| w.message.contains("报送单位"))
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", doc.warnings);
    assert_eq!(warnings[0].0, Some(3));
    assert!(warnings[0].1.contains("no known role"));
}

#[test]
fn verbs_with_each_modifier() {
    expect(
        "（市发展改革委牵头，市财政局按职责分工负责）",
        &["市发展改革委"],
        &["市财政局"],
        &[],
    );
    expect(
        "（市商务局牵头，市税务局按职责配合）",
        &["市商务局"],
        &[],
        &["市税务局"],
    );
    expect(
        "（市教育局、市人力资源社会保障局分别牵头）",
        &["市教育局", "市人力资源社会保障局"],
        &[],
        &[],
    );
    expect(
        "（市住房城乡建设局、市自然资源局共同负责）",
        &[],
        &["市住房城乡建设局", "市自然资源局"],
        &[],
    );
    expect("（各县区人民政府分头实施）", &[], &["各县区人民政府"], &[]);
    expect(
        "（市卫生健康委牵头，各区卫生健康局具体落实）",
        &["市卫生健康委"],
        &["各区卫生健康局"],
        &[],
    );
    expect(
        "（市文化旅游局牵头，市体育局、团市委积极配合）",
        &["市文化旅游局"],
        &[],
        &["市体育局", "团市委"],
    );
    expect(
        "（市发展改革委会同市财政局负责）",
        &["市发展改革委"],
        &["市财政局"],
        &[],
    );
    expect(
        "（市民政局牵头，各街道办事处参与）",
        &["市民政局"],
        &[],
        &["各街道办事处"],
    );
}

#[test]
fn chains_of_clauses_in_one_bracket() {
    expect(
        "（省商务厅牵头，省市场监管局、省发展改革委按职责分工配合）",
        &["省商务厅"],
        &[],
        &["省市场监管局", "省发展改革委"],
    );
    expect(
        "（市科技局牵头，市财政局配合，市税务局、市统计局按职责分工负责）",
        &["市科技局"],
        &["市税务局", "市统计局"],
        &["市财政局"],
    );
    expect(
        "（由市交通运输局牵头，市公安局协助，各区政府组织实施）",
        &["市交通运输局"],
        &["各区政府"],
        &["市公安局"],
    );
}

#[test]
fn duties_and_marks_inside_label_lists() {
    expect(
        "（责任单位：市林业局，市水务局、市农业农村局配合）",
        &[],
        &["市林业局"],
        &["市水务局", "市农业农村局"],
    );
    expect(
        "（责任单位：★市数据局、市政务服务中心）",
        &["市数据局"],
        &["市政务服务中心"],
        &[],
    );
}

#[test]
fn traditional_characters_parse_as_simplified_and_report_as_written() {
    expect(
        "（牽頭單位：省發展改革委；配合單位：省財政廳、省商務廳）",
        &["省發展改革委"],
        &[],
        &["省財政廳", "省商務廳"],
    );
    expect(
        "（責任單位：市衛生健康委、各區縣人民政府）",
        &[],
        &["市衛生健康委", "各區縣人民政府"],
        &[],
    );
    expect(
        "（省發展改革委牽頭，省財政廳按職責分工配合）",
        &["省發展改革委"],
        &[],
        &["省財政廳"],
    );
    let doc = one_task("（牽頭單位：省發展改革委）");
    let unit = &doc.tasks[0].units.lead[0];
    assert_eq!(doc.slice(unit.span), "省發展改革委");
    assert_eq!(unit.surface, "省發展改革委");
}

/// The rows of a task table: [lead, responsible, supporting] names of each row.
fn table(text: &str) -> (Vec<[Vec<String>; 4]>, ParsedDocument) {
    let doc = parse_str(text);
    (units(&doc), doc)
}

#[test]
fn table_columns_read_by_the_same_rule() {
    let (got, _) = table(
        "附件\n重点任务分工表\n序号\t重点任务\t主办单位\t协办单位\n1\t推进甲项\t市商务局\t市财政局、市税务局\n2\t推进乙项\t市文旅局\t/\n",
    );
    assert_eq!(
        got,
        [
            [
                v(&["市商务局"]),
                v(&[]),
                v(&["市财政局", "市税务局"]),
                v(&[])
            ],
            [v(&["市文旅局"]), v(&[]), v(&[]), v(&[])],
        ]
    );
    let (got, _) = table(
        "附件\n任务分工\n序号\t工作任务\t牵头考核单位\t责任处室\t参加单位\n1\t推进丙项\t省科技厅\t成果处\t省教育厅\n",
    );
    assert_eq!(
        got,
        [[v(&["省科技厅"]), v(&["成果处"]), v(&["省教育厅"]), v(&[])]]
    );
    let (got, _) = table(
        "附件\n任務分工表\n序號\t工作任務\t牽頭單位\t配合單位\n1\t推進丁項\t省商務廳\t省財政廳\n",
    );
    assert_eq!(got, [[v(&["省商務廳"]), v(&[]), v(&["省財政廳"]), v(&[])]]);
}

#[test]
fn an_unknown_table_column_is_responsible_with_a_warning() {
    let (got, doc) = table(
        "附件\n任务分工表\n序号\t工作任务\t牵头单位\t督办单位\n1\t推进戊项\t市发展改革委\t市政府督查室\n",
    );
    assert_eq!(
        got,
        [[v(&["市发展改革委"]), v(&["市政府督查室"]), v(&[]), v(&[])]]
    );
    let lines: Vec<Option<usize>> = doc
        .warnings
        .iter()
        .filter(|w| w.message.contains("督办单位"))
        .map(|w| w.line)
        .collect();
    assert_eq!(lines, [Some(3)]);
}

#[test]
fn a_statement_on_its_own_line() {
    let doc = parse_str(
        "关于推进甲项工作的实施方案\n一、重点任务\n（一）推进甲项工作。做好甲项。\n市发展改革委牵头，市财政局、市审计局按职责分工配合。\n（二）推进乙项工作。做好乙项。\n各县区人民政府负责。\n二、保障措施\n各地各部门要认真贯彻落实。\n",
    );
    assert_eq!(
        units(&doc),
        [
            [
                v(&["市发展改革委"]),
                v(&[]),
                v(&["市财政局", "市审计局"]),
                v(&[])
            ],
            [v(&[]), v(&["各县区人民政府"]), v(&[]), v(&[])],
        ]
    );
    assert!(doc.unread_candidates().is_empty());
}

#[test]
fn a_carry_forward_note_in_other_words() {
    let doc = parse_str(
        "关于推进甲项工作的实施方案\n一、重点任务\n（一）推进甲项工作。做好甲项。（责任单位：市民政局，各区政府、各开发区管委会，以下各项任务均需各区政府、开发区管委会落实，不再一一列出）\n（二）推进乙项工作。做好乙项。（责任单位：市财政局）\n（三）推进丙项工作。做好丙项。（责任单位：市审计局、各区政府）\n",
    );
    assert_eq!(
        units(&doc),
        [
            [
                v(&[]),
                v(&["市民政局", "各区政府", "各开发区管委会"]),
                v(&[]),
                v(&[])
            ],
            [
                v(&[]),
                v(&["市财政局"]),
                v(&[]),
                v(&["各区政府", "各开发区管委会"])
            ],
            [
                v(&[]),
                v(&["市审计局", "各区政府"]),
                v(&[]),
                v(&["各开发区管委会"])
            ],
        ]
    );
}

#[test]
fn one_unreadable_annotation_gives_one_warning_at_its_line() {
    let doc = parse_str(
        "关于推进甲项工作的实施方案\n一、重点任务\n（一）推进甲项工作。做好甲项，省科技厅要加强指导。（责任单位：省科技厅）\n（二）推进乙项工作。做好乙项。（省商务厅主抓，省财政厅、省发展改革委支撑）\n（三）推进丙项工作。依托省科技厅的平台（以下简称平台）做好丙项。\n",
    );
    assert_eq!(units(&doc), [[v(&[]), v(&["省科技厅"]), v(&[]), v(&[])]]);
    let unread: Vec<(usize, &str)> = doc
        .unread_candidates()
        .iter()
        .map(|u| (u.line, u.text.as_str()))
        .collect();
    assert_eq!(
        unread,
        [(4, "（省商务厅主抓，省财政厅、省发展改革委支撑）")]
    );
    let warnings: Vec<(Option<usize>, &str)> = doc
        .warnings
        .iter()
        .filter(|w| w.message.starts_with("possible unit annotation not read"))
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [(
            Some(4),
            "possible unit annotation not read: （省商务厅主抓，省财政厅、省发展改革委支撑）"
        )]
    );
    assert_eq!(doc.coverage.annotations, 1);
    assert_eq!(doc.coverage.candidates, 2);
    assert!(
        render_outline(&doc)
            .trim_end()
            .ends_with("coverage: 1 of 2 candidate clauses read as annotations; 1 not read")
    );
}

#[test]
fn prose_naming_a_unit_is_no_candidate() {
    let doc = parse_str(
        "关于推进甲项工作的实施方案\n一、重点任务\n（一）推进甲项工作。支持省科技厅、省财政厅联合开展试点，对接上海海关，鼓励金融机构（中国银行、工商银行）加大投放。（责任单位：省科技厅）\n（二）推进乙项工作。鼓励企业（含国有企业）参与，设立一人公司（One Person Company，OPC）。（责任单位：省国资委）\n",
    );
    assert_eq!(units(&doc).len(), 2);
    assert_eq!(doc.unread_candidates(), []);
    assert_eq!(doc.coverage.annotations, 2);
    assert_eq!(doc.coverage.candidates, 2);
}

#[test]
fn a_clause_naming_a_gazetteer_unit_of_no_unit_shape_is_reported_too() {
    // 市总工会 ends in neither 厅, 局, 委 nor 办, but the unit gazetteer knows it.
    let text = "关于推进甲项工作的实施方案\n一、重点任务\n（一）推进甲项工作。做好甲项。（责任单位：省科技厅）\n（二）推进乙项工作。做好乙项。（市总工会主抓）\n";
    let doc = parse_str(text);
    let unread: Vec<(usize, &str)> = doc
        .unread_candidates()
        .iter()
        .map(|u| (u.line, u.text.as_str()))
        .collect();
    assert_eq!(unread, [(4, "（市总工会主抓）")]);
    // The parser alone, without the gazetteer, cannot tell.
    let source = policykg_extract::model::Source {
        path: "inline.txt".to_string(),
        sha256: String::new(),
        encoding: "UTF-8".to_string(),
        format: policykg_extract::decode::SourceFormat::Text,
    };
    assert!(
        policykg_extract::parse::parse_text(text.to_string(), source)
            .unread_candidates()
            .is_empty()
    );
}
