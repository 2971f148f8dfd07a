//! What a compile did per list: filters in, accepted, refused (by reason), rules out, left out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Why a network filter was not converted. Every refusal carries one; none is silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// adblock's parser refused the line (unknown option such as `$popup`, `$replace`, …).
    Unparsed,
    /// The engine parses the filter but never applies it (`$to=`, a port after `||host`): what the
    /// rule blocked could not be named.
    EngineUnsupported,
    /// `$redirect`, `$rewrite`, `$redirect-rule`: PixelGuard ships no redirect resources.
    Redirect,
    /// `$csp`: injecting Content-Security-Policy headers is not done through DNR here.
    Csp,
    /// `$generichide` and other exceptions that only affect cosmetic filtering.
    CosmeticOnly,
    /// `$tag`: Brave-only opt-in filters, off by default in the engine too.
    Tag,
    /// An entity domain (`example.*`) in a domain option: DNR has none.
    EntityDomain,
    /// A regex domain (`/…/`) in a domain option: DNR has none.
    RegexDomain,
    /// A domain that is not a valid (punycode-able) hostname.
    BadDomain,
    /// More domains in the filter's domain options than one filter may name.
    TooManyDomains,
    /// Non-ASCII text in a domain option or after the host: browsers send URLs encoded (punycode,
    /// percent escapes), and the engine never matches such a filter against them, so it could not
    /// name what the rule blocked. (A non-ASCII host after `||` is fine: the engine punycodes it.)
    NonAscii,
    /// A `||*` pattern: DNR rejects a wildcard right after the domain anchor.
    HostnameWildcard,
    /// A `|` inside a pattern, which DNR only accepts as an anchor.
    PipeInPattern,
    /// A regex the browser's engine does not accept (look-around, back-references, class set
    /// operations; in Firefox also what JavaScript RegExp lacks, such as inline flags).
    RegexNotRe2,
    /// A regex likely over the browsers' 2 KB compiled-RE2 limit.
    RegexTooLarge,
    /// The filter's resource types are none this browser has.
    NoResourceType,
    /// Options that contradict each other (e.g. both `$~third-party` and `$~first-party`).
    NeverMatches,
    /// `$method=` names a method DNR cannot express.
    UnknownMethod,
    /// The converted rule failed the browser profile's validation (a converter bug, caught).
    Invalid,
}

impl Reason {
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Unparsed => "refused by the adblock parser",
            Reason::EngineUnsupported => "not supported by the engine yet, so what it blocks could not be named",
            Reason::Redirect => "$redirect/$redirect-rule: no redirect resources are shipped",
            Reason::Csp => "$csp is not converted",
            Reason::CosmeticOnly => "exception that only affects cosmetic filtering",
            Reason::Tag => "$tag (Brave-only opt-in filter)",
            Reason::EntityDomain => "entity domain (example.*) has no DNR equivalent",
            Reason::RegexDomain => "regex domain has no DNR equivalent",
            Reason::BadDomain => "invalid domain",
            Reason::TooManyDomains => "more domains than one filter may name",
            Reason::NonAscii => "non-ASCII domain option or path, which the engine never matches (write punycode or %-escapes)",
            Reason::HostnameWildcard => "||* pattern is rejected by DNR",
            Reason::PipeInPattern => "'|' inside the pattern is rejected by DNR",
            Reason::RegexNotRe2 => "regex not accepted by the browser's regex engine",
            Reason::RegexTooLarge => "regex too large for the browsers' RE2 limit",
            Reason::NoResourceType => "no resource type of this browser matches",
            Reason::NeverMatches => "contradictory options: the filter can never match",
            Reason::UnknownMethod => "$method names a method DNR lacks",
            Reason::Invalid => "the converted rule would be rejected by the browser",
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// Rule id → the filters behind the rule.
pub type SourceMap = BTreeMap<u32, Vec<FilterSource>>;

/// A filter as written in its list: the list id, 1-based line number and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterSource {
    pub list: String,
    pub line: u32,
    pub filter: String,
}

/// Why one filter is not converted: the reason and its specifics, as a [`Refusal`] reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cause {
    pub reason: Reason,
    pub detail: String,
}

impl Cause {
    pub fn new(reason: Reason, detail: impl Into<String>) -> Self {
        Cause { reason, detail: detail.into() }
    }
}

/// A filter that was not converted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    #[serde(flatten)]
    pub source: FilterSource,
    pub reason: Reason,
    /// Specifics, e.g. the parser's message or the regex error.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// The per-list report of one compile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListReport {
    pub list: String,
    /// Network filter lines (cosmetic filters and comments are not counted).
    pub network_filters: u32,
    /// Converted, or honoured without a rule (`$badfilter` and the filters it cancels).
    pub accepted: u32,
    pub refused: u32,
    pub refused_by_reason: BTreeMap<Reason, u32>,
    pub refusals: Vec<Refusal>,
    /// Filters cancelled by a `$badfilter` (counted as accepted).
    pub cancelled_by_badfilter: u32,
    /// Rules emitted for this list (within budget).
    pub rules: u32,
    pub regex_rules: u32,
    pub unsafe_rules: u32,
    /// Pure-hostname filters folded into `requestDomains` arrays.
    pub folded_hostnames: u32,
    /// Rules that did not fit the budget, and the filters behind them.
    pub rules_left_out: u32,
    pub filters_left_out: Vec<FilterSource>,
}

impl ListReport {
    pub(crate) fn refuse(&mut self, source: FilterSource, Cause { reason, detail }: Cause) {
        self.refused += 1;
        *self.refused_by_reason.entry(reason).or_default() += 1;
        self.refusals.push(Refusal { source, reason, detail });
    }

    /// Accepted filters as a fraction of network filters (1.0 for a list without any).
    pub fn accepted_ratio(&self) -> f64 {
        if self.network_filters == 0 { 1.0 } else { f64::from(self.accepted) / f64::from(self.network_filters) }
    }
}

impl std::fmt::Display for ListReport {
    /// The human report the CLI prints.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{}: {} network filters, {} accepted ({:.2} %), {} refused; {} DNR rules ({} regex, {} unsafe), {} hostnames folded",
            self.list,
            self.network_filters,
            self.accepted,
            100.0 * self.accepted_ratio(),
            self.refused,
            self.rules,
            self.regex_rules,
            self.unsafe_rules,
            self.folded_hostnames
        )?;
        for (reason, n) in &self.refused_by_reason {
            writeln!(f, "  refused {n:>6}: {reason}")?;
        }
        if self.cancelled_by_badfilter > 0 {
            writeln!(f, "  {} filters cancelled by $badfilter", self.cancelled_by_badfilter)?;
        }
        if self.rules_left_out > 0 {
            writeln!(f, "  over budget: {} rules left out ({} filters)", self.rules_left_out, self.filters_left_out.len())?;
        }
        Ok(())
    }
}
