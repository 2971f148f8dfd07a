//! The core's facts the JS side needs, in one table: `pixelguard constants` prints it as JSON and
//! build.sh writes it into the shell's generated modules, so no JS file restates them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::dnr::{HOSTNAME_MAX_LEN, HOSTNAME_PATTERN, PRIORITY, Priorities};
use crate::pixels::TINY_PIXELS;
use crate::resource_type::CRAWL_ALIASES;

/// What `pixelguard constants` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Constants {
    /// An image this many CSS or natural pixels wide and high, or less, is tiny (a suspected pixel).
    pub tiny_pixels: f64,
    /// Every DNR rule's priority, by kind of rule.
    pub priorities: Priorities,
    /// The hostnames DNR domain conditions (`requestDomains`, …) take: `pattern` (a regular
    /// expression, the same in Rust and JS) and at most `maxLength` characters.
    pub hostname: Hostname,
    /// Crawl resource types that are not webRequest names → the webRequest name (the tests' and
    /// the bench's crawl reader).
    pub crawl_resource_types: BTreeMap<&'static str, &'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hostname {
    pub pattern: &'static str,
    pub max_length: usize,
}

pub fn constants() -> Constants {
    Constants {
        tiny_pixels: TINY_PIXELS,
        priorities: PRIORITY,
        hostname: Hostname { pattern: HOSTNAME_PATTERN, max_length: HOSTNAME_MAX_LEN },
        crawl_resource_types: CRAWL_ALIASES.iter().map(|(cpt, t)| (*cpt, t.name())).collect(),
    }
}
