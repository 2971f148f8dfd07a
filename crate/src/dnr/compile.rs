//! Lists → one DNR ruleset per list: `$badfilter`, hostname folding, ids, budgets, source map, report.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::browser::{Browser, is_hostname};
use super::convert::{Draft, Outcome, ascii_host, convert, filter_key};
use super::report::{FilterSource, ListReport, Reason};
use super::schema::{Action, ActionType, Condition, Rule};
use super::twins::{EmailOpenLines, twins};
use crate::lists::{ListSource, is_comment};

/// How many rules a compile may emit, in total and of the kinds browsers count apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Budget {
    pub rules: usize,
    pub unsafe_rules: usize,
    pub regex_rules: usize,
}

impl Budget {
    /// What one extension's static rulesets may hold in `browser`.
    pub fn static_rules(browser: Browser) -> Self {
        let l = browser.limits();
        Budget { rules: l.static_rules, unsafe_rules: l.unsafe_rules, regex_rules: l.regex_rules }
    }

    /// What dynamic rules (custom lists) may hold in `browser`.
    pub fn dynamic_rules(browser: Browser) -> Self {
        let l = browser.limits();
        Budget { rules: l.dynamic_rules, unsafe_rules: l.unsafe_rules, regex_rules: l.regex_rules }
    }
}

/// Options of one compile: the target browser, the first rule id, and the budget shared by all lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompileOptions {
    pub browser: Browser,
    pub first_id: u32,
    pub budget: Budget,
}

impl CompileOptions {
    /// Ids from 1, the static-ruleset budget.
    pub fn new(browser: Browser) -> Self {
        CompileOptions { browser, first_id: 1, budget: Budget::static_rules(browser) }
    }
}

/// One list's ruleset, its source map (rule id → the filters behind the rule) and its report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompiledList {
    pub id: String,
    pub rules: Vec<Rule>,
    pub source_map: BTreeMap<u32, Vec<FilterSource>>,
    pub report: ListReport,
}

impl CompiledList {
    /// The filter behind rule `rule_id` matching a request to `url`: for a rule folded from many
    /// `||host^` filters, the one naming the request's host or a parent domain of it.
    pub fn filter_for(&self, rule_id: u32, url: &str) -> Option<&FilterSource> {
        let sources = self.source_map.get(&rule_id)?;
        let host = crate::parse_url(url).map(|u| u.hostname().to_ascii_lowercase()).unwrap_or_default();
        let names_host = |s: &&FilterSource| {
            let pattern = s.filter.trim_start_matches("@@").strip_prefix("||").unwrap_or_default();
            let named = pattern.split(['^', '$']).next().and_then(ascii_host).unwrap_or_default();
            !named.is_empty() && host.strip_suffix(&named).is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
        };
        sources.iter().find(names_host).or(sources.first())
    }
}

/// Everything one compile produced, list by list in input order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compiled {
    pub browser: Browser,
    pub lists: Vec<CompiledList>,
}

impl Compiled {
    /// Every rule of every list.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.lists.iter().flat_map(|l| l.rules.iter())
    }
}

/// Drafts that become one rule: those sharing everything but the hostname of a `||host^`
/// filter (merged into `requestDomains`) or the parameter of a `$removeparam` filter (merged
/// into `removeParams`), and identical drafts (duplicate filters).
#[derive(Hash, PartialEq, Eq)]
enum FoldKey {
    Hosts(u32, Action, Condition),
    Params(u32, Condition),
    Same(u32, Action, Condition),
}

struct Group {
    draft: Draft,
    sources: Vec<FilterSource>,
    /// A proxy twin of an email-open filter's rule (`twins.rs`).
    twin: bool,
}

