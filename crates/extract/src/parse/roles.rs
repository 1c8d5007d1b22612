//! The role words of the genre: what a label (`牵头单位`, `配合部门`, `责任处室` …) or a verb
//! (`牵头`, `按职责分工负责`, `积极配合` …) says the units it names do. A label is read by
//! the words in it, not looked up in a list of labels, so that `牵头考核单位`, `参加单位`
//! or `协办单位` need no entry of their own; inline labels and table columns are read by the
//! same function ([`read_label`]).

use regex::Regex;
use std::sync::LazyLock;

use super::words::{has_office_ending, is_han};
use crate::model::Role;

/// Words that make a label or verb name the lead.
const LEAD_WORDS: [&str; 7] = [
    "牵头",
    "主办",
    "主责",
    "主要责任",
    "主要负责",
    "负总责",
    "抓总",
];

/// Words that make a label or verb name supporting units.
const SUPPORTING_WORDS: [&str; 8] = [
    "配合", "协同", "协办", "参加", "参与", "支持", "协助", "协作",
];

/// Words that make a label or verb name responsible units.
const RESPONSIBLE_WORDS: [&str; 9] = [
    "责任", "负责", "实施", "承办", "落实", "考核", "执行", "承担", "主管",
];

/// What a label ends with.
pub const LABEL_ENDINGS: [&str; 6] = ["单位", "部门", "处室", "科室", "机构", "责任人"];

/// Longest run of characters before a label's ending (`市卫健委内牵头` + `处室`).
pub const LABEL_HEAD_MAX: usize = 8;

/// Words of a phrase ending in 单位 that make it a field of the document, a measure or a
/// clause of prose rather than a label (`发文单位`, `计量单位`, `重点支持以下单位`).
const NOT_LABEL_WORDS: [&str; 18] = [
    "发文", "发布", "印发", "制发", "成文", "主送", "抄送", "来源", "所属", "计量", "金额", "以下",
    "下列", "如下", "上述", "符合", "的", "等",
];

/// The role that `words` name: lead words first (`牵头责任单位` is lead), then supporting
/// ones (`协同责任单位` is supporting), then responsible ones. `None` when none is there.
pub fn role_of_words(words: &str) -> Option<Role> {
    if LEAD_WORDS.iter().any(|w| words.contains(w)) {
        Some(Role::Lead)
    } else if SUPPORTING_WORDS.iter().any(|w| words.contains(w)) {
        Some(Role::Supporting)
    } else if RESPONSIBLE_WORDS.iter().any(|w| words.contains(w)) {
        Some(Role::Responsible)
    } else {
        None
    }
}

/// How a label is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// The units after it have `role`; `known` is false when no role word was found and
    /// the role is the default, responsible.
    Units { role: Role, known: bool },
    /// Internal divisions of a named body (`市卫健委内牵头处室`): not units of the task.
    Internal,
}

/// A label's words, in matching form, without whitespace, brackets or colon. Returns
/// `None` when the words are not a label: not a short phrase ending in 单位 / 部门 / 处室 /
/// 科室 / 机构 / 责任人 (a bracketed note may follow: `牵头单位（部门）`), a collective name
/// (`各有关单位`, `相关部门`) or a field of the document (`发文机构`).
pub fn read_label(words: &str) -> Option<Label> {
    let words = match words.find('(') {
        Some(at) if words.ends_with(')') => &words[..at],
        _ => words,
    };
    let ending = LABEL_ENDINGS.iter().find(|e| words.ends_with(*e))?;
    let head = &words[..words.len() - ending.len()];
    // `单位：万元` is a measure; only 责任人 stands alone.
    if (head.is_empty() && *ending != "责任人")
        || head.chars().count() > LABEL_HEAD_MAX
        || !head.chars().all(is_han)
        || ["各", "有关", "相关", "本"]
            .iter()
            .any(|p| head.starts_with(p))
        || head.contains("有关")
        || NOT_LABEL_WORDS.iter().any(|w| head.contains(w))
    {
        return None;
    }
    // 市卫健委内牵头处室: divisions inside the body named before 内.
    if let Some(at) = head.find('内')
        && has_office_ending(&head[..at])
    {
        return Some(Label::Internal);
    }
    Some(match role_of_words(words) {
        Some(role) => Label::Units { role, known: true },
        None => Label::Units {
            role: Role::Responsible,
            known: false,
        },
    })
}

/// The role that a short phrase made of nothing but role words names (`牵头`, `配合单位`,
/// `主要负责`), as written in brackets after a name: `省发展改革委（牵头）`.
pub fn role_phrase(phrase: &str) -> Option<Role> {
    let words = LABEL_ENDINGS
        .iter()
        .find_map(|e| phrase.strip_suffix(e))
        .unwrap_or(phrase);
    let mut rest = words;
    while !rest.is_empty() {
        let word = LEAD_WORDS
            .iter()
            .chain(&SUPPORTING_WORDS)
            .chain(&RESPONSIBLE_WORDS)
            .chain(&["主要", "单位"])
            .find(|w| rest.starts_with(*w))?;
        rest = &rest[word.len()..];
    }
    (!words.is_empty()).then(|| role_of_words(words)).flatten()
}

