//! Words and characters the parser recognises units by, shared by the readers of unit
//! lists, of role words and the coverage audit.

/// Whether `c` is a Han character (the CJK unified ideographs and their extension A and
/// compatibility blocks).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Unit-type endings used to tell a bare place name (`沈阳`) from a unit (`沈阳海关`).
const UNIT_ENDINGS: &[&str] = &[
    "政府", "部", "厅", "局", "委", "办", "会", "院", "署", "银行", "分行", "支行", "总行", "处",
    "室", "中心", "公司", "集团", "所", "社", "团", "队", "站", "馆", "组", "盟", "台", "校", "关",
    "构", "位", "门", "司", "协", "联", "科", "股", "府", "区", "县", "市", "州", "省", "园",
    "企业", "大学",
];

pub fn has_unit_ending(name: &str) -> bool {
    UNIT_ENDINGS.iter().any(|e| name.ends_with(e))
}

/// The endings of [`UNIT_ENDINGS`] that only the names of offices and bodies have (a place
/// name, a person or a thing does not end so): what the coverage audit looks for.
const OFFICE_ENDINGS: &[&str] = &[
    "政府",
    "部",
    "厅",
    "局",
    "委",
    "办",
    "管委会",
    "委员会",
    "署",
    "银行",
    "分行",
    "支行",
    "中心",
    "公司",
    "集团",
    "海关",
    "办公室",
    "部门",
    "单位",
];

/// Whether a name (in matching form) ends like an office or body.
pub fn has_office_ending(name: &str) -> bool {
    name.chars().count() >= 3 && OFFICE_ENDINGS.iter().any(|e| name.ends_with(e))
}
