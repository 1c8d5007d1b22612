//! What documents are made of: the jurisdictions that issue them, with their units as the
//! gazetteer lists them (short forms as documents write them, ranked so that a few
//! departments are named far more often than the rest), and the strategies, partner
//! regions and platforms that task texts name.

use std::sync::LazyLock;

use policykg_extract::link::{Gazetteer, Kind};
use policykg_extract::vocab::ID;

/// The level of a jurisdiction, which decides how its units and documents are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Central,
    Province,
    City,
}

/// Facts about one jurisdiction that issues documents.
pub struct Place {
    /// The name as the parser reports the jurisdiction (`辽宁省`, `中国`).
    pub name: &'static str,
    pub level: Level,
    /// The name used in titles (`辽宁省`; empty for the central government).
    pub title_name: &'static str,
    /// The general office, the usual issuer.
    pub office: &'static str,
    /// The people's government (or the State Council).
    pub government: &'static str,
    /// 文号 prefixes of the office and of the government.
    pub office_number: &'static str,
    pub government_number: &'static str,
    /// The 主送 line (without its colon) and the names the parser reads from it.
    pub addressees: &'static str,
    pub addressee_names: &'static [&'static str],
    /// Who approved a document (`经省政府同意`).
    pub approver: &'static str,
    /// Department names for jurisdictions without a unit gazetteer.
    pub fallback_departments: &'static [&'static str],
    pub fallback_collectives: &'static [&'static str],
    /// Full names of departments that may sign a document themselves, for jurisdictions
    /// without a unit gazetteer.
    pub fallback_issuers: &'static [&'static str],
}

const PROVINCE_DEPARTMENTS: &[&str] = &[
    "省发展改革委",
    "省教育厅",
    "省科技厅",
    "省工业和信息化厅",
    "省财政厅",
    "省人力资源社会保障厅",
    "省自然资源厅",
    "省生态环境厅",
    "省住房城乡建设厅",
    "省交通运输厅",
    "省农业农村厅",
    "省商务厅",
    "省文化和旅游厅",
    "省卫生健康委",
    "省市场监管局",
    "省国资委",
    "省地方金融管理局",
    "省数据局",
    "省知识产权局",
    "省税务局",
];

const CITY_DEPARTMENTS: &[&str] = &[
    "市发展改革委",
    "市教育局",
    "市科技局",
    "市工业和信息化局",
    "市财政局",
    "市人力资源社会保障局",
    "市规划和自然资源局",
    "市生态环境局",
    "市住房城乡建设局",
    "市交通运输局",
    "市农业农村局",
    "市商务局",
    "市文化广电旅游局",
    "市卫生健康委",
    "市市场监管局",
    "市国资委",
    "市地方金融管理局",
    "市数据局",
    "市税务局",
];

