//! Unit tests for `compile.rs`: folding, ids, `$badfilter`, budgets, source map and report.

use super::*;
use crate::dnr::matcher::{Matcher, Request};
use crate::dnr::schema::ResourceType;

fn list(id: &str, text: &str) -> ListSource {
    ListSource::new(id, "", text)
}

#[test]
fn hostnames_fold_into_request_domains_with_a_source_map() {
    let text = "! comment\n||a.test^\n||b.test^\n||c.test^$third-party\n||d.test^$third-party\n||e.test/px.gif\nexample.com##.ad\n";
    let c = compile(&[list("p", text)], &CompileOptions::new(Browser::Chrome)).unwrap();
    let out = &c.lists[0];
    assert_eq!(out.report.network_filters, 5);
    assert_eq!(out.report.accepted, 5);
    assert_eq!(out.report.folded_hostnames, 4);
    assert_eq!(out.rules.len(), 3, "{:#?}", out.rules);
    assert_eq!(out.rules[0].condition.request_domains, Some(vec!["a.test".to_string(), "b.test".to_string()]));
    assert_eq!(out.rules[0].condition.url_filter, None);
    assert_eq!(out.rules[1].condition.request_domains, Some(vec!["c.test".to_string(), "d.test".to_string()]));
    let ids: Vec<u32> = out.rules.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![1, 2, 3]);
    let lines: Vec<u32> = out.source_map[&1].iter().map(|s| s.line).collect();
    assert_eq!(lines, vec![2, 3]);
    assert_eq!(out.source_map[&3][0].filter, "||e.test/px.gif");
    assert_eq!(out.source_map[&3][0].list, "p");
    // The filter behind a folded rule is the one naming the request's host.
    assert_eq!(out.filter_for(1, "https://cdn.b.test/x.js").unwrap().filter, "||b.test^");
    assert_eq!(out.filter_for(2, "https://d.test/").unwrap().line, 5);
    assert_eq!(out.filter_for(3, "https://e.test/px.gif").unwrap().line, 6);
    assert_eq!(out.filter_for(99, "https://e.test/"), None);
}

#[test]
fn duplicate_filters_become_one_rule_naming_both() {
    let c = compile(
        &[list("p", "/px.gif$image\n/px.gif$image\n||t.test/px^$domain=a.test\n||t.test/px^$domain=a.test\n")],
        &CompileOptions::new(Browser::Chrome),
    )
    .unwrap();
    let out = &c.lists[0];
    assert_eq!(out.rules.len(), 2);
    assert_eq!(out.source_map[&1].len(), 2);
    assert_eq!(out.rules[1].condition.initiator_domains, Some(vec!["a.test".to_string()]));
    assert_eq!(out.rules[1].condition.url_filter.as_deref(), Some("||t.test/px^"));
}

#[test]
fn removeparam_filters_merge_their_parameters() {
    let c = compile(&[list("p", "$removeparam=utm_source\n$removeparam=utm_medium\n")], &CompileOptions::new(Browser::Firefox)).unwrap();
    let out = &c.lists[0];
    assert_eq!(out.rules.len(), 1);
    assert_eq!(out.rules[0].action.redirect.as_ref().unwrap().transform.query_transform.remove_params, vec!["utm_source", "utm_medium"]);
    assert_eq!(out.report.unsafe_rules, 1);
}

#[test]
fn badfilter_cancels_across_lists_and_ids_are_unique() {
    let a = list("a", "||tracker.test^$third-party,script\n||other.test^\n");
    let b = list("b", "||tracker.test^$script,third-party,badfilter\n/px.gif\n");
    let opts = CompileOptions { first_id: 100, ..CompileOptions::new(Browser::Chrome) };
    let c = compile(&[a, b], &opts).unwrap();
    assert_eq!(c.lists[0].report.cancelled_by_badfilter, 1);
    assert_eq!(c.lists[0].report.accepted, 2);
    assert_eq!(c.lists[1].report.accepted, 2);
    let ids: Vec<u32> = c.rules().map(|r| r.id).collect();
    assert_eq!(ids, vec![100, 101]);
    let m = Matcher::new(c.rules().cloned().collect()).unwrap();
    assert!(!m.blocks(&Request::new("https://tracker.test/t.js", Some("https://site.example/"), ResourceType::Script)));
}

#[test]
fn over_budget_keeps_what_fits_and_names_what_is_left_out() {
    let text = "/a.gif\n/b.gif\n/c.gif\n/^https:\\/\\/x\\.test\\//\n/^https:\\/\\/y\\.test\\//\n";
    let opts = CompileOptions { budget: Budget { rules: 3, unsafe_rules: 0, regex_rules: 1 }, ..CompileOptions::new(Browser::Chrome) };
    let c = compile(&[list("custom", text)], &opts).unwrap();
    let r = &c.lists[0].report;
    assert_eq!(r.rules, 3);
    assert_eq!(r.regex_rules, 0);
    assert_eq!(r.rules_left_out, 2);
    let left: Vec<u32> = r.filters_left_out.iter().map(|s| s.line).collect();
    assert_eq!(left, vec![4, 5]);
    let opts = CompileOptions { budget: Budget { rules: 10, unsafe_rules: 0, regex_rules: 1 }, ..CompileOptions::new(Browser::Chrome) };
    let r = compile(&[list("custom", &format!("{text}$removeparam=fbclid\n"))], &opts).unwrap().lists[0].report.clone();
    assert_eq!((r.rules, r.regex_rules, r.unsafe_rules, r.rules_left_out), (4, 1, 0, 2));
}

