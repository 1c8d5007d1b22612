//! Who may write: the update token. The server keeps only the token's SHA-256 digest and
//! compares digests in constant time, so neither the comparison's timing nor a memory dump
//! of the state gives the token away, and its `Debug` form never shows it.

use std::path::{Path, PathBuf};

use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::AppError;

/// The secret that SPARQL Update and Graph Store writes must bear as
/// `Authorization: Bearer <token>`.
#[derive(Clone)]
pub struct UpdateToken {
    digest: [u8; 32],
}

/// Why an update token could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("update token file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("update token file {path} holds no token")]
    EmptyFile { path: PathBuf },
    #[error("the update token is empty")]
    Empty,
}

impl std::fmt::Debug for UpdateToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UpdateToken(<redacted>)")
    }
}

impl UpdateToken {
    pub fn new(token: &str) -> Result<Self, TokenError> {
        if token.is_empty() {
            return Err(TokenError::Empty);
        }
        Ok(UpdateToken {
            digest: Sha256::digest(token.as_bytes()).into(),
        })
    }

    /// The token held by a file: its first line, without surrounding white space (an
    /// editor's final newline is not part of it).
    pub fn from_file(path: &Path) -> Result<Self, TokenError> {
        let text = std::fs::read_to_string(path).map_err(|source| TokenError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let token = text.lines().next().unwrap_or("").trim();
        if token.is_empty() {
            return Err(TokenError::EmptyFile {
                path: path.to_path_buf(),
            });
        }
        Self::new(token)
    }

    /// Whether `given` is the token, in time that does not depend on where they differ.
    pub fn matches(&self, given: &str) -> bool {
        let given: [u8; 32] = Sha256::digest(given.as_bytes()).into();
        self.digest.ct_eq(&given).into()
    }
}

/// Lets a write through only with the right bearer token: 403 when the server takes no
/// writes, 401 when the token is missing or wrong.
pub fn check_token(token: Option<&UpdateToken>, headers: &HeaderMap) -> Result<(), AppError> {
    let Some(expected) = token else {
        return Err(AppError::UpdatesDisabled);
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(given) if expected.matches(given.trim()) => Ok(()),
        _ => Err(AppError::Unauthorized),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_matches_and_debug_hides_it() {
        let token = UpdateToken::new("s3cret-token").expect("a token");
        assert!(token.matches("s3cret-token"));
        assert!(!token.matches("s3cret-tokem"));
        assert!(!token.matches("s3cret-token "));
        assert!(!token.matches(""));
        assert_eq!(format!("{token:?}"), "UpdateToken(<redacted>)");
        assert!(UpdateToken::new("").is_err());
    }

    #[test]
    fn a_token_file_gives_its_first_line() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("token");
        std::fs::write(&path, "abc123\n").expect("write");
        assert!(
            UpdateToken::from_file(&path)
                .expect("a token")
                .matches("abc123")
        );
        std::fs::write(&path, "\n").expect("write");
        let empty = UpdateToken::from_file(&path).unwrap_err().to_string();
        assert_eq!(
            empty,
            format!("update token file {} holds no token", path.display())
        );
        let missing = dir.path().join("nope");
        let error = UpdateToken::from_file(&missing).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("update token file {}: ", missing.display())),
            "{error}"
        );
    }
}
