//! Unit tests for `convert.rs`: one test per conversion feature and per refusal reason.

use super::*;
use ResourceType as T;

fn rules(line: &str, browser: Browser) -> Vec<Draft> {
    match convert(line, browser) {
        Outcome::Rules(r) => r,
        other => panic!("{line}: {other:?}"),
    }
}

fn one(line: &str) -> Draft {
    let mut r = rules(line, Browser::Chrome);
    assert_eq!(r.len(), 1, "{line}: {r:?}");
    r.pop().unwrap()
}

fn refused(line: &str) -> Reason {
    match convert(line, Browser::Chrome) {
        Outcome::Refused(cause) => cause.reason,
        other => panic!("{line} was not refused: {other:?}"),
    }
}

#[test]
fn anchors_separators_and_wildcards_are_kept() {
    assert_eq!(one("||facebook.com/tr^$image").condition.url_filter.as_deref(), Some("||facebook.com/tr^"));
    assert_eq!(one("|https://px.example/collect?").condition.url_filter.as_deref(), Some("|https://px.example/collect?"));
    assert_eq!(one("/pixel.gif|").condition.url_filter.as_deref(), Some("/pixel.gif|"));
    assert_eq!(one("/beacon/*/event^").condition.url_filter.as_deref(), Some("/beacon/*/event^"));
    assert_eq!(one("||Tracker.EXAMPLE^").condition.url_filter.as_deref(), Some("||tracker.example^"));
    // A pattern that matches everything has no urlFilter at all.
    assert_eq!(one("*$third-party,ping").condition.url_filter, None);
}

#[test]
fn party_options_become_domain_type() {
    assert_eq!(one("||t.example^$third-party").condition.domain_type, Some(DomainType::ThirdParty));
    assert_eq!(one("||t.example^$3p").condition.domain_type, Some(DomainType::ThirdParty));
    assert_eq!(one("||t.example^$~third-party").condition.domain_type, Some(DomainType::FirstParty));
    assert_eq!(one("||t.example^$first-party").condition.domain_type, Some(DomainType::FirstParty));
    assert_eq!(one("||t.example^").condition.domain_type, None);
}

#[test]
fn domain_option_with_negations_becomes_initiator_domains() {
    let c = one("/analytics.js$script,domain=shop.example|news.example|~blog.news.example").condition;
    assert_eq!(c.initiator_domains, Some(vec!["shop.example".to_string(), "news.example".to_string()]));
    assert_eq!(c.excluded_initiator_domains, Some(vec!["blog.news.example".to_string()]));
    let c = one("/track?$domain=~mail.example").condition;
    assert_eq!(c.initiator_domains, None);
    assert_eq!(c.excluded_initiator_domains, Some(vec!["mail.example".to_string()]));
}

