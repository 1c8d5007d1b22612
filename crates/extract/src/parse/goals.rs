//! Dated goals: sentences such as `到2025年，初步建立…` or `力争到2035年…`, each cut at
//! the end of its sentence or where the next dated goal begins.

use regex::Regex;
use std::sync::LazyLock;

use super::lines::Line;
use crate::model::{Goal, Span};
use crate::text::{fold, trim_range};

static GOAL_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(力争|争取|预计|计划)?(到|至)\s*(\d{4})\s*年(底|末|前)?").expect("valid regex")
});

/// Finds the goals of one line (not a table row).
pub fn find_in_line(line: &Line) -> Vec<Goal> {
    let starts: Vec<(usize, u16)> = GOAL_START
        .captures_iter(&line.folded)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let at = line.char_at(whole.start());
            let year: u16 = c[3].parse().ok()?;
            let opens_clause = line.chars[..at]
                .iter()
                .rev()
                .map(|&ch| fold(ch))
                .find(|ch| !ch.is_whitespace())
                .is_none_or(|ch| matches!(ch, '。' | ',' | ';' | ':' | '、' | ')' | '!'));
            ((1990..=2100).contains(&year) && opens_clause).then_some((at, year))
        })
        .collect();
    let mut goals = Vec::new();
    for (k, &(at, year)) in starts.iter().enumerate() {
        let next_goal = starts.get(k + 1).map_or(line.len(), |&(n, _)| n);
        let sentence_end = (at..line.len())
            .find(|&i| matches!(fold(line.chars[i]), '。' | ';' | '!'))
            .map_or(line.len(), |i| i + 1);
        let end = sentence_end.min(next_goal);
        let (from, mut to) = trim_range(&line.chars, at, end);
        while to > from && matches!(fold(line.chars[to - 1]), ',' | '、') {
            to -= 1;
        }
        if from < to {
            goals.push(Goal {
                year,
                text: line.original(from, to),
                span: Span::new(line.start + from, line.start + to),
                section: None,
                links: Default::default(),
            });
        }
    }
    goals
}

#[cfg(test)]
mod tests {
    use super::super::lines::lines;
    use super::*;

    #[test]
    fn goals_split_at_sentences_and_at_the_next_year() {
        let ls = lines(
            "（二）工作目标。到2025年，初步建立机制。到2035年，基本实现。力争每万人不低于4人，到2025年不低于4.66人。2012年起5年内推进。",
        );
        let goals = find_in_line(&ls[0]);
        let got: Vec<(u16, &str)> = goals.iter().map(|g| (g.year, g.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (2025, "到2025年，初步建立机制。"),
                (2035, "到2035年，基本实现。"),
                (2025, "到2025年不低于4.66人。"),
            ]
        );
    }
}
