//! Resource-type names accepted from webRequest, DNR and Puppeteer crawls, mapped to the engine's.

use crate::error::{Error, Result};

/// Every name `check` accepts: the webRequest/DNR names (Chrome and Firefox), plus the aliases
/// used by filter syntax and crawls (`xhr`, `fetch`, `document`, `subdocument`). The CDP name
/// `fetch` counts as `other`, as adblock-rust and Ghostery's test data treat it; webRequest itself
/// reports `fetch()` as `xmlhttprequest`.
pub const KNOWN: &[&str] = &[
    "main_frame",
    "sub_frame",
    "stylesheet",
    "script",
    "image",
    "imageset",
    "font",
    "object",
    "object_subrequest",
    "xmlhttprequest",
    "ping",
    "beacon",
    "csp_report",
    "media",
    "websocket",
    "webtransport",
    "webbundle",
    "other",
    "speculative",
    "web_manifest",
    "xml_dtd",
    "xslt",
    "json",
    "xhr",
    "fetch",
    "document",
    "subdocument",
];

/// The adblock engine's name for a known resource type; an unknown one is an error.
pub fn engine_name(name: &str) -> Result<&'static str> {
    Ok(match name {
        "main_frame" | "document" => "document",
        "sub_frame" | "subdocument" => "sub_frame",
        "image" | "imageset" => "image",
        "xmlhttprequest" | "xhr" | "json" => "xmlhttprequest",
        "ping" | "beacon" => "ping",
        "object" | "object_subrequest" => "object",
        "stylesheet" => "stylesheet",
        "script" => "script",
        "font" => "font",
        "csp_report" => "csp_report",
        "media" => "media",
        "websocket" => "websocket",
        other if KNOWN.contains(&other) => "other",
        other => return Err(Error::UnknownResourceType(other.to_string())),
    })
}

/// The webRequest name for a resource type as a Puppeteer/CDP crawl records it (`cpt`): crawled
/// documents are frames (`sub_frame`), `xhr`/`fetch` are `xmlhttprequest`, `texttrack`/`manifest`
/// are `other`; any other name is already a webRequest one.
pub fn from_crawl(cpt: &str) -> &str {
    match cpt {
        "document" | "subdocument" => "sub_frame",
        "xhr" | "fetch" => "xmlhttprequest",
        "texttrack" | "manifest" => "other",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_name_maps() {
        for name in KNOWN {
            assert!(engine_name(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn unknown_name_is_an_error() {
        assert_eq!(engine_name("gif"), Err(Error::UnknownResourceType("gif".into())));
    }
}
