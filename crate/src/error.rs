//! The core's typed errors: every bad input ends here, never in a panic.

use thiserror::Error;

/// Everything the core can refuse, with a message fit to show a user.
#[derive(Debug, Error, PartialEq)]
pub enum Error {
    #[error("list {id:?} is not text: {reason}")]
    NotText { id: String, reason: String },
    #[error("list id {0:?} is empty or used twice")]
    BadListId(String),
    #[error("invalid URL {0:?}")]
    BadUrl(String),
    #[error("unknown resource type {0:?} (expected one of: {known})", known = crate::resource_type::known().collect::<Vec<_>>().join(", "))]
    UnknownResourceType(String),
    #[error("snapshot refused: {0}")]
    Snapshot(String),
}

pub type Result<T> = std::result::Result<T, Error>;