#[test]
fn domain_options_up_to_the_cap_are_kept_in_order_once_each_and_past_it_refused() {
    // As written, duplicates and negations included: 9,989 names, 10 of them again, one negated.
    let names: Vec<String> = (0..MAX_FILTER_DOMAINS - 11).map(|i| format!("site{i}.example")).collect();
    let line = format!("/px.gif$domain={}|{}|~mail.site1.example", names.join("|"), names[..10].join("|"));
    let c = match convert(&line, Browser::Chrome) {
        Outcome::Rules(r) => r[0].condition.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(c.initiator_domains.as_deref(), Some(&names[..]));
    assert_eq!(c.excluded_initiator_domains, Some(vec!["mail.site1.example".to_string()]));
    // 100,000 domains (16 s for one filter when duplicates were searched for in a list): refused.
    let many: Vec<String> = (0..100_000).map(|i| format!("site{i}.example")).collect();
    let line = format!("/px.gif$domain={}", many.join("|"));
    match convert(&line, Browser::Chrome) {
        Outcome::Refused(cause) => assert_eq!((cause.reason, cause.detail.as_str()), (Reason::TooManyDomains, "100000 domains, over 10000")),
        other => panic!("{other:?}"),
    }
    let two = format!("/px.gif$domain={},domain=b.example", many[..MAX_FILTER_DOMAINS].join("|"));
    assert_eq!(refused(&two), Reason::TooManyDomains);
}

#[test]
fn non_ascii_hosts_are_punycoded_and_non_ascii_options_and_paths_refused_as_the_engine_never_matches_them() {
    let c = one("||bücher.example/zaehler^$domain=xn--mnchen-3ya.example").condition;
    assert_eq!(c.url_filter.as_deref(), Some("||xn--bcher-kva.example/zaehler^"));
    assert_eq!(c.initiator_domains, Some(vec!["xn--mnchen-3ya.example".to_string()]));
    // The engine matches neither against the encoded URLs browsers send (crate/tests/golden/pairs.txt).
    assert_eq!(refused("||bücher.example/zähler^"), Reason::NonAscii);
    assert_eq!(refused("/px.gif$domain=münchen.example"), Reason::NonAscii);
    assert_eq!(refused("/px.gif$domain=a.example|~münchen.example"), Reason::NonAscii);
}

#[test]
fn resource_type_options_and_negations() {
    assert_eq!(one("||t.example^$image").condition.resource_types, Some(vec![T::Image]));
    assert_eq!(one("||t.example^$ping").condition.resource_types, Some(vec![T::Ping]));
    assert_eq!(one("||t.example^$xhr").condition.resource_types, Some(vec![T::Xmlhttprequest]));
    assert_eq!(one("||t.example^$subdocument").condition.resource_types, Some(vec![T::SubFrame]));
    assert_eq!(one("||t.example^$script,image").condition.resource_types, Some(vec![T::Script, T::Image]));
    // `$other` covers the types the engine calls other: webtransport and webbundle in Chrome.
    assert_eq!(one("||t.example^$other").condition.resource_types, Some(vec![T::Webtransport, T::Webbundle, T::Other]));
    // Negations exclude; main_frame stays excluded as in the engine; csp_report is never matched.
    let c = one("||t.example/x$~script,~image").condition;
    assert_eq!(c.resource_types, None);
    assert_eq!(c.excluded_resource_types, Some(vec![T::MainFrame, T::Script, T::Image, T::CspReport]));
    // `||host^` alone also applies to documents, as in the engine.
    assert_eq!(one("||t.example^").condition.excluded_resource_types, Some(vec![T::CspReport]));
    // No type options: DNR's default (everything but main_frame) minus csp_report.
    assert_eq!(one("/collect?v=").condition.excluded_resource_types, Some(vec![T::MainFrame, T::CspReport]));
}

#[test]
fn browser_specific_types_map_both_ways() {
    let ff = |line: &str| rules(line, Browser::Firefox).pop().unwrap().condition.resource_types.unwrap();
    assert_eq!(ff("||t.example^$ping"), vec![T::Ping, T::Beacon]);
    assert_eq!(ff("||t.example^$image"), vec![T::Image, T::Imageset]);
    assert_eq!(ff("||t.example^$object"), vec![T::Object, T::ObjectSubrequest]);
    assert_eq!(ff("||t.example^$other"), vec![T::Other, T::Speculative, T::WebManifest, T::XmlDtd, T::Xslt]);
    assert_eq!(ff("||t.example^$xhr"), vec![T::Xmlhttprequest, T::Json]);
    let chrome = one("||t.example^$ping,image").condition;
    assert_eq!(chrome.resource_types, Some(vec![T::Image, T::Ping]));
    for browser in [Browser::Chrome, Browser::Firefox] {
        for line in ["||t.example^$other", "||t.example^$~other", "||t.example^$ping", "/x$~ping,~image"] {
            for d in rules(line, browser) {
                let rule = super::super::schema::Rule { id: 1, priority: d.priority, action: d.action, condition: d.condition };
                browser.check_rule(&rule).unwrap();
            }
        }
    }
}

#[test]
fn match_case_regex_and_method() {
    let c = one(r"/\/Pixel\/[0-9]+\.gif/$match-case").condition;
    assert_eq!(c.regex_filter.as_deref(), Some(r"\/Pixel\/[0-9]+\.gif"));
    assert_eq!(c.is_url_filter_case_sensitive, Some(true));
    assert_eq!(c.url_filter, None);
    let c = one(r"/^https?:\/\/[a-z]{8,15}\.(com|net)\/\?[a-z]+=/$script,third-party").condition;
    assert_eq!(c.is_url_filter_case_sensitive, None);
    assert!(c.regex_filter.is_some());
    let c = one("||void.example/rec$method=POST").condition;
    assert_eq!(c.request_methods, Some(vec![RequestMethod::Post]));
    let c = one("||api.example/ev$method=~get|~head").condition;
    assert_eq!(c.excluded_request_methods, Some(vec![RequestMethod::Get, RequestMethod::Head]));
}

/// adblock 0.13.5's parser does not know uBO's `$denyallow=`: the engine never applies such a
/// filter, so a rule from it would block what no log could name.
#[test]
fn denyallow_is_refused_as_the_engine_refuses_it() {
    let c = convert("*$script,3p,denyallow=cdn.example|static.example,domain=site.example", Browser::Chrome);
    assert!(matches!(&c, Outcome::Refused(cause) if cause.reason == Reason::Unparsed && cause.detail.contains("unrecognised option")), "{c:?}");
}

#[test]
fn exceptions_allow_and_important_outranks_them() {
    let allow = one("@@||tracker.example/ok.gif$image");
    assert_eq!(allow.action.kind, ActionType::Allow);
    let block = one("||tracker.example^$image");
    let important = one("||tracker.example^$image,important");
    assert!(allow.priority > block.priority);
    assert!(important.priority > allow.priority);
    // `@@…$document` allowlists the page itself.
    let r = rules("@@||shop.example^$document", Browser::Chrome);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].action.kind, ActionType::AllowAllRequests);
    assert_eq!(r[0].condition.resource_types, Some(vec![T::MainFrame, T::SubFrame]));
}

