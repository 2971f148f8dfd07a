//! Golden-data tests of the DNR compiler against ../shared/data: conformance pairs, fidelity to
//! the engine on a real crawl, and the EasyList/EasyPrivacy targets. Ignored without the data,
//! except in CI (see build.rs); golden.rs pins a committed subset.

use std::collections::{BTreeMap, HashSet};

use pixelguard::dnr::{ActionType, Browser, CompileOptions, Compiled, CompiledList, Matcher, Request, ResourceType, compile};
use pixelguard::{Decision, Engine, ListSource, Verdict};
use serde::Deserialize;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/");
const EASYPRIVACY: &str = "lists/easyprivacy-202607140953.txt";
const EASYLIST: &str = "lists/easylist-202607140953.txt";

/// The shared data file's text (these tests run only where it is, or in CI, where it must be).
fn data(path: &str) -> String {
    std::fs::read_to_string(format!("{DATA}{path}")).unwrap_or_else(|e| panic!("{DATA}{path}: {e} (CI is set: the shared data must be there)"))
}

/// A crawl's Puppeteer type name as a DNR resource type.
fn dnr_type(cpt: &str) -> ResourceType {
    serde_json::from_value(serde_json::Value::String(pixelguard::crawl_resource_type(cpt).into())).unwrap_or(ResourceType::Other)
}

