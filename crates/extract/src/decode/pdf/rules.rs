//! The tables of a page: the ruling lines found in its image, the grids they make, the
//! cells a missing rule merges, and tables broken by a page joined again.

use std::collections::HashMap;

use super::layout::block_text;
use super::poppler::Image;
use super::*;

/// A ruling line, in points: at `at` (y of a horizontal rule, x of a vertical one) from
/// `from` to `to`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rule {
    pub(super) at: f32,
    pub(super) from: f32,
    pub(super) to: f32,
}

/// Ruling lines: runs of ink at least `min` points long and at most 3 points thick.
pub(super) fn rules(image: &Image, horizontal: bool) -> Vec<Rule> {
    let (length, breadth) = if horizontal {
        (image.width, image.height)
    } else {
        (image.height, image.width)
    };
    let ink = |along: usize, across: usize| {
        if horizontal {
            image.ink(along, across)
        } else {
            image.ink(across, along)
        }
    };
    let min_run = (8.0 * SCALE) as usize;
    let max_thickness = (3.0 * SCALE) as usize;
    // A band: runs on consecutive pixel lines that overlap.
    struct Band {
        from: usize,
        to: usize,
        first: usize,
        last: usize,
    }
    let mut open: Vec<Band> = Vec::new();
    let mut out = Vec::new();
    let close = |band: Band, out: &mut Vec<Rule>| {
        if band.last - band.first < max_thickness {
            out.push(Rule {
                at: (band.first + band.last + 1) as f32 / 2.0 / SCALE,
                from: band.from as f32 / SCALE,
                to: (band.to + 1) as f32 / SCALE,
            });
        }
    };
    for across in 0..breadth {
        let mut runs = Vec::new();
        let mut along = 0;
        while along < length {
            if !ink(along, across) {
                along += 1;
                continue;
            }
            let start = along;
            let mut end = along;
            // Gaps of one pixel (anti-aliasing) do not end a run.
            while along < length
                && (ink(along, across) || (along + 1 < length && ink(along + 1, across)))
            {
                if ink(along, across) {
                    end = along;
                }
                along += 1;
            }
            if end + 1 - start >= min_run {
                runs.push((start, end));
            }
        }
        let mut still_open = Vec::new();
        for band in open.drain(..) {
            let continued = runs.iter().position(|&(s, e)| {
                let overlap = e.min(band.to) as isize - s.max(band.from) as isize;
                overlap * 2 >= (e - s).min(band.to - band.from) as isize
            });
            match continued {
                Some(i) => {
                    let (s, e) = runs.remove(i);
                    still_open.push(Band {
                        from: band.from.min(s),
                        to: band.to.max(e),
                        first: band.first,
                        last: across,
                    });
                }
                None => close(band, &mut out),
            }
        }
        for (s, e) in runs {
            still_open.push(Band {
                from: s,
                to: e,
                first: across,
                last: across,
            });
        }
        open = still_open;
    }
    for band in open {
        close(band, &mut out);
    }
    out
}

pub(super) const TOUCH: f32 = 2.5;

pub(super) fn touches(h: &Rule, v: &Rule) -> bool {
    v.at >= h.from - TOUCH && v.at <= h.to + TOUCH && h.at >= v.from - TOUCH && h.at <= v.to + TOUCH
}

/// Values within `tolerance` of each other, as the mean of each group.
pub(super) fn cluster(mut values: Vec<f32>, tolerance: f32) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, f32, usize)> = Vec::new(); // (last, sum, count)
    for v in values {
        match out.last_mut() {
            Some((last, sum, count)) if v - *last <= tolerance => {
                *last = v;
                *sum += v;
                *count += 1;
            }
            _ => out.push((v, v, 1)),
        }
    }
    out.into_iter().map(|(_, s, c)| s / c as f32).collect()
}

