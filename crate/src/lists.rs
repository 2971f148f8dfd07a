//! Filter lists as the core receives them, their header metadata, and per-line parse statistics.

use adblock::filters::network::NetworkFilter;
use adblock::lists::{ExpiresInterval, ParseOptions, ParsedLine, parse_filter, read_list_metadata};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::pixels::Annotations;

/// One named filter list: an id the extension and source maps use, a title, and its text (without
/// the byte-order mark a file may start with).
#[derive(Debug, Clone)]
pub struct ListSource {
    pub id: String,
    pub title: String,
    pub text: String,
}

impl ListSource {
    pub fn new(id: impl Into<String>, title: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let text = if text.len() == without_bom(&text).len() { text } else { without_bom(&text).to_string() };
        Self { id: id.into(), title: title.into(), text }
    }

    /// A list from raw bytes (a file, a download): refused unless it is UTF-8 text without NULs.
    pub fn from_bytes(id: &str, title: &str, bytes: &[u8]) -> Result<Self> {
        let not_text = |reason: String| Error::NotText { id: id.to_string(), reason };
        let text = std::str::from_utf8(bytes).map_err(|e| not_text(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
        if let Some(at) = text.find('\0') {
            return Err(not_text(format!("NUL byte at {at}")));
        }
        Ok(Self::new(id, title, text))
    }
}

/// `text` without a leading UTF-8 byte-order mark, which would otherwise become part of the first
/// filter (a `||host^` there would never match).
pub(crate) fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Refuses a set of lists whose ids are empty or repeated (ids name lists in verdicts and maps).
pub fn check_list_ids(lists: &[ListSource]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    match lists.iter().find(|l| l.id.is_empty() || !seen.insert(l.id.as_str())) {
        Some(list) => Err(Error::BadListId(list.id.clone())),
        None => Ok(()),
    }
}

/// A line the engine's parser refused: 1-based line number, the line, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvalidLine {
    pub line: u32,
    pub text: String,
    pub reason: String,
}

/// What a list held: network filters accepted, cosmetic filters skipped, invalid lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListStats {
    pub network: u32,
    pub cosmetic: u32,
    pub invalid: Vec<InvalidLine>,
}

/// A list's identity and header facts, as kept in snapshots and shown in the options page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListInfo {
    pub id: String,
    pub title: String,
    pub version: Option<String>,
    pub homepage: Option<String>,
    pub expires_hours: Option<u32>,
    pub stats: ListStats,
    /// The list's `! pixelguard: company=…; kind=…` labels, by line (empty for other lists).
    #[serde(default, skip_serializing_if = "Annotations::is_empty")]
    pub annotations: Annotations,
}

/// Longest line kept verbatim in an [`InvalidLine`]; longer ones are cut so reports stay small.
const MAX_REPORTED_LINE: usize = 200;

/// Reads the header and classifies every line with the engine's own parser.
pub fn analyse(source: &ListSource) -> ListInfo {
    let meta = read_list_metadata(&source.text);
    let title = meta.title.clone().filter(|_| source.title.is_empty()).unwrap_or_else(|| source.title.clone());
    ListInfo {
        id: source.id.clone(),
        title,
        version: header_value(&source.text, &["Version", "Last modified"]),
        homepage: meta.homepage,
        expires_hours: meta.expires.map(|e| match e {
            ExpiresInterval::Hours(h) => u32::from(h),
            ExpiresInterval::Days(d) => u32::from(d) * 24,
        }),
        stats: line_stats(&source.text),
        annotations: Annotations::parse(&source.text),
    }
}

fn line_stats(text: &str) -> ListStats {
    let mut stats = ListStats::default();
    for (number, line) in filter_lines(text) {
        match parse_filter(line, false, ParseOptions::default()) {
            Ok(ParsedLine::Network(f)) if let Some(reason) = unsupported_by_engine(&f) => {
                stats.invalid.push(InvalidLine { line: number, text: truncate(line, MAX_REPORTED_LINE), reason: reason.to_string() })
            }
            Ok(ParsedLine::Network(_)) => stats.network += 1,
            Ok(ParsedLine::Cosmetic(_)) => stats.cosmetic += 1,
            Err(e) => stats.invalid.push(InvalidLine { line: number, text: truncate(line, MAX_REPORTED_LINE), reason: e.to_string() }),
        }
    }
    stats
}

/// The lines of a list that may hold a filter: 1-based line number and the trimmed line.
pub(crate) fn filter_lines(text: &str) -> impl Iterator<Item = (u32, &str)> {
    let number = |i: usize| u32::try_from(i + 1).unwrap_or(u32::MAX);
    text.lines().enumerate().map(move |(i, raw)| (number(i), raw.trim())).filter(|(_, line)| !is_comment(line))
}

/// Why the engine cannot apply a network filter its parser accepts, if it cannot: adblock 0.13.5
/// parses `$to=` but never matches a filter that has it.
pub(crate) fn unsupported_by_engine(filter: &NetworkFilter) -> Option<&'static str> {
    (filter.opt_to_domains.is_some() || filter.opt_not_to_domains.is_some()).then_some("$to= is not supported by the engine yet")
}