#[test]
fn refusals_are_reported_with_reason_and_line() {
    let c =
        compile(&[list("p", "||a.test^\n||b.test^$popup\n||c.test/x.js$script,redirect=noopjs\n")], &CompileOptions::new(Browser::Chrome)).unwrap();
    let r = &c.lists[0].report;
    assert_eq!((r.network_filters, r.accepted, r.refused), (3, 1, 2));
    assert_eq!(r.refused_by_reason[&Reason::Unparsed], 1);
    assert_eq!(r.refused_by_reason[&Reason::Redirect], 1);
    assert_eq!(r.refusals[0].source.line, 2);
    assert!(r.refusals[0].detail.contains("unrecognised option"), "{:?}", r.refusals[0]);
    assert!(r.to_string().contains("refused"));
}

#[test]
fn a_custom_list_over_the_firefox_dynamic_budget_loads_what_fits() {
    let text: String = (0..5_200).map(|i| format!("/pixel-{i}.gif\n")).collect();
    let opts = CompileOptions { first_id: 50_000, budget: Budget::dynamic_rules(Browser::Firefox), ..CompileOptions::new(Browser::Firefox) };
    let c = compile(&[list("custom", &text)], &opts).unwrap();
    let r = &c.lists[0].report;
    assert_eq!((r.rules, r.rules_left_out, r.filters_left_out.len()), (5_000, 200, 200));
    assert_eq!(r.filters_left_out[0].filter, "/pixel-5000.gif");
    assert_eq!(c.lists[0].rules.last().unwrap().id, 54_999);
}

#[test]
fn ids_stay_within_what_browsers_take_and_a_first_id_without_room_is_an_error() {
    let text = "/a.gif\n/b.gif\n/c.gif\n/d.gif\n/e.gif\n";
    let at = |first_id| compile(&[list("p", text)], &CompileOptions { first_id, ..CompileOptions::new(Browser::Chrome) });
    let ids: Vec<u32> = at(MAX_RULE_ID - 4).unwrap().rules().map(|r| r.id).collect();
    assert_eq!(ids, (MAX_RULE_ID - 4..=MAX_RULE_ID).collect::<Vec<_>>());
    assert_eq!(at(MAX_RULE_ID - 3).unwrap_err(), Error::OutOfRuleIds { first_id: MAX_RULE_ID - 3 });
    for first_id in [0, MAX_RULE_ID + 1, u32::MAX - 2] {
        let e = at(first_id).unwrap_err();
        assert_eq!(e, Error::FirstRuleId(first_id));
        assert!(e.to_string().contains("2147483647"), "{e}");
    }
    // Rules left out over the budget need no id.
    let opts = CompileOptions {
        first_id: MAX_RULE_ID,
        budget: Budget { rules: 1, unsafe_rules: 0, regex_rules: 0 },
        ..CompileOptions::new(Browser::Chrome)
    };
    let c = compile(&[list("p", text)], &opts).unwrap();
    assert_eq!((c.lists[0].rules[0].id, c.lists[0].report.rules_left_out), (MAX_RULE_ID, 4));
}

/// `||/tracker/` compiled to `regexFilter: "|/tracker"`, which matches every URL. The engine ignores
/// `|` anchors around a regex and matches no host to a `||` one; the rules must do the same.
#[test]
fn anchors_around_a_regex_are_read_as_the_engine_reads_them() {
    use crate::{Decision, Engine};
    let urls = [
        "https://x.test/tracker/p",
        "https://tracker.test/p",
        "https://ab.test/",
        "https://x.test/ab/",
        "https://x.test/ab/cd",
        "https://x.test/cd",
        "https://x.test/?cd",
        "https://x.test/p.gif",
        "https://other.example/",
    ];
    let lists = ["||/tracker/", "|/ab/", "/cd/|", "|/ab/|", "/tracker/", "||/ab\\/cd/", "||x.test^\n@@|/ab/|", "||x.test^\n@@||/ab/"];
    for text in lists {
        let engine = Engine::from_lists(&[list("p", text)]).unwrap();
        for browser in [Browser::Chrome, Browser::Firefox] {
            let compiled = compile(&[list("p", text)], &CompileOptions::new(browser)).unwrap();
            let m = Matcher::new(compiled.rules().cloned().collect()).unwrap();
            for url in urls {
                let engine_blocks = engine.check(url, "https://site.example/", "image").unwrap().decision == Decision::Blocked;
                let request = Request::new(url, Some("https://site.example/"), ResourceType::Image);
                assert_eq!(m.blocks(&request), engine_blocks, "{text:?} on {url} ({browser:?}): {:?}", compiled.rules().collect::<Vec<_>>());
            }
        }
    }
    let c = compile(&[list("p", "||/tracker/\n|/ab/\n/cd/|\n")], &CompileOptions::new(Browser::Chrome)).unwrap();
    let regexes: Vec<_> = c.rules().map(|r| r.condition.regex_filter.as_deref().unwrap()).collect();
    assert_eq!(regexes, ["ab", "cd"]);
    assert_eq!(c.lists[0].report.refusals[0].reason, Reason::NeverMatches);
}