/// Compiles `lists` for `options.browser`. `$badfilter` applies across all lists; ids are unique
/// across lists, from `options.first_id`; rules past the budget are left out and reported. An
/// email-open pixel filter also gets its webmail-proxy twins (`twins.rs`), mapped to it.
pub fn compile(lists: &[ListSource], options: &CompileOptions) -> Compiled {
    let browser = options.browser;
    let converted: Vec<Vec<(FilterSource, Outcome)>> = lists
        .iter()
        .map(|list| {
            list.text
                .lines()
                .enumerate()
                .map(|(i, raw)| (i, raw.trim()))
                .filter(|(_, line)| !is_comment(line))
                .map(|(i, line)| {
                    let source = FilterSource { list: list.id.clone(), line: u32::try_from(i + 1).unwrap_or(u32::MAX), filter: line.to_string() };
                    (source, convert(line, browser))
                })
                .filter(|(_, outcome)| *outcome != Outcome::NotNetwork)
                .collect()
        })
        .collect();
    let badfilters: HashSet<String> =
        converted.iter().flatten().filter_map(|(_, o)| if let Outcome::Badfilter(key) = o { Some(key.clone()) } else { None }).collect();

    let mut next_id = options.first_id.max(1);
    let mut used = Budget { rules: 0, unsafe_rules: 0, regex_rules: 0 };
    let mut out = Vec::with_capacity(lists.len());
    for (list, outcomes) in lists.iter().zip(converted) {
        let mut report = ListReport { list: list.id.clone(), ..ListReport::default() };
        let mut groups: Vec<Group> = Vec::new();
        let mut folds: HashMap<FoldKey, usize> = HashMap::new();
        let email_open = EmailOpenLines::of(&list.text);
        for (source, outcome) in outcomes {
            report.network_filters += 1;
            let drafts = match outcome {
                Outcome::Rules(_) if !badfilters.is_empty() && badfilters.contains(&filter_key(&source.filter)) => {
                    report.cancelled_by_badfilter += 1;
                    continue;
                }
                Outcome::Rules(drafts) => drafts,
                Outcome::Badfilter(_) | Outcome::NotNetwork => continue,
                Outcome::Refused(reason, detail) => {
                    report.refuse(source, reason, detail);
                    continue;
                }
            };
            let twins = if email_open.contains(source.line) { twins(&drafts) } else { Vec::new() };
            report.twinned_filters += u32::from(!twins.is_empty());
            for (draft, twin) in drafts.into_iter().map(|d| (d, false)).chain(twins.into_iter().map(|d| (d, true))) {
                let key = fold_key(&draft);
                if matches!(key, FoldKey::Hosts(..)) {
                    report.folded_hostnames += 1;
                }
                match folds.get(&key) {
                    Some(&at) => merge(&mut groups[at], &key, draft, source.clone()),
                    None => {
                        folds.insert(key, groups.len());
                        groups.push(Group { draft: fold_start(draft), sources: vec![source.clone()], twin });
                    }
                }
            }
        }

        let mut rules = Vec::new();
        let mut source_map = BTreeMap::new();
        for group in groups {
            let Draft { priority, action, mut condition } = group.draft;
            if let Some(domains) = condition.request_domains.as_mut() {
                domains.sort_unstable();
                domains.dedup();
            }
            let rule = Rule { id: next_id, priority, action, condition };
            if let Err(why) = browser.check_rule(&rule) {
                // A conversion bug must not reach the browser: refuse the filters instead.
                for source in group.sources {
                    report.refuse(source, Reason::Invalid, why.clone());
                }
                continue;
            }
            let is_unsafe = rule.action.kind.is_unsafe();
            let is_regex = rule.condition.regex_filter.is_some();
            let fits = used.rules < options.budget.rules
                && (!is_unsafe || used.unsafe_rules < options.budget.unsafe_rules)
                && (!is_regex || used.regex_rules < options.budget.regex_rules);
            if !fits {
                report.rules_left_out += 1;
                report.filters_left_out.extend(group.sources);
                continue;
            }
            used.rules += 1;
            used.unsafe_rules += usize::from(is_unsafe);
            used.regex_rules += usize::from(is_regex);
            report.unsafe_rules += u32::from(is_unsafe);
            report.regex_rules += u32::from(is_regex);
            report.proxy_twin_rules += u32::from(group.twin);
            source_map.insert(rule.id, group.sources);
            rules.push(rule);
            next_id = next_id.saturating_add(1);
        }
        report.rules = u32::try_from(rules.len()).unwrap_or(u32::MAX);
        report.accepted = report.network_filters - report.refused;
        out.push(CompiledList { id: list.id.clone(), rules, source_map, report });
    }
    Compiled { browser, lists: out }
}

/// The hostname of a `||host^` urlFilter, when it is nothing more.
fn plain_host(url_filter: &str) -> Option<&str> {
    let host = url_filter.strip_prefix("||")?.strip_suffix('^')?;
    is_hostname(host).then_some(host)
}

fn fold_key(draft: &Draft) -> FoldKey {
    let c = &draft.condition;
    if draft.action.kind == ActionType::Redirect {
        FoldKey::Params(draft.priority, c.clone())
    } else if c.request_domains.is_none() && c.url_filter.as_deref().and_then(plain_host).is_some() {
        FoldKey::Hosts(draft.priority, draft.action.clone(), Condition { url_filter: None, ..c.clone() })
    } else {
        FoldKey::Same(draft.priority, draft.action.clone(), c.clone())
    }
}

/// The first draft of a group: a `||host^` filter becomes `requestDomains: [host]`.
fn fold_start(mut draft: Draft) -> Draft {
    if draft.action.kind != ActionType::Redirect
        && draft.condition.request_domains.is_none()
        && let Some(host) = draft.condition.url_filter.as_deref().and_then(plain_host)
    {
        draft.condition.request_domains = Some(vec![host.to_string()]);
        draft.condition.url_filter = None;
    }
    draft
}

fn merge(group: &mut Group, key: &FoldKey, draft: Draft, source: FilterSource) {
    group.sources.push(source);
    match key {
        FoldKey::Params(..) => {
            let added = draft.action.redirect.into_iter().flat_map(|r| r.transform.query_transform.remove_params);
            let params = group.draft.action.redirect.as_mut().map(|r| &mut r.transform.query_transform.remove_params);
            if let Some(params) = params {
                for p in added {
                    if !params.contains(&p) {
                        params.push(p);
                    }
                }
            }
        }
        FoldKey::Hosts(..) => {
            let host = draft.condition.url_filter.as_deref().and_then(plain_host).unwrap_or_default();
            group.draft.condition.request_domains.get_or_insert_with(Vec::new).push(host.to_string());
        }
        FoldKey::Same(..) => {}
    }
}

#[cfg(test)]
#[path = "compile_tests.rs"]
mod tests;
