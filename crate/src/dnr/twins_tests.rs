//! Unit tests for `twins.rs`: which filters get twins, their rules in every proxy shape through the
//! offline DNR matcher, and what they leave alone.

use super::*;
use crate::ListSource;
use crate::dnr::{Browser, CompileOptions, Matcher, Request, ResourceType, compile};

const GMAIL: &str = "https://mail.google.com/mail/u/0/#inbox/FMfcgzQX";
const OUTLOOK: &str = "https://outlook.live.com/mail/0/inbox/id/AQMk";
const YAHOO: &str = "https://mail.yahoo.com/d/folders/1/messages/42";
const PROTON: &str = "https://mail.proton.me/u/0/inbox/Ab12";

/// `original` in every proxy shape, with the page that loads it; `lower` writes the escapes in
/// lower case (`%2f`), as some proxies do.
fn proxied(original: &str, lower: bool) -> Vec<(String, &'static str)> {
    let mut encoded: String = original
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect();
    if lower {
        encoded = encoded.replace("%2F", "%2f").replace("%3A", "%3a").replace("%3F", "%3f").replace("%3D", "%3d");
    }
    vec![
        (format!("https://ci3.googleusercontent.com/meips/ADKq_NbT0k3n=s0-d-e1-ft#{original}"), GMAIL),
        (format!("https://ci6.googleusercontent.com/proxy/Xy12Ab=s0-d-e1-ft#{original}"), GMAIL),
        (format!("https://outlook.live.com/actions/ei?u={encoded}&d=2026-11-29T10%3A00%3A00.000Z"), OUTLOOK),
        (format!("https://ecp.yusercontent.com/mail?url={encoded}&t=1764410000&ymreqid=ab&sig=Zx81Kq02PlMn77Vb"), YAHOO),
        (format!("https://mail.proton.me/api/core/v4/images?Url={encoded}&DryRun=0&UID=u1"), PROTON),
    ]
}

