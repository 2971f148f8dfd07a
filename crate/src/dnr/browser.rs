//! Per-browser DNR capability profiles: resource types, condition keys, rule limits, rule validation.

use serde::{Deserialize, Serialize};

use super::schema::{ActionType, ResourceType, Rule};
use crate::error::{Error, Result};

/// A browser PixelGuard ships to: Chrome 121+ or Firefox 142+.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Browser {
    Chrome,
    Firefox,
}

/// DNR rule limits of a browser (see `notes/dnr.md`); the extension should still read the
/// `MAX_*` constants at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    pub static_rules: usize,
    pub dynamic_rules: usize,
    pub unsafe_rules: usize,
    pub regex_rules: usize,
}

use ResourceType::*;

const CHROME_TYPES: &[ResourceType] = &[
    MainFrame,
    SubFrame,
    Stylesheet,
    Script,
    Image,
    Font,
    Object,
    Xmlhttprequest,
    Ping,
    CspReport,
    Media,
    Websocket,
    Webtransport,
    Webbundle,
    Other,
];
const FIREFOX_TYPES: &[ResourceType] = &[
    MainFrame,
    SubFrame,
    Stylesheet,
    Script,
    Image,
    Font,
    Object,
    Xmlhttprequest,
    Ping,
    CspReport,
    Media,
    Websocket,
    Other,
    Beacon,
    Imageset,
    ObjectSubrequest,
    Speculative,
    WebManifest,
    XmlDtd,
    Xslt,
    Json,
];
const COMMON_KEYS: &[&str] = &[
    "urlFilter",
    "regexFilter",
    "isUrlFilterCaseSensitive",
    "initiatorDomains",
    "excludedInitiatorDomains",
    "requestDomains",
    "excludedRequestDomains",
    "resourceTypes",
    "excludedResourceTypes",
    "requestMethods",
    "excludedRequestMethods",
    "domainType",
    "tabIds",
    "excludedTabIds",
];
const CHROME_ONLY_KEYS: &[&str] = &["responseHeaders", "excludedResponseHeaders"];

impl Browser {
    /// The DNR resource types this browser knows.
    pub fn resource_types(self) -> &'static [ResourceType] {
        match self {
            Browser::Chrome => CHROME_TYPES,
            Browser::Firefox => FIREFOX_TYPES,
        }
    }

    /// Whether `key` is a rule-condition key this browser accepts.
    pub fn has_condition_key(self, key: &str) -> bool {
        COMMON_KEYS.contains(&key) || (self == Browser::Chrome && CHROME_ONLY_KEYS.contains(&key))
    }

    pub fn limits(self) -> Limits {
        Limits {
            static_rules: 30_000,
            dynamic_rules: match self {
                Browser::Chrome => 30_000,
                Browser::Firefox => 5_000,
            },
            unsafe_rules: 5_000,
            regex_rules: 1_000,
        }
    }

    /// Why this browser would reject `rule`, if it would ([`Error::InvalidRule`]).
    pub fn check_rule(self, rule: &Rule) -> Result<()> {
        self.rule_problem(rule).map_or(Ok(()), |why| Err(Error::InvalidRule { id: rule.id, why }))
    }

    fn rule_problem(self, rule: &Rule) -> Option<String> {
        let c = &rule.condition;
        if rule.id < 1 || rule.priority < 1 {
            return Some("id and priority must be ≥ 1".into());
        }
        let json = match serde_json::to_value(c) {
            Ok(json) => json,
            Err(e) => return Some(e.to_string()),
        };
        for key in json.as_object().into_iter().flat_map(|o| o.keys()) {
            if !self.has_condition_key(key) {
                return Some(format!("condition key {key} unknown to {self:?}"));
            }
        }
        let types = c.resource_types.iter().chain(&c.excluded_resource_types).flatten();
        if let Some(t) = types.clone().find(|t| !self.resource_types().contains(t)) {
            return Some(format!("resource type {} unknown to {self:?}", t.name()));
        }
        let empty = [&c.initiator_domains, &c.request_domains].iter().any(|l| l.as_ref().is_some_and(Vec::is_empty))
            || c.resource_types.as_ref().is_some_and(Vec::is_empty)
            || c.request_methods.as_ref().is_some_and(Vec::is_empty);
        if empty {
            return Some("empty list in condition".into());
        }
        if let Some(d) = c.domains().find(|d| !is_hostname(d)) {
            return Some(format!("domain {d:?} is not a lower-case ASCII hostname"));
        }
        if let Some(f) = &c.url_filter
            && (f.is_empty() || !f.is_ascii() || f.starts_with("||*"))
        {
            return Some(format!("urlFilter {f:?} is empty, not ASCII or starts with ||*"));
        }
        if c.url_filter.is_some() && c.regex_filter.is_some() {
            return Some("both urlFilter and regexFilter".into());
        }
        if rule.action.kind == ActionType::AllowAllRequests
            && !c.resource_types.as_ref().is_some_and(|t| t.iter().all(|t| matches!(t, MainFrame | SubFrame)))
        {
            return Some("allowAllRequests needs resourceTypes within main_frame/sub_frame".into());
        }
        if (rule.action.kind == ActionType::Redirect) != rule.action.redirect.is_some() {
            return Some("redirect action and redirect field disagree".into());
        }
        None
    }
}