#[test]
fn removeparam_is_a_query_transform() {
    let d = one("$removeparam=utm_source");
    assert_eq!(d.action.kind, ActionType::Redirect);
    assert_eq!(d.action.redirect.unwrap().transform.query_transform.remove_params, vec!["utm_source".to_string()]);
    assert_eq!(d.priority, PRIORITY_REMOVEPARAM);
    assert_eq!(d.condition.resource_types, Some(vec![T::MainFrame, T::SubFrame, T::Xmlhttprequest]));
    // Regex parameter names are refused (by the parser).
    assert_eq!(refused("$removeparam=/^utm_/"), Reason::Unparsed);
}

#[test]
fn badfilter_names_the_filter_it_cancels() {
    assert_eq!(
        convert("||t.example^$third-party,script,badfilter", Browser::Chrome),
        Outcome::Badfilter(filter_key("||t.example^$script,third-party"))
    );
}

#[test]
fn every_refusal_reason_is_reachable() {
    let cases = [
        ("||t.example^$popup", Reason::Unparsed),
        ("/px$to=tracker.example|~ok.tracker.example", Reason::EngineUnsupported),
        ("||t.example^$image,to=~ok.example", Reason::EngineUnsupported),
        ("||etwun.example:8080/counter.php?", Reason::EngineUnsupported),
        ("||t.example^$replace=/a/b/", Reason::Unparsed),
        ("||chartbeat.example/cb.js$script,redirect=noopjs", Reason::Redirect),
        ("||t.example^$redirect-rule=noopjs", Reason::Redirect),
        ("||t.example^$csp=script-src 'none'", Reason::Csp),
        ("@@||t.example^$generichide", Reason::CosmeticOnly),
        ("||t.example^$tag=shields", Reason::Tag),
        ("/px.gif$domain=google.*", Reason::EntityDomain),
        ("/px.gif$domain=/shop[0-9]+\\.example/|a.example", Reason::RegexDomain),
        ("/px.gif$domain=bad_host!.example", Reason::BadDomain),
        ("/px.gif$domain=shop..example", Reason::BadDomain),
        ("||*.t.example/px", Reason::HostnameWildcard),
        ("/a|b/px", Reason::PipeInPattern),
        (r"/\/ads(?=\/)/", Reason::RegexNotRe2),
        (r"/(?:[a-z0-9]{50}){60}/", Reason::RegexTooLarge),
        ("||t.example^$third-party,first-party", Reason::NeverMatches),
        ("||t.example^$method=get|trace", Reason::UnknownMethod),
    ];
    for (line, reason) in cases {
        assert_eq!(refused(line), reason, "{line}");
    }
    // Every type negated leaves none.
    assert_eq!(
        refused("||t.example^$~image,~media,~object,~other,~ping,~script,~stylesheet,~subdocument,~websocket,~xhr,~font"),
        Reason::NoResourceType
    );
}

#[test]
fn comments_and_cosmetic_filters_are_not_network_filters() {
    assert_eq!(convert("example.com##.ad", Browser::Chrome), Outcome::NotNetwork);
    assert_eq!(convert("!", Browser::Chrome), Outcome::NotNetwork);
}