/// The jurisdictions documents are issued in: the nine with a unit gazetteer first, then
/// a few without one (their units stay unresolved, as in real corpora).
pub const PLACES: &[Place] = &[
    Place {
        name: "辽宁省",
        level: Level::Province,
        title_name: "辽宁省",
        office: "辽宁省人民政府办公厅",
        government: "辽宁省人民政府",
        office_number: "辽政办发",
        government_number: "辽政发",
        addressees: "各市人民政府，省政府各厅委、各直属机构",
        addressee_names: &["各市人民政府", "省政府各厅委", "各直属机构"],
        approver: "省政府",
        fallback_departments: &[],
        fallback_collectives: &[],
        fallback_issuers: &[],
    },
    Place {
        name: "湖北省",
        level: Level::Province,
        title_name: "湖北省",
        office: "湖北省人民政府办公厅",
        government: "湖北省人民政府",
        office_number: "鄂政办发",
        government_number: "鄂政发",
        addressees: "各市州人民政府，省政府各部门",
        addressee_names: &["各市州人民政府", "省政府各部门"],
        approver: "省人民政府",
        fallback_departments: &[],
        fallback_collectives: &[],
        fallback_issuers: &[],
    },
    Place {
        name: "上海市",
        level: Level::City,
        title_name: "上海市",
        office: "上海市人民政府办公厅",
        government: "上海市人民政府",
        office_number: "沪府办发",
        government_number: "沪府发",
        addressees: "各区人民政府，市政府各委、办、局",
        addressee_names: &["各区人民政府", "市政府各委、办、局"],
        approver: "市政府",
        fallback_departments: &[],
        fallback_collectives: &[],
        fallback_issuers: &[],
    },
    Place {
        name: "广州市",
        level: Level::City,
        title_name: "广州市",
        office: "广州市人民政府办公厅",
        government: "广州市人民政府",
        office_number: "穗府办",
        government_number: "穗府",
        addressees: "各区人民政府，市政府各部门、各直属机构",
        addressee_names: &["各区人民政府", "市政府各部门", "各直属机构"],
        approver: "市人民政府",
        fallback_departments: &[],
        fallback_collectives: &[],
        fallback_issuers: &[],
    },
    Place {
        name: "杭州市",
        level: Level::City,
        title_name: "杭州市",
        office: "杭州市人民政府办公厅",
        government: "杭州市人民政府",
        office_number: "杭政办函",
        government_number: "杭政",
        addressees: "各区、县（市）人民政府，市政府各部门、各直属单位",
        addressee_names: &["各区、县（市）人民政府", "市政府各部门", "各直属单位"],
        approver: "市政府",
        fallback_departments: &[],
        fallback_collectives: &[],
        fallback_issuers: &[],
    },
    Place {
        name: "宁波市",
        level: Level::City,
        title_name: "宁波市",
        office: "宁波市人民政府办公厅",
        government: "宁波市人民政府",
        office_number: "甬政办发",
        government_number: "甬政发",
        addressees: "各区（县、市）人民政府，市直及部省属驻甬各单位",
        addressee_names: &["各区（县、市）人民政府", "市直及部省属驻甬各单位"],
        approver: "市政府",
        fallback_departments: &[],
        fallback_collectives: &[],
        fallback_issuers: &[],
    },
    Place {
        name: "郑州市",
        level: Level::City,
        title_name: "郑州市",
        office: "郑州市人民政府办公室",
        government: "郑州市人民政府",
        office_number: "郑政办",
        government_number: "郑政",
        addressees: "各区县（市）人民政府，市人民政府各部门",
        addressee_names: &["各区县（市）人民政府", "市人民政府各部门"],
        approver: "市人民政府",
        fallback_departments: &[],
        fallback_collectives: &[],
        fallback_issuers: &[],
    },
    Place {
        name: "南充市",
        level: Level::City,
        title_name: "南充市",
        office: "南充市人民政府办公室",
        government: "南充市人民政府",
        office_number: "南府办发",
        government_number: "南府发",
        addressees: "各县（市、区）人民政府，市级各部门",
        addressee_names: &["各县（市、区）人民政府", "市级各部门"],
        approver: "市政府",
        fallback_departments: &[],
        fallback_collectives: &[],
        fallback_issuers: &[],
    },
    Place {
        name: "中国",
        level: Level::Central,
        title_name: "",
        office: "国务院办公厅",
        government: "国务院",
        office_number: "国办发",
        government_number: "国发",
        addressees: "各省、自治区、直辖市人民政府，国务院各部委、各直属机构",
        addressee_names: &["各省、自治区、直辖市人民政府", "国务院各部委", "各直属机构"],
        approver: "国务院",
        fallback_departments: &[],
        fallback_collectives: &[],
        fallback_issuers: &[],
    },
    Place {
        name: "吉林省",
        level: Level::Province,
        title_name: "吉林省",
        office: "吉林省人民政府办公厅",
        government: "吉林省人民政府",
        office_number: "吉政办发",
        government_number: "吉政发",
        addressees: "各市（州）人民政府，省政府各厅委办、各直属机构",
        addressee_names: &["各市（州）人民政府", "省政府各厅委办", "各直属机构"],
        approver: "省政府",
        fallback_departments: PROVINCE_DEPARTMENTS,
        fallback_collectives: &["各市（州）人民政府", "长白山管委会"],
        fallback_issuers: &["吉林省科学技术厅", "吉林省商务厅"],
    },
    Place {
        name: "江苏省",
        level: Level::Province,
        title_name: "江苏省",
        office: "江苏省人民政府办公厅",
        government: "江苏省人民政府",
        office_number: "苏政办发",
        government_number: "苏政发",
        addressees: "各设区市人民政府，省各委办厅局，省各直属单位",
        addressee_names: &["各设区市人民政府", "省各委办厅局", "省各直属单位"],
        approver: "省人民政府",
        fallback_departments: PROVINCE_DEPARTMENTS,
        fallback_collectives: &["各设区市人民政府"],
        fallback_issuers: &["江苏省发展和改革委员会", "江苏省工业和信息化厅"],
    },
    Place {
        name: "四川省",
        level: Level::Province,
        title_name: "四川省",
        office: "四川省人民政府办公厅",
        government: "四川省人民政府",
        office_number: "川办发",
        government_number: "川府发",
        addressees: "各市（州）人民政府，省政府各部门、各直属机构",
        addressee_names: &["各市（州）人民政府", "省政府各部门", "各直属机构"],
        approver: "省政府",
        fallback_departments: PROVINCE_DEPARTMENTS,
        fallback_collectives: &["各市（州）人民政府"],
        fallback_issuers: &["四川省经济和信息化厅", "四川省财政厅"],
    },
    Place {
        name: "深圳市",
        level: Level::City,
        title_name: "深圳市",
        office: "深圳市人民政府办公厅",
        government: "深圳市人民政府",
        office_number: "深府办",
        government_number: "深府",
        addressees: "各区人民政府，市政府直属各单位",
        addressee_names: &["各区人民政府", "市政府直属各单位"],
        approver: "市政府",
        fallback_departments: CITY_DEPARTMENTS,
        fallback_collectives: &["各区人民政府", "各新区管委会"],
        fallback_issuers: &["深圳市科技创新局", "深圳市商务局"],
    },
    Place {
        name: "成都市",
        level: Level::City,
        title_name: "成都市",
        office: "成都市人民政府办公厅",
        government: "成都市人民政府",
        office_number: "成办发",
        government_number: "成府发",
        addressees: "各区（市）县政府，市政府各部门",
        addressee_names: &["各区（市）县政府", "市政府各部门"],
        approver: "市政府",
        fallback_departments: CITY_DEPARTMENTS,
        fallback_collectives: &["各区（市）县政府"],
        fallback_issuers: &["成都市发展和改革委员会", "成都市财政局"],
    },
    Place {
        name: "西安市",
        level: Level::City,
        title_name: "西安市",
        office: "西安市人民政府办公厅",
        government: "西安市人民政府",
        office_number: "市政办发",
        government_number: "市政发",
        addressees: "各区、县人民政府，市人民政府各工作部门、各直属机构",
        addressee_names: &["各区、县人民政府", "市人民政府各工作部门", "各直属机构"],
        approver: "市政府",
        fallback_departments: CITY_DEPARTMENTS,
        fallback_collectives: &["各区、县人民政府", "各开发区管委会"],
        fallback_issuers: &["西安市科学技术局", "西安市商务局"],
    },
];

