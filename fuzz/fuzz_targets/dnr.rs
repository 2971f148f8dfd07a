//! The DNR compiler: for any list text and either browser, every emitted rule is valid for that
//! browser (its own profile and the JSON schema), ids are unique and in range, every regexFilter
//! compiles, the report adds up, the source map names exactly the emitted rules, and on a request
//! made to match one of the list's blocking filters, the engine and the DNR matcher (each given
//! that filter alone) agree.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use pixelguard::dnr::{ActionType, Browser, CompileOptions, Matcher, Reason, Request, ResourceType, Rule, compile};
use pixelguard::{Decision, Engine, ListSource};

/// Highest rule id browsers take (an int32).
const MAX_ID: u32 = i32::MAX as u32;
/// Filters per input checked against the engine (each builds an engine and a matcher).
const SAMPLED: usize = 4;

fuzz_target!(|input: &[u8]| {
    let Some((&first, rest)) = input.split_first() else { return };
    let text = String::from_utf8_lossy(rest).into_owned();
    let browser = if first & 1 == 0 { Browser::Chrome } else { Browser::Firefox };
    let options = CompileOptions { first_id: 1 + u32::from(first >> 1) * 1000, ..CompileOptions::new(browser) };
    let compiled = compile(&[ListSource::new("fuzz", "", text.as_str())], &options).expect("a first id below 128,001 leaves room");
    let list = &compiled.lists[0];
    let report = &list.report;

    let mut ids = HashSet::new();
    for rule in &list.rules {
        assert!(ids.insert(rule.id), "rule id {} twice", rule.id);
        assert!((options.first_id..=MAX_ID).contains(&rule.id), "rule id {} out of range", rule.id);
        browser.check_rule(rule).unwrap_or_else(|why| panic!("emitted an invalid rule ({why}): {rule:?}"));
        let json = serde_json::to_string(rule).unwrap();
        assert_eq!(&serde_json::from_str::<Rule>(&json).unwrap(), rule, "rule JSON round trip");
    }
    let matcher = Matcher::new(list.rules.clone()).unwrap_or_else(|e| panic!("a regexFilter does not compile: {e}"));
    assert_eq!(list.source_map.keys().copied().collect::<HashSet<_>>(), ids, "source map keys are the rule ids");
    assert_eq!(report.rules as usize, list.rules.len());
    assert_eq!(report.accepted + report.refused, report.network_filters);
    assert!(report.regex_rules as usize <= options.budget.regex_rules && list.rules.len() <= options.budget.rules);
    if let Some(r) = report.refusals.iter().find(|r| r.reason == Reason::Invalid) {
        panic!("the converter made a rule the browser would reject: {r:?}");
    }
    let _ = matcher.matched(&Request::new("https://sample.test/", Some("https://site.test/"), ResourceType::Image));

    let blocking = list.rules.iter().filter(|r| r.action.kind == ActionType::Block).flat_map(|r| &list.source_map[&r.id]);
    for source in blocking.take(SAMPLED) {
        if let Some((url, initiator, kind)) = sample(&source.filter) {
            agree(&source.filter, &url, &initiator, kind, browser);
        }
    }
});

/// The engine with `filter` alone and the matcher with its rules alone decide alike on a request.
fn agree(filter: &str, url: &str, initiator: &str, kind: ResourceType, browser: Browser) {
    let lists = [ListSource::new("one", "", filter)];
    let Ok(verdict) = Engine::from_lists(&lists).unwrap().check(url, initiator, kind.name()) else { return };
    let compiled = compile(&lists, &CompileOptions::new(browser)).unwrap();
    let matcher = Matcher::new(compiled.lists[0].rules.clone()).unwrap();
    let dnr = matcher.blocks(&Request::new(url, Some(initiator), kind));
    let engine = verdict.decision == Decision::Blocked;
    assert_eq!(dnr, engine, "{filter:?} on {kind:?} {url} from {initiator}: DNR blocks {dnr}, the engine {engine}");
}

