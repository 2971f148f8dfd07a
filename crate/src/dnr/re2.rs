//! Checks that a regex filter is one the browser's DNR regex engine accepts: RE2 in Chrome, and
//! in Firefox the common ground of RE2 and JavaScript `RegExp`.

use regex_syntax::ast::{self, Ast, AssertionKind, ClassSetBinaryOp, ClassSetItem, GroupKind, LiteralKind, Visitor};

use super::browser::Browser;
use super::report::Reason;

/// Size cap on the compiled program, a stand-in for the browsers' 2 KB RE2 memory limit; the
/// extension still asks `isRegexSupported` before adding regex rules at run time.
const SIZE_LIMIT: usize = 64 * 1024;

/// `Ok` when `browser` accepts `pattern`, read as the regex crate reads it; otherwise why not.
pub(crate) fn check(pattern: &str, browser: Browser) -> Result<(), (Reason, String)> {
    if !pattern.is_ascii() {
        // Browsers match the percent-encoded URL: a non-ASCII literal would never match.
        return Err((Reason::RegexNotRe2, "non-ASCII characters, which percent-encoded URLs never contain".into()));
    }
    let ast = ast::parse::Parser::new().parse(pattern).map_err(|e| (Reason::RegexNotRe2, e.kind().to_string()))?;
    let portable = browser == Browser::Firefox;
    ast::visit(&ast, Re2Only { portable }).map_err(|why| (Reason::RegexNotRe2, why.to_string()))?;
    // RE2's \w, \d, \s are ASCII, hence `unicode(false)` for the size estimate, unless the
    // pattern needs Unicode (`\pL`).
    let build = |unicode| regex::bytes::RegexBuilder::new(pattern).unicode(unicode).size_limit(SIZE_LIMIT).build();
    build(false)
        .or_else(|_| build(true))
        .map(drop)
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => (Reason::RegexTooLarge, format!("compiled program over {SIZE_LIMIT} bytes")),
            other => (Reason::RegexNotRe2, other.to_string()),
        })
}

/// Rejects the regex crate's extensions RE2 lacks: nested classes, class set operations and
/// the extra word-boundary assertions. `portable` also rejects what JavaScript's `RegExp`
/// (Firefox) reads differently or not at all: inline flags, `\A`/`\z`, `(?P<name>)`, Unicode
/// and POSIX classes, `\x{…}`.
struct Re2Only {
    portable: bool,
}

impl Visitor for Re2Only {
    type Output = ();
    type Err = &'static str;

    fn finish(self) -> Result<(), &'static str> {
        Ok(())
    }

    fn visit_pre(&mut self, ast: &Ast) -> Result<(), &'static str> {
        match ast {
            Ast::Assertion(a) => match a.kind {
                AssertionKind::StartLine | AssertionKind::EndLine | AssertionKind::WordBoundary | AssertionKind::NotWordBoundary => Ok(()),
                AssertionKind::StartText | AssertionKind::EndText if !self.portable => Ok(()),
                AssertionKind::StartText | AssertionKind::EndText => Err("\\A or \\z, unknown to JavaScript RegExp"),
                _ => Err("word-boundary variant RE2 lacks"),
            },
            _ if !self.portable => Ok(()),
            Ast::Flags(_) => Err("inline flags, unknown to JavaScript RegExp"),
            Ast::Group(g) => match &g.kind {
                GroupKind::NonCapturing(flags) if !flags.items.is_empty() => Err("group flags, unknown to JavaScript RegExp"),
                GroupKind::CaptureName { starts_with_p: true, .. } => Err("(?P<name>), unknown to JavaScript RegExp"),
                _ => Ok(()),
            },
            Ast::ClassUnicode(_) => Err("Unicode class, read differently by JavaScript RegExp"),
            Ast::Literal(l) if matches!(l.kind, LiteralKind::HexBrace(_)) => Err("\\x{…}, unknown to JavaScript RegExp"),
            _ => Ok(()),
        }
    }

    /// Items are what a bracketed class holds, so a bracketed item is a nested class.
    fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), &'static str> {
        match item {
            ClassSetItem::Bracketed(_) => Err("nested character class"),
            ClassSetItem::Ascii(_) | ClassSetItem::Unicode(_) if self.portable => Err("POSIX or Unicode class, unknown to JavaScript RegExp"),
            _ => Ok(()),
        }
    }

    fn visit_class_set_binary_op_pre(&mut self, _: &ClassSetBinaryOp) -> Result<(), &'static str> {
        Err("character class set operation")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: [Browser; 2] = [Browser::Chrome, Browser::Firefox];

    #[test]
    fn accepts_what_easyprivacy_uses() {
        for re in [r"^https?:\/\/[a-z]{8,15}\.com\/\?[a-z]+=", r"\.com\/[0-9a-f]{32}\.js$", r"/pixel\.(gif|png)\b", r"[\w-]+", r"(?<v>\d+)"] {
            for browser in BOTH {
                assert_eq!(check(re, browser), Ok(()), "{re}");
            }
        }
    }

    #[test]
    fn rejects_lookaround_backrefs_and_regex_crate_extensions() {
        for re in [r"/ads(?=/)", r"(?<!cdn)\.tracker\.", r"(a)\1", r"[a-z&&[^x]]", r"\bpixel\b{start}", r"[[a-z]x]", r"/zähler/"] {
            for browser in BOTH {
                assert_eq!(check(re, browser).map_err(|e| e.0), Err(Reason::RegexNotRe2), "{re}");
            }
        }
    }

    #[test]
    fn firefox_also_rejects_what_javascript_regexp_lacks() {
        for re in [r"(?i)/pixel", r"(?i:/pixel)", r"\Ahttps:", r"px\z", r"(?P<v>\d+)", r"\pL+", r"[[:alpha:]]+", r"\x{2F}"] {
            assert_eq!(check(re, Browser::Chrome), Ok(()), "{re}");
            assert_eq!(check(re, Browser::Firefox).map_err(|e| e.0), Err(Reason::RegexNotRe2), "{re}");
        }
    }

    #[test]
    fn rejects_huge_programs() {
        assert_eq!(check(r"(?:[a-z0-9]{50}){60}", Browser::Chrome).map_err(|e| e.0), Err(Reason::RegexTooLarge));
    }
}