/// The units a document of one jurisdiction may name, as the documents write them.
pub struct UnitPool {
    /// Departments, most frequently named first.
    pub departments: Vec<String>,
    /// Collective units (各市政府), named after the departments.
    pub collectives: Vec<String>,
    /// Named governments and zone committees (沈阳市政府, 沈抚示范区管委会).
    pub territorial: Vec<String>,
    /// Full names of departments that may issue a document themselves.
    pub issuers: Vec<String>,
    /// Whether the names come from the unit gazetteer (and so resolve).
    pub in_gazetteer: bool,
}

/// Endings of the unit names the generator writes: each is also an ending the parser
/// takes for a unit, so that lists in every annotation form are read whole.
const ENDINGS: &[&str] = &[
    "政府", "部", "厅", "局", "委", "办", "会", "院", "署", "行", "中心", "公司", "集团", "组",
    "室", "关", "司", "团",
];

fn writable(name: &str) -> bool {
    let n = name.chars().count();
    (2..=24).contains(&n)
        && ENDINGS.iter().any(|e| name.ends_with(e))
        && name
            .chars()
            .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || "（）、".contains(c))
        && !name.contains("办公厅")
        && !name.contains("办公室")
        && name != "国务院"
}

fn is_collective(name: &str) -> bool {
    name.starts_with('各') || name.starts_with("有关")
}

/// Words that put a department near the top of the ranking: the hubs of the genre's
/// cooperation networks (development and reform, finance, science, industry …).
const HUB_WORDS: &[&str] = &[
    "发展改革",
    "发改",
    "财政",
    "科技",
    "科委",
    "经信",
    "经济信息化",
    "工业和信息化",
    "工信",
    "商务",
    "人力资源",
    "人社",
    "市场监管",
    "教育",
    "数据",
    "卫生健康",
    "国资",
    "自然资源",
    "规划资源",
    "生态环境",
    "住房",
    "交通",
    "农业农村",
    "文化",
    "文广",
    "金融",
    "税务",
    "组织部",
    "人才",
];

fn rank(name: &str) -> usize {
    HUB_WORDS
        .iter()
        .position(|w| name.contains(w))
        .unwrap_or(HUB_WORDS.len())
}

