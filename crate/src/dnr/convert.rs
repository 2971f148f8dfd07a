//! One filter line → DNR rule drafts, through adblock's own parser, or the reason it cannot be.

use std::collections::HashSet;
use std::hash::Hash;

use adblock::filters::network::{NetworkFilter, NetworkFilterMask as M, NetworkFilterMaskHelper};
use adblock::lists::{FilterParseError, ParseOptions, ParsedLine, parse_filter};

use super::browser::{Browser, is_hostname};
use super::priority::PRIORITY;
use super::re2;
use super::report::{Cause, Reason};
use super::schema::{Action, ActionType, Condition, DomainType, QueryTransform, Redirect, RequestMethod, ResourceType, UrlTransform};
use crate::lists::unsupported_by_engine;
use crate::resource_type::engine_name;

/// Priorities as uBlock Origin Lite uses them: removeparam < block < allow < important block.
pub(crate) const PRIORITY_REMOVEPARAM: u32 = PRIORITY.removeparam;
pub(crate) const PRIORITY_BLOCK: u32 = PRIORITY.block;
pub(crate) const PRIORITY_ALLOW: u32 = PRIORITY.allow;
pub(crate) const PRIORITY_IMPORTANT: u32 = PRIORITY.important;

/// Most domains one filter may name in its domain options (EasyList's and EasyPrivacy's longest name
/// 438); past it the filter is refused, which bounds the time and memory one line can cost.
pub(crate) const MAX_FILTER_DOMAINS: usize = 10_000;

/// A rule without its id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Draft {
    pub priority: u32,
    pub action: Action,
    pub condition: Condition,
}

/// What became of one line.
#[derive(Debug, PartialEq)]
pub(crate) enum Outcome {
    /// A comment, a cosmetic filter, or something the parser does not take for a network filter.
    NotNetwork,
    Refused(Cause),
    /// A `$badfilter`: cancels the filters with this [`filter_key`].
    Badfilter(String),
    Rules(Vec<Draft>),
}

/// Converts one trimmed, non-comment line for `browser`.
pub(crate) fn convert(line: &str, browser: Browser) -> Outcome {
    // What the engine's parser refuses (uBO's `$denyallow=` among it) is refused here too: the
    // engine could not name what such a rule blocked.
    let filter = match parse_filter(line, true, ParseOptions::default()) {
        Ok(ParsedLine::Network(f)) => f,
        Err(FilterParseError::Network(e)) => return Outcome::Refused(Cause::new(Reason::Unparsed, e.to_string())),
        Ok(ParsedLine::Cosmetic(_)) | Err(_) => return Outcome::NotNetwork,
    };
    match drafts(line, &filter, browser) {
        Ok(_) if filter.is_badfilter() => Outcome::Badfilter(filter_key(line)),
        Ok(drafts) => Outcome::Rules(drafts),
        Err(cause) => Outcome::Refused(cause),
    }
}

/// The identity of a filter for `$badfilter`: its pattern and its options, sorted, minus
/// `badfilter` itself.
pub(crate) fn filter_key(line: &str) -> String {
    let (pattern, options) = split_options(line);
    let mut options: Vec<&str> = options.map(|o| o.split(',').filter(|o| *o != "badfilter").collect()).unwrap_or_default();
    options.sort_unstable();
    format!("{pattern}${}", options.join(","))
}

/// The pattern, and the options after the last `$` (as adblock splits them).
fn split_options(line: &str) -> (&str, Option<&str>) {
    match line.rfind('$') {
        Some(i) => (&line[..i], Some(&line[i + 1..])),
        None => (line, None),
    }
}

fn refuse<T>(reason: Reason, detail: impl Into<String>) -> Result<T, Cause> {
    Err(Cause::new(reason, detail))
}

/// A filter's rule drafts, in named steps: the options as written, what DNR cannot express, the
/// condition (party, domains, methods, pattern), then the actions.
fn drafts(line: &str, f: &NetworkFilter, browser: Browser) -> Result<Vec<Draft>, Cause> {
    let (pattern, options) = split_options(line);
    let pattern = pattern.strip_prefix("@@").unwrap_or(pattern);
    let options = Options::parse(options);
    refuse_inexpressible(f, &options)?;
    let mut condition = Condition { domain_type: domain_type(f)?, ..Condition::default() };
    add_domains(&mut condition, &options)?;
    add_methods(&mut condition, &options)?;
    add_pattern(&mut condition, f, pattern, browser)?;
    actions(f, &options, condition, browser)
}

