//! Unit tests for `matcher.rs`: the documented DNR semantics, rule by rule.

use super::*;
use crate::dnr::schema::Action;
use ResourceType as T;

fn rule(id: u32, priority: u32, kind: ActionType, condition: Condition) -> Rule {
    Rule { id, priority, action: Action { kind, redirect: None }, condition }
}

fn url(f: &str) -> Condition {
    Condition { url_filter: Some(f.into()), ..Condition::default() }
}

fn blocks(condition: Condition, u: &str, initiator: Option<&str>, t: ResourceType) -> bool {
    Matcher::new(vec![rule(1, 1, ActionType::Block, condition)]).unwrap().blocks(&Request::new(u, initiator, t))
}

const PAGE: Option<&str> = Some("https://news.example/article");

#[test]
fn url_filter_anchors_separators_and_wildcards() {
    let img = T::Image;
    assert!(blocks(url("||tracker.test^"), "https://tracker.test/p.gif", PAGE, img));
    assert!(blocks(url("||tracker.test^"), "https://a.b.tracker.test:8080/", PAGE, img));
    assert!(!blocks(url("||tracker.test^"), "https://nottracker.test/", PAGE, img));
    assert!(!blocks(url("||tracker.test^"), "https://tracker.test.evil/", PAGE, img));
    assert!(!blocks(url("||tracker.test^"), "https://cdn.example/?u=https://tracker.test/", PAGE, img));
    assert!(blocks(url("|https://px."), "https://px.example/", PAGE, img));
    assert!(!blocks(url("|https://px."), "http://px.example/?https://px.", PAGE, img));
    assert!(blocks(url(".gif|"), "https://a.example/p.gif", PAGE, img));
    assert!(!blocks(url(".gif|"), "https://a.example/p.gif?x", PAGE, img));
    assert!(blocks(url("/collect^"), "https://a.example/collect?v=1", PAGE, img));
    assert!(blocks(url("/collect^"), "https://a.example/collect", PAGE, img));
    assert!(!blocks(url("/collect^"), "https://a.example/collected", PAGE, img));
    assert!(!blocks(url("/collect^"), "https://a.example/collect-x", PAGE, img));
    assert!(blocks(url("/beacon/*/event"), "https://a.example/beacon/v2/x/event.js", PAGE, img));
    assert!(blocks(url("*"), "https://a.example/", PAGE, img));
}

#[test]
fn case_insensitive_unless_asked() {
    assert!(blocks(url("/Pixel.GIF"), "https://a.example/pixel.gif", PAGE, T::Image));
    let cs = Condition { is_url_filter_case_sensitive: Some(true), ..url("/Pixel.GIF") };
    assert!(!blocks(cs.clone(), "https://a.example/pixel.gif", PAGE, T::Image));
    assert!(blocks(cs, "https://a.example/Pixel.GIF", PAGE, T::Image));
}

#[test]
fn domains_match_subdomains_and_exclusions() {
    let c = Condition {
        request_domains: Some(vec!["tracker.test".into()]),
        excluded_request_domains: Some(vec!["ok.tracker.test".into()]),
        ..Condition::default()
    };
    assert!(blocks(c.clone(), "https://x.tracker.test/", PAGE, T::Script));
    assert!(!blocks(c.clone(), "https://ok.tracker.test/", PAGE, T::Script));
    assert!(!blocks(c, "https://mytracker.test/", PAGE, T::Script));
    let c =
        Condition { initiator_domains: Some(vec!["example".into()]), excluded_initiator_domains: Some(vec!["mail.example".into()]), ..url("/px") };
    assert!(blocks(c.clone(), "https://t.test/px", Some("https://news.example/"), T::Image));
    assert!(!blocks(c.clone(), "https://t.test/px", Some("https://mail.example/"), T::Image));
    assert!(!blocks(c, "https://t.test/px", None, T::Image));
}

#[test]
fn domain_type_is_by_registrable_domain() {
    let third = Condition { domain_type: Some(DomainType::ThirdParty), ..url("/px") };
    assert!(!blocks(third.clone(), "https://cdn.news.example/px", PAGE, T::Image));
    assert!(blocks(third.clone(), "https://t.test/px", PAGE, T::Image));
    assert!(blocks(third.clone(), "https://a.co.uk/px", Some("https://b.co.uk/"), T::Image));
    assert!(blocks(third, "https://t.test/px", None, T::Image));
    let first = Condition { domain_type: Some(DomainType::FirstParty), ..url("/px") };
    assert!(blocks(first, "https://cdn.news.example/px", PAGE, T::Image));
}

