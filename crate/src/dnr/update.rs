//! A newer copy of a list compiled into a static ruleset: what it adds (to compile as dynamic
//! rules) and which static rules it takes away (to turn off), at the new copy's line numbers.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::report::{FilterSource, SourceMap};
use crate::lists::{filter_lines, is_comment, without_bom};

/// How a new copy of a list differs from the copy its static ruleset was compiled from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListUpdate {
    /// The new text with every filter line the static ruleset still covers blanked: what is left
    /// (added filters, and the remaining filters of turned-off rules) compiles to dynamic rules.
    pub text: String,
    /// Static rules to turn off, ascending: each came from a filter the new copy no longer has.
    pub disable_rule_ids: Vec<u32>,
    /// Filters of the old copy that the new one no longer has, in the old copy's order.
    pub removed: Vec<String>,
    /// Removed filters whose rule stays on: past `max_disabled` turned-off rules.
    pub removals_left_out: Vec<FilterSource>,
}

fn filters(text: &str) -> impl Iterator<Item = &str> {
    filter_lines(text).map(|(_, line)| line)
}

/// Compares `new_text` with `old_text`, the copy of list `list_id` whose static ruleset has
/// `source_map` (rule id → the filters behind it); at most `max_disabled` rules are turned off.
pub fn diff_update(old_text: &str, source_map: &SourceMap, list_id: &str, new_text: &str, max_disabled: usize) -> ListUpdate {
    let (old_text, new_text) = (without_bom(old_text), without_bom(new_text));
    let old: HashSet<&str> = filters(old_text).collect();
    let new: HashSet<&str> = filters(new_text).collect();
    let mut seen = HashSet::new();
    let removed: Vec<String> = filters(old_text).filter(|f| !new.contains(f) && seen.insert(*f)).map(str::to_string).collect();

    let mut update = ListUpdate { removed, ..ListUpdate::default() };
    let mut restored: HashSet<&str> = HashSet::new();
    for (&id, sources) in source_map {
        let ours = || sources.iter().filter(|s| s.list == list_id);
        if ours().all(|s| new.contains(s.filter.as_str())) {
            continue;
        }
        if update.disable_rule_ids.len() < max_disabled {
            update.disable_rule_ids.push(id);
            restored.extend(ours().map(|s| s.filter.as_str()).filter(|f| new.contains(f)));
        } else {
            update.removals_left_out.extend(ours().filter(|s| !new.contains(s.filter.as_str())).cloned());
        }
    }
    let kept = |line: &str| is_comment(line) || !old.contains(line) || restored.contains(line);
    update.text = new_text.lines().map(|l| if kept(l.trim()) { l } else { "" }).collect::<Vec<_>>().join("\n");
    update
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(line: u32, filter: &str) -> FilterSource {
        FilterSource { list: "ep".into(), line, filter: filter.into() }
    }

    /// Old copy: rule 1 folds `||a.test^` and `||b.test^`, rule 2 is `/pixel.gif?`, rule 3 `||c.test^$image`.
    fn old() -> (&'static str, SourceMap) {
        let text = "! Title: EP\n||a.test^\n||b.test^\n/pixel.gif?\n||c.test^$image\n";
        let map = SourceMap::from([
            (1, vec![source(2, "||a.test^"), source(3, "||b.test^")]),
            (2, vec![source(4, "/pixel.gif?")]),
            (3, vec![source(5, "||c.test^$image")]),
        ]);
        (text, map)
    }

    #[test]
    fn unchanged_copy_changes_nothing() {
        let (text, map) = old();
        let update = diff_update(text, &map, "ep", text, 5000);
        assert!(update.disable_rule_ids.is_empty() && update.removed.is_empty());
        assert_eq!(update.text, "! Title: EP\n\n\n\n");
    }

    #[test]
    fn added_filters_are_kept_at_their_new_lines() {
        let (text, map) = old();
        let new = "! Title: EP\n! Version: 2\n||new.test^\n||a.test^\n||b.test^\n/pixel.gif?\n||c.test^$image\n";
        let update = diff_update(text, &map, "ep", new, 5000);
        assert_eq!(update.text.lines().nth(2), Some("||new.test^"));
        assert_eq!(update.text.lines().filter(|l| !is_comment(l)).count(), 1);
        assert!(update.disable_rule_ids.is_empty());
    }

    #[test]
    fn a_removed_filter_turns_its_rule_off_and_brings_back_the_rest_of_it() {
        let (text, map) = old();
        let new = "! Title: EP\n/pixel.gif?\n||c.test^$image\n||b.test^\n";
        let update = diff_update(text, &map, "ep", new, 5000);
        assert_eq!(update.disable_rule_ids, vec![1]);
        assert_eq!(update.removed, vec!["||a.test^"]);
        assert_eq!(update.text, "! Title: EP\n\n\n||b.test^");
        assert!(update.removals_left_out.is_empty());
    }

    #[test]
    fn past_the_limit_removals_are_left_out_and_their_rules_stay_on() {
        let (text, map) = old();
        let new = "||b.test^\n";
        let update = diff_update(text, &map, "ep", new, 1);
        assert_eq!(update.disable_rule_ids, vec![1]);
        assert_eq!(update.removed, vec!["||a.test^", "/pixel.gif?", "||c.test^$image"]);
        let left: Vec<_> = update.removals_left_out.iter().map(|s| s.filter.as_str()).collect();
        assert_eq!(left, vec!["/pixel.gif?", "||c.test^$image"]);
        assert_eq!(update.text, "||b.test^");
    }

    #[test]
    fn a_byte_order_mark_is_no_change() {
        let (text, map) = old();
        let update = diff_update(&format!("\u{feff}{text}"), &map, "ep", &format!("\u{feff}{text}"), 5000);
        assert!(update.disable_rule_ids.is_empty() && update.removed.is_empty());
        let update = diff_update(text, &map, "ep", "\u{feff}||a.test^\n||b.test^\n/pixel.gif?\n||c.test^$image\n", 5000);
        assert!(update.disable_rule_ids.is_empty() && update.removed.is_empty(), "{update:?}");
    }

    #[test]
    fn other_lists_sources_are_ignored_and_whitespace_does_not_count_as_a_change() {
        let (text, mut map) = old();
        map.get_mut(&2).unwrap().push(FilterSource { list: "other".into(), line: 1, filter: "||gone.test^".into() });
        let new = "  ||a.test^\r\n||b.test^\n/pixel.gif?\n||c.test^$image\n";
        let update = diff_update(text, &map, "ep", new, 5000);
        assert!(update.disable_rule_ids.is_empty() && update.removed.is_empty());
        assert_eq!(update.text, "\n\n\n");
    }
}