/// A hostname as DNR domain lists take it: lower-case ASCII letters, digits, `-`, `_`, and dots
/// between non-empty labels; a regular expression that means the same in Rust and JS (the shell
/// checks the hosts of its own rules with it).
pub const HOSTNAME_PATTERN: &str = r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$";
/// The longest hostname (DNS's limit).
pub const HOSTNAME_MAX_LEN: usize = 253;

/// Whether `host` is a hostname DNR domain lists take: [`HOSTNAME_PATTERN`], at most [`HOSTNAME_MAX_LEN`] long.
pub(crate) fn is_hostname(host: &str) -> bool {
    static PATTERN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| regex::Regex::new(HOSTNAME_PATTERN).unwrap());
    host.len() <= HOSTNAME_MAX_LEN && PATTERN.is_match(host)
}

impl std::str::FromStr for Browser {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "chrome" => Ok(Browser::Chrome),
            "firefox" => Ok(Browser::Firefox),
            other => Err(Error::UnknownBrowser(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dnr::schema::{Action, Condition};

    fn rule(condition: Condition) -> Rule {
        Rule { id: 1, priority: 10, action: Action { kind: ActionType::Block, redirect: None }, condition }
    }

    #[test]
    fn each_browser_lacks_the_others_types() {
        assert!(Browser::Chrome.resource_types().contains(&Webtransport));
        assert!(!Browser::Firefox.resource_types().contains(&Webtransport));
        assert!(!Browser::Firefox.resource_types().contains(&Webbundle));
        assert!(Browser::Firefox.resource_types().contains(&Beacon));
        assert!(!Browser::Chrome.resource_types().contains(&Imageset));
        let beacon = rule(Condition { resource_types: Some(vec![Beacon]), ..Condition::default() });
        assert!(Browser::Chrome.check_rule(&beacon).unwrap_err().to_string().contains("beacon"));
        assert!(Browser::Firefox.check_rule(&beacon).is_ok());
    }

    #[test]
    fn limits_follow_the_notes() {
        assert_eq!(Browser::Chrome.limits().dynamic_rules, 30_000);
        assert_eq!(Browser::Firefox.limits().dynamic_rules, 5_000);
        assert_eq!(Browser::Firefox.limits().regex_rules, 1_000);
    }

    #[test]
    fn rejects_what_browsers_reject() {
        let bad = [
            Condition { request_domains: Some(vec!["bücher.de".into()]), ..Condition::default() },
            Condition { request_domains: Some(vec![]), ..Condition::default() },
            Condition { initiator_domains: Some(vec![".example.com".into()]), ..Condition::default() },
            Condition { excluded_request_domains: Some(vec!["Example.com".into()]), ..Condition::default() },
            Condition { url_filter: Some("||*.example.com^".into()), ..Condition::default() },
            Condition { url_filter: Some("/pixel/ü".into()), ..Condition::default() },
        ];
        for c in bad {
            assert!(Browser::Chrome.check_rule(&rule(c.clone())).is_err(), "{c:?}");
        }
        assert!(Browser::Chrome.check_rule(&Rule { id: 0, ..rule(Condition::default()) }).is_err());
        assert!(Browser::Firefox.has_condition_key("domainType"));
        assert!(!Browser::Firefox.has_condition_key("responseHeaders"));
        assert_eq!("firefox".parse::<Browser>(), Ok(Browser::Firefox));
        assert!("safari".parse::<Browser>().is_err());
    }
}
