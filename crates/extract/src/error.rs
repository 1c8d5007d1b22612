//! The [`ErrorKind`] every error of policykg's crates is classified by, so that the shells
//! (an HTTP status, an exit code) map kinds, not messages.

/// What kind of failure an error is, whatever stage it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The input (a query, a parameter, a file) is wrong: the caller can fix it.
    Invalid,
    /// What was asked for does not exist.
    NotFound,
    /// The result cannot be given in the form asked for.
    NotAcceptable,
    /// Work stopped at a time limit.
    TimeLimit,
    /// No capacity to start the work now.
    Busy,
    /// Something failed that the caller cannot fix.
    Internal,
}

/// An error that knows its [`ErrorKind`].
pub trait Classified {
    fn kind(&self) -> ErrorKind;
}

impl Classified for crate::model::UnknownRole {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Invalid
    }
}
