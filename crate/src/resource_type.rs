//! Resource-type names accepted from webRequest, DNR and Puppeteer crawls, mapped to the engine's.
//! The names themselves are the DNR enum's ([`ResourceType`]); here are only the aliases.

use crate::dnr::ResourceType::{self, *};
use crate::error::{Error, Result};

/// Names `check` accepts beside the DNR ones, from filter syntax and crawls. The CDP name `fetch`
/// counts as `other`, as adblock-rust and Ghostery's test data treat it; webRequest itself reports
/// `fetch()` as `xmlhttprequest`.
const ALIASES: &[(&str, ResourceType)] = &[("xhr", Xmlhttprequest), ("fetch", Other), ("document", MainFrame), ("subdocument", SubFrame)];

/// Puppeteer/CDP crawl names (`cpt`) that are not webRequest names, and the webRequest type each
/// stands for: crawled documents are frames, `xhr`/`fetch` are `xmlhttprequest`, `texttrack` and
/// `manifest` are `other`.
pub const CRAWL_ALIASES: &[(&str, ResourceType)] = &[
    ("document", SubFrame),
    ("subdocument", SubFrame),
    ("xhr", Xmlhttprequest),
    ("fetch", Xmlhttprequest),
    ("texttrack", Other),
    ("manifest", Other),
];

/// Every name `check` accepts: the DNR names, then the aliases.
pub fn known() -> impl Iterator<Item = &'static str> {
    ResourceType::ALL.iter().map(|t| t.name()).chain(ALIASES.iter().map(|(name, _)| *name))
}

/// The adblock engine's name for a known resource type; an unknown one is an error.
pub fn engine_name(name: &str) -> Result<&'static str> {
    let alias = || ALIASES.iter().find(|(alias, _)| *alias == name).map(|(_, t)| *t);
    let t = ResourceType::from_name(name).or_else(alias).ok_or_else(|| Error::UnknownResourceType(name.to_string()))?;
    Ok(match t {
        MainFrame => "document",
        SubFrame => "sub_frame",
        Image | Imageset => "image",
        Xmlhttprequest | Json => "xmlhttprequest",
        Ping | Beacon => "ping",
        Object | ObjectSubrequest => "object",
        Stylesheet => "stylesheet",
        Script => "script",
        Font => "font",
        CspReport => "csp_report",
        Media => "media",
        Websocket => "websocket",
        Webtransport | Webbundle | Other | Speculative | WebManifest | XmlDtd | Xslt => "other",
    })
}

/// The webRequest name for a resource type as a Puppeteer/CDP crawl records it (`cpt`): one of
/// [`CRAWL_ALIASES`], else the name as it is.
pub fn from_crawl(cpt: &str) -> &str {
    CRAWL_ALIASES.iter().find(|(name, _)| *name == cpt).map_or(cpt, |(_, t)| t.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_name_maps() {
        for name in known() {
            assert!(engine_name(name).is_ok(), "{name}");
        }
        assert_eq!(known().count(), ResourceType::ALL.len() + ALIASES.len());
    }

    #[test]
    fn aliases_map_as_the_engine_names_them() {
        let engine = |n| engine_name(n).unwrap();
        assert_eq!([engine("xhr"), engine("fetch"), engine("document"), engine("subdocument")], ["xmlhttprequest", "other", "document", "sub_frame"]);
        assert_eq!([engine("beacon"), engine("imageset"), engine("json"), engine("webbundle")], ["ping", "image", "xmlhttprequest", "other"]);
    }

    #[test]
    fn crawl_names_become_webrequest_names() {
        assert_eq!(
            [from_crawl("document"), from_crawl("fetch"), from_crawl("texttrack"), from_crawl("image")],
            ["sub_frame", "xmlhttprequest", "other", "image"]
        );
    }

    #[test]
    fn unknown_name_is_an_error() {
        assert_eq!(engine_name("gif"), Err(Error::UnknownResourceType("gif".into())));
    }
}
