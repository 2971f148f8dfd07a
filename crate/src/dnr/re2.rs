//! Checks that a regex filter is one RE2 (Chrome's and Firefox's DNR regex engine) accepts.

use regex_syntax::ast::{self, Ast, AssertionKind, ClassSetBinaryOp, ClassSetItem, Visitor};

use super::report::Reason;

/// Size cap on the compiled program, a stand-in for the browsers' 2 KB RE2 memory limit; the
/// extension still asks `isRegexSupported` before adding regex rules at run time.
const SIZE_LIMIT: usize = 64 * 1024;

/// `Ok` when RE2 accepts `pattern` as the regex crate reads it; otherwise why not.
pub(crate) fn check(pattern: &str) -> Result<(), (Reason, String)> {
    let ast = ast::parse::Parser::new().parse(pattern).map_err(|e| (Reason::RegexNotRe2, e.kind().to_string()))?;
    ast::visit(&ast, Re2Only).map_err(|why| (Reason::RegexNotRe2, why.to_string()))?;
    // RE2's \w, \d, \s are ASCII, hence `unicode(false)` for the size estimate.
    regex::bytes::RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(SIZE_LIMIT)
        .build()
        .map(drop)
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => (Reason::RegexTooLarge, format!("compiled program over {SIZE_LIMIT} bytes")),
            other => (Reason::RegexNotRe2, other.to_string()),
        })
}

/// Rejects the regex crate's extensions RE2 lacks: nested classes, class set operations and
/// the extra word-boundary assertions.
struct Re2Only;

impl Visitor for Re2Only {
    type Output = ();
    type Err = &'static str;

    fn finish(self) -> Result<(), &'static str> {
        Ok(())
    }

    fn visit_pre(&mut self, ast: &Ast) -> Result<(), &'static str> {
        match ast {
            Ast::Assertion(a) if !matches!(
                a.kind,
                AssertionKind::StartLine | AssertionKind::EndLine | AssertionKind::StartText | AssertionKind::EndText
                    | AssertionKind::WordBoundary | AssertionKind::NotWordBoundary
            ) => Err("word-boundary variant RE2 lacks"),
            _ => Ok(()),
        }
    }

    /// Items are what a bracketed class holds, so a bracketed item is a nested class.
    fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), &'static str> {
        match item {
            ClassSetItem::Bracketed(_) => Err("nested character class"),
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

    #[test]
    fn accepts_what_easyprivacy_uses() {
        for re in [r"^https?:\/\/[a-z]{8,15}\.com\/\?[a-z]+=", r"\.com\/[0-9a-f]{32}\.js$", r"(?i)/pixel\.(gif|png)\b", r"[\w-]+", r"[[:alpha:]]+"] {
            assert_eq!(check(re), Ok(()), "{re}");
        }
    }

    #[test]
    fn rejects_lookaround_backrefs_and_regex_crate_extensions() {
        for re in [r"/ads(?=/)", r"(?<!cdn)\.tracker\.", r"(a)\1", r"[a-z&&[^x]]", r"\bpixel\b{start}", r"[[a-z]x]"] {
            assert_eq!(check(re).map_err(|e| e.0), Err(Reason::RegexNotRe2), "{re}");
        }
    }

    #[test]
    fn rejects_huge_programs() {
        assert_eq!(check(r"(?:[a-z0-9]{50}){60}").map_err(|e| e.0), Err(Reason::RegexTooLarge));
    }
}
