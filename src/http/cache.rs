//! Answers kept for one state of the store: drawings of views and the results of repeated
//! queries. Each entry is kept with the store *generation* it was made from (see
//! `PolicyStore::generation`), or, for an answer that reads only some graphs, the last
//! generation that wrote one of them (`PolicyStore::generation_of`): it is given again only
//! while that number is unchanged, so an answer about one document outlives writes to the
//! others. While an answer is being made, requests for it wait for it instead of making it
//! again. A cache holds at most a budget of bytes
//! (as its values' [`Weigh`] estimates them), so that a server answering large results
//! keeps a bounded memory.

use std::collections::HashMap;
use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use lru::LruCache;

/// The bytes a kept value holds, about: what the cache's budget is counted in.
pub trait Weigh {
    fn weigh(&self) -> usize;
}

impl Weigh for Bytes {
    fn weigh(&self) -> usize {
        self.len()
    }
}

impl<A: Weigh, B: Weigh> Weigh for (A, B) {
    fn weigh(&self) -> usize {
        self.0.weigh() + self.1.weigh()
    }
}

impl Weigh for String {
    fn weigh(&self) -> usize {
        self.len()
    }
}

impl<T: Weigh> Weigh for Arc<T> {
    fn weigh(&self) -> usize {
        (**self).weigh()
    }
}

impl<T: Weigh> Weigh for Vec<T> {
    fn weigh(&self) -> usize {
        self.iter().map(Weigh::weigh).sum::<usize>() + self.len() * size_of::<T>()
    }
}

impl Weigh for policykg_store::sparql::Solutions {
    fn weigh(&self) -> usize {
        self.bytes()
    }
}

impl Weigh for policykg_views::graph::View {
    fn weigh(&self) -> usize {
        let nodes: usize = self
            .graph
            .node_weights()
            .map(|n| n.id.len() + n.label.len() + n.tooltip.len() + 128)
            .sum();
        let edges: usize = self
            .graph
            .edge_weights()
            .map(|e| e.evidence.iter().map(|t| t.len() + 24).sum::<usize>() + 96)
            .sum();
        nodes + edges
    }
}

/// Values by key, valid for one store generation, the least recently used dropped first
/// when there are more than the cache counts or weigh more than its budget.
pub struct GenerationCache<V> {
    inner: Mutex<Generation<V>>,
    budget: usize,
    /// One lock per answer being made.
    in_flight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// How many answers were made rather than taken from the cache.
    made: AtomicU64,
}

struct Generation<V> {
    /// Each value with the generation it was made from.
    entries: LruCache<String, (u64, V)>,
    /// What the entries weigh together.
    bytes: usize,
}

