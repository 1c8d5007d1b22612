//! The readable outline of a parsed document (`policykg parse --format text`): metadata,
//! the section tree, under each numbered item its tasks with their units by role, the
//! warnings, and last the coverage of the unit annotations.

use std::fmt::Write;

use crate::model::{ParsedDocument, Role, Section, Task};

/// Renders the outline. Deterministic: the same document gives the same text.
pub fn render_outline(doc: &ParsedDocument) -> String {
    let mut out = String::new();
    let meta = &doc.document;
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
    let _ = writeln!(out, "{}", or_dash(&meta.title));
    let _ = writeln!(
        out,
        "  文号 {} · 日期 {} · 发文 {} · 地区 {}",
        or_dash(&meta.doc_number),
        or_dash(&meta.date),
        or_dash(&meta.issuer),
        or_dash(&meta.jurisdiction)
    );
    if let Some(issued) = &meta.issued_title {
        let _ = writeln!(out, "  印发 {issued}");
    }
    let _ = writeln!(
        out,
        "  {} sections, {} tasks, {} goals; units: {} lead, {} responsible, {} supporting, {} implied",
        doc.sections.len(),
        doc.tasks.len(),
        doc.goals.len(),
        doc.count_units(Role::Lead),
        doc.count_units(Role::Responsible),
        doc.count_units(Role::Supporting),
        doc.count_units(Role::Implied),
    );
    let untethered: Vec<&Task> = doc.tasks.iter().filter(|t| t.item.is_none()).collect();
    for task in untethered {
        write_task(&mut out, task, 1);
    }
    for section in &doc.sections {
        let _ = writeln!(
            out,
            "{}{}{}",
            "  ".repeat(section.level - 1),
            marker(section),
            section.title
        );
        for task in doc
            .tasks
            .iter()
            .filter(|t| t.item.as_deref() == Some(section.id.as_str()))
        {
            write_task(&mut out, task, section.level);
        }
    }
    for goal in &doc.goals {
        let _ = writeln!(out, "目标 {}: {}", goal.year, goal.text);
    }
    for warning in &doc.warnings {
        match warning.line {
            Some(line) => {
                let _ = writeln!(out, "warning: line {line}: {}", warning.message);
            }
            None => {
                let _ = writeln!(out, "warning: {}", warning.message);
            }
        }
    }
    let coverage = &doc.coverage;
    let _ = writeln!(
        out,
        "coverage: {} of {} candidate clauses read as annotations; {} not read",
        coverage.annotations,
        coverage.candidates,
        coverage.unread.len()
    );
    out
}

fn write_task(out: &mut String, task: &Task, level: usize) {
    let _ = writeln!(out, "{}[{}] {}", "  ".repeat(level), task.id, task.title);
    for (role, label) in [
        (Role::Lead, "牵头"),
        (Role::Responsible, "责任"),
        (Role::Supporting, "配合"),
        (Role::Implied, "默认"),
    ] {
        let units = task.units(role);
        if !units.is_empty() {
            let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
            let _ = writeln!(out, "{}  {label}: {}", "  ".repeat(level), names.join("、"));
        }
    }
}

/// The heading marker as the genre writes it.
fn marker(section: &Section) -> String {
    let n = &section.number;
    match section.style.as_str() {
        "附件" => format!("附件{n} "),
        "章" => format!("第{n}章 "),
        "节" => format!("第{n}节 "),
        "条" => format!("第{n}条 "),
        "一、" => format!("{n}、"),
        "（一）" | "（1）" => format!("（{n}）"),
        "1." => format!("{n}."),
        _ => n.clone(),
    }
}
