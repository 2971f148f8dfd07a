//! Filter-level conformance: every (request, filter) pair of ../shared's adblock-rust test data,
//! each filter alone in an engine, must block (or, for `@@`, allow) its request and be named.
//! Writes the verdicts to target/tmp/conformance-native.json so the Node test can compare wasm.
//! Ignored without ../shared/data, except in CI (see build.rs); golden.rs pins a committed subset.

use pixelguard::{Decision, Engine, ListSource, Verdict};
use serde::Deserialize;

const PAIRS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/conformance/filter-request-pairs.json");
/// The pairs adblock-rust 0.13.3's own test checks (the rest have a bare `http://` URL).
const ADBLOCK_CHECKED: usize = 9_354;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    filters: Vec<String>,
    source_url: String,
    #[serde(rename = "type")]
    resource_type: String,
    url: String,
}

/// One filter alone (an exception with its blocking twin) checked against its request.
fn verdict(filter: &str, case: &Case) -> Result<Verdict, String> {
    let text = match filter.strip_prefix("@@") {
        Some(blocking) => format!("{blocking}\n{filter}\n"),
        None => format!("{filter}\n"),
    };
    let engine = Engine::from_lists(&[ListSource::new("pair", "", text)]).map_err(|e| e.to_string())?;
    engine.check(&case.url, &case.source_url, &case.resource_type).map_err(|e| e.to_string())
}

fn holds(filter: &str, verdict: &Verdict) -> bool {
    let named = |f: &Option<pixelguard::FilterRef>| f.as_ref().is_some_and(|f| f.text == filter);
    if filter.starts_with("@@") {
        verdict.decision == Decision::Allowed && named(&verdict.exception)
    } else {
        verdict.decision == Decision::Blocked && named(&verdict.filter)
    }
}

#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data, absent from this clone")]
fn every_pair_holds_through_the_native_engine() {
    let data = std::fs::read_to_string(PAIRS).unwrap_or_else(|e| panic!("{PAIRS}: {e} (CI is set: the shared data must be there)"));
    let cases: Vec<Case> = serde_json::from_str(&data).unwrap();
    let (mut held, mut bad_request, mut failures) = (0, 0, Vec::new());
    let mut record = Vec::new();
    for case in &cases {
        for filter in &case.filters {
            let result = verdict(filter, case);
            match &result {
                Ok(v) if holds(filter, v) => held += 1,
                Ok(v) => failures.push(format!("{filter} on {} ({}) -> {:?}", case.url, case.resource_type, v.decision)),
                Err(e) => {
                    bad_request += 1;
                    assert!(case.url.ends_with("://"), "unexpected error for {}: {e}", case.url);
                }
            }
            record.push(serde_json::to_value(result.ok()).unwrap());
        }
    }
    let total: usize = cases.iter().map(|c| c.filters.len()).sum();
    println!("conformance (native): {held} of {total} pairs hold; {bad_request} have an unparseable URL; {} fail", failures.len());
    for f in &failures {
        println!("  fails: {f}");
    }
    let out = concat!(env!("CARGO_TARGET_TMPDIR"), "/conformance-native.json");
    std::fs::write(out, serde_json::to_string(&record).unwrap()).unwrap();
    assert!(held >= ADBLOCK_CHECKED, "only {held} pairs hold");
}
