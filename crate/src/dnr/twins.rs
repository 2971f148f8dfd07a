//! Proxy twins: for an email-open pixel filter, the rules that block its URLs behind webmail image
//! proxies (`pixels/webmail.json`) — the original after `#` (Gmail), or percent-encoded in a query
//! parameter (Outlook, Yahoo, Proton) — scoped to those proxies' hosts and their webmail pages.
//!
//! A filter's own rule never matches there: `||host^` anchors at the request's host (the proxy's),
//! and an encoded original has `%2F` where the filter has `/`. DNR matches the whole URL, fragment
//! included, in both browsers. urlFilter is case-insensitive unless the filter says otherwise, so
//! one encoded rule matches both `%2F` and `%2f`.

use std::sync::OnceLock;

use super::convert::Draft;
use super::schema::{ActionType, Condition, DomainType};
use crate::pixels::{Annotations, Carrier, PixelKind, webmail};

/// Which lines of a list hold email-open pixel filters: those under a `kind=email-open` annotation,
/// and those in a list section `webmail.json` names (EasyPrivacy's email trackers).
pub(crate) struct EmailOpenLines {
    annotations: Annotations,
    /// `(line of a "! *** NAME ***" comment, whether NAME is an email-open section)`, in line order.
    sections: Vec<(u32, bool)>,
}

impl EmailOpenLines {
    pub(crate) fn of(text: &str) -> Self {
        let names = &webmail().email_open_sections;
        let sections = (1..)
            .zip(text.lines())
            .filter_map(|(line, raw)| {
                let body = raw.trim().strip_prefix('!')?.trim();
                let name = body.strip_prefix("***")?.strip_suffix("***")?.trim();
                Some((line, names.iter().any(|n| n == name)))
            })
            .collect();
        EmailOpenLines { annotations: Annotations::parse(text), sections }
    }

    /// Whether the filter at 1-based `line` is an email-open pixel filter.
    pub(crate) fn contains(&self, line: u32) -> bool {
        let annotated = self.annotations.at(line).is_some_and(|a| a.kind == Some(PixelKind::EmailOpen));
        let after = self.sections.partition_point(|&(start, _)| start < line);
        annotated || after.checked_sub(1).is_some_and(|i| self.sections[i].1)
    }
}

/// Where one kind of proxy carries the original: the union of those proxies' hosts and pages.
struct Scope {
    pages: Vec<String>,
    hosts: Vec<String>,
}

/// The fragment-carrying proxies' scope, and the query-carrying ones'.
fn scopes() -> &'static (Scope, Scope) {
    static SCOPES: OnceLock<(Scope, Scope)> = OnceLock::new();
    SCOPES.get_or_init(|| {
        let scope = |fragment: bool| {
            let proxies = webmail().proxies.iter().filter(|p| (p.original == Carrier::Fragment) == fragment);
            let mut pages: Vec<String> = proxies.clone().flat_map(|p| p.pages.iter().cloned()).collect();
            let mut hosts: Vec<String> = proxies.flat_map(|p| p.hosts.iter().cloned()).collect();
            for list in [&mut pages, &mut hosts] {
                list.sort_unstable();
                list.dedup();
            }
            Scope { pages, hosts }
        };
        (scope(true), scope(false))
    })
}

/// How a urlFilter starts.
#[derive(Clone, Copy, PartialEq)]
enum Anchor {
    /// `||`: at the host or one of its parent domains.
    Domain,
    /// `|`: at the start of the URL.
    Start,
    None,
}

/// The proxy twins of one email-open filter's drafts. Only block rules with a urlFilter and no
/// request-domain or page conditions of their own have twins (a regexFilter, `$domain=`, `$to=` or
/// `$denyallow=` does not): the twins' own conditions are the proxies' hosts and webmail pages.
/// Resource types and methods are the filter's; `$third-party` is dropped (Outlook's and Proton's
/// proxies are same-origin).
pub(crate) fn twins(drafts: &[Draft]) -> Vec<Draft> {
    let (fragment, query) = scopes();
    let mut out = Vec::new();
    for draft in drafts {
        let c = &draft.condition;
        let own_scope =
            c.regex_filter.is_some() || c.initiator_domains.is_some() || c.request_domains.is_some() || c.excluded_request_domains.is_some();
        let Some(filter) = c.url_filter.as_deref().filter(|_| draft.action.kind == ActionType::Block && !own_scope) else { continue };
        let (anchor, body) = match filter.strip_prefix("||") {
            Some(rest) => (Anchor::Domain, rest),
            None => filter.strip_prefix('|').map_or((Anchor::None, filter), |rest| (Anchor::Start, rest)),
        };
        let (body, end) = body.strip_suffix('|').map_or((body, ""), |b| (b, "|"));
        let base = Condition {
            resource_types: c.resource_types.clone(),
            excluded_resource_types: c.excluded_resource_types.clone(),
            request_methods: c.request_methods.clone(),
            excluded_request_methods: c.excluded_request_methods.clone(),
            ..Condition::default()
        };
        let twin = |url_filter: String, scope: &Scope, case_sensitive: Option<bool>| Draft {
            priority: draft.priority,
            action: draft.action.clone(),
            condition: Condition {
                url_filter: Some(url_filter),
                is_url_filter_case_sensitive: case_sensitive,
                initiator_domains: Some(scope.pages.clone()),
                request_domains: Some(scope.hosts.clone()),
                ..base.clone()
            },
        };
        // After `#`, the original as written. An unanchored pattern already matches there, unless
        // the filter is first-party only (a proxy is a third party to Gmail).
        let raw: Vec<String> = match anchor {
            Anchor::Domain => vec![format!("#http*://{body}{end}"), format!("#http*://*.{body}{end}")],
            Anchor::Start => vec![format!("#{body}{end}")],
            Anchor::None if c.domain_type == Some(DomainType::FirstParty) => vec![format!("#*{body}{end}")],
            Anchor::None => vec![],
        };
        out.extend(raw.into_iter().map(|f| twin(f, fragment, c.is_url_filter_case_sensitive)));
        // Percent-encoded in a query value, which runs on after the original's end (so no end
        // anchor). A pattern already written with escapes is meant for encoded URLs: no twin.
        if !body.contains('%') {
            let encoded = encode(body);
            let forms = match anchor {
                Anchor::Domain => vec![format!("%3A%2F%2F{encoded}"), format!("%3A%2F%2F*.{encoded}")],
                Anchor::Start => vec![format!("={encoded}")],
                Anchor::None => vec![encoded],
            };
            out.extend(forms.into_iter().map(|f| twin(f, query, None)));
        }
    }
    out
}

/// A urlFilter body as a percent-encoded query value holds it (`encodeURIComponent`): `*` stays a
/// wildcard; `^` becomes `%`, the start of the escape an encoded separator is (a separator
/// `encodeURIComponent` leaves as it is — `!`, `'`, `(`, `)`, `~` — is then not matched).
fn encode(body: &str) -> String {
    let mut out = String::with_capacity(body.len() * 2);
    for b in body.bytes() {
        match b {
            b'^' => out.push('%'),
            b'*' | b'-' | b'_' | b'.' | b'!' | b'~' | b'\'' | b'(' | b')' => out.push(char::from(b)),
            b if b.is_ascii_alphanumeric() => out.push(char::from(b)),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
#[path = "twins_tests.rs"]
mod tests;
