//! Words back into text: lines in reading order, paragraphs joined, running headers,
//! footers and page numbers dropped, tables written as TAB-separated rows.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::*;

use super::rules::find_root;

/// Joins two pieces of text that a line end separated: nothing between CJK text, a space
/// between two Latin words.
pub(super) fn join_into(out: &mut String, next: &str) {
    let (Some(a), Some(b)) = (out.chars().last(), next.chars().next()) else {
        out.push_str(next);
        return;
    };
    let latin = a.is_ascii_alphanumeric() || matches!(a, ',' | ';' | ':');
    if latin && b.is_ascii_alphanumeric() {
        out.push(' ');
    }
    out.push_str(next);
}

/// The words of a line in order, a space where there is a gap.
pub(super) fn line_text(words: &[Word]) -> String {
    let mut out = String::new();
    let mut previous: Option<&Word> = None;
    for word in words {
        if let Some(p) = previous
            && word.x0 - p.x1 > 0.1 * p.em().min(word.em())
        {
            out.push(' ');
        }
        out.push_str(word.text.trim());
        previous = Some(word);
    }
    out
}

/// The words of a table cell: grouped into lines by their centres, the lines joined.
pub(super) fn block_text(mut words: Vec<Word>) -> String {
    words.sort_by(|a, b| a.center().1.total_cmp(&b.center().1));
    let mut lines: Vec<Vec<Word>> = Vec::new();
    for word in words {
        let y = word.center().1;
        match lines.last_mut() {
            Some(line)
                if line
                    .first()
                    .is_some_and(|w| (w.center().1 - y).abs() < 0.5 * w.em().min(word.em())) =>
            {
                line.push(word);
            }
            _ => lines.push(vec![word]),
        }
    }
    let mut out = String::new();
    for mut line in lines {
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        join_into(&mut out, &line_text(&line));
    }
    out
}

/// The width of a text in characters: CJK characters count one, others about half.
pub(super) fn text_units(text: &str) -> f32 {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if is_wide(c) { 1.0 } else { 0.55 })
        .sum()
}

/// The width (as [`text_units`]) of what opens a line up to its first break
/// opportunity: closing punctuation, quotation marks and the characters after them, and
/// runs of Latin letters and digits cannot be parted from what precedes them.
pub(super) fn leading_chunk(text: &str) -> f32 {
    let chars: Vec<char> = text.trim_start().chars().collect();
    let Some(&first) = chars.first() else {
        return 0.0;
    };
    let width = |c: char| if is_wide(c) { 1.0 } else { 0.55 };
    let closing = |c: char| "，。、；：！？）》」』】〕…,.;:!?)]%".contains(c);
    let quote = |c: char| "“”‘’\"'".contains(c);
    let opening = |c: char| "（《「『【〔([".contains(c);
    let mut units = width(first);
    for pair in chars.windows(2) {
        let (p, c) = (pair[0], pair[1]);
        let glued = closing(c)
            || quote(c)
            || quote(p)
            || opening(p)
            || (p.is_ascii_alphanumeric() && (c.is_ascii_alphanumeric() || c == '.'));
        if !glued {
            break;
        }
        units += width(c);
    }
    units
}

/// The type size of a line: measured on its CJK words, whose characters are square;
/// else the largest estimate of its words.
pub(super) fn line_em(words: &[Word]) -> f32 {
    let cjk: Vec<&Word> = words
        .iter()
        .filter(|w| w.text.chars().any(is_wide))
        .collect();
    let units: f32 = cjk.iter().map(|w| text_units(&w.text)).sum();
    if units > 0.0 {
        let width: f32 = cjk.iter().map(|w| w.x1 - w.x0).sum();
        return (width / units).max(1.0);
    }
    words.iter().map(Word::em).fold(1.0, f32::max)
}

/// A line of text outside tables.
#[derive(Debug, Clone)]
pub(super) struct TextLine {
    pub(super) page: usize,
    x0: f32,
    x1: f32,
    pub(super) y: f32,
    pub(super) em: f32,
    pub(super) text: String,
}

