//! Answers kept to be given again: complete, small, and of queries whose answer does not
//! change from one evaluation to the next on the same data.

use axum::body::Bytes;

/// Results larger than this are streamed but not kept.
pub(super) const KEEP_AT_MOST: usize = 1 << 20;

/// Whether a query's answer may differ from one evaluation to the next on the same data.
pub(super) fn varies(query: &str) -> bool {
    let upper = query.to_ascii_uppercase();
    ["NOW", "RAND", "UUID", "STRUUID", "BNODE"].iter().any(|f| {
        upper.match_indices(f).any(|(at, _)| {
            let before = upper[..at].chars().next_back();
            let after = upper[at + f.len()..].trim_start().chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                && after == Some('(')
        })
    })
}

/// Where a query's answer is kept once it is complete.
pub(super) struct Keep {
    /// `None` for an answer that is not to be kept.
    pub(super) cache: Option<std::sync::Arc<crate::http::GenerationCache<(String, Bytes)>>>,
    pub(super) generation: u64,
    pub(super) key: String,
}

/// The bytes of an answer as they are written, while they stay small enough to keep.
pub(super) struct AnswerCopy {
    keep: Option<Keep>,
    bytes: Vec<u8>,
}

impl Keep {
    pub(crate) fn copy(self) -> AnswerCopy {
        AnswerCopy {
            keep: self.cache.is_some().then_some(self),
            bytes: Vec::new(),
        }
    }
}

impl AnswerCopy {
    pub(crate) fn add(&mut self, chunk: &[u8]) {
        if self.keep.is_some() && self.bytes.len() + chunk.len() <= KEEP_AT_MOST {
            self.bytes.extend_from_slice(chunk);
        } else {
            self.keep = None;
            self.bytes = Vec::new();
        }
    }

    /// Keeps the answer: call once all of it was written.
    pub(crate) fn keep(self, media: String) {
        if let Some(Keep {
            cache: Some(cache),
            generation,
            key,
        }) = self.keep
        {
            cache.put(generation, key, (media, Bytes::from(self.bytes)));
        }
    }
}
