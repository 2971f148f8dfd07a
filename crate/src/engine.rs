//! The blocking engine: named lists in, verdicts out, with the filter and list behind each one.

use adblock::lists::{FilterSet, ParseOptions, RuleTypes};
use adblock::request::Request;
use adblock::sourcemap::FilterRuleDebugInfo;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::lists::{ListInfo, ListSource, analyse, check_list_ids};
use crate::pixels::{self, Category, Decoded, PixelKind, PixelReport, Suspicion};
use crate::resource_type;

/// A compiled engine over several lists. Build with [`Engine::from_lists`], query with
/// [`Engine::check`], persist with [`Engine::snapshot`] / [`Engine::from_snapshot`].
pub struct Engine {
    pub(crate) inner: adblock::Engine,
    pub(crate) lists: Vec<ListInfo>,
}

/// What the engine decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Blocked,
    Allowed,
    NoMatch,
}

/// A filter the engine matched, and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilterRef {
    /// The filter's text as written in its list.
    pub text: String,
    /// The id of the list it came from.
    pub list: Option<String>,
    /// Its 1-based line number in that list.
    pub line: Option<u32>,
}

/// The engine's verdict on one request. Serialised without its absent fields (and `important`
/// only when true): a no-match verdict is `{ decision }`, and every field is a call across the
/// wasm boundary (see docs/benchmarks.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub decision: Decision,
    /// The blocking filter that matched (also present when an exception overrode it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<FilterRef>,
    /// The `@@` exception that allowed the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception: Option<FilterRef>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub important: bool,
    /// Body of a `$redirect` resource, when one applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect: Option<String>,
    /// The URL after `$removeparam`, when it changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewritten_url: Option<String>,
    /// Labels, when a filter or exception matched or a decoder read the request. The company the
    /// request reports to: the filter's list annotation, else the catalogue, else the host's
    /// registrable domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// The host's catalogue category (else implied by the annotated kind).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// What the request reports: email-open, conversion, retargeting, analytics or other.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<PixelKind>,
    /// The requested host (for a webmail image-proxy URL, the host of the URL it carries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// What the request would have sent, read from its vendor's parameters (blocked or not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded: Option<Decoded>,
    /// When the request was a webmail image-proxy URL: the proxy and the sender's URL it carried.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxied: Option<ProxiedUrl>,
}

/// A webmail image-proxy URL, read: which proxy (`Gmail`), and the sender's original URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProxiedUrl {
    pub via: String,
    pub original: String,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("lists", &self.lists).finish_non_exhaustive()
    }
}

impl Engine {
    /// Compiles `lists` into one engine; list ids must be unique and non-empty.
    pub fn from_lists(lists: &[ListSource]) -> Result<Self> {
        check_list_ids(lists)?;
        let infos = lists.iter().map(analyse).collect();
        let mut set = FilterSet::new(true);
        // Network filters only: nothing here applies cosmetic filters, and EasyList's ~50,000 of them
        // would triple the engine, its snapshot and its restore time (stats still count them: analyse).
        let options = ParseOptions { rule_types: RuleTypes::NetworkOnly, ..ParseOptions::default() };
        for list in lists {
            set.add_filter_list(list.text.clone(), options);
        }
        // Unoptimised: the optimiser fuses filters into one, and we must name the filter that matched.
        let inner = adblock::Engine::new_with_filter_set_no_optimize(set);
        Ok(Self { inner, lists: infos })
    }

    /// Checks a request to `url`, made by the page `source_url`, of a webRequest/DNR resource type.
    /// A source that is empty or not a URL (`about:blank`, `null`) counts as an unknown, third-party
    /// initiator, as browsers report such requests. A webmail image-proxy URL is checked as the
    /// sender's URL it carries, loaded by the same page, and — when no filter blocks that — as it
    /// is; the verdict names the proxy and that URL (`proxied`).
    pub fn check(&self, url: &str, source_url: &str, resource_type: &str) -> Result<Verdict> {
        let Some(proxied) = pixels::mail_proxy(url) else { return self.check_url(url, source_url, resource_type) };
        let carried = self.check_url(&proxied.original, source_url, resource_type)?;
        let mut verdict = match carried.decision {
            Decision::Blocked => carried,
            _ => {
                let direct = self.check_url(url, source_url, resource_type)?;
                if direct.decision == Decision::Blocked || carried.decision == Decision::NoMatch { direct } else { carried }
            }
        };
        verdict.proxied = Some(ProxiedUrl { via: proxied.via.to_string(), original: proxied.original.into_owned() });
        Ok(verdict)
    }

