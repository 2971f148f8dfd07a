//! Compiles the Public Suffix List (Debian's `publicsuffix` package, or `PUBLIC_SUFFIX_LIST=FILE`) into the sorted table `src/public_suffix.rs` searches;
//! sets `cfg(shared_data)` for the golden-data tests when ../shared/data is there, or when `CI` is set (where they must run, and fail without it).

use std::collections::BTreeMap;
use std::path::Path;

const DEFAULT_LIST: &str = "/usr/share/publicsuffix/public_suffix_list.dat";
// Keep in sync with `src/public_suffix.rs`.
const RULE: u8 = 1;
const WILDCARD: u8 = 2;
const EXCEPTION: u8 = 4;

fn main() {
    shared_data();
    println!("cargo:rerun-if-env-changed=PUBLIC_SUFFIX_LIST");
    let path = std::env::var("PUBLIC_SUFFIX_LIST").unwrap_or_else(|_| DEFAULT_LIST.to_string());
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("cannot read the Public Suffix List at {path} ({e}): install Debian's `publicsuffix` package, or set PUBLIC_SUFFIX_LIST=FILE")
    });

    // Every rule's name (wildcard `*.` and exception `!` stripped, IDN labels in punycode as adblock
    // hands hosts over) with its kinds, plus each of its parent names, so a search can stop at the
    // first suffix of a host that is absent.
    let mut names: BTreeMap<String, u8> = BTreeMap::new();
    for rule in text.lines().filter_map(|l| l.split_whitespace().next()).filter(|r| !r.starts_with("//")) {
        let (kind, name) = match (rule.strip_prefix("*."), rule.strip_prefix('!')) {
            (Some(name), _) => (WILDCARD, name),
            (_, Some(name)) => (EXCEPTION, name),
            _ => (RULE, rule),
        };
        let name = idna::domain_to_ascii(name).unwrap_or_else(|e| panic!("{path}: bad rule {rule}: {e}"));
        assert!(!name.is_empty() && !name.contains('*'), "{path}: unsupported rule {rule}");
        for (i, _) in name.match_indices('.') {
            names.entry(name[i + 1..].to_string()).or_default();
        }
        *names.entry(name).or_default() |= kind;
    }
    assert!(names.len() > 1000, "{path} is not the Public Suffix List ({} names)", names.len());

    // A Rust array of `(name, kinds)` in byte order, for a binary search with no set-up.
    let entries: String = names.iter().map(|(name, kind)| format!("({name:?}, {kind}),\n")).collect();
    let table = format!("static TABLE: [(&str, u8); {}] = [\n{entries}];\n", names.len());
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("public_suffix_table.rs");
    std::fs::write(out, table).unwrap();
}

/// Tests that read ../shared/data carry `#[cfg_attr(not(shared_data), ignore = …)]`: ignored (and
/// said so) in a clone without it, run where it is, and run in CI even without it, to fail there.
/// (Data added after a build: `touch crate/build.rs`; a missing path cannot be watched without
/// rebuilding every time.)
fn shared_data() {
    println!("cargo::rustc-check-cfg=cfg(shared_data)");
    println!("cargo:rerun-if-env-changed=CI");
    let data = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../shared/data");
    let present = data.is_dir();
    if present {
        println!("cargo:rerun-if-changed={}", data.display());
    }
    if present || std::env::var_os("CI").is_some_and(|ci| !ci.is_empty()) {
        println!("cargo::rustc-cfg=shared_data");
    }
}
