//! Answers kept for one state of the store: drawings of views and the results of repeated
//! queries. Each entry belongs to a store *generation* (see `PolicyStore::generation`); the
//! first request after a write empties the cache. While an answer is being made, requests
//! for it wait for it instead of making it again.

use std::collections::HashMap;
use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use lru::LruCache;

/// Values by key, valid for one store generation, the least recently used dropped first.
pub struct GenerationCache<V> {
    inner: Mutex<Generation<V>>,
    /// One lock per answer being made.
    in_flight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// How many answers were made rather than taken from the cache.
    made: AtomicU64,
}

struct Generation<V> {
    number: u64,
    entries: LruCache<String, V>,
}

impl<V: Clone> GenerationCache<V> {
    pub fn new(capacity: usize) -> Self {
        GenerationCache {
            inner: Mutex::new(Generation {
                number: 0,
                entries: LruCache::new(NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN)),
            }),
            in_flight: Mutex::new(HashMap::new()),
            made: AtomicU64::new(0),
        }
    }

    /// The value kept for `key` in store generation `generation`.
    pub fn get(&self, generation: u64, key: &str) -> Option<V> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.number != generation {
            return None;
        }
        inner.entries.get(key).cloned()
    }

    /// Keeps `value`, unless it was made from data that has since changed.
    pub fn put(&self, generation: u64, key: String, value: V) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if generation < inner.number {
            return;
        }
        if generation > inner.number {
            inner.entries.clear();
            inner.number = generation;
        }
        inner.entries.put(key, value);
    }

    /// The kept value, or one made by `make` and kept; requests for the same key meanwhile
    /// wait for it. Errors are not kept.
    pub async fn get_or_make<E, F: Future<Output = Result<V, E>>>(
        &self,
        generation: u64,
        key: String,
        make: impl FnOnce() -> F,
    ) -> Result<V, E> {
        if let Some(value) = self.get(generation, &key) {
            return Ok(value);
        }
        let lock = {
            let mut map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(key.clone()).or_default().clone()
        };
        let _turn = lock.lock().await;
        // Made by the request this one waited for.
        if let Some(value) = self.get(generation, &key) {
            return Ok(value);
        }
        self.made.fetch_add(1, Ordering::Relaxed);
        let made = make().await;
        if let Ok(value) = &made {
            self.put(generation, key.clone(), value.clone());
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
}