    fn check_url(&self, url: &str, source_url: &str, resource_type: &str) -> Result<Verdict> {
        let kind = resource_type::engine_name(resource_type)?;
        let request = build_request(url, source_url, kind)?;
        let result = self.inner.check_network_request(&request);
        let decision = if result.should_block() {
            Decision::Blocked
        } else if result.exception.is_some() {
            Decision::Allowed
        } else {
            Decision::NoMatch
        };
        let filter = result.filter.map(|f| self.filter_ref(f));
        let exception = result.exception.map(|f| self.filter_ref(f));
        let matched = filter.as_ref().or(exception.as_ref());
        let decoded = pixels::decode(url);
        let labels =
            (matched.is_some() || decoded.is_some()).then(|| pixels::label(url, source_url, resource_type, matched.and_then(|m| self.annotation(m))));
        let (company, category, kind, host) = match labels {
            Some(l) => (l.company, l.category, Some(l.kind), l.host),
            None => (None, None, None, None),
        };
        Ok(Verdict {
            decision,
            filter,
            exception,
            important: result.important,
            redirect: result.redirect,
            rewritten_url: result.rewritten_url,
            company,
            category,
            kind,
            host,
            decoded,
            proxied: None,
        })
    }

    /// Scores a reported image or beacon for looking like a tracking pixel no list knows.
    pub fn suspect(&self, report: &PixelReport) -> Suspicion {
        pixels::suspect(report)
    }

    /// The `! pixelguard:` annotation in force at a matched filter's line, if its list has one.
    fn annotation(&self, matched: &FilterRef) -> Option<&pixels::Annotation> {
        let list = self.lists.iter().find(|l| matched.list.as_deref() == Some(l.id.as_str()))?;
        list.annotations.at(matched.line?)
    }

    /// The lists compiled into this engine, with their header facts and parse statistics.
    pub fn lists(&self) -> &[ListInfo] {
        &self.lists
    }

    fn filter_ref(&self, info: FilterRuleDebugInfo) -> FilterRef {
        let location = info.source_location;
        FilterRef {
            text: info.raw_line.unwrap_or_default(),
            list: location.as_ref().and_then(|l| self.lists.get(l.source_index as usize)).map(|l| l.id.clone()),
            line: location.map(|l| l.line_number + 1),
        }
    }
}