fn is_http(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

fn print_groups(title: &str, groups: &BTreeMap<String, Vec<String>>) {
    eprintln!("{title}");
    for (cause, examples) in groups {
        eprintln!("  {:>5}  {cause}", examples.len());
        for e in examples.iter().take(3) {
            eprintln!("           e.g. {e}");
        }
    }
}

#[derive(Deserialize)]
struct Pair {
    filters: Vec<String>,
    #[serde(rename = "sourceUrl")]
    source_url: String,
    #[serde(rename = "type")]
    kind: String,
    url: String,
}

#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data, absent from this clone")]
fn conformance_pairs_hold_under_the_offline_matcher() {
    let pairs: Vec<Pair> = serde_json::from_str(&data("conformance/filter-request-pairs.json")).unwrap();
    for browser in [Browser::Chrome, Browser::Firefox] {
        let (held, checked) = conformance(&pairs, browser);
        assert!(held >= 9_310, "{browser:?} conformance regressed: {held} of {checked}");
    }
}

/// Compiles each filter of each pair alone and checks its request: (pairs held, pairs checked).
fn conformance(pairs: &[Pair], browser: Browser) -> (usize, usize) {
    let options = CompileOptions::new(browser);
    let (mut held, mut checked, mut skipped) = (0, 0, 0);
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in pairs {
        if pixelguard::parse_url(&pair.url).is_none() {
            skipped += pair.filters.len();
            continue;
        }
        let initiator = pixelguard::parse_url(&pair.source_url).map(|_| pair.source_url.as_str());
        let request = Request::new(&pair.url, initiator, dnr_type(&pair.kind));
        for filter in &pair.filters {
            checked += 1;
            let compiled = compile(&[ListSource::new("pair", "", filter.as_str())], &options).unwrap();
            let list = &compiled.lists[0];
            if let Some(refusal) = list.report.refusals.first() {
                failures.entry(format!("refused: {}", refusal.reason)).or_default().push(format!("{filter}  ({})", refusal.detail));
                continue;
            }
            let matched = Matcher::new(list.rules.clone()).unwrap().matched(&request).map(|r| r.action.kind);
            let ok = if filter.starts_with("@@") {
                matches!(matched, Some(ActionType::Allow | ActionType::AllowAllRequests))
            } else {
                matches!(matched, Some(ActionType::Block | ActionType::Redirect))
            };
            if ok {
                held += 1;
            } else {
                let cause = if list.rules.is_empty() { "no rule emitted" } else { "compiled but the matcher disagrees" };
                failures.entry(cause.into()).or_default().push(format!("{filter}  on {} {} from {}", pair.kind, pair.url, pair.source_url));
            }
        }
    }
    let rate = 100.0 * held as f64 / checked as f64;
    eprintln!("{browser:?} DNR conformance: {held} of {checked} (filter, request) pairs hold ({rate:.2} %); {skipped} skipped (unparseable URL)");
    print_groups("failures by cause:", &failures);
    (held, checked)
}

#[derive(Deserialize)]
struct Crawled {
    #[serde(rename = "frameUrl")]
    frame_url: String,
    url: String,
    cpt: String,
}

#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data, absent from this clone")]
fn easyprivacy_compiles_within_targets_and_agrees_with_the_engine() {
    let (list, crawl) = (data(EASYPRIVACY), data("requests/top-sites-2019.ndjson"));
    let easyprivacy = ListSource::new("easyprivacy", "EasyPrivacy", list);
    for browser in [Browser::Chrome, Browser::Firefox] {
        let compiled = compile(std::slice::from_ref(&easyprivacy), &CompileOptions::new(browser)).unwrap();
        let report = &compiled.lists[0].report;
        eprint!("{browser:?} {report}");
        let ratio = report.accepted_ratio();
        assert!(ratio >= 0.999, "EasyPrivacy: only {:.3} % of network filters accepted", 100.0 * ratio);
        assert!(report.rules <= 15_000, "EasyPrivacy: {} DNR rules", report.rules);
    }
    let rate = fidelity(&[easyprivacy], &crawl);
    assert!(rate >= 99.5, "EasyPrivacy: agreement {rate:.3} % under 99.5 %");
}

#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data, absent from this clone")]
fn easylist_and_easyprivacy_agree_with_the_engine() {
    let (easylist, easyprivacy, crawl) = (data(EASYLIST), data(EASYPRIVACY), data("requests/top-sites-2019.ndjson"));
    let lists = [ListSource::new("easylist", "", easylist), ListSource::new("easyprivacy", "", easyprivacy)];
    let rate = fidelity(&lists, &crawl);
    assert!(rate >= 99.5, "EasyList+EasyPrivacy: agreement {rate:.3} % under 99.5 %");
}

/// Replays the crawl against the engine and against the lists compiled for each browser under
/// the offline matcher; prints agreement and disagreements by cause; returns the lowest agreement.
fn fidelity(lists: &[ListSource], crawl: &str) -> f64 {
    let names: Vec<&str> = lists.iter().map(|l| l.id.as_str()).collect();
    let engine = Engine::from_lists(lists).unwrap();
    // Requests from non-http frames (about:blank, blob:, empty) are skipped: their initiator
    // is the unknown parent frame, so neither side can be checked faithfully.
    let crawled: Vec<Crawled> = crawl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let (http, non_http): (Vec<&Crawled>, Vec<&Crawled>) = crawled.iter().partition(|r| is_http(&r.frame_url));
    let checked: Vec<(&Crawled, ResourceType, Verdict)> = http
        .into_iter()
        .filter_map(|r| {
            let kind = dnr_type(&r.cpt);
            engine.check(&r.url, &r.frame_url, kind.name()).ok().map(|v| (r, kind, v))
        })
        .collect();
    let unparseable = crawled.len() - non_http.len() - checked.len();
    eprintln!("crawl: {} requests, {} from non-http frames skipped, {unparseable} the engine cannot parse", crawled.len(), non_http.len());

    let mut lowest = 100.0f64;
    for browser in [Browser::Chrome, Browser::Firefox] {
        let compiled = compile(lists, &CompileOptions::new(browser)).unwrap();
        let matcher = Matcher::new(compiled.rules().cloned().collect()).unwrap();
        let list_of: BTreeMap<u32, &CompiledList> = compiled.lists.iter().flat_map(|l| l.source_map.keys().map(move |id| (*id, l))).collect();
        let culprit = |id: u32, url: &str| list_of[&id].filter_for(id, url).map(|s| s.filter.clone()).unwrap_or_default();
        let refused: BTreeMap<&str, String> =
            compiled.lists.iter().flat_map(|l| &l.report.refusals).map(|r| (r.source.filter.as_str(), r.reason.to_string())).collect();
        let (mut agree, mut blocked_both) = (0usize, 0usize);
        let mut causes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (r, kind, verdict) in &checked {
            let engine_blocks = verdict.decision == Decision::Blocked;
            let rule = matcher.matched(&Request::new(&r.url, Some(&r.frame_url), *kind));
            let dnr_blocks = rule.is_some_and(|r| r.action.kind == ActionType::Block);
            if engine_blocks == dnr_blocks {
                agree += 1;
                blocked_both += usize::from(engine_blocks);
                continue;
            }
            let cause = if engine_blocks {
                let filter = verdict.filter.as_ref().map(|f| f.text.as_str()).unwrap_or_default();
                match refused.get(filter) {
                    Some(reason) => format!("engine blocks, filter refused ({reason}): {filter}"),
                    None => format!(
                        "engine blocks, DNR does not ({:?} by {:?}): {filter}",
                        rule.map(|r| r.action.kind),
                        rule.map(|x| culprit(x.id, &r.url))
                    ),
                }
            } else {
                let exception = verdict.exception.as_ref().map(|f| f.text.as_str());
                format!(
                    "DNR blocks, engine does not (engine: {:?}, exception {exception:?}): {}",
                    verdict.decision,
                    rule.map(|x| culprit(x.id, &r.url)).unwrap_or_default()
                )
            };
            causes.entry(cause).or_default().push(format!("{} {} from {}", kind.name(), r.url, r.frame_url));
        }
        let rate = 100.0 * agree as f64 / checked.len() as f64;
        eprintln!(
            "{browser:?} {} offline fidelity: {agree} of {} requests agree ({rate:.3} %), {blocked_both} blocked by both",
            names.join("+"),
            checked.len()
        );
        print_groups("disagreements by cause:", &causes);
        lowest = lowest.min(rate);
    }
    lowest
}

fn check_ruleset(compiled: &Compiled, browser: Browser) {
    let budget = CompileOptions::new(browser).budget;
    let mut ids = HashSet::new();
    let (mut regex, mut unsafe_rules) = (0, 0);
    for list in &compiled.lists {
        eprint!("{browser:?} {}", list.report);
        for rule in &list.rules {
            assert!(rule.id >= 1 && ids.insert(rule.id), "duplicate or zero id {}", rule.id);
            browser.check_rule(rule).unwrap_or_else(|e| panic!("rule {} rejected: {e}", rule.id));
            assert!(rule.condition.domains().all(|d| d.is_ascii()), "non-ASCII domain in rule {}", rule.id);
            assert!(!list.source_map[&rule.id].is_empty(), "rule {} has no source", rule.id);
            regex += usize::from(rule.condition.regex_filter.is_some());
            unsafe_rules += usize::from(rule.action.kind.is_unsafe());
        }
        assert_eq!(list.report.rules_left_out, 0);
    }
    assert!(ids.len() <= budget.rules && regex <= budget.regex_rules && unsafe_rules <= budget.unsafe_rules);
    eprintln!("{browser:?}: {} rules in all, {regex} regex, {unsafe_rules} unsafe", ids.len());
}

#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data, absent from this clone")]
fn easylist_and_easyprivacy_compile_for_both_browsers() {
    let (easylist, easyprivacy) = (data(EASYLIST), data(EASYPRIVACY));
    let lists = [ListSource::new("easylist", "", easylist), ListSource::new("easyprivacy", "", easyprivacy)];
    for browser in [Browser::Chrome, Browser::Firefox] {
        check_ruleset(&compile(&lists, &CompileOptions::new(browser)).unwrap(), browser);
    }
}