#[derive(Debug)]
pub(super) enum Item {
    Line(TextLine),
    Table { page: usize, table: Table },
}

/// Lines as `pdftotext` gives them, with the pieces it set apart rejoined: a word in
/// another font (a number, a bracket) on the same baseline as a line and touching it.
pub(super) fn merge_fragments(lines: &[Vec<Word>]) -> Vec<Vec<Word>> {
    let mut lines: Vec<Vec<Word>> = lines.to_vec();
    let extent = |line: &[Word]| {
        let x0 = line.iter().map(|w| w.x0).fold(f32::INFINITY, f32::min);
        let x1 = line.iter().map(|w| w.x1).fold(f32::NEG_INFINITY, f32::max);
        let y = line.iter().map(|w| w.center().1).sum::<f32>() / line.len().max(1) as f32;
        let em = line.iter().map(Word::em).fold(0.0, f32::max);
        (x0, x1, y, em)
    };
    let mut i = 0;
    while i < lines.len() {
        let mut j = i + 1;
        while j < lines.len() {
            let (a0, a1, ay, aem) = extent(&lines[i]);
            let (b0, b1, by, bem) = extent(&lines[j]);
            let em = aem.max(bem);
            let touching =
                (b0 - a1 >= -0.5 * em && b0 - a1 <= em) || (a0 - b1 >= -0.5 * em && a0 - b1 <= em);
            if touching && (ay - by).abs() < 0.4 * em {
                let moved = lines.remove(j);
                lines[i].extend(moved);
                lines[i].sort_by(|a, b| a.x0.total_cmp(&b.x0));
                j = i + 1;
            } else {
                j += 1;
            }
        }
        i += 1;
    }
    lines
}

/// Lines in reading order. `pdftotext` orders the text of a page by its own reading of the
/// layout, which sets a line apart now and then (one that starts further left than the
/// line above it); on a page of one column, lines are read top to bottom, those side by
/// side left to right. Pages of several columns keep `pdftotext`'s order.
pub(super) fn reading_order(mut lines: Vec<Vec<Word>>) -> Vec<Vec<Word>> {
    let extent = |line: &[Word]| {
        let x0 = line.iter().map(|w| w.x0).fold(f32::INFINITY, f32::min);
        let x1 = line.iter().map(|w| w.x1).fold(f32::NEG_INFINITY, f32::max);
        let y = line.iter().map(|w| w.center().1).sum::<f32>() / line.len().max(1) as f32;
        let em = line.iter().map(Word::em).fold(1.0, f32::max);
        (x0, x1, y, em)
    };
    let extents: Vec<_> = lines.iter().map(|l| extent(l)).collect();
    let side_by_side = extents
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            extents.iter().enumerate().any(|(j, b)| {
                *i != j
                    && (a.2 - b.2).abs() < 0.4 * a.3.max(b.3)
                    && (b.0 - a.1 > 2.0 * a.3 || a.0 - b.1 > 2.0 * a.3)
            })
        })
        .count();
    if side_by_side * 10 > lines.len() * 3 {
        return lines;
    }
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| extents[a].2.total_cmp(&extents[b].2));
    let mut rows = vec![0usize; lines.len()];
    let mut row = 0;
    let mut row_y = f32::NEG_INFINITY;
    for &i in &order {
        let (_, _, y, em) = extents[i];
        if y - row_y > 0.4 * em {
            row += 1;
            row_y = y;
        }
        rows[i] = row;
    }
    let mut keyed: Vec<(usize, f32, Vec<Word>)> = lines
        .drain(..)
        .enumerate()
        .map(|(i, line)| (rows[i], extents[i].0, line))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    keyed.into_iter().map(|(_, _, line)| line).collect()
}