const LIST: &str = "! Title: mail
! pixelguard: company=Mailchimp; kind=email-open
||list-manage.com/track/open.php
! pixelguard: company=HubSpot; kind=email-open
||t.sidekickopen*.com^$image
! pixelguard: company=*; kind=email-open
/wf/open?upn=$image,third-party
|https://open.example-esp.test/o/
/tr/op/*$image,~third-party
/^https:\\/\\/rx\\.test\\/o\\//$image
||pinned.test/open$image,domain=news.test
! pixelguard: company=Klaviyo; kind=analytics
||a.klaviyo.com/api/track
";

fn compiled(text: &str) -> crate::dnr::CompiledList {
    compile(&[ListSource::new("mail", "", text)], &CompileOptions::new(Browser::Chrome)).unwrap().lists.remove(0)
}

fn blocks(m: &Matcher, url: &str, page: &str) -> bool {
    m.blocks(&Request::new(url, Some(page), ResourceType::Image))
}

#[test]
fn every_proxy_shape_of_an_email_open_filter_is_blocked() {
    let list = compiled(LIST);
    let m = Matcher::new(list.rules.clone()).unwrap();
    for original in [
        "https://acme.us21.list-manage.com/track/open.php?u=0123abcd4567ef&id=89ab01cd&e=0123456789",
        "https://list-manage.com/track/open.php?u=1",
        "https://t.sidekickopen70.com/e1t/o/5/f18dQhb0S7kF8cpgqW7MvNF6W1p8zZ22q0C8BW2",
        "https://url1234.acme-shop.com/wf/open?upn=AbCd-2BeFgH_3iJkL",
        "https://open.example-esp.test/o/eyJpZCI6MX0",
        "https://trk.acme-shop.com/tr/op/zYxW-VuTs",
    ] {
        for lower in [false, true] {
            for (url, page) in proxied(original, lower) {
                let rule = m.matched(&Request::new(&url, Some(page), ResourceType::Image));
                assert!(rule.is_some_and(|r| r.action.kind == ActionType::Block), "{original} not blocked as {url}");
                // The source map names the original filter.
                let filter = &list.filter_for(rule.unwrap().id, &url).unwrap().filter;
                assert!(!filter.starts_with('!') && LIST.contains(filter.as_str()), "{filter}");
            }
        }
    }
}

#[test]
fn content_images_other_filters_and_other_pages_are_left_alone() {
    let list = compiled(LIST);
    let m = Matcher::new(list.rules.clone()).unwrap();
    // Content behind the same proxies, from the same senders' CDNs.
    for original in [
        "https://mcusercontent.com/0123abcd/images/4f8e-banner.jpg",
        "https://gallery.mailchimp.com/0123abcd/images/logo.png",
        "https://f.hubspotusercontent10.net/hubfs/123/header.png",
        "https://acme.us21.list-manage.com/subscribe/post?u=abc",
        "https://cdn.example-esp.test/o/photo.jpg",
    ] {
        for (url, page) in proxied(original, false) {
            assert!(!blocks(&m, &url, page), "{url}");
        }
    }
    // Neither a regex filter, a filter pinned to other pages, nor a non-email filter gets twins.
    for original in ["https://rx.test/o/1", "https://pinned.test/open?id=1", "https://a.klaviyo.com/api/track?data=x"] {
        for (url, page) in proxied(original, false) {
            assert!(!blocks(&m, &url, page), "{url}");
        }
    }
    // A twin is scoped to its proxy's hosts and webmail pages.
    let original = "https://acme.us21.list-manage.com/track/open.php?u=1";
    let gmail = format!("https://ci3.googleusercontent.com/meips/X#{original}");
    assert!(!blocks(&m, &gmail, "https://news.test/"), "a Gmail proxy URL on another page");
    assert!(!blocks(&m, &format!("https://news.test/article#{original}"), "https://mail.google.com/mail/u/0/"));
    let yahoo_shaped = format!("https://cdn.news.test/mail?url={}", "https%3A%2F%2Facme.us21.list-manage.com%2Ftrack%2Fopen.php");
    assert!(!blocks(&m, &yahoo_shaped, YAHOO), "an encoded URL on another host");
}

#[test]
fn twins_keep_the_filters_types_and_drop_its_party() {
    let list = compiled(LIST);
    let m = Matcher::new(list.rules.clone()).unwrap();
    let original = "https://t.sidekickopen70.com/e1t/o/5/x";
    for (url, page) in proxied(original, false) {
        assert!(!m.blocks(&Request::new(&url, Some(page), ResourceType::Script)), "$image: {url} as a script");
    }
    // Outlook's proxy is same-origin: a `$third-party` filter's twin still blocks there.
    let outlook = &proxied("https://x.acme-shop.com/wf/open?upn=Ab", false)[2];
    assert!(blocks(&m, &outlook.0, outlook.1));
}

#[test]
fn the_report_counts_filters_and_twin_rules() {
    let r = compiled(LIST).report;
    // Twinned: list-manage (2 fragment + 2 encoded), sidekickopen (2 + 2), /wf/open (encoded only),
    // |https://open… (1 + 1), /tr/op/ first-party (1 + 1).
    assert_eq!((r.twinned_filters, r.proxy_twin_rules), (5, 13), "{r:?}");
    assert!(r.to_string().contains("5 email-open filters gained 13 webmail-proxy twin rules"), "{r}");
    // Duplicate filters fold their twins too.
    let twice = compiled("! pixelguard: kind=email-open\n||dup.test/open\n||dup.test/open\n").report;
    assert_eq!((twice.twinned_filters, twice.proxy_twin_rules, twice.rules), (2, 4, 5));
}

#[test]
fn email_open_lines_come_from_annotations_and_named_sections() {
    let text = "! *** easylist:easyprivacy/easyprivacy_general.txt ***\n/o.gif\n! *** easylist:easyprivacy/easyprivacy_general_emailtrackers.txt ***\n/track/open?\n! a comment\n/email/open?\n! *** easylist:easyprivacy/easyprivacy_trackingservers.txt ***\n||tracker.test^\n! pixelguard: kind=email-open\n/wf/open?\n! pixelguard: kind=analytics\n/collect\n";
    let lines = EmailOpenLines::of(text);
    let filters = [2, 4, 6, 8, 10, 12];
    let open: Vec<u32> = filters.into_iter().filter(|&l| lines.contains(l)).collect();
    assert_eq!(open, vec![4, 6, 10]);
}

#[test]
fn encoding_follows_encode_uri_component() {
    assert_eq!(encode("list-manage.com/track/open.php?u=*&id="), "list-manage.com%2Ftrack%2Fopen.php%3Fu%3D*%26id%3D");
    assert_eq!(encode("klclick.com^"), "klclick.com%");
    assert_eq!(encode("a_b.c~d!e'f(g)h:i;j,k+l@m$n"), "a_b.c~d!e'f(g)h%3Ai%3Bj%2Ck%2Bl%40m%24n");
}

#[test]
fn twins_pass_the_browsers_rule_checks() {
    for browser in [Browser::Chrome, Browser::Firefox] {
        let c = compile(&[ListSource::new("mail", "", LIST)], &CompileOptions::new(browser)).unwrap();
        assert_eq!(c.lists[0].report.refused, 0, "{:?}", c.lists[0].report.refusals);
        for rule in c.rules() {
            browser.check_rule(rule).unwrap();
        }
    }
}
