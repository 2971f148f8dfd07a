//! The company catalogue: tracker domain → company and category, from our own `catalogue.txt`.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::kind::PixelKind;

const SOURCE: &str = include_str!("catalogue.txt");

/// What a tracker domain is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Advertising,
    Analytics,
    Social,
    Email,
    TagManager,
    CustomerInteraction,
    Identity,
}

impl Category {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "advertising" => Self::Advertising,
            "analytics" => Self::Analytics,
            "social" => Self::Social,
            "email" => Self::Email,
            "tag-manager" => Self::TagManager,
            "customer-interaction" => Self::CustomerInteraction,
            "identity" => Self::Identity,
            _ => return None,
        })
    }

    /// The category implied by an annotated pixel kind, for hosts the catalogue does not know.
    pub fn for_kind(kind: PixelKind) -> Option<Self> {
        match kind {
            PixelKind::EmailOpen => Some(Self::Email),
            PixelKind::Conversion | PixelKind::Retargeting => Some(Self::Advertising),
            PixelKind::Analytics => Some(Self::Analytics),
            PixelKind::Other => None,
        }
    }
}

/// One catalogue entry: the domain that matched (a host or one of its parents) and its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogueEntry {
    pub domain: &'static str,
    pub company: &'static str,
    pub category: Category,
}

fn table() -> &'static HashMap<&'static str, CatalogueEntry> {
    static TABLE: OnceLock<HashMap<&'static str, CatalogueEntry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::new();
        for line in SOURCE.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let mut parts = line.splitn(3, '|').map(str::trim);
            let (Some(category), Some(company), Some(domains)) = (parts.next(), parts.next(), parts.next()) else {
                debug_assert!(false, "bad catalogue line {line:?}");
                continue;
            };
            let Some(category) = Category::from_name(category) else {
                debug_assert!(false, "bad catalogue category in {line:?}");
                continue;
            };
            for domain in domains.split_ascii_whitespace() {
                map.insert(domain, CatalogueEntry { domain, company, category });
            }
        }
        map
    })
}

/// Number of tracker domains in the catalogue.
pub fn catalogue_size() -> usize {
    table().len()
}

/// The catalogue entry for `host` or its nearest listed parent domain (`a.b.example.com` →
/// `b.example.com` → `example.com`). Case-insensitive; a trailing dot is ignored.
pub fn lookup(host: &str) -> Option<CatalogueEntry> {
    let host = host.trim_end_matches('.');
    let lowered;
    let host = if host.bytes().any(|b| b.is_ascii_uppercase()) {
        lowered = host.to_ascii_lowercase();
        lowered.as_str()
    } else {
        host
    };
    let table = table();
    let mut candidate = host;
    loop {
        if let Some(entry) = table.get(candidate) {
            return Some(*entry);
        }
        candidate = candidate.split_once('.')?.1;
        if !candidate.contains('.') {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_at_least_300_domains_and_each_once() {
        assert!(catalogue_size() >= 300, "{}", catalogue_size());
        let listed: usize = SOURCE
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| l.splitn(3, '|').nth(2).unwrap().split_ascii_whitespace().count())
            .sum();
        assert_eq!(listed, catalogue_size(), "a domain is listed twice");
    }

    #[test]
    fn every_line_parses() {
        for line in SOURCE.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
            let parts: Vec<_> = line.splitn(3, '|').map(str::trim).collect();
            assert_eq!(parts.len(), 3, "{line}");
            assert!(Category::from_name(parts[0]).is_some(), "{line}");
            assert!(!parts[1].is_empty(), "{line}");
            for d in parts[2].split_ascii_whitespace() {
                assert!(d.contains('.') && !d.contains('/') && d == d.to_ascii_lowercase(), "{d}");
            }
        }
    }

    #[test]
    fn lookup_walks_up_to_the_nearest_listed_parent() {
        let e = lookup("www.google-analytics.com").unwrap();
        assert_eq!((e.company, e.category, e.domain), ("Google", Category::Analytics, "google-analytics.com"));
        assert_eq!(lookup("stats.g.doubleclick.net").unwrap().category, Category::Advertising);
        assert_eq!(lookup("t.sidekickopen42.com").unwrap().company, "HubSpot");
        assert_eq!(lookup("us21.list-manage.com").unwrap().category, Category::Email);
        // A more specific entry wins over its parent.
        assert_eq!(lookup("analytics.twitter.com").unwrap().category, Category::Advertising);
        assert_eq!(lookup("twitter.com").unwrap().category, Category::Social);
        assert_eq!(lookup("PX.ADS.LinkedIn.com.").unwrap().company, "LinkedIn");
    }

    #[test]
    fn unknown_hosts_and_bare_suffixes_are_not_found() {
        assert_eq!(lookup("example.com"), None);
        assert_eq!(lookup("com"), None);
        assert_eq!(lookup(""), None);
        assert_eq!(lookup("notgoogle-analytics.com"), None);
    }
}