/// A page's lines and tables in reading order: a table goes before the first line below
/// its top.
pub(super) fn page_items(index: usize, page: &Page, tables: Vec<Table>) -> Vec<Item> {
    let mut items = Vec::new();
    let mut tables = tables.into_iter().peekable();
    for words in &reading_order(merge_fragments(&page.lines)) {
        let x0 = words.iter().map(|w| w.x0).fold(f32::INFINITY, f32::min);
        let x1 = words.iter().map(|w| w.x1).fold(f32::NEG_INFINITY, f32::max);
        let y = words.iter().map(|w| w.center().1).sum::<f32>() / words.len() as f32;
        let em = line_em(words);
        while let Some(table) = tables.next_if(|t| t.top() < y) {
            items.push(Item::Table { page: index, table });
        }
        items.push(Item::Line(TextLine {
            page: index,
            x0,
            x1,
            y,
            em,
            text: line_text(words),
        }));
    }
    items.extend(tables.map(|table| Item::Table { page: index, table }));
    items
}

pub(super) static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)[-—–－\s]*(第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*(/|of)\s*\d+|page\s*\d+(\s*of\s*\d+)?|\d+)[-—–－\s]*$")
        .expect("valid regex")
});

pub(super) static HEADING_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|[①-⑳]|第[一二三四五六七八九十百\d]+[章节条]|附件)")
        .expect("valid regex")
});

