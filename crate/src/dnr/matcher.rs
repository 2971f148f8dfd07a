//! An offline DNR matcher with the documented semantics, to test rulesets without a browser.

use std::collections::{HashMap, HashSet};

use crate::error::{Error, Result};
use crate::parse_url;

use super::schema::{ActionType, Condition, DomainType, RequestMethod, ResourceType, Rule};

/// A request as DNR sees it. `initiator` is the URL of the document that made it (none for a
/// navigation typed by the user).
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub url: &'a str,
    pub initiator: Option<&'a str>,
    pub resource_type: ResourceType,
    pub method: RequestMethod,
}

impl<'a> Request<'a> {
    /// A GET request.
    pub fn new(url: &'a str, initiator: Option<&'a str>, resource_type: ResourceType) -> Self {
        Request { url, initiator, resource_type, method: RequestMethod::Get }
    }
}

/// Rules indexed for matching. Candidates are found by a whole token of the urlFilter, by the
/// request's host (requestDomains), or always; then every condition is checked in full.
pub struct Matcher {
    rules: Vec<Indexed>,
    by_token: HashMap<String, Vec<usize>>,
    by_domain: HashMap<String, Vec<usize>>,
    always: Vec<usize>,
    allow_all: Vec<usize>,
}

struct Indexed {
    rule: Rule,
    pattern: Option<Pattern>,
    regex: Option<regex::Regex>,
    /// requestDomains, excludedRequestDomains, initiatorDomains, excludedInitiatorDomains.
    domains: [Option<HashSet<String>>; 4],
}

#[derive(Clone, Copy, PartialEq)]
enum Piece {
    Lit(u8),
    /// `^`: a separator character, or the end of the URL.
    Sep,
    Star,
}

struct Pattern {
    /// `||`: the match starts at the host or after one of its dots.
    domain_anchor: bool,
    /// `|` at the end: the match ends at the end of the URL.
    end_anchor: bool,
    /// Starts with an implicit `*` unless anchored at the start (`|` or `||`).
    pieces: Vec<Piece>,
}

struct Prepared {
    normalized: String,
    lower: String,
    host: (usize, usize),
    third_party: bool,
    initiator_host: Option<String>,
    resource_type: ResourceType,
    method: RequestMethod,
}

impl Matcher {
    /// Indexes `rules`; fails on a regexFilter the regex crate cannot compile.
    pub fn new(rules: Vec<Rule>) -> Result<Self> {
        let mut m = Matcher {
            rules: Vec::with_capacity(rules.len()),
            by_token: HashMap::new(),
            by_domain: HashMap::new(),
            always: Vec::new(),
            allow_all: Vec::new(),
        };
        let mut token_lists = Vec::with_capacity(rules.len());
        let mut uses: HashMap<String, usize> = HashMap::new();
        for rule in rules {
            let c = &rule.condition;
            let case_sensitive = c.is_url_filter_case_sensitive == Some(true);
            let pattern = c.url_filter.as_deref().map(|f| Pattern::parse(f, case_sensitive));
            let regex = c
                .regex_filter
                .as_deref()
                .map(|r| {
                    regex::RegexBuilder::new(r)
                        .case_insensitive(!case_sensitive)
                        .build()
                        .map_err(|e| Error::InvalidRule { id: rule.id, why: e.to_string() })
                })
                .transpose()?;
            let tokens = pattern.as_ref().map(Pattern::tokens).unwrap_or_default();
            for t in &tokens {
                *uses.entry(t.clone()).or_default() += 1;
            }
            token_lists.push(tokens);
            let set = |list: &Option<Vec<String>>| list.as_ref().map(|l| l.iter().cloned().collect());
            let domains = [set(&c.request_domains), set(&c.excluded_request_domains), set(&c.initiator_domains), set(&c.excluded_initiator_domains)];
            m.rules.push(Indexed { rule, pattern, regex, domains });
        }
        for (i, tokens) in token_lists.into_iter().enumerate() {
            let c = &m.rules[i].rule.condition;
            // The token fewest rules share keeps buckets small.
            if let Some(token) = tokens.into_iter().min_by_key(|t| (uses[t], usize::MAX - t.len())) {
                m.by_token.entry(token).or_default().push(i);
            } else if let Some(domains) = &c.request_domains {
                for d in domains {
                    m.by_domain.entry(d.clone()).or_default().push(i);
                }
            } else {
                m.always.push(i);
            }
            if m.rules[i].rule.action.kind == ActionType::AllowAllRequests {
                m.allow_all.push(i);
            }
        }
        Ok(m)
    }