// Performance (see docs/benchmarks.md): `Request::new` parses the source page's URL and looks its
// domain up in the public-suffix list on every request, though a page's requests arrive together.
// We take the source's parts from the per-thread cache of `with_host_parts` and build the request
// with `Request::preparsed`, which is exactly what `Request::new` does with those parts — except that
// it keeps the URL as given as `original_url` (used by `$removeparam`), so when parsing normalised
// the URL (punycode, case, escapes) we let `Request::new` do it all.
fn build_request(url: &str, source_url: &str, kind: &str) -> Result<Request> {
    use crate::public_suffix::{parse_url, with_host_parts};
    let bad_url = || Error::BadUrl(url.to_string());
    let parsed = parse_url(url).ok_or_else(bad_url)?;
    if parsed.hostname().bytes().any(|b| b.is_ascii_uppercase()) {
        // Browsers send hosts in lower case, and filters are matched so; a URL written by hand or
        // carried by a webmail proxy (`…#https://Track.List-Manage.com/open.php`) may not be.
        let (start, end) = parsed.hostname_pos;
        let lowered = format!("{}{}{}", &parsed.url[..start], parsed.url[start..end].to_ascii_lowercase(), &parsed.url[end..]);
        return build_request(&lowered, source_url, kind);
    }
    if parsed.url != url {
        return Request::new(url, source_url, kind, "GET").map_err(|_| bad_url());
    }
    with_host_parts(source_url, |source| {
        let (source_hostname, third_party) = match source {
            Some((hostname, domain)) => (hostname, domain != parsed.domain()),
            None => ("", true),
        };
        Ok(Request::preparsed(&parsed.url, parsed.hostname(), source_hostname, kind, third_party, "GET"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PixelKind;

    fn engine() -> Engine {
        Engine::from_lists(&[
            ListSource::new("privacy", "Privacy", "! Title: P\n||facebook.com/tr^$image\n||tracker.test^$third-party\n"),
            ListSource::new("mine", "Mine", "@@||tracker.test/ok.gif\n||important.test^$important\n@@||important.test^\n"),
        ])
        .unwrap()
    }

    #[test]
    fn names_the_filter_and_list_that_blocked() {
        let v = engine().check("https://www.facebook.com/tr?id=1&ev=PageView", "https://shop.example/", "image").unwrap();
        assert_eq!(v.decision, Decision::Blocked);
        let f = v.filter.unwrap();
        assert_eq!(f.text, "||facebook.com/tr^$image");
        assert_eq!(f.list.as_deref(), Some("privacy"));
        assert_eq!(f.line, Some(2));
    }

    #[test]
    fn a_host_in_upper_case_is_matched_as_browsers_send_it() {
        // Found by the dnr fuzz target; in the wild, an email's pixel address carried by a webmail proxy.
        let e = engine();
        for url in ["https://WWW.Facebook.com/tr?id=1", "https://ci3.googleusercontent.com/meips/AD=s0-d-e1-ft#https://www.FACEBOOK.com/tr?id=1"] {
            let v = e.check(url, "https://mail.google.com/mail/u/0/", "image").unwrap();
            assert_eq!(v.decision, Decision::Blocked, "{url}");
            assert_eq!(v.filter.unwrap().text, "||facebook.com/tr^$image");
        }
    }

    #[test]
    fn a_pixel_is_decoded_blocked_or_not() {
        let e = engine();
        let url = "https://www.facebook.com/tr?id=1&ev=Purchase&cd[value]=59.00&cd[currency]=EUR";
        let blocked = e.check(url, "https://shop.example/", "image").unwrap();
        assert_eq!(blocked.decision, Decision::Blocked);
        let decoded = blocked.decoded.unwrap();
        assert_eq!((decoded.event.as_deref(), decoded.value.as_deref()), (Some("Purchase"), Some("59.00")));
        // No list matches a script-sent pixel here, yet it is decoded and labelled.
        let loaded = e.check(url, "https://shop.example/", "xmlhttprequest").unwrap();
        assert_eq!(loaded.decision, Decision::NoMatch);
        assert_eq!((loaded.company.as_deref(), loaded.kind), (Some("Meta"), Some(PixelKind::Conversion)));
        assert_eq!(loaded.decoded.unwrap().vendor, "Meta Pixel");
        // An ordinary request stays a bare no-match.
        assert_eq!(
            serde_json::to_value(e.check("https://cdn.example/x.png", "https://shop.example/", "image").unwrap()).unwrap(),
            serde_json::json!({ "decision": "no-match" })
        );
    }

    #[test]
    fn exceptions_allow_and_are_named() {
        let v = engine().check("https://tracker.test/ok.gif", "https://shop.example/", "image").unwrap();
        assert_eq!(v.decision, Decision::Allowed);
        assert_eq!(v.exception.unwrap().list.as_deref(), Some("mine"));
        assert_eq!(v.filter.unwrap().list.as_deref(), Some("privacy"));
    }

    #[test]
    fn important_beats_exception() {
        let v = engine().check("https://important.test/p", "https://shop.example/", "ping").unwrap();
        assert_eq!(v.decision, Decision::Blocked);
        assert!(v.important);
    }

    #[test]
    fn first_party_and_unlisted_requests_do_not_match() {
        let e = engine();
        assert_eq!(e.check("https://tracker.test/x", "https://tracker.test/", "image").unwrap().decision, Decision::NoMatch);
        assert_eq!(e.check("https://cdn.example/x.png", "https://shop.example/", "image").unwrap().decision, Decision::NoMatch);
    }

    #[test]
    fn the_source_cache_builds_the_request_request_new_builds() {
        // Same page twice, another page, an empty and a non-URL source, a URL that parsing
        // normalises (upper case host, IDN), an IP and a port: every field the matcher reads agrees,
        // but for the host's case, which ours folds as browsers do (`Request::new` given the folded URL).
        let cases = [
            ("https://px.tracker.test/p.gif?a=1", "https://www.shop.example/a"),
            ("https://cdn.shop.example/x.png", "https://www.shop.example/a"),
            ("https://cdn.shop.example/x.png", "https://www.shop.example/b"),
            ("https://a.b.co.uk/x", "https://c.b.co.uk/"),
            ("https://a.b.co.uk/x", "https://c.d.co.uk/"),
            ("https://tracker.test/x", ""),
            ("https://tracker.test/x", "about:blank"),
            ("HTTPS://Tracker.TEST/X?utm_source=1", "https://shop.example/"),
            ("https://bücher.example/p", "https://xn--bcher-kva.example/"),
            ("http://192.168.0.1:8080/p", "http://192.168.0.1/"),
            ("wss://socket.test/", "https://socket.test/"),
        ];
        for kind in ["image", "script", "sub_frame"] {
            for (url, source) in cases {
                let ours = build_request(url, source, kind).unwrap();
                let folded = url.replace("Tracker.TEST", "tracker.test");
                let theirs = Request::new(&folded, source, kind, "GET").unwrap();
                let key = |r: &Request| {
                    format!(
                        "{:?} {} {} {} {} {} {} {:?} {:?}",
                        r.request_type,
                        r.is_http,
                        r.is_https,
                        r.is_supported,
                        r.is_third_party,
                        r.url,
                        r.hostname,
                        r.source_hostname_hashes,
                        r.get_tokens()
                    )
                };
                assert_eq!(key(&ours), key(&theirs), "{url} from {source}");
            }
        }
    }

    #[test]
    fn webmail_proxy_urls_are_checked_as_the_url_they_carry() {
        let e = Engine::from_lists(&[ListSource::new(
            "mail",
            "",
            "||list-manage.com/track/open.php\n@@||list-manage.com/track/open.php?ok=1\n||googleusercontent.com/tracker/\n",
        )])
        .unwrap();
        let original = "https://acme.us21.list-manage.com/track/open.php?u=0123abcd&id=89ab";
        let encoded = "https%3A%2F%2Facme.us21.list-manage.com%2Ftrack%2Fopen.php%3Fu%3D0123abcd%26id%3D89ab";
        let shapes = [
            (format!("https://ci3.googleusercontent.com/meips/ADKq_Nb=s0-d-e1-ft#{original}"), "https://mail.google.com/mail/u/0/", "Gmail"),
            (format!("https://outlook.live.com/actions/ei?u={encoded}&d=x"), "https://outlook.live.com/mail/0/", "Outlook"),
            (format!("https://ecp.yusercontent.com/mail?url={encoded}&t=1&sig=x"), "https://mail.yahoo.com/d/folders/1", "Yahoo Mail"),
            (format!("https://mail.proton.me/api/core/v4/images?Url={encoded}"), "https://mail.proton.me/u/0/inbox", "Proton Mail"),
        ];
        for (url, page, via) in &shapes {
            let v = e.check(url, page, "image").unwrap();
            assert_eq!((v.decision, v.filter.as_ref().map(|f| f.line)), (Decision::Blocked, Some(Some(1))), "{url}");
            assert_eq!(v.proxied, Some(ProxiedUrl { via: via.to_string(), original: original.into() }), "{url}");
            assert_eq!((v.host.as_deref(), v.kind), (Some("acme.us21.list-manage.com"), Some(PixelKind::EmailOpen)), "{url}");
        }
        // A content image through a proxy: no filter, but still read as proxied.
        let logo = e.check("https://ci3.googleusercontent.com/meips/Xy=s0-d-e1-ft#https://mcusercontent.com/abc/images/logo.png", MAIL, "image");
        let logo = logo.unwrap();
        assert_eq!(
            (logo.decision, logo.proxied.map(|p| p.original)),
            (Decision::NoMatch, Some("https://mcusercontent.com/abc/images/logo.png".into()))
        );
        // An exception on the original allows it; a filter on the proxy URL itself blocks it.
        let ok = e.check("https://ci3.googleusercontent.com/meips/Xy#https://a.list-manage.com/track/open.php?ok=1", MAIL, "image");
        assert_eq!(ok.unwrap().decision, Decision::Allowed);
        let own = e.check("https://lh3.googleusercontent.com/tracker/p.gif", MAIL, "image").unwrap();
        assert_eq!((own.decision, own.proxied), (Decision::Blocked, None));
        // Not a proxy: checked as it is, nothing read from its fragment.
        let other = e.check(&format!("https://news.example/page#{original}"), "https://news.example/", "image").unwrap();
        assert_eq!((other.decision, other.proxied), (Decision::NoMatch, None));
    }

    const MAIL: &str = "https://mail.google.com/mail/u/0/";

    #[test]
    fn bad_inputs_are_typed_errors() {
        let e = engine();
        assert_eq!(e.check("not a url", "", "image"), Err(Error::BadUrl("not a url".into())));
        assert_eq!(e.check("https://tracker.test/x", "about:blank", "image").unwrap().decision, Decision::Blocked);
        assert_eq!(e.check("https://a.test/", "", "gif"), Err(Error::UnknownResourceType("gif".into())));
    }

    #[test]
    fn duplicate_or_empty_list_ids_are_refused() {
        let a = ListSource::new("a", "", "");
        assert!(matches!(Engine::from_lists(&[a.clone(), a]), Err(Error::BadListId(_))));
        assert!(matches!(Engine::from_lists(&[ListSource::new("", "", "")]), Err(Error::BadListId(_))));
    }

    #[test]
    fn random_bytes_huge_lists_and_long_lines_do_not_panic() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let bytes: Vec<u8> = (0..200_000)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let e = Engine::from_lists(&[ListSource::new("junk", "", text)]).unwrap();
        let _ = e.check("https://a.test/", "", "image").unwrap();

        let long = format!("||a.test/{}\n", "y".repeat(100_000));
        let e = Engine::from_lists(&[ListSource::new("long", "", long)]).unwrap();
        assert_eq!(e.lists()[0].stats.network, 1);

        let line = "||big-list-host.test/some/pixel/path.gif?x=1\n";
        let huge = line.repeat(50 * 1024 * 1024 / line.len() + 1);
        let e = Engine::from_lists(&[ListSource::new("huge", "", huge)]).unwrap();
        let v = e.check("https://big-list-host.test/some/pixel/path.gif?x=1", "", "image").unwrap();
        assert_eq!(v.decision, Decision::Blocked);
    }
}
