//! Property tests: the parser never panics, and every span it reports lies inside the text.

use policykg_extract::extract;
use policykg_extract::link::Gazetteer;
use policykg_extract::model::{ParsedDocument, Role, Source};
use proptest::prelude::*;

fn source() -> Source {
    Source {
        path: "generated.txt".into(),
        sha256: String::new(),
        encoding: "UTF-8".into(),
        format: Default::default(),
    }
}

fn check_spans(doc: &ParsedDocument) {
    let chars = doc.text.chars().count();
    for section in &doc.sections {
        assert!(section.span.start <= section.span.end && section.span.end <= chars);
        assert_eq!(doc.slice(section.title_span), section.title);
    }
    for task in &doc.tasks {
        assert!(task.span.start <= task.span.end && task.span.end <= chars);
        for role in Role::ALL {
            for unit in task.units(role) {
                assert!(unit.span.end <= chars);
                assert_eq!(doc.slice(unit.span), unit.surface);
            }
        }
    }
    for goal in &doc.goals {
        assert_eq!(doc.slice(goal.span), goal.text);
    }
}

/// Pieces of the genre, so that generated texts reach the interesting paths.
fn genre_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("一、".to_string()),
        Just("（一）".to_string()),
        Just("(二)".to_string()),
        Just("1.".to_string()),
        Just("１．".to_string()),
        Just("(1)".to_string()),
        Just("①".to_string()),
        Just("第一条".to_string()),
        Just("附件".to_string()),
        Just("（牵头单位：省科技厅，责任单位：".to_string()),
        Just("责任单位：".to_string()),
        Just("配合单位:".to_string()),
        Just("牵头".to_string()),
        Just("负责".to_string()),
        Just("、".to_string()),
        Just("，".to_string()),
        Just("；".to_string()),
        Just("。".to_string()),
        Just("（".to_string()),
        Just("）".to_string()),
        Just("〔".to_string()),
        Just("〕".to_string()),
        Just("【".to_string()),
        Just("]".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        Just("序号\t工作事项\t牵头单位\n".to_string()),
        Just("沈阳、大连、营口市政府".to_string()),
        Just("各区、县（市）政府".to_string()),
        Just("列第一位的为牵头单位，下同".to_string()),
        Just("第一个逗号前为牵头单位".to_string()),
        Just("以下均需各市政府落实，不再列出".to_string()),
        Just("标*的为牵头单位".to_string()),
        Just("*".to_string()),
        Just("到2025年，".to_string()),
        Just("2021年1月8日".to_string()),
        Just("辽政办发〔2021〕1号".to_string()),
        Just("（此件公开发布）".to_string()),
        Just("关于印发《".to_string()),
        Just("》的通知".to_string()),
        "\\PC{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn never_panics_on_arbitrary_strings(text in "\\PC*") {
        let doc = extract(text, source(), Gazetteer::builtin());
        check_spans(&doc);
    }

    #[test]
    fn never_panics_on_genre_like_strings(pieces in prop::collection::vec(genre_piece(), 0..60)) {
        let doc = extract(pieces.concat(), source(), Gazetteer::builtin());
        check_spans(&doc);
    }

    #[test]
    fn never_panics_on_any_chars(chars in prop::collection::vec(any::<char>(), 0..200)) {
        let doc = extract(chars.into_iter().collect(), source(), Gazetteer::builtin());
        check_spans(&doc);
    }
}
