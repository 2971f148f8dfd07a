//! One filter line → DNR rule drafts, through adblock's own parser, or the reason it cannot be.

use adblock::filters::network::{NetworkFilter, NetworkFilterMask as M, NetworkFilterMaskHelper};
use adblock::lists::{FilterParseError, ParseOptions, ParsedLine, parse_filter};

use super::browser::{Browser, is_hostname};
use super::priority::PRIORITY;
use super::re2;
use super::report::Reason;
use super::schema::{Action, ActionType, Condition, DomainType, QueryTransform, Redirect, RequestMethod, ResourceType, UrlTransform};
use crate::resource_type::engine_name;

/// Priorities as uBlock Origin Lite uses them: removeparam < block < allow < important block.
pub(crate) const PRIORITY_REMOVEPARAM: u32 = PRIORITY.removeparam;
pub(crate) const PRIORITY_BLOCK: u32 = PRIORITY.block;
pub(crate) const PRIORITY_ALLOW: u32 = PRIORITY.allow;
pub(crate) const PRIORITY_IMPORTANT: u32 = PRIORITY.important;

/// A rule without its id.
#[derive(Debug, Clone, PartialEq)]
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
    Refused(Reason, String),
    /// A `$badfilter`: cancels the filters with this [`filter_key`].
    Badfilter(String),
    Rules(Vec<Draft>),
}

