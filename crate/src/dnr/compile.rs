//! Lists → one DNR ruleset per list: `$badfilter`, hostname folding, ids, budgets, source map, report.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};

use serde::{Deserialize, Serialize};

use super::browser::{Browser, is_hostname};
use super::convert::{Draft, Outcome, ascii_host, convert, dedup_in_order, filter_key};
use super::report::{Cause, FilterSource, ListReport, Reason, SourceMap};
use super::schema::{ActionType, Rule};
use crate::error::{Error, Result};
use crate::lists::{ListSource, filter_lines};

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

/// The largest rule id browsers take (they keep ids as 32-bit signed integers).
pub const MAX_RULE_ID: u32 = i32::MAX as u32;

/// Options of one compile: the target browser, the first rule id (1 to [`MAX_RULE_ID`]), and the
/// budget shared by all lists.
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
    pub source_map: SourceMap,
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

/// Compiles `lists` for `options.browser`. `$badfilter` applies across all lists; ids are unique
/// across lists, from `options.first_id`; rules past the budget are left out and reported. A first
/// id of 0 or past [`MAX_RULE_ID`], or one that leaves too few ids for the rules, is an error.
///
/// In named steps: the `$badfilter`s of every list are gathered first ([`badfilters`]); then each
/// list's filters are converted and folded into groups, one group per rule to be ([`fold`]); then
/// each group becomes a rule with the next id, within the budget the lists share ([`Emitter`]).
/// A step that adds or rewrites rules works on a list's `Vec<Group>`, between `fold` and `emit`.
pub fn compile(lists: &[ListSource], options: &CompileOptions) -> Result<Compiled> {
    let browser = options.browser;
    let mut emitter = Emitter::new(options)?;
    let badfilters = badfilters(lists, browser);
    let lists = lists
        .iter()
        .map(|list| {
            let mut report = ListReport { list: list.id.clone(), ..ListReport::default() };
            let groups = fold(list, browser, &badfilters, &mut report);
            let (rules, source_map) = emitter.emit(groups, &mut report)?;
            report.rules = u32::try_from(rules.len()).unwrap_or(u32::MAX);
            report.accepted = report.network_filters - report.refused;
            Ok(CompiledList { id: list.id.clone(), rules, source_map, report })
        })
        .collect::<Result<_>>()?;
    Ok(Compiled { browser, lists })
}

/// Step 1: the [`filter_key`]s of every `$badfilter` in `lists`, which cancel filters in any list.
fn badfilters(lists: &[ListSource], browser: Browser) -> HashSet<String> {
    lists
        .iter()
        .flat_map(|list| filter_lines(&list.text))
        .filter(|(_, line)| line.contains("badfilter"))
        .filter_map(|(_, line)| if let Outcome::Badfilter(key) = convert(line, browser) { Some(key) } else { None })
        .collect()
}

/// Drafts that become one rule, and the filters behind it.
pub(super) struct Group {
    pub draft: Draft,
    pub sources: Vec<FilterSource>,
}

/// Step 2: converts each network filter of `list` and folds the drafts into groups (in the
/// order their first filter comes), counting filters, refusals and cancellations in `report`.
fn fold(list: &ListSource, browser: Browser, badfilters: &HashSet<String>, report: &mut ListReport) -> Vec<Group> {
    let mut folder = Folder::default();
    for (line, text) in filter_lines(&list.text) {
        let outcome = convert(text, browser);
        if outcome == Outcome::NotNetwork {
            continue;
        }
        report.network_filters += 1;
        let source = FilterSource { list: list.id.clone(), line, filter: text.to_string() };
        match outcome {
            Outcome::Rules(_) if !badfilters.is_empty() && badfilters.contains(&filter_key(text)) => report.cancelled_by_badfilter += 1,
            Outcome::Rules(drafts) => {
                for draft in drafts {
                    report.folded_hostnames += u32::from(folder.add(draft, &source));
                }
            }
            Outcome::Badfilter(_) | Outcome::NotNetwork => {}
            Outcome::Refused(cause) => report.refuse(source, cause),
        }
    }
    folder.finish()
}

/// How a draft shares a rule with others: a `||host^` filter's host goes into the rule's
/// `requestDomains`, a `$removeparam` filter's parameter into its `removeParams`; any other draft
/// shares a rule only with identical ones (duplicate filters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Fold {
    Hosts,
    Params,
    Same,
}

/// The groups of one list so far, found by the hash of their fold and draft. While a list is
/// folded, a group's draft lacks the part that varies within the group (its hosts or parameters,
/// kept in `folded`), so a draft folds into a group when the two are equal. Each draft is stored
/// once: the index holds hashes and positions, not copies.
#[derive(Default)]
struct Folder {
    groups: Vec<Group>,
    /// Per group: how it folds and what it folded so far.
    folded: Vec<(Fold, Vec<String>)>,
    /// Hash → the last group with that hash; `same_hash[i]` → the group before `i` with it.
    last: HashMap<u64, usize>,
    same_hash: Vec<Option<usize>>,
    hasher: RandomState,
}

