//! Native side of `./build.sh bench`: our crate's Engine (adblock-rust underneath) on the request
//! corpus, printed as one JSON object for bench/run.mjs. Not a test: nothing here asserts a time.
//!
//!   cargo run --release --example bench -- --list easylist=FILE --list easyprivacy=FILE \
//!       --requests top-sites-2019.ndjson [--passes 3] [--dnr-list FILE]
//!
//! Per request it times `Engine::check` (Request::new + check_network_request + the verdict with
//! filter text, list and line), the same work the wasm `check` does minus the JS boundary.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::Instant;

use pixelguard::{Decision, Engine, ListSource};

/// Counts live heap bytes while COUNTING is set (compile only, so matching pays no atomics), so
/// "memory after load" is the engine's own allocation.
struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
static COUNTING: AtomicBool = AtomicBool::new(false);
fn count(delta: isize) {
    if COUNTING.load(Ordering::Relaxed) {
        LIVE.fetch_add(delta, Ordering::Relaxed);
    }
}
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
#[global_allocator]
static GLOBAL: Counting = Counting;

fn median(v: &mut [f64]) -> f64 {
    percentile(v, 0.5)
}

/// Nearest-rank percentile (the same definition bench/engines/common.mjs uses).
fn percentile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let rank = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// One warm-up pass of `check` (Some(blocked), None for an error) over the corpus, then `passes`
/// timed passes; a request's time is its median pass. Returns times (ns), blocked, errors.
fn time_matching(
    requests: &[(String, String, String)],
    passes: usize,
    check: impl Fn(&str, &str, &str) -> Option<bool>,
) -> (Vec<f64>, Vec<bool>, usize) {
    let verdicts: Vec<Option<bool>> = requests.iter().map(|(url, source, kind)| check(url, source, kind)).collect();
    let mut per_pass = vec![Vec::with_capacity(passes); requests.len()];
    for _ in 0..passes {
        for (i, (url, source, kind)) in requests.iter().enumerate() {
            let t = Instant::now();
            let v = check(url, source, kind);
            let ns = t.elapsed().as_nanos() as f64;
            std::hint::black_box(v);
            per_pass[i].push(ns);
        }
    }
    let times = per_pass.iter_mut().map(|p| median(p)).collect();
    let errors = verdicts.iter().filter(|v| v.is_none()).count();
    (times, verdicts.into_iter().map(|v| v == Some(true)).collect(), errors)
}

/// Median, p99 and mean of all requests, of the blocked ones and of the others.
fn split(times: &[f64], blocked: &[bool]) -> serde_json::Value {
    let part = |want: Option<bool>| {
        let mut v: Vec<f64> = times.iter().zip(blocked).filter(|(_, b)| want.is_none_or(|w| **b == w)).map(|(t, _)| *t).collect();
        let n = v.len();
        serde_json::json!({ "n": n, "medianNs": median(&mut v), "p99Ns": percentile(&mut v, 0.99),
                            "meanNs": v.iter().sum::<f64>() / n.max(1) as f64 })
    };
    serde_json::json!({ "all": part(None), "blocked": part(Some(true)), "notBlocked": part(Some(false)) })
}