#[test]
fn resource_types_default_excludes_main_frame() {
    assert!(!blocks(url("||t.test^"), "https://t.test/", None, T::MainFrame));
    assert!(blocks(url("||t.test^"), "https://t.test/", PAGE, T::SubFrame));
    let img = Condition { resource_types: Some(vec![T::Image]), ..url("||t.test^") };
    assert!(!blocks(img.clone(), "https://t.test/x.js", PAGE, T::Script));
    assert!(blocks(img, "https://t.test/x.gif", PAGE, T::Image));
    let not_script = Condition { excluded_resource_types: Some(vec![T::Script]), ..url("||t.test^") };
    assert!(blocks(not_script.clone(), "https://t.test/", None, T::MainFrame));
    assert!(!blocks(not_script, "https://t.test/", PAGE, T::Script));
}

#[test]
fn methods_and_regex() {
    let post = Condition { request_methods: Some(vec![RequestMethod::Post]), ..url("/rec") };
    let m = Matcher::new(vec![rule(1, 1, ActionType::Block, post)]).unwrap();
    let mut r = Request::new("https://v.test/rec", PAGE, T::Xmlhttprequest);
    assert!(!m.blocks(&r));
    r.method = RequestMethod::Post;
    assert!(m.blocks(&r));
    let re = Condition { regex_filter: Some(r"^https://[a-z]{8}\.com/\?[a-z]+=".into()), ..Condition::default() };
    assert!(blocks(re.clone(), "https://abcdefgh.com/?q=1", PAGE, T::Script));
    assert!(blocks(re.clone(), "https://ABCDEFGH.com/?Q=1", PAGE, T::Script));
    assert!(!blocks(re, "https://abc.com/?q=1", PAGE, T::Script));
}

#[test]
fn priority_then_allow_allowall_block_redirect() {
    let r = |id, p, kind| rule(id, p, kind, url("||t.test^"));
    let m = Matcher::new(vec![r(1, 10, ActionType::Block), r(2, 10, ActionType::Allow)]).unwrap();
    let req = Request::new("https://t.test/x", PAGE, T::Image);
    assert_eq!(m.matched(&req).unwrap().id, 2);
    let m = Matcher::new(vec![r(1, 40, ActionType::Block), r(2, 30, ActionType::Allow)]).unwrap();
    assert!(m.blocks(&req));
    let m = Matcher::new(vec![r(1, 5, ActionType::Redirect), r(2, 5, ActionType::UpgradeScheme), r(3, 5, ActionType::Block)]).unwrap();
    assert_eq!(m.matched(&req).unwrap().id, 3);
    let m = Matcher::new(vec![r(1, 5, ActionType::Block), r(2, 5, ActionType::AllowAllRequests)]).unwrap();
    assert_eq!(m.matched(&Request::new("https://t.test/x", PAGE, T::SubFrame)).unwrap().id, 2);
}

#[test]
fn allow_all_requests_covers_the_frame() {
    let allow_page =
        rule(1, 30, ActionType::AllowAllRequests, Condition { resource_types: Some(vec![T::MainFrame, T::SubFrame]), ..url("||news.example^") });
    let block = rule(2, 10, ActionType::Block, url("||t.test^"));
    let important = rule(3, 40, ActionType::Block, url("||important.test^"));
    let m = Matcher::new(vec![allow_page, block, important]).unwrap();
    assert!(!m.blocks(&Request::new("https://t.test/x", PAGE, T::Image)));
    assert!(m.blocks(&Request::new("https://t.test/x", Some("https://other.example/"), T::Image)));
    assert!(m.blocks(&Request::new("https://important.test/x", PAGE, T::Image)));
}

#[test]
fn tokens_index_only_whole_tokens() {
    assert_eq!(Pattern::parse("||tracker.test/pixel^", false).tokens(), ["tracker", "test", "pixel"]);
    assert_eq!(Pattern::parse("*tracking*", false).tokens(), Vec::<String>::new());
    assert_eq!(Pattern::parse("/tr?ev=", false).tokens(), ["tr", "ev"]);
    assert_eq!(Pattern::parse("pixel.gif|", false).tokens(), ["gif"]);
    assert_eq!(Pattern::parse("/Pixel/", true).tokens(), ["pixel"]);
    // `*tracking*` is found anyway, without a token.
    assert!(blocks(url("*tracking*"), "https://a.example/mytrackingpixel", PAGE, T::Image));
}