impl Folder {
    /// Adds `draft` of the filter `source` to its group, or starts one; true when the draft is a
    /// hostname folded into `requestDomains`.
    fn add(&mut self, mut draft: Draft, source: &FilterSource) -> bool {
        let fold = fold_of(&draft);
        let part = set_aside(fold, &mut draft);
        let hash = self.hasher.hash_one((fold, &draft));
        let mut at = self.last.get(&hash).copied();
        while let Some(i) = at {
            if self.folded[i].0 == fold && self.groups[i].draft == draft {
                self.folded[i].1.extend(part);
                self.groups[i].sources.push(source.clone());
                return fold == Fold::Hosts;
            }
            at = self.same_hash[i];
        }
        self.same_hash.push(self.last.insert(hash, self.groups.len()));
        self.folded.push((fold, part.into_iter().collect()));
        self.groups.push(Group { draft, sources: vec![source.clone()] });
        fold == Fold::Hosts
    }

    /// The groups, each draft whole again (in place): hosts sorted into `requestDomains`,
    /// parameters in `removeParams` in the order their filters came, each once.
    fn finish(mut self) -> Vec<Group> {
        for (group, (fold, mut folded)) in self.groups.iter_mut().zip(self.folded) {
            match fold {
                Fold::Hosts => {
                    folded.sort_unstable();
                    folded.dedup();
                    group.draft.condition.request_domains = Some(folded);
                }
                Fold::Params => {
                    dedup_in_order(&mut folded);
                    if let Some(redirect) = group.draft.action.redirect.as_mut() {
                        redirect.transform.query_transform.remove_params = folded;
                    }
                }
                Fold::Same => {}
            }
        }
        self.groups
    }
}

/// The hostname of a `||host^` urlFilter, when it is nothing more.
fn plain_host(url_filter: &str) -> Option<&str> {
    let host = url_filter.strip_prefix("||")?.strip_suffix('^')?;
    is_hostname(host).then_some(host)
}

fn fold_of(draft: &Draft) -> Fold {
    let c = &draft.condition;
    if draft.action.kind == ActionType::Redirect {
        Fold::Params
    } else if c.request_domains.is_none() && c.url_filter.as_deref().and_then(plain_host).is_some() {
        Fold::Hosts
    } else {
        Fold::Same
    }
}

/// Takes out of `draft` what varies within its group: the host of a `||host^` urlFilter, or the
/// parameters of a removeparam.
fn set_aside(fold: Fold, draft: &mut Draft) -> Option<String> {
    match fold {
        Fold::Hosts => draft.condition.url_filter.take().and_then(|f| plain_host(&f).map(str::to_string)),
        Fold::Params => {
            let params = draft.action.redirect.as_mut().map(|r| std::mem::take(&mut r.transform.query_transform.remove_params));
            params.and_then(|p| p.into_iter().next())
        }
        Fold::Same => None,
    }
}

/// Step 3: groups become rules, ids in order across lists, within the budget the lists share.
struct Emitter {
    browser: Browser,
    budget: Budget,
    used: Budget,
    first_id: u32,
    next_id: u32,
}

impl Emitter {
    fn new(options: &CompileOptions) -> Result<Self> {
        let first_id = options.first_id;
        if !(1..=MAX_RULE_ID).contains(&first_id) {
            return Err(Error::FirstRuleId(first_id));
        }
        let used = Budget { rules: 0, unsafe_rules: 0, regex_rules: 0 };
        Ok(Emitter { browser: options.browser, budget: options.budget, used, first_id, next_id: first_id })
    }

    /// One list's rules and source map. A rule the browser would reject refuses its filters; a rule
    /// over the budget leaves them out; both are counted in `report`.
    fn emit(&mut self, groups: Vec<Group>, report: &mut ListReport) -> Result<(Vec<Rule>, SourceMap)> {
        let mut rules = Vec::new();
        let mut source_map = BTreeMap::new();
        for group in groups {
            let Draft { priority, action, condition } = group.draft;
            let rule = Rule { id: self.next_id, priority, action, condition };
            if let Err(why) = self.browser.check_rule(&rule) {
                // A conversion bug must not reach the browser: refuse the filters instead.
                for source in group.sources {
                    report.refuse(source, Cause::new(Reason::Invalid, why.to_string()));
                }
                continue;
            }
            if !self.spend(&rule, report) {
                report.rules_left_out += 1;
                report.filters_left_out.extend(group.sources);
                continue;
            }
            if rule.id > MAX_RULE_ID {
                return Err(Error::OutOfRuleIds { first_id: self.first_id });
            }
            source_map.insert(rule.id, group.sources);
            rules.push(rule);
            self.next_id += 1;
        }
        Ok((rules, source_map))
    }

    /// Counts `rule` against the budget, in `report` too, if it fits.
    fn spend(&mut self, rule: &Rule, report: &mut ListReport) -> bool {
        let is_unsafe = rule.action.kind.is_unsafe();
        let is_regex = rule.condition.regex_filter.is_some();
        let fits = self.used.rules < self.budget.rules
            && (!is_unsafe || self.used.unsafe_rules < self.budget.unsafe_rules)
            && (!is_regex || self.used.regex_rules < self.budget.regex_rules);
        if fits {
            self.used.rules += 1;
            self.used.unsafe_rules += usize::from(is_unsafe);
            self.used.regex_rules += usize::from(is_regex);
            report.unsafe_rules += u32::from(is_unsafe);
            report.regex_rules += u32::from(is_regex);
        }
        fits
    }
}

#[cfg(test)]
#[path = "compile_tests.rs"]
mod tests;