impl<V: Clone + Weigh> GenerationCache<V> {
    /// A cache of at most `capacity` values weighing at most `budget` bytes together.
    pub fn new(capacity: usize, budget: usize) -> Self {
        GenerationCache {
            inner: Mutex::new(Generation {
                entries: LruCache::new(NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN)),
                bytes: 0,
            }),
            budget,
            in_flight: Mutex::new(HashMap::new()),
            made: AtomicU64::new(0),
        }
    }

    /// The value kept for `key`, if it was made from store generation `generation` or a
    /// later one: what a request that saw `generation` may be answered with.
    pub fn get(&self, generation: u64, key: &str) -> Option<V> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        match inner.entries.get(key) {
            Some((made, value)) if *made >= generation => Some(value.clone()),
            _ => None,
        }
    }

    /// Keeps `value`, unless it was made from data that has since changed or weighs more
    /// than the whole budget.
    pub fn put(&self, generation: u64, key: String, value: V) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner
            .entries
            .peek(&key)
            .is_some_and(|(made, _)| *made > generation)
        {
            return;
        }
        let weight = value.weigh();
        if weight > self.budget {
            return;
        }
        let inner = &mut *inner;
        // `push` hands back the value it replaced, or the least recently used one it
        // dropped to make room.
        if let Some((_, (_, dropped))) = inner.entries.push(key, (generation, value)) {
            inner.bytes -= dropped.weigh();
        }
        inner.bytes += weight;
        while inner.bytes > self.budget {
            match inner.entries.pop_lru() {
                Some((_, (_, dropped))) => inner.bytes -= dropped.weigh(),
                None => break,
            }
        }
    }

    /// The kept value, or one made by `make` and kept; requests for the same key meanwhile
    /// wait for it. Errors are not kept. `generation` tells the store generation the value
    /// depends on: read when the request comes, and again just before `make` reads the
    /// store, so that every request that waited for a value made after it came takes that
    /// value. Under a stream of writes, the requests queued behind one making share the
    /// next, instead of each making its own.
    pub async fn get_or_make<E, F: Future<Output = Result<V, E>>>(
        &self,
        generation: impl Fn() -> u64,
        key: String,
        make: impl FnOnce() -> F,
    ) -> Result<V, E> {
        let asked = generation();
        if let Some(value) = self.get(asked, &key) {
            return Ok(value);
        }
        let lock = {
            let mut map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(key.clone()).or_default().clone()
        };
        let _turn = lock.lock().await;
        // Made, since this request came, by the one it waited for.
        if let Some(value) = self.get(asked, &key) {
            return Ok(value);
        }
        let now = generation();
        self.made.fetch_add(1, Ordering::Relaxed);
        let made = make().await;
        if let Ok(value) = &made {
            self.put(now, key.clone(), value.clone());
        }
        self.in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key);
        made
    }

    /// How many answers have been made since the server started; the rest came from here.
    pub fn made(&self) -> u64 {
        self.made.load(Ordering::Relaxed)
    }

    /// Counts an answer made without [`GenerationCache::get_or_make`].
    pub fn count_made(&self) {
        self.made.fetch_add(1, Ordering::Relaxed);
    }

    /// How many values are kept.
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entries
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the kept values weigh together.
    pub fn bytes(&self) -> usize {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(n: usize) -> Bytes {
        Bytes::from(vec![b'x'; n])
    }

    #[test]
    fn the_least_recently_used_values_go_when_the_budget_is_spent() {
        let cache = GenerationCache::new(10, 100);
        cache.put(1, "a".into(), body(40));
        cache.put(1, "b".into(), body(40));
        assert!(cache.get(1, "a").is_some());
        cache.put(1, "c".into(), body(40));
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.bytes(), 80);
        assert!(cache.get(1, "a").is_some());
        assert!(cache.get(1, "b").is_none());
        assert!(cache.get(1, "c").is_some());
    }

    #[test]
    fn a_value_heavier_than_the_budget_is_not_kept_and_a_replaced_one_is_not_counted_twice() {
        let cache = GenerationCache::new(10, 100);
        cache.put(1, "a".into(), body(30));
        cache.put(1, "big".into(), body(101));
        assert_eq!((cache.len(), cache.bytes()), (1, 30));
        cache.put(1, "a".into(), body(50));
        assert_eq!((cache.len(), cache.bytes()), (1, 50));
    }

    #[test]
    fn the_count_still_bounds_the_cache() {
        let cache = GenerationCache::new(2, 1000);
        for key in ["a", "b", "c"] {
            cache.put(1, key.into(), body(10));
        }
        assert_eq!((cache.len(), cache.bytes()), (2, 20));
        assert!(cache.get(1, "a").is_none());
    }

    #[test]
    fn a_value_is_given_for_the_generation_it_was_made_from_or_an_earlier_one() {
        let cache = GenerationCache::new(10, 1000);
        cache.put(1, "about one document".into(), body(10));
        cache.put(2, "about the corpus".into(), body(20));
        // The write of generation 2 did not touch the first value's graphs: still given
        // for generation 1; and a value made from generation 2 answers a request that saw 1.
        assert!(cache.get(1, "about one document").is_some());
        assert!(cache.get(2, "about one document").is_none());
        assert!(cache.get(1, "about the corpus").is_some());
        assert!(cache.get(3, "about the corpus").is_none());
        // A value made from older data does not replace a newer one.
        cache.put(1, "about the corpus".into(), body(5));
        assert!(cache.get(2, "about the corpus").is_some());
        assert_eq!(cache.bytes(), 30);
    }

    #[tokio::test]
    async fn requests_waiting_behind_one_making_share_the_next_value_made() {
        let cache: Arc<GenerationCache<Bytes>> = Arc::new(GenerationCache::new(10, 1000));
        let generation = Arc::new(AtomicU64::new(1));
        let (started, wait) = tokio::sync::oneshot::channel::<()>();
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let first = {
            let (cache, generation) = (cache.clone(), generation.clone());
            tokio::spawn(async move {
                let now = || generation.load(Ordering::SeqCst);
                cache
                    .get_or_make(now, "drawing".into(), || async {
                        let _ = started.send(());
                        let _ = released.await;
                        Ok::<_, ()>(body(1))
                    })
                    .await
            })
        };
        wait.await.expect("the first request began making");
        let request = |body_made: usize| {
            let (cache, generation) = (cache.clone(), generation.clone());
            tokio::spawn(async move {
                let now = || generation.load(Ordering::SeqCst);
                cache
                    .get_or_make(now, "drawing".into(), || async {
                        Ok::<_, ()>(body(body_made))
                    })
                    .await
            })
        };
        let settle = || tokio::time::sleep(std::time::Duration::from_millis(20));
        // A write; a request comes; another write; another request comes: both wait.
        generation.store(2, Ordering::SeqCst);
        let second = request(2);
        settle().await;
        generation.store(3, Ordering::SeqCst);
        let third = request(3);
        settle().await;
        release.send(()).expect("the first request waits");
        assert_eq!(first.await.expect("joins"), Ok(body(1)));
        // The second request makes its value from the store as it is then, after both
        // writes, and the third takes it rather than making its own.
        assert_eq!(second.await.expect("joins"), Ok(body(2)));
        assert_eq!(third.await.expect("joins"), Ok(body(2)));
        assert_eq!(cache.made(), 2);
    }
}