pub(super) fn find_root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The tables of a page; their words are taken out of the page's lines.
pub(super) fn find_tables(image: &Image, page: &mut Page) -> Vec<Table> {
    // Strokes of characters are no rules: drop those whose middle is inside a word.
    let cores: Vec<(f32, f32, f32, f32)> = page
        .lines
        .iter()
        .flatten()
        .map(|w| {
            let (em, (_, y)) = (w.em(), w.center());
            (
                w.x0 + 0.15 * em,
                y - 0.5 * em,
                w.x1 - 0.15 * em,
                y + 0.5 * em,
            )
        })
        .collect();
    let in_text = |x: f32, y: f32| {
        cores
            .iter()
            .any(|&(x0, y0, x1, y1)| x > x0 && x < x1 && y > y0 && y < y1)
    };
    let mut horizontal = rules(image, true);
    let mut vertical = rules(image, false);
    horizontal.retain(|r| !in_text((r.from + r.to) / 2.0, r.at));
    vertical.retain(|r| !in_text(r.at, (r.from + r.to) / 2.0));
    // Keep only horizontal rules that cross or meet two vertical ones, and vertical rules
    // that meet one of those (a table cut by the page may lack its bottom rule).
    loop {
        let h_before = horizontal.len();
        let v_before = vertical.len();
        horizontal.retain(|h| vertical.iter().filter(|v| touches(h, v)).count() >= 2);
        vertical.retain(|v| horizontal.iter().any(|h| touches(h, v)));
        if horizontal.len() == h_before && vertical.len() == v_before {
            break;
        }
    }
    if horizontal.is_empty() || vertical.is_empty() {
        return Vec::new();
    }
    // Connected groups of rules are tables.
    let n = horizontal.len();
    let mut parent: Vec<usize> = (0..n + vertical.len()).collect();
    for (i, h) in horizontal.iter().enumerate() {
        for (j, v) in vertical.iter().enumerate() {
            if touches(h, v) {
                let (a, b) = (find_root(&mut parent, i), find_root(&mut parent, n + j));
                parent[a] = b;
            }
        }
    }
    let mut groups: HashMap<usize, (Vec<Rule>, Vec<Rule>)> = HashMap::new();
    for (i, h) in horizontal.iter().enumerate() {
        groups
            .entry(find_root(&mut parent, i))
            .or_default()
            .0
            .push(*h);
    }
    for (j, v) in vertical.iter().enumerate() {
        groups
            .entry(find_root(&mut parent, n + j))
            .or_default()
            .1
            .push(*v);
    }
    let mut tables: Vec<Table> = groups
        .into_values()
        .filter_map(|(h, v)| grid(&h, &v))
        .collect();
    tables.sort_by(|a, b| a.top().total_cmp(&b.top()));

    // Words inside a table go to its cells.
    let mut cell_words: Vec<Vec<Vec<Word>>> = tables
        .iter()
        .map(|t| vec![Vec::new(); t.texts.len()])
        .collect();
    for line in &mut page.lines {
        line.retain(|word| {
            let (x, y) = word.center();
            for (t, table) in tables.iter().enumerate() {
                if let Some((r, c)) = table.contains(x, y) {
                    let region = table.cells[r][c];
                    cell_words[t][region].push(word.clone());
                    return false;
                }
            }
            true
        });
    }
    page.lines.retain(|l| !l.is_empty());
    for (table, words) in tables.iter_mut().zip(cell_words) {
        for (region, words) in words.into_iter().enumerate() {
            table.texts[region] = block_text(words);
        }
    }
    tables
}

/// The grid of one group of rules, `None` when it has fewer than two columns or rows.
pub(super) fn grid(horizontal: &[Rule], vertical: &[Rule]) -> Option<Table> {
    let left = horizontal
        .iter()
        .map(|h| h.from)
        .fold(f32::INFINITY, f32::min);
    let right = horizontal
        .iter()
        .map(|h| h.to)
        .fold(f32::NEG_INFINITY, f32::max);
    let top = vertical
        .iter()
        .map(|v| v.from)
        .fold(f32::INFINITY, f32::min);
    let bottom = vertical
        .iter()
        .map(|v| v.to)
        .fold(f32::NEG_INFINITY, f32::max);
    let mut xs: Vec<f32> = vertical.iter().map(|v| v.at).collect();
    xs.extend([left, right]);
    let mut ys: Vec<f32> = horizontal.iter().map(|h| h.at).collect();
    ys.extend([top, bottom]);
    let xs = cluster(xs, 4.0);
    let ys = cluster(ys, 4.0);
    // Fewer than two columns, or smaller than a few characters: a frame or a glyph.
    if xs.len() < 3 || ys.len() < 2 || right - left < 50.0 || bottom - top < 12.0 {
        return None;
    }
    let (columns, rows) = (xs.len() - 1, ys.len() - 1);
    let covered = |rules: &[Rule], at: f32, from: f32, to: f32| {
        let wanted = (to - from).max(0.1);
        let cover: f32 = rules
            .iter()
            .filter(|r| (r.at - at).abs() <= 4.0)
            .map(|r| (r.to.min(to) - r.from.max(from)).max(0.0))
            .sum();
        cover >= wanted * 0.5
    };
    let index = |r: usize, c: usize| r * columns + c;
    let mut parent: Vec<usize> = (0..rows * columns).collect();
    for r in 0..rows {
        for c in 0..columns {
            if c + 1 < columns && !covered(vertical, xs[c + 1], ys[r], ys[r + 1]) {
                let (a, b) = (
                    find_root(&mut parent, index(r, c)),
                    find_root(&mut parent, index(r, c + 1)),
                );
                parent[b] = a;
            }
            if r + 1 < rows && !covered(horizontal, ys[r + 1], xs[c], xs[c + 1]) {
                let (a, b) = (
                    find_root(&mut parent, index(r, c)),
                    find_root(&mut parent, index(r + 1, c)),
                );
                parent[b] = a;
            }
        }
    }
    let mut ids: HashMap<usize, usize> = HashMap::new();
    let mut cells = vec![vec![0; columns]; rows];
    for (r, row) in cells.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            let root = find_root(&mut parent, index(r, c));
            let next = ids.len();
            *cell = *ids.entry(root).or_insert(next);
        }
    }
    let open_top = (0..columns)
        .map(|c| !covered(horizontal, ys[0], xs[c], xs[c + 1]))
        .collect();
    let open_bottom = (0..columns)
        .map(|c| !covered(horizontal, ys[rows], xs[c], xs[c + 1]))
        .collect();
    Some(Table {
        xs,
        ys,
        cells,
        texts: vec![String::new(); ids.len()],
        open_top,
        open_bottom,
    })
}
