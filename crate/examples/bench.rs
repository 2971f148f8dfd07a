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
    let sources: Vec<ListSource> = lists
        .iter()
        .map(|(id, path)| ListSource::new(id, id, std::fs::read_to_string(path).expect("list file")))
        .collect();
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
    let mut blocked = vec![false; requests.len()];
    let mut errors = 0usize;
    for (i, (url, source, kind)) in requests.iter().enumerate() {
        match engine.check(url, source, kind) {
            Ok(v) => blocked[i] = v.decision == Decision::Blocked,
            Err(_) => errors += 1,
        }
    }
    let mut per_pass = vec![Vec::with_capacity(passes); requests.len()];
    for _ in 0..passes {
        for (i, (url, source, kind)) in requests.iter().enumerate() {
            let t = Instant::now();
            let v = engine.check(url, source, kind);
            let ns = t.elapsed().as_nanos() as f64;
            std::hint::black_box(v).ok();
            per_pass[i].push(ns);
        }
    }
    let times: Vec<f64> = per_pass.iter_mut().map(|p| median(p)).collect();
    let split = |want: Option<bool>| {
        let mut v: Vec<f64> = times
            .iter()
            .zip(&blocked)
            .filter(|(_, b)| want.is_none_or(|w| **b == w))
            .map(|(t, _)| *t)
            .collect();
        let n = v.len();
        serde_json::json!({ "n": n, "medianNs": median(&mut v), "p99Ns": percentile(&mut v, 0.99),
                            "meanNs": v.iter().sum::<f64>() / n.max(1) as f64 })
    };
    // DNR: EasyPrivacy alone compiled to Chrome's static ruleset (median of 3).
    let dnr = sources.iter().find(|l| l.id == "easyprivacy").map(|easyprivacy| {
        let options = pixelguard::dnr::CompileOptions::new(pixelguard::dnr::Browser::Chrome);
        let mut times = Vec::new();
        let mut rules = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let compiled = pixelguard::dnr::compile(std::slice::from_ref(easyprivacy), &options);
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
        "match": { "all": split(None), "blocked": split(Some(true)), "notBlocked": split(Some(false)) },
        "errors": errors,
        "dnr": dnr,
        "requests": requests.len(),
        "blockedIdx": blocked_idx,
    });
    println!("{out}");
}