/// A filter's options as written: `(negated, name, value)` each, in order.
struct Options<'a>(Vec<(bool, &'a str, &'a str)>);

impl<'a> Options<'a> {
    fn parse(options: Option<&'a str>) -> Self {
        let parsed = options.into_iter().flat_map(|o| o.split(',')).map(|o| {
            let (negated, o) = o.strip_prefix('~').map_or((false, o), |o| (true, o));
            let (name, value) = o.split_once('=').unwrap_or((o, ""));
            (negated, name, value)
        });
        Options(parsed.collect())
    }

    /// The options called one of `names`.
    fn named(&self, names: &'static [&'static str]) -> impl Iterator<Item = &(bool, &'a str, &'a str)> {
        self.0.iter().filter(move |(_, n, _)| names.contains(n))
    }
}

/// Refuses what DNR cannot do (redirects, `$csp`, cosmetic-only exceptions, `$tag`) and what the
/// engine does not apply (its rule's blocks could not be named).
fn refuse_inexpressible(f: &NetworkFilter, options: &Options) -> Result<(), Cause> {
    if let Some(why) = unsupported_by_engine(f) {
        return refuse(Reason::EngineUnsupported, why);
    }
    if f.is_redirect() {
        return refuse(Reason::Redirect, f.modifier_option.unwrap_or_default());
    }
    if f.is_csp() {
        return refuse(Reason::Csp, "");
    }
    if f.is_generic_hide() {
        return refuse(Reason::CosmeticOnly, "");
    }
    if options.named(&["tag"]).next().is_some() {
        return refuse(Reason::Tag, "");
    }
    Ok(())
}

/// `$third-party` / `$first-party` as a `domainType`; none when both parties are allowed.
fn domain_type(f: &NetworkFilter) -> Result<Option<DomainType>, Cause> {
    match (f.first_party(), f.third_party()) {
        (true, true) => Ok(None),
        (true, false) => Ok(Some(DomainType::FirstParty)),
        (false, true) => Ok(Some(DomainType::ThirdParty)),
        (false, false) => refuse(Reason::NeverMatches, "both parties excluded"),
    }
}

/// `$domain=` / `$from=` as initiator domains (`~` ones as excluded); at most
/// [`MAX_FILTER_DOMAINS`] in all.
fn add_domains(condition: &mut Condition, options: &Options) -> Result<(), Cause> {
    let values = || options.named(&["domain", "from"]).map(|(_, _, value)| *value);
    let count: usize = values().map(|value| memchr::memchr_iter(b'|', value.as_bytes()).count() + 1).sum();
    if count > MAX_FILTER_DOMAINS {
        return refuse(Reason::TooManyDomains, format!("{count} domains, over {MAX_FILTER_DOMAINS}"));
    }
    for value in values() {
        let (yes, no) = domains(value)?;
        extend(&mut condition.initiator_domains, yes);
        extend(&mut condition.excluded_initiator_domains, no);
    }
    Ok(())
}

/// `$method=` as request methods, `~` ones as excluded methods.
fn add_methods(condition: &mut Condition, options: &Options) -> Result<(), Cause> {
    for (_, _, value) in options.named(&["method"]) {
        for m in value.split('|') {
            let (negated, name) = m.strip_prefix('~').map_or((false, m), |m| (true, m));
            let method = RequestMethod::parse(name).ok_or_else(|| Cause::new(Reason::UnknownMethod, name))?;
            let target = if negated { &mut condition.excluded_request_methods } else { &mut condition.request_methods };
            extend(target, vec![method]);
        }
    }
    Ok(())
}

