//! The committed golden pairs (tests/golden/pairs.txt, written from the documented filter syntax):
//! each block's filters as one list, through the engine and through the DNR compiler and offline
//! matcher for Chrome and Firefox. Pins both without ../shared (see the file's header).

use pixelguard::dnr::{ActionType, Browser, CompileOptions, Matcher, Request, ResourceType, compile};
use pixelguard::{Engine, ListSource};

const PAIRS: &str = include_str!("golden/pairs.txt");

struct Block<'a> {
    /// 1-based line of the block's first filter.
    line: usize,
    filters: Vec<&'a str>,
    /// The reason the DNR compiler refuses the block's filters with, if it does.
    refused: Option<&'a str>,
    requests: Vec<Pair<'a>>,
}

struct Pair<'a> {
    decision: &'a str,
    kind: &'a str,
    url: &'a str,
    page: Option<&'a str>,
}

fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks: Vec<Block> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(request) = line.strip_prefix("  ") {
            let fields: Vec<&str> = request.split_whitespace().collect();
            let (decision, kind, url, page) = match fields[..] {
                [decision, kind, url] => (decision, kind, url, None),
                [decision, kind, url, page] => (decision, kind, url, Some(page)),
                _ => panic!("line {}: a request is a decision, a type, a URL and maybe a page", i + 1),
            };
            blocks.last_mut().expect("a request before any filter").requests.push(Pair { decision, kind, url, page });
        } else if let Some(reason) = line.strip_prefix("refused: ") {
            blocks.last_mut().expect("refused: before any filter").refused = Some(reason);
        } else if blocks.last().is_some_and(|b| b.requests.is_empty() && b.refused.is_none()) {
            blocks.last_mut().unwrap().filters.push(line);
        } else {
            blocks.push(Block { line: i + 1, filters: vec![line], refused: None, requests: Vec::new() });
        }
    }
    blocks
}

fn dnr_type(kind: &str) -> ResourceType {
    serde_json::from_value(serde_json::Value::String(kind.into())).unwrap_or_else(|_| panic!("{kind} is not a DNR resource type"))
}

#[test]
fn the_engine_and_the_dnr_rules_decide_each_pair_as_written() {
    let blocks = blocks(PAIRS);
    let mut wrong = Vec::new();
    let mut pairs = 0;
    for block in &blocks {
        let list = ListSource::new("golden", "", block.filters.join("\n"));
        let at = format!("line {} ({})", block.line, block.filters.join(" + "));
        let engine = Engine::from_lists(std::slice::from_ref(&list)).unwrap();
        for r in &block.requests {
            pairs += 1;
            let verdict = engine.check(r.url, r.page.unwrap_or(""), r.kind).unwrap();
            let decision = serde_json::to_value(verdict.decision).unwrap();
            if decision != r.decision {
                wrong.push(format!("{at}: engine {decision} for {} {} from {:?}, written {}", r.kind, r.url, r.page, r.decision));
            }
        }
        for browser in [Browser::Chrome, Browser::Firefox] {
            let compiled = compile(std::slice::from_ref(&list), &CompileOptions::new(browser)).unwrap();
            let report = &compiled.lists[0].report;
            let reasons: Vec<String> =
                report.refusals.iter().map(|r| serde_json::to_value(r.reason).unwrap().as_str().unwrap().to_string()).collect();
            match block.refused {
                Some(reason) if !reasons.iter().any(|r| r == reason) => {
                    wrong.push(format!("{at}: {browser:?} refuses {reasons:?}, written {reason}"))
                }
                Some(_) => continue,
                None if !reasons.is_empty() => wrong.push(format!("{at}: {browser:?} refuses {:?}", report.refusals)),
                None => {}
            }
            let matcher = Matcher::new(compiled.rules().cloned().collect()).unwrap();
            for r in &block.requests {
                let rule = matcher.matched(&Request::new(r.url, r.page, dnr_type(r.kind)));
                let blocks = rule.is_some_and(|rule| rule.action.kind == ActionType::Block);
                if blocks != (r.decision == "blocked") {
                    wrong.push(format!(
                        "{at}: {browser:?} DNR {} {} {} from {:?}, written {}",
                        if blocks { "blocks" } else { "lets through" },
                        r.kind,
                        r.url,
                        r.page,
                        r.decision
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {pairs} pairs decided otherwise:\n{}", wrong.len(), wrong.join("\n"));
    assert!(pairs >= 300, "only {pairs} pairs in {} blocks", blocks.len());
    let decided = |d: &str| blocks.iter().flat_map(|b| &b.requests).filter(|r| r.decision == d).count();
    println!(
        "golden: {pairs} pairs in {} blocks ({} blocked, {} allowed, {} no-match)",
        blocks.len(),
        decided("blocked"),
        decided("allowed"),
        decided("no-match")
    );
}

#[test]
fn the_file_parses_into_blocks_with_requests() {
    let blocks = blocks(PAIRS);
    assert!(blocks.iter().all(|b| !b.requests.is_empty() && !b.filters.is_empty()), "a block without requests or filters");
    assert!(blocks.iter().all(|b| b.requests.iter().all(|r| ["blocked", "allowed", "no-match"].contains(&r.decision))));
}