/// Blank lines, `!` comments, `# ` comments and `[Adblock Plus 2.0]` headers carry no filter.
pub(crate) fn is_comment(line: &str) -> bool {
    line.is_empty() || line.starts_with('!') || line == "#" || line.starts_with("# ") || (line.starts_with('[') && line.ends_with(']'))
}

fn truncate(line: &str, max: usize) -> String {
    match line.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

/// The value of the first `! Key: value` header comment among `keys`, within the list's header;
/// unexpanded templates such as `%timestamp%` do not count.
fn header_value(text: &str, keys: &[&str]) -> Option<String> {
    text.lines()
        .take_while(|l| l.starts_with('!') || l.starts_with('[') || l.trim().is_empty())
        .filter_map(|l| l.trim_start_matches('!').trim().split_once(':'))
        .find(|(k, v)| keys.contains(&k.trim()) && !v.contains('%'))
        .map(|(_, v)| v.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_network_cosmetic_and_invalid_lines() {
        let src = ListSource::new(
            "t",
            "",
            "[Adblock Plus 2.0]\n! Title: Test list\n! Version: 42\n! Expires: 2 days\n||a.com^\n##.ad\n||b.com^$nonsense-option\n\n# note\n/pixel.gif?\n",
        );
        let info = analyse(&src);
        assert_eq!(info.title, "Test list");
        assert_eq!(info.version.as_deref(), Some("42"));
        assert_eq!(info.expires_hours, Some(48));
        assert_eq!(info.stats.network, 2);
        assert_eq!(info.stats.cosmetic, 1);
        assert_eq!(info.stats.invalid.len(), 1);
        assert_eq!(info.stats.invalid[0].line, 7);
        assert!(info.stats.invalid[0].reason.contains("unrecognised option"), "{:?}", info.stats.invalid);
    }

    #[test]
    fn template_placeholders_are_no_version() {
        let info = analyse(&ListSource::new("t", "", "! Last modified: %timestamp%\n||a.com^\n"));
        assert_eq!(info.version, None);
    }

    #[test]
    fn caller_title_wins_over_header() {
        let info = analyse(&ListSource::new("t", "Mine", "! Title: Theirs\n||a.com^\n"));
        assert_eq!(info.title, "Mine");
    }

    #[test]
    fn bytes_that_are_not_text_are_refused() {
        assert!(matches!(ListSource::from_bytes("x", "", &[0xff, 0xfe, 0x00]), Err(Error::NotText { .. })));
        assert!(matches!(ListSource::from_bytes("x", "", b"||a.com^\0"), Err(Error::NotText { .. })));
    }

    #[test]
    fn a_byte_order_mark_does_not_take_the_first_filter_with_it() {
        use crate::dnr::{Browser, CompileOptions, compile};
        use crate::{Decision, Engine};
        let text = "\u{feff}||bom.test^\n||next.test^\n";
        for list in [ListSource::new("bom", "", text), ListSource::from_bytes("bom", "", text.as_bytes()).unwrap()] {
            assert_eq!(list.text, "||bom.test^\n||next.test^\n");
            let info = analyse(&list);
            assert_eq!((info.stats.network, info.stats.invalid.len()), (2, 0));
            let engine = Engine::from_lists(std::slice::from_ref(&list)).unwrap();
            let verdict = engine.check("https://bom.test/p.gif", "https://site.example/", "image").unwrap();
            assert_eq!(verdict.decision, Decision::Blocked);
            assert_eq!(verdict.filter.unwrap().line, Some(1));
            let compiled = compile(&[list], &CompileOptions::new(Browser::Chrome)).unwrap();
            let report = &compiled.lists[0].report;
            assert_eq!((report.accepted, report.refused), (2, 0), "{:?}", report.refusals);
            assert_eq!(compiled.lists[0].rules[0].condition.request_domains, Some(vec!["bom.test".to_string(), "next.test".to_string()]));
        }
    }

    #[test]
    fn filters_the_engine_never_matches_are_invalid_with_a_reason() {
        let info = analyse(&ListSource::new("t", "", "||a.test^\n/px$to=tracker.example\n||t.test^$image,to=~ok.test\n"));
        assert_eq!(info.stats.network, 1);
        let invalid: Vec<(u32, &str)> = info.stats.invalid.iter().map(|i| (i.line, i.reason.as_str())).collect();
        assert_eq!(invalid, [(2, "$to= is not supported by the engine yet"), (3, "$to= is not supported by the engine yet")]);
    }

    #[test]
    fn long_invalid_lines_are_cut_in_reports() {
        let line = format!("||a.com^${}", "x".repeat(100_000));
        let info = analyse(&ListSource::new("t", "", line));
        assert_eq!(info.stats.invalid.len(), 1);
        assert!(info.stats.invalid[0].text.chars().count() <= MAX_REPORTED_LINE + 1);
    }
}