/// The pattern (without `@@` and options) as a `regexFilter` or a `urlFilter`. Anchors around a
/// regex are read as the engine reads them: `|…|` ignored, `||` matching no host at all.
fn add_pattern(condition: &mut Condition, f: &NetworkFilter, pattern: &str, browser: Browser) -> Result<(), Cause> {
    if f.is_complete_regex() {
        let Anchors { start, body, .. } = Anchors::of(pattern);
        if start == "||" {
            return refuse(Reason::NeverMatches, "a || anchor before a regex: the engine matches no host to it");
        }
        let regex = &body[1..body.len() - 1];
        re2::check(regex, browser)?;
        condition.regex_filter = Some(regex.to_string());
        condition.is_url_filter_case_sensitive = f.match_case().then_some(true);
    } else {
        condition.url_filter = url_filter(pattern)?;
    }
    Ok(())
}

/// The drafts for `condition`, with the filter's resource types: an `@@…$document` exception
/// allows whole frames (and the rest of its types); otherwise one allow, removeparam or block.
fn actions(f: &NetworkFilter, options: &Options, mut condition: Condition, browser: Browser) -> Result<Vec<Draft>, Cause> {
    let types = types_of(f.mask, browser);
    let action = |kind| Action { kind, redirect: None };
    let explicit_document = options.named(&["document", "doc"]).any(|(negated, _, _)| !negated);
    if f.is_exception() && explicit_document {
        let frames = vec![ResourceType::MainFrame, ResourceType::SubFrame];
        let mut c = Condition { resource_types: Some(frames), ..condition.clone() };
        c.excluded_resource_types = None;
        let mut out = vec![Draft { priority: PRIORITY_ALLOW, action: action(ActionType::AllowAllRequests), condition: c }];
        let rest: Vec<ResourceType> = types.into_iter().filter(|t| *t != ResourceType::MainFrame).collect();
        if !rest.is_empty() {
            set_types(&mut condition, rest, browser);
            out.push(Draft { priority: PRIORITY_ALLOW, action: action(ActionType::Allow), condition });
        }
        return Ok(out);
    }
    if types.is_empty() {
        return refuse(Reason::NoResourceType, format!("{browser:?}"));
    }
    set_types(&mut condition, types, browser);
    let draft = if f.is_exception() {
        Draft { priority: PRIORITY_ALLOW, action: action(ActionType::Allow), condition }
    } else if f.is_removeparam() {
        let param = f.modifier_option.unwrap_or_default().to_string();
        let transform = UrlTransform { query_transform: QueryTransform { remove_params: vec![param] } };
        let action = Action { kind: ActionType::Redirect, redirect: Some(Redirect { transform }) };
        Draft { priority: PRIORITY_REMOVEPARAM, action, condition }
    } else {
        let priority = if f.is_important() { PRIORITY_IMPORTANT } else { PRIORITY_BLOCK };
        Draft { priority, action: action(ActionType::Block), condition }
    };
    Ok(vec![draft])
}

/// Appends `items` to `target` (made when there are any), each once.
fn extend<T: Eq + Hash + Clone>(target: &mut Option<Vec<T>>, items: Vec<T>) {
    if items.is_empty() {
        return;
    }
    let list = target.get_or_insert_with(Vec::new);
    list.extend(items);
    dedup_in_order(list);
}

/// Keeps the first of equal items, in order: in linear time, as one filter may name thousands of
/// domains and a list thousands of parameters.
pub(crate) fn dedup_in_order<T: Eq + Hash + Clone>(items: &mut Vec<T>) {
    let mut seen = HashSet::with_capacity(items.len());
    items.retain(|item| seen.insert(item.clone()));
}

/// A `|`-separated domain option → (included, excluded), lower-case punycode.
fn domains(value: &str) -> Result<(Vec<String>, Vec<String>), Cause> {
    let (mut yes, mut no) = (Vec::new(), Vec::new());
    for entry in value.split('|') {
        let (negated, domain) = entry.strip_prefix('~').map_or((false, entry), |d| (true, d));
        if domain.starts_with('/') {
            return refuse(Reason::RegexDomain, domain);
        }
        if domain.ends_with(".*") {
            return refuse(Reason::EntityDomain, domain);
        }
        if !domain.is_ascii() {
            return refuse(Reason::NonAscii, domain);
        }
        let ascii = ascii_host(domain).ok_or_else(|| Cause::new(Reason::BadDomain, domain))?;
        if negated { &mut no } else { &mut yes }.push(ascii);
    }
    Ok((yes, no))
}