    /// The rule DNR would apply: highest priority, then allow > allowAllRequests > block >
    /// upgradeScheme > redirect > modifyHeaders. An allowAllRequests rule that matched the
    /// initiating document (as main_frame or sub_frame) also takes part.
    pub fn matched(&self, request: &Request) -> Option<&Rule> {
        let req = Prepared::new(request)?;
        let mut candidates: Vec<usize> = self.always.clone();
        for token in tokens(&req.lower) {
            candidates.extend(self.by_token.get(token).into_iter().flatten());
        }
        for suffix in host_suffixes(&req.lower[req.host.0..req.host.1]) {
            candidates.extend(self.by_domain.get(suffix).into_iter().flatten());
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut hits: Vec<&Rule> = candidates.into_iter().filter(|&i| self.rules[i].matches(&req)).map(|i| &self.rules[i].rule).collect();
        if let Some(frame_url) = request.initiator {
            for kind in [ResourceType::MainFrame, ResourceType::SubFrame] {
                if let Some(frame) = Prepared::new(&Request::new(frame_url, None, kind)) {
                    hits.extend(self.allow_all.iter().filter(|&&i| self.rules[i].matches(&frame)).map(|&i| &self.rules[i].rule));
                }
            }
        }
        hits.into_iter().max_by(|a, b| a.priority.cmp(&b.priority).then(b.action.kind.cmp(&a.action.kind)))
    }

    /// Whether DNR would block `request`.
    pub fn blocks(&self, request: &Request) -> bool {
        self.matched(request).is_some_and(|r| r.action.kind == ActionType::Block)
    }
}

impl Prepared {
    fn new(r: &Request) -> Option<Self> {
        let parsed = parse_url(r.url)?;
        let initiator = r.initiator.and_then(parse_url);
        let third_party = initiator.as_ref().is_none_or(|i| i.domain() != parsed.domain());
        Some(Prepared {
            lower: parsed.url.to_ascii_lowercase(),
            host: parsed.hostname_pos,
            third_party,
            initiator_host: initiator.map(|i| i.hostname().to_ascii_lowercase()),
            resource_type: r.resource_type,
            method: r.method,
            normalized: parsed.url,
        })
    }

    fn host(&self) -> &str {
        &self.lower[self.host.0..self.host.1]
    }
}

impl Indexed {
    fn matches(&self, r: &Prepared) -> bool {
        let c: &Condition = &self.rule.condition;
        let type_ok = match (&c.resource_types, &c.excluded_resource_types) {
            (Some(types), _) => types.contains(&r.resource_type),
            (None, Some(excluded)) => !excluded.contains(&r.resource_type),
            (None, None) => r.resource_type != ResourceType::MainFrame,
        };
        let method_ok = c.request_methods.as_ref().is_none_or(|m| m.contains(&r.method))
            && c.excluded_request_methods.as_ref().is_none_or(|m| !m.contains(&r.method));
        let party_ok = match c.domain_type {
            None => true,
            Some(DomainType::FirstParty) => !r.third_party,
            Some(DomainType::ThirdParty) => r.third_party,
        };
        // A host is within a domain list when it, or a parent domain of it, is listed.
        let within = |host: &str, set: &HashSet<String>| host_suffixes(host).any(|s| set.contains(s));
        let [request, not_request, initiator, not_initiator] = &self.domains;
        let request_ok = request.as_ref().is_none_or(|d| within(r.host(), d)) && !not_request.as_ref().is_some_and(|d| within(r.host(), d));
        let initiator_ok = match &r.initiator_host {
            Some(h) => initiator.as_ref().is_none_or(|d| within(h, d)) && !not_initiator.as_ref().is_some_and(|d| within(h, d)),
            None => initiator.is_none(),
        };
        if !(type_ok && method_ok && party_ok && request_ok && initiator_ok) {
            return false;
        }
        let case_sensitive = c.is_url_filter_case_sensitive == Some(true);
        let text = if case_sensitive { r.normalized.as_str() } else { r.lower.as_str() };
        match (&self.pattern, &self.regex) {
            (Some(p), _) => p.matches(text.as_bytes(), r.host),
            (None, Some(re)) => re.is_match(text),
            (None, None) => true,
        }
    }
}

/// `a.b.c`, `b.c`, `c`.
fn host_suffixes(host: &str) -> impl Iterator<Item = &str> {
    std::iter::once(host).chain(host.match_indices('.').map(move |(i, _)| &host[i + 1..]))
}

/// Maximal runs of ASCII letters and digits.
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty())
}