/// Converts one trimmed, non-comment line for `browser`.
pub(crate) fn convert(line: &str, browser: Browser) -> Outcome {
    // adblock 0.13 does not know uBO's `$denyallow=`: parse the rest, express it as
    // excludedRequestDomains.
    let (line, denyallow) = split_denyallow(line);
    let filter = match parse_filter(&line, true, ParseOptions::default()) {
        Ok(ParsedLine::Network(f)) => f,
        Err(FilterParseError::Network(e)) => return Outcome::Refused(Reason::Unparsed, e.to_string()),
        Ok(ParsedLine::Cosmetic(_)) | Err(_) => return Outcome::NotNetwork,
    };
    match drafts(&line, &filter, denyallow.as_deref(), browser) {
        Ok(_) if filter.is_badfilter() => Outcome::Badfilter(filter_key(&line)),
        Ok(drafts) => Outcome::Rules(drafts),
        Err((reason, detail)) => Outcome::Refused(reason, detail),
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

fn split_denyallow(line: &str) -> (String, Option<String>) {
    let (pattern, Some(options)) = split_options(line) else { return (line.to_string(), None) };
    let (deny, rest): (Vec<&str>, Vec<&str>) = options.split(',').partition(|o| o.starts_with("denyallow="));
    match deny.last() {
        None => (line.to_string(), None),
        Some(d) if rest.is_empty() => (pattern.to_string(), Some(d["denyallow=".len()..].to_string())),
        Some(d) => (format!("{pattern}${}", rest.join(",")), Some(d["denyallow=".len()..].to_string())),
    }
}

type Refusal = (Reason, String);

fn refuse<T>(reason: Reason, detail: impl Into<String>) -> Result<T, Refusal> {
    Err((reason, detail.into()))
}

fn drafts(line: &str, f: &NetworkFilter, denyallow: Option<&str>, browser: Browser) -> Result<Vec<Draft>, Refusal> {
    let (pattern, options) = split_options(line);
    let pattern = pattern.strip_prefix("@@").unwrap_or(pattern);
    let options: Vec<(bool, &str, &str)> = options
        .into_iter()
        .flat_map(|o| o.split(','))
        .map(|o| {
            let (negated, o) = o.strip_prefix('~').map_or((false, o), |o| (true, o));
            let (name, value) = o.split_once('=').unwrap_or((o, ""));
            (negated, name, value)
        })
        .collect();
    let named = |names: &'static [&'static str]| options.iter().filter(move |(_, n, _)| names.contains(n));

    if f.is_redirect() {
        return refuse(Reason::Redirect, f.modifier_option.unwrap_or_default());
    }
    if f.is_csp() {
        return refuse(Reason::Csp, "");
    }
    if f.is_generic_hide() {
        return refuse(Reason::CosmeticOnly, "");
    }
    if named(&["tag"]).next().is_some() {
        return refuse(Reason::Tag, "");
    }

    let domain_type = match (f.first_party(), f.third_party()) {
        (true, true) => None,
        (true, false) => Some(DomainType::FirstParty),
        (false, true) => Some(DomainType::ThirdParty),
        (false, false) => return refuse(Reason::NeverMatches, "both parties excluded"),
    };
    let mut condition = Condition { domain_type, ..Condition::default() };
    for (_, _, value) in named(&["domain", "from"]) {
        let (yes, no) = domains(value)?;
        extend(&mut condition.initiator_domains, yes);
        extend(&mut condition.excluded_initiator_domains, no);
    }
    for (_, _, value) in named(&["to"]) {
        let (yes, no) = domains(value)?;
        extend(&mut condition.request_domains, yes);
        extend(&mut condition.excluded_request_domains, no);
    }
    if let Some(value) = denyallow {
        let (yes, no) = domains(value)?;
        if !no.is_empty() {
            return refuse(Reason::BadDomain, "negated domain in $denyallow");
        }
        extend(&mut condition.excluded_request_domains, yes);
    }
    for (_, _, value) in named(&["method"]) {
        for m in value.split('|') {
            let (negated, name) = m.strip_prefix('~').map_or((false, m), |m| (true, m));
            let method = RequestMethod::parse(name).ok_or_else(|| (Reason::UnknownMethod, name.to_string()))?;
            let target = if negated { &mut condition.excluded_request_methods } else { &mut condition.request_methods };
            extend(target, vec![method]);
        }
    }

    if f.is_complete_regex() {
        let regex = &pattern[1..pattern.len() - 1];
        re2::check(regex, browser)?;
        condition.regex_filter = Some(regex.to_string());
        condition.is_url_filter_case_sensitive = f.match_case().then_some(true);
    } else {
        condition.url_filter = url_filter(pattern)?;
    }

    let types = types_of(f.mask, browser);
    let explicit_document = named(&["document", "doc"]).any(|(negated, _, _)| !negated);
    let mut out = Vec::new();
    let action = |kind| Action { kind, redirect: None };
    if f.is_exception() && explicit_document {
        let frames = vec![ResourceType::MainFrame, ResourceType::SubFrame];
        let mut c = Condition { resource_types: Some(frames), ..condition.clone() };
        c.excluded_resource_types = None;
        out.push(Draft { priority: PRIORITY_ALLOW, action: action(ActionType::AllowAllRequests), condition: c });
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
    out.push(draft);
    Ok(out)
}

fn extend<T: PartialEq>(target: &mut Option<Vec<T>>, items: Vec<T>) {
    if items.is_empty() {
        return;
    }
    let list = target.get_or_insert_with(Vec::new);
    for item in items {
        if !list.contains(&item) {
            list.push(item);
        }
    }
}

/// A `|`-separated domain option → (included, excluded), lower-case punycode.
fn domains(value: &str) -> Result<(Vec<String>, Vec<String>), Refusal> {
    let (mut yes, mut no) = (Vec::new(), Vec::new());
    for entry in value.split('|') {
        let (negated, domain) = entry.strip_prefix('~').map_or((false, entry), |d| (true, d));
        if domain.starts_with('/') {
            return refuse(Reason::RegexDomain, domain);
        }
        if domain.ends_with(".*") {
            return refuse(Reason::EntityDomain, domain);
        }
        let ascii = ascii_host(domain).ok_or_else(|| (Reason::BadDomain, domain.to_string()))?;
        if negated { &mut no } else { &mut yes }.push(ascii);
    }
    Ok((yes, no))
}

/// A hostname as browsers send it: lower case, punycode; `None` if it is not one.
pub(crate) fn ascii_host(host: &str) -> Option<String> {
    let ascii = idna::domain_to_ascii(host).ok()?;
    is_hostname(&ascii).then_some(ascii)
}

/// An ABP pattern (without `@@` and options) → a DNR urlFilter; `None` matches every URL.
fn url_filter(pattern: &str) -> Result<Option<String>, Refusal> {
    let (anchor, body) = if let Some(rest) = pattern.strip_prefix("||") {
        ("||", rest)
    } else if let Some(rest) = pattern.strip_prefix('|') {
        ("|", rest)
    } else {
        ("", pattern)
    };
    let (body, end) = match body.strip_suffix('|') {
        Some(b) => (b, "|"),
        None => (body, ""),
    };
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
        let host = &body[..host_end];
        let host = if host.is_ascii() { host.to_ascii_lowercase() } else { ascii_host(host).ok_or_else(|| (Reason::BadDomain, host.to_string()))? };
        if host.is_empty() {
            return refuse(Reason::BadDomain, pattern);
        }
        out.push_str(&host);
        rest = &body[host_end..];
    }
    for c in rest.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            // Browsers percent-encode non-ASCII URL characters as UTF-8.
            for b in c.to_string().bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
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