/// A hostname as browsers send it: lower case, punycode; `None` if it is not one.
pub(crate) fn ascii_host(host: &str) -> Option<String> {
    let ascii = idna::domain_to_ascii(host).ok()?;
    is_hostname(&ascii).then_some(ascii)
}

/// A pattern's anchors, as adblock splits them: `||` (a host) or `|` (the start) before the body,
/// `|` (the end) after it.
struct Anchors<'a> {
    start: &'static str,
    body: &'a str,
    end: &'static str,
}

impl<'a> Anchors<'a> {
    fn of(pattern: &'a str) -> Self {
        let (start, body) = if let Some(rest) = pattern.strip_prefix("||") {
            ("||", rest)
        } else if let Some(rest) = pattern.strip_prefix('|') {
            ("|", rest)
        } else {
            ("", pattern)
        };
        match body.strip_suffix('|') {
            Some(body) => Anchors { start, body, end: "|" },
            None => Anchors { start, body, end: "" },
        }
    }
}

/// An ABP pattern (without `@@` and options) → a DNR urlFilter; `None` matches every URL.
fn url_filter(pattern: &str) -> Result<Option<String>, Cause> {
    let Anchors { start: anchor, body, end } = Anchors::of(pattern);
    if body.contains('|') {
        return refuse(Reason::PipeInPattern, pattern);
    }
    if anchor == "||" && body.starts_with('*') {
        return refuse(Reason::HostnameWildcard, pattern);
    }
    let mut out = String::from(anchor);
    let mut rest = body;
    if anchor == "||" {
        let host_end = body.find(['/', '^', '*', ':', '?']).unwrap_or(body.len());
        if body[host_end..].starts_with(':') {
            return refuse(Reason::EngineUnsupported, "a port after ||host: the engine matches the host and port as one name, which no request has");
        }
        let host = &body[..host_end];
        let host = if host.is_ascii() { host.to_ascii_lowercase() } else { ascii_host(host).ok_or_else(|| Cause::new(Reason::BadDomain, host))? };
        if host.is_empty() {
            return refuse(Reason::BadDomain, pattern);
        }
        out.push_str(&host);
        rest = &body[host_end..];
    }
    if !rest.is_ascii() {
        return refuse(Reason::NonAscii, pattern);
    }
    out.push_str(rest);
    out.push_str(end);
    Ok(if out.trim_start_matches('*').is_empty() { None } else { Some(out) })
}

/// The adblock mask bit for a DNR resource type, via the engine's own type mapping.
fn mask_bit(t: ResourceType) -> M {
    match engine_name(t.name()).unwrap_or("other") {
        "document" => M::FROM_DOCUMENT,
        "sub_frame" => M::FROM_SUBDOCUMENT,
        "image" => M::FROM_IMAGE,
        "xmlhttprequest" => M::FROM_XMLHTTPREQUEST,
        "ping" => M::FROM_PING,
        "object" => M::FROM_OBJECT,
        "stylesheet" => M::FROM_STYLESHEET,
        "script" => M::FROM_SCRIPT,
        "font" => M::FROM_FONT,
        "media" => M::FROM_MEDIA,
        "websocket" => M::FROM_WEBSOCKET,
        "other" => M::FROM_OTHER,
        _ => M::NONE, // csp_report: the engine never matches it
    }
}

/// The browser's resource types the filter applies to.
fn types_of(mask: M, browser: Browser) -> Vec<ResourceType> {
    browser.resource_types().iter().copied().filter(|t| !mask_bit(*t).is_empty() && mask.contains(mask_bit(*t))).collect()
}

/// Writes `types` as the shortest of: nothing (DNR's default), resourceTypes, excludedResourceTypes.
fn set_types(condition: &mut Condition, types: Vec<ResourceType>, browser: Browser) {
    let all = browser.resource_types();
    let missing: Vec<ResourceType> = all.iter().copied().filter(|t| !types.contains(t)).collect();
    if missing == [ResourceType::MainFrame] {
        return;
    }
    if missing.len() < types.len() {
        condition.excluded_resource_types = Some(missing);
    } else {
        condition.resource_types = Some(types);
    }
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