/// A separator: anything but a letter, a digit, `_`, `-`, `.` or `%`.
fn is_separator(b: u8) -> bool {
    !(b.is_ascii_alphanumeric() || b"_-.%".contains(&b))
}

impl Pattern {
    fn parse(filter: &str, case_sensitive: bool) -> Self {
        let filter = if case_sensitive { filter.to_string() } else { filter.to_ascii_lowercase() };
        let (domain_anchor, start_anchor, body) = if let Some(b) = filter.strip_prefix("||") {
            (true, true, b)
        } else if let Some(b) = filter.strip_prefix('|') {
            (false, true, b)
        } else {
            (false, false, filter.as_str())
        };
        let (body, end_anchor) = body.strip_suffix('|').map_or((body, false), |b| (b, true));
        let mut pieces: Vec<Piece> = if start_anchor { Vec::new() } else { vec![Piece::Star] };
        pieces.extend(body.bytes().map(|b| match b {
            b'*' => Piece::Star,
            b'^' => Piece::Sep,
            b => Piece::Lit(b),
        }));
        Pattern { domain_anchor, end_anchor, pieces }
    }

    /// The runs of letters and digits bounded on both sides in every URL the pattern matches,
    /// hence whole tokens of those URLs (lower case).
    fn tokens(&self) -> Vec<String> {
        let p = &self.pieces;
        let alnum = |piece: &Piece| matches!(piece, Piece::Lit(b) if b.is_ascii_alphanumeric());
        let bound = |piece: &Piece| matches!(piece, Piece::Sep) || matches!(piece, Piece::Lit(b) if !b.is_ascii_alphanumeric());
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < p.len() {
            if !alnum(&p[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < p.len() && alnum(&p[i]) {
                i += 1;
            }
            let left = start == 0 || bound(&p[start - 1]);
            let right = if i == p.len() { self.end_anchor } else { bound(&p[i]) };
            if left && right {
                tokens.push(
                    p[start..i]
                        .iter()
                        .filter_map(|piece| if let Piece::Lit(b) = piece { Some(char::from(b.to_ascii_lowercase())) } else { None })
                        .collect(),
                );
            }
        }
        tokens
    }

    fn matches(&self, url: &[u8], host: (usize, usize)) -> bool {
        if !self.domain_anchor {
            return glob(&self.pieces, url, self.end_anchor);
        }
        let starts = std::iter::once(host.0).chain((host.0..host.1).filter(|&i| url[i] == b'.').map(|i| i + 1));
        starts.into_iter().any(|s| glob(&self.pieces, &url[s..], self.end_anchor))
    }
}

/// Matches `pieces` at the start of `text`, to its end if `end_anchor`; `*` backtracks.
fn glob(pieces: &[Piece], text: &[u8], end_anchor: bool) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut back: Option<(usize, usize)> = None;
    loop {
        if pi == pieces.len() {
            if !end_anchor || ti == text.len() {
                return true;
            }
        } else {
            match pieces[pi] {
                Piece::Star => {
                    back = Some((pi, ti));
                    pi += 1;
                    continue;
                }
                Piece::Sep if ti == text.len() => {
                    pi += 1;
                    continue;
                }
                Piece::Sep if is_separator(text[ti]) => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                Piece::Lit(c) if ti < text.len() && text[ti] == c => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                _ => {}
            }
        }
        match back {
            Some((bp, bt)) if bt < text.len() => {
                back = Some((bp, bt + 1));
                pi = bp + 1;
                ti = bt + 1;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
#[path = "matcher_tests.rs"]
mod tests;