/// The document's text: running headers, footers and page numbers dropped, tables broken
/// by a page joined, the lines of each paragraph joined.
pub(super) fn assemble(pages: &[Page], items: Vec<Vec<Item>>) -> String {
    // Running headers and footers: lines in the top or bottom tenth of the page that recur
    // on other pages (digits aside), and page numbers there.
    let zone = |line: &TextLine| {
        let height = pages.get(line.page).map_or(0.0, |p| p.height);
        height > 0.0 && (line.y < height * 0.1 || line.y > height * 0.9)
    };
    let key = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    let mut recurring: HashMap<String, std::collections::HashSet<usize>> = HashMap::new();
    for item in items.iter().flatten() {
        if let Item::Line(line) = item
            && zone(line)
        {
            recurring
                .entry(key(&line.text))
                .or_default()
                .insert(line.page);
        }
    }
    // A line of a few letters (a list number such as 1.) may open a page twice by chance.
    let repeated = |line: &TextLine| {
        let key = key(&line.text);
        key.chars().count() >= 4 && recurring.get(&key).is_some_and(|pages| pages.len() >= 2)
    };
    let mut kept: Vec<Item> = Vec::new();
    for page_items in items {
        for item in page_items {
            if let Item::Line(line) = &item
                && zone(line)
                && (repeated(line) || PAGE_NUMBER.is_match(line.text.trim()))
            {
                continue;
            }
            kept.push(item);
        }
    }
    let kept = join_tables(kept);

    // Margins and spacing of the body text.
    let lines: Vec<&TextLine> = kept
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) => Some(l),
            Item::Table { .. } => None,
        })
        .collect();
    let mode = |values: Vec<f32>| -> f32 {
        let mut counts: HashMap<i32, usize> = HashMap::new();
        for v in values {
            *counts.entry(v.round() as i32).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|&(v, n)| (n, -v))
            .map_or(0.0, |(v, _)| v as f32)
    };
    let left = mode(lines.iter().map(|l| l.x0).collect());
    // Unjustified lines end short of the margin by up to a character or two.
    let mut ends: Vec<f32> = lines.iter().map(|l| l.x1).collect();
    ends.sort_by(f32::total_cmp);
    let right = ends.get(ends.len() * 9 / 10).copied().unwrap_or(0.0);
    let mut ems: Vec<f32> = lines.iter().map(|l| l.em).collect();
    ems.sort_by(f32::total_cmp);
    let body_em = ems.get(ems.len() / 2).copied().unwrap_or(10.0);
    let mut pitches: Vec<f32> = lines
        .windows(2)
        .filter(|w| w[0].page == w[1].page)
        .map(|w| (w[1].y - w[0].y) / w[0].em)
        .filter(|p| *p > 0.5 && *p < 4.0)
        .collect();
    pitches.sort_by(f32::total_cmp);
    let line_pitch = pitches.get(pitches.len() / 4).copied().unwrap_or(1.5);

    let continues = |a: &TextLine, b: &TextLine| -> bool {
        let em = a.em.max(b.em);
        if (a.em - b.em).abs() > 0.15 * em {
            return false;
        }
        if a.page == b.page && (b.y - a.y) / a.em > line_pitch + 0.3 {
            return false;
        }
        if a.page != b.page && a.page + 1 != b.page {
            return false;
        }
        // The line ended early only if what opens the next line would have fitted.
        let room = right - a.x1;
        let (chunk, units) = (leading_chunk(&b.text), text_units(&b.text));
        let advance = if units > 0.0 {
            (b.x1 - b.x0) / units
        } else {
            b.em
        };
        if room > (chunk + 1.0) * advance {
            return false;
        }
        let centered = |l: &TextLine| ((l.x0 - left) - (right - l.x1)).abs() <= 2.5 * l.em;
        let indented = b.x0 > left + 0.8 * b.em;
        if indented && !(a.em > body_em * 1.15 && centered(a) && centered(b)) {
            return false;
        }
        let finished = a
            .text
            .trim_end()
            .ends_with(['。', '；', '：', ';', ':', '！', '？', '!', '?']);
        !(finished && HEADING_START.is_match(b.text.trim_start()))
    };

    let mut out = String::new();
    let mut previous: Option<&TextLine> = None;
    for item in &kept {
        match item {
            Item::Line(line) => {
                match previous {
                    Some(p) if continues(p, line) => join_into(&mut out, line.text.trim()),
                    _ => {
                        if !out.is_empty() {
                            out.push('\n');
                        }
                        out.push_str(line.text.trim());
                    }
                }
                previous = Some(line);
            }
            Item::Table { table, .. } => {
                for row in table.lines() {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    out.push_str(&row);
                }
                previous = None;
            }
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Joins each table that ends a page to the one that starts the next page when their
/// columns agree: a column without a rule on either side of the break continues its cell.
pub(super) fn join_tables(items: Vec<Item>) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for item in items {
        let Item::Table { page, table } = item else {
            out.push(item);
            continue;
        };
        if let Some(Item::Table {
            page: last_page,
            table: last,
        }) = out.last_mut()
            && *last_page + 1 == page
            && last.xs.len() == table.xs.len()
            && last
                .xs
                .iter()
                .zip(&table.xs)
                .all(|(a, b)| (a - b).abs() <= 4.0)
        {
            append(last, table);
            *last_page = page;
            continue;
        }
        out.push(Item::Table { page, table });
    }
    out
}

/// `next` appended to `table`, the cells open between them merged.
pub(super) fn append(table: &mut Table, next: Table) {
    let offset = table.texts.len();
    let columns = table.xs.len() - 1;
    let mut texts = std::mem::take(&mut table.texts);
    texts.extend(next.texts);
    let mut parent: Vec<usize> = (0..texts.len()).collect();
    let (Some(last_row), Some(first_row)) = (table.cells.last().cloned(), next.cells.first())
    else {
        table.texts = texts;
        return;
    };
    let mut all_open = true;
    for c in 0..columns {
        // Renderers differ in which side of the break they leave open; a cell that goes
        // on is open on both.
        let open = next.open_top.get(c).copied().unwrap_or(false)
            && table.open_bottom.get(c).copied().unwrap_or(false);
        if !open {
            all_open = false;
            continue;
        }
        let (a, b) = (last_row[c], first_row[c] + offset);
        let (ra, rb) = (find_root(&mut parent, a), find_root(&mut parent, b));
        if ra != rb {
            let moved = std::mem::take(&mut texts[rb]);
            join_into(&mut texts[ra], &moved);
            parent[rb] = ra;
        }
    }
    let mut rows: Vec<Vec<usize>> = std::mem::take(&mut table.cells);
    rows.extend(
        next.cells
            .iter()
            .skip(usize::from(all_open))
            .map(|row| row.iter().map(|&r| r + offset).collect()),
    );
    for row in &mut rows {
        for cell in row.iter_mut() {
            *cell = find_root(&mut parent, *cell);
        }
    }
    table.cells = rows;
    table.texts = texts;
    table.open_bottom = next.open_bottom;
    table.ys.extend(next.ys.iter().skip(1));
}
