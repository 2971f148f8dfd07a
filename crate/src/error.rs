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
    #[error("unknown browser {0:?} (expected chrome or firefox)")]
    UnknownBrowser(String),
    /// A DNR rule the browser would reject (or, in a ruleset read back, a regex that does not compile).
    #[error("rule {id}: {why}")]
    InvalidRule { id: u32, why: String },
    #[error("first rule id {0} is outside 1..={max}", max = crate::dnr::MAX_RULE_ID)]
    FirstRuleId(u32),
    #[error("rule ids run out: from first id {first_id}, the rules need ids past {max}, the largest browsers take", max = crate::dnr::MAX_RULE_ID)]
    OutOfRuleIds { first_id: u32 },
}

pub type Result<T> = std::result::Result<T, Error>;