fn main() {
    let mut lists = Vec::new();
    let mut requests_path = None;
    let mut passes = 3usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--list" => {
                let v = value();
                let (id, path) = v.split_once('=').expect("--list ID=FILE");
                lists.push((id.to_string(), path.to_string()));
            }
            "--requests" => requests_path = Some(value()),
            "--passes" => passes = value().parse().expect("--passes N"),
            other => panic!("unknown argument {other}"),
        }
    }
    let requests_path = requests_path.expect("--requests FILE");
    let sources: Vec<ListSource> =
        lists.iter().map(|(id, path)| ListSource::new(id, id, std::fs::read_to_string(path).expect("list file"))).collect();
    let corpus = std::fs::read_to_string(&requests_path).expect("requests file");
    let requests: Vec<(String, String, String)> = corpus
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("ndjson");
            let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
            (s("url"), s("frameUrl"), pixelguard::crawl_resource_type(&s("cpt")).to_string())
        })
        .collect();

    // Compile: median of 3 builds; the last one stays, and its live heap is "memory after load".
    let mut compile = Vec::new();
    let mut engine = None;
    let mut heap = 0isize;
    for _ in 0..3 {
        drop(engine.take());
        LIVE.store(0, Ordering::Relaxed);
        COUNTING.store(true, Ordering::Relaxed);
        let t = Instant::now();
        let e = Engine::from_lists(&sources).expect("lists compile");
        compile.push(ms(t));
        COUNTING.store(false, Ordering::Relaxed);
        heap = LIVE.load(Ordering::Relaxed);
        engine = Some(e);
    }
    let engine = engine.unwrap();

    let snapshot = engine.snapshot();
    let mut restore = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let restored = Engine::from_snapshot(&snapshot).expect("own snapshot");
        restore.push(ms(t));
        drop(restored);
    }

    // Match: one warm-up pass, then `passes` timed passes; a request's time is its median pass.
    let check = |url: &str, source: &str, kind: &str| engine.check(url, source, kind).ok().map(|v| v.decision == Decision::Blocked);
    let (times, blocked, errors) = time_matching(&requests, passes, check);

    // The floor under any wrapper of adblock-rust: a plain engine as adblock-rust users build it
    // (optimised, no debug info, so no filter names), `Request::new` + `check_network_request`.
    let plain_engine = {
        let mut set = adblock::lists::FilterSet::new(false);
        let options = adblock::lists::ParseOptions { rule_types: adblock::lists::RuleTypes::NetworkOnly, ..Default::default() };
        for list in &sources {
            set.add_filter_list(list.text.clone(), options);
        }
        adblock::Engine::new_with_filter_set(set)
    };
    pixelguard::parse_url(""); // installs our public-suffix resolver, which adblock's Request::new needs
    let plain_check = |url: &str, source: &str, kind: &str| {
        let request = adblock::request::Request::new(url, source, kind, "GET").ok()?;
        Some(plain_engine.check_network_request(&request).should_block())
    };
    let (plain_times, plain_blocked, _) = time_matching(&requests, passes, plain_check);

    // DNR: EasyPrivacy alone compiled to Chrome's static ruleset (median of 3).
    let dnr = sources.iter().find(|l| l.id == "easyprivacy").map(|easyprivacy| {
        let options = pixelguard::dnr::CompileOptions::new(pixelguard::dnr::Browser::Chrome);
        let mut times = Vec::new();
        let mut rules = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let compiled = pixelguard::dnr::compile(std::slice::from_ref(easyprivacy), &options).expect("EasyPrivacy compiles");
            times.push(ms(t));
            rules = compiled.rules().count();
        }
        serde_json::json!({ "ms": median(&mut times), "rules": rules })
    });
    let blocked_idx: Vec<usize> = blocked.iter().enumerate().filter(|(_, b)| **b).map(|(i, _)| i).collect();

    let out = serde_json::json!({
        "engine": "native",
        "label": format!("native adblock-rust {} (our crate, Engine::check)", pixelguard::ADBLOCK_VERSION),
        "compileMs": median(&mut compile),
        "snapshotBytes": snapshot.len(),
        "restoreMs": median(&mut restore),
        "memory": { "heapBytes": heap, "what": "live Rust heap after compile (counting allocator)" },
        "match": split(&times, &blocked),
        "errors": errors,
        "dnr": dnr,
        "requests": requests.len(),
        "blockedIdx": blocked_idx,
        "plain": {
            "label": format!("native adblock-rust {} alone (optimised engine, Request::new + check_network_request, no filter names)", pixelguard::ADBLOCK_VERSION),
            "match": split(&plain_times, &plain_blocked),
            "blocked": plain_blocked.iter().filter(|b| **b).count(),
        },
    });
    println!("{out}");
}
