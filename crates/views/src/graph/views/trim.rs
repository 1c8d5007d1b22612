//! What a corpus-wide drawing keeps of its weighted edges: the nodes named most and, among
//! them, the heaviest edges up to a budget. The cooperation, region and strategy views of a
//! corpus share it, so that their defaults and notes agree.

use std::collections::{BTreeMap, BTreeSet};

/// The `limit` nodes with the largest summed weight of their edges (ties in id order).
pub(crate) fn heaviest<'a>(
    edges: impl IntoIterator<Item = (&'a str, &'a str, f64)>,
    limit: usize,
) -> Heaviest<'a> {
    let mut totals: BTreeMap<&str, f64> = BTreeMap::new();
    for (a, b, w) in edges {
        *totals.entry(a).or_default() += w;
        *totals.entry(b).or_default() += w;
    }
    let mut ranked: Vec<(&str, f64)> = totals.into_iter().collect();
    ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(y.0)));
    Heaviest {
        of: ranked.len(),
        kept: ranked.into_iter().take(limit).map(|(n, _)| n).collect(),
    }
}

/// The nodes [`heaviest`] keeps, and how many there were.
pub(crate) struct Heaviest<'a> {
    pub kept: BTreeSet<&'a str>,
    pub of: usize,
}

/// The lightest weight (at least 1) that keeps a drawing within `budget` edges, unless the
/// caller chose one: one more than the weight of the first edge past the budget.
pub(crate) fn min_weight(chosen: Option<f64>, weights: &[f64], budget: usize) -> f64 {
    chosen.unwrap_or_else(|| {
        let mut sorted = weights.to_vec();
        sorted.sort_by(|a, b| b.total_cmp(a));
        sorted.get(budget).map_or(1.0, |w| w + 1.0).max(1.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_most_named_nodes_and_ranks_ties_by_id() {
        let edges = [("a", "b", 3.0), ("b", "c", 1.0), ("d", "e", 1.0)];
        let top = heaviest(edges, 2);
        assert_eq!(top.of, 5);
        assert_eq!(top.kept, BTreeSet::from(["a", "b"]));
        let top = heaviest(edges, 4);
        assert_eq!(top.kept, BTreeSet::from(["a", "b", "c", "d"]));
    }

    #[test]
    fn the_budget_sets_the_minimum_weight_unless_one_is_chosen() {
        let weights = [1.0, 5.0, 2.0, 2.0, 3.0];
        assert_eq!(min_weight(None, &weights, 10), 1.0);
        assert_eq!(min_weight(None, &weights, 2), 3.0);
        assert_eq!(min_weight(None, &weights, 4), 2.0);
        assert_eq!(min_weight(Some(4.0), &weights, 2), 4.0);
    }
}