fn pool_for(place: &Place, gazetteer: &Gazetteer) -> UnitPool {
    let prefix = format!("{ID}unit/{}/", place.name);
    let mut departments: Vec<String> = Vec::new();
    let mut collectives = Vec::new();
    let mut territorial = Vec::new();
    let mut issuers = Vec::new();
    for entry in &gazetteer.entries {
        if entry.kind != Kind::Unit || !entry.iri.starts_with(&prefix) {
            continue;
        }
        let name = entry.name.clone();
        let unit_type = entry.entity_type.as_deref().unwrap_or("");
        if unit_type == "government-department" {
            let full = &entry.labels;
            if let Some(full) = full.iter().find(|l| {
                let national = place.level == Level::Central && l.starts_with("中华人民共和国");
                (national || l.starts_with(place.name))
                    && !l.contains("人民政府")
                    && (l.ends_with('局') || l.ends_with('厅') || l.ends_with("委员会"))
            }) && full.chars().count() <= 20
            {
                issuers.push(full.clone());
            }
        }
        if !writable(&name) {
            continue;
        }
        if is_collective(&name) {
            collectives.push(name);
        } else if matches!(unit_type, "government" | "zone-committee") {
            territorial.push(name);
        } else {
            departments.push(name);
        }
    }
    let in_gazetteer = !departments.is_empty();
    if !in_gazetteer {
        departments = place
            .fallback_departments
            .iter()
            .map(|s| s.to_string())
            .collect();
        for name in place.fallback_collectives {
            if is_collective(name) {
                collectives.push(name.to_string());
            } else {
                territorial.push(name.to_string());
            }
        }
        issuers = place
            .fallback_issuers
            .iter()
            .map(|s| s.to_string())
            .collect();
    }
    departments.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    collectives.sort();
    territorial.sort();
    issuers.sort();
    UnitPool {
        departments,
        collectives,
        territorial,
        issuers,
        in_gazetteer,
    }
}

/// A strategy, region or platform as a task text names it.
#[derive(Debug, Clone)]
pub struct Named {
    /// The words written in the text.
    pub label: String,
    /// The canonical name the linker reports.
    pub name: String,
}

/// Everything the generator draws from, read once from the built-in gazetteers.
pub struct Pools {
    pub units: Vec<UnitPool>,
    pub strategies: Vec<Named>,
    pub regions: Vec<Named>,
    pub platforms: Vec<Named>,
}

/// Regions that documents of the genre name as partners; each must be in the gazetteer.
const PARTNERS: &[&str] = &[
    "北京",
    "天津",
    "河北",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "山东",
    "广东",
    "重庆",
    "四川",
    "湖北",
    "湖南",
    "河南",
    "陕西",
    "辽宁",
    "吉林",
    "黑龙江",
    "香港",
    "澳门",
    "深圳",
    "广州",
    "杭州",
    "苏州",
    "南京",
    "武汉",
    "成都",
    "西安",
    "青岛",
    "厦门",
    "沈阳",
    "大连",
    "长春",
    "哈尔滨",
    "宁波",
    "郑州",
    "日本",
    "韩国",
    "俄罗斯",
    "德国",
    "新加坡",
    "蒙古",
];

pub static POOLS: LazyLock<Pools> = LazyLock::new(|| {
    let gazetteer = Gazetteer::builtin();
    let units = PLACES.iter().map(|p| pool_for(p, gazetteer)).collect();
    let mut strategies = Vec::new();
    let mut platforms = Vec::new();
    for entry in &gazetteer.entries {
        match entry.kind {
            // Labels of four characters or more: shorter ones (长三角, 大湾区) are also
            // region groups.
            Kind::Strategy => {
                for label in &entry.labels {
                    if label.chars().count() >= 4 && entry.name != "国家区域发展战略" {
                        strategies.push(Named {
                            label: label.clone(),
                            name: entry.name.clone(),
                        });
                    }
                }
            }
            Kind::Platform if entry.entity_type.is_some() && entry.name.chars().count() >= 4 => {
                platforms.push(Named {
                    label: entry.name.clone(),
                    name: entry.name.clone(),
                });
            }
            _ => {}
        }
    }
    let regions = PARTNERS
        .iter()
        .filter_map(|p| gazetteer.region(p))
        .map(|e| Named {
            label: e.name.clone(),
            name: e.name.clone(),
        })
        .collect();
    Pools {
        units,
        strategies,
        regions,
        platforms,
    }
});