/// Words written before a verb: `按职责分工负责`, `分别牵头`, `积极配合`.
const MODIFIERS: &str = "按照?职责分工|按照?职责|按照?职能分工|按照?职能|按照?分工|分工|分别|共同|分头|具体|积极|会同|各自|主动";

/// Verbs that say what units do, and the words that may open them (`组织实施`, `抓好落实`).
const VERBS: &str =
    "牵头抓总|牵头|抓总|负总责|主责|负责|配合|落实|参与|参加|实施|协助|协办|协同|支持|承办";
const VERB_OPENERS: &str = "组织|抓好|推进|督促|指导|做好|具体";

/// The verb phrase that closes a list of units (`牵头`, `按职责分工负责`, `负责落实`,
/// `为配合单位`).
pub static VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:(?:{MODIFIERS})*(?:(?:{VERB_OPENERS})?(?:{VERBS})){{1,3}}(?:工作)?|为\p{{Han}}{{0,{LABEL_HEAD_MAX}}}?(?:单位|部门))$"
    ))
    .expect("valid regex")
});

/// The role a verb phrase matched by [`VERB`] names.
pub fn verb_role(verb: &str) -> Role {
    if let Some(label) = verb.strip_prefix('为')
        && let Some(Label::Units { role, .. }) = read_label(label)
    {
        return role;
    }
    role_of_words(verb).unwrap_or(Role::Responsible)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(label: &str) -> Option<(Role, bool)> {
        match read_label(label)? {
            Label::Units { role, known } => Some((role, known)),
            Label::Internal => None,
        }
    }

    #[test]
    fn labels_are_read_by_their_words() {
        for (label, want) in [
            ("牵头单位", Role::Lead),
            ("牵头考核单位", Role::Lead),
            ("主办单位", Role::Lead),
            ("主要责任单位", Role::Lead),
            ("牵头责任单位", Role::Lead),
            ("参加单位", Role::Supporting),
            ("协办单位", Role::Supporting),
            ("配合部门", Role::Supporting),
            ("协同责任单位", Role::Supporting),
            ("责任处室", Role::Responsible),
            ("责任科室", Role::Responsible),
            ("实施机构", Role::Responsible),
            ("责任人", Role::Responsible),
            ("承办单位", Role::Responsible),
            ("责任单位(部门)", Role::Responsible),
        ] {
            assert_eq!(role(label), Some((want, true)), "{label}");
        }
        assert_eq!(role("报送单位"), Some((Role::Responsible, false)));
        assert_eq!(read_label("市卫健委内牵头处室"), Some(Label::Internal));
        assert_eq!(role("县内责任单位"), Some((Role::Responsible, true)));
        for not_a_label in [
            "各有关单位",
            "有关部门",
            "相关单位",
            "发文机构",
            "项目承担单位的主管部门",
            "市科技局",
            "完成时限",
            "单位",
            "计量单位",
            "重点支持以下单位",
            "各项任务的责任单位",
        ] {
            assert_eq!(read_label(not_a_label), None, "{not_a_label}");
        }
    }

    #[test]
    fn role_phrases_are_only_role_words() {
        assert_eq!(role_phrase("牵头"), Some(Role::Lead));
        assert_eq!(role_phrase("配合单位"), Some(Role::Supporting));
        assert_eq!(role_phrase("主要负责"), Some(Role::Lead));
        assert_eq!(role_phrase("考核办"), None);
        assert_eq!(role_phrase("人才办"), None);
        assert_eq!(role_phrase(""), None);
    }

    #[test]
    fn verbs_with_modifiers() {
        for (text, verb, want) in [
            ("省商务厅牵头", "牵头", Role::Lead),
            (
                "省财政厅按职责分工负责",
                "按职责分工负责",
                Role::Responsible,
            ),
            ("省财政厅按职责分工配合", "按职责分工配合", Role::Supporting),
            ("各市分别牵头", "分别牵头", Role::Lead),
            ("市经信局、市发改委分工负责", "分工负责", Role::Responsible),
            (
                "市财政局按职能分工负责",
                "按职能分工负责",
                Role::Responsible,
            ),
            ("市财政局积极配合", "积极配合", Role::Supporting),
            ("各区县具体落实", "具体落实", Role::Responsible),
            ("各部门共同参与", "共同参与", Role::Supporting),
            ("各区分头实施", "分头实施", Role::Responsible),
            ("市财政局会同配合", "会同配合", Role::Supporting),
            ("市科技局为牵头单位", "为牵头单位", Role::Lead),
            ("市财政局为配合部门", "为配合部门", Role::Supporting),
            ("各区组织实施", "组织实施", Role::Responsible),
            ("市发展改革委牵头负责", "牵头负责", Role::Lead),
        ] {
            let m = VERB.find(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(m.as_str(), verb, "{text}");
            assert_eq!(verb_role(m.as_str()), want, "{text}");
        }
        assert!(VERB.find("市科技局").is_none());
    }
}