/// A request the filter is written to block: its pattern as a URL (`*` → `x`, `^` → `/`), the
/// first type and first initiator domain it names, its party. None for what a pattern cannot
/// sample (regexes) and for options the engine and DNR knowingly differ on.
fn sample(filter: &str) -> Option<(String, String, ResourceType)> {
    let (pattern, options) = filter.rsplit_once('$').unwrap_or((filter, ""));
    if pattern.len() > 1 && pattern.starts_with('/') && pattern.ends_with('/') {
        return None;
    }
    // Known differences, in adblock 0.13.5's matcher: a pattern's first word matches only from the
    // start of a word, so a word after a leading wildcard never matches inside one (`*lytics.com/ga.js`
    // on https://a.test/xlytics.com/ga.js; `||ana*ics.test^` on https://anaxics.test/, where the
    // engine splits the host at the wildcard); `^^` never matches (`||a.test^^x` on
    // https://a.test//x); nor, sometimes, a host of one label before a path (`||t/ap` on
    // https://t/ap, `||tp/obtp.js` on https://tp/obtp.js, while `||ab/ap` and `||t^` match: an
    // intranet name, never a web tracker's). DNR matches them all. The first is also why DNR, not the engine,
    // blocks an unanchored filter's text inside a word (`lytics.com/ga.js` on …/xlytics.com/ga.js).
    let anchored_host = pattern.strip_prefix("||").map(|rest| &rest[..rest.find(['/', '^', ':', '?']).unwrap_or(rest.len())]);
    let word_after_wildcard = pattern.as_bytes().windows(3).any(|w| w[0] == b'*' && w[1].is_ascii_alphanumeric() && w[2].is_ascii_alphanumeric());
    if word_after_wildcard || pattern.contains("^^") || anchored_host.is_some_and(|h| !h.contains('.')) {
        return None;
    }
    let url = match (pattern.strip_prefix("||"), pattern.strip_prefix('|')) {
        (Some(rest), _) => format!("https://{rest}"),
        (None, Some(rest)) => rest.to_string(),
        (None, None) => format!("https://sample.test/{pattern}"),
    };
    let url = browser_encoded(&url.trim_end_matches('|').replace('*', "x").replace('^', "/"))?;
    if !browser_sends(&url) {
        return None;
    }
    let host = pixelguard::parse_url(&url)?.hostname().to_string();
    let (mut initiator, mut kind) = ("https://site.test/".to_string(), ResourceType::Image);
    let mut typed = false;
    for option in options.split(',').filter(|o| !o.is_empty()) {
        let (name, value) = option.split_once('=').unwrap_or((option, ""));
        match name {
            // The engine (adblock 0.13) has neither: the converter's own extensions.
            "denyallow" | "to" => return None,
            "domain" | "from" => {
                if let Some(d) = value.split('|').find(|d| !d.starts_with('~')) {
                    initiator = format!("https://{d}/");
                }
            }
            "first-party" | "1p" | "~third-party" | "~3p" => initiator = format!("https://{host}/"),
            _ => {
                if let (false, Some(t)) = (typed, type_option(name)) {
                    (kind, typed) = (t, true);
                }
            }
        }
    }
    Some((url, initiator, kind))
}

/// `url` as a browser sends it: non-ASCII after the host percent-encoded as UTF-8 (a non-ASCII
/// filter pattern is matched against that; the converter refuses such patterns, as the engine never
/// matches them). None for a non-ASCII host (browsers send its punycode, which needs IDNA here).
fn browser_encoded(url: &str) -> Option<String> {
    let host_end = url.find("://").map(|s| s + 3).and_then(|s| url[s..].find(['/', '?', '#']).map(|e| s + e)).unwrap_or(url.len());
    if !url[..host_end].is_ascii() {
        return None;
    }
    let mut out = url[..host_end].to_string();
    for c in url[host_end..].chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for b in c.to_string().bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Some(out)
}

/// Whether a browser could request `url` as written: http(s), a host of letters, digits, dots and
/// hyphens (an optional numeric port), then a path (`/`…: a browser sends `/` for an empty one, so
/// `https://a.test#x` or `?x` right after the host is not sent as written), printable ASCII without
/// spaces or backslashes. A pattern like `||a.test: b` or `||google.#om/x` samples to no URL a
/// browser sends, where the engine and DNR may differ.
fn browser_sends(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else { return false };
    let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let (host, port) = authority.split_once(':').unwrap_or((authority, "0"));
    let host_ok = !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let path_ok = (path.is_empty() || path.starts_with('/')) && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    host_ok && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && path_ok
}

/// The DNR type a filter's type option names.
fn type_option(name: &str) -> Option<ResourceType> {
    use ResourceType::*;
    Some(match name {
        "image" => Image,
        "script" => Script,
        "stylesheet" | "css" => Stylesheet,
        "xmlhttprequest" | "xhr" => Xmlhttprequest,
        "subdocument" | "frame" => SubFrame,
        "document" | "doc" => MainFrame,
        "ping" => Ping,
        "media" => Media,
        "font" => Font,
        "object" => Object,
        "websocket" => Websocket,
        "other" => Other,
        _ => return None,
    })
}
