// declarativeNetRequest: built-in static rulesets on/off, the pause rule (a session rule), dynamic
// rules in named id ranges (the blocked-hosts rule, hosts allowed on a site, the webmail hold, then custom lists'
// rules), static rules turned off, limits read from the browser, matched-rule lookups.
import { api, browserName } from './browser.js';
import { CORE } from './generated/core.js';

const dnr = api.declarativeNetRequest;

/** Rule ids: one range per purpose (the pause rule is a session rule, the others dynamic). */
export const RANGES = {
  pause: { first: 1, last: 99 },
  blockedHosts: { first: 100, last: 100 },  // one rule naming every host the user blocked
  allowed: { first: 101, last: 199 },  // one rule per site on which the user allowed hosts
  webmail: { first: 200, last: 219 },  // the webmail hold (webmail.js)
  custom: { first: 1000, last: 999_999_999 },
};
const inRange = (id, { first, last }) => id >= first && id <= last;

/** The browser's dynamic-rule limits, from the API; a missing constant is null. */
export function limits() {
  const combined = dnr.MAX_NUMBER_OF_DYNAMIC_RULES === undefined;  // Firefox: one limit for dynamic and session rules
  const reserved = [...(combined ? [RANGES.pause] : []), RANGES.blockedHosts, RANGES.allowed, RANGES.webmail].reduce((n, r) => n + r.last - r.first + 1, 0);
  const dynamic = dnr.MAX_NUMBER_OF_DYNAMIC_RULES ?? dnr.MAX_NUMBER_OF_DYNAMIC_AND_SESSION_RULES ?? null;
  return {
    browser: browserName,
    dynamicRules: dynamic,
    customRules: dynamic === null ? null : dynamic - reserved,
    unsafeRules: dnr.MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES ?? null,
    regexRules: dnr.MAX_NUMBER_OF_REGEX_RULES ?? null,
  };
}

/**
 * The budget to compile custom lists with, or undefined to use the core's browser profile. A browser
 * without a separate unsafe or regex limit (Firefox has no unsafe one) only caps the total.
 */
export function customBudget() {
  const l = limits();
  if (l.customRules === null) return undefined;
  return { rules: l.customRules, unsafeRules: l.unsafeRules ?? l.customRules, regexRules: l.regexRules ?? l.customRules };
}

/** Replaces every dynamic (or `session`) rule in `range` with `rules`, in one call; none when nothing changes. */
async function replaceRange(range, rules, session = false) {
  const old = (await (session ? dnr.getSessionRules() : dnr.getDynamicRules())).filter((r) => inRange(r.id, range)).map((r) => r.id);
  if (old.length === 0 && rules.length === 0) return;
  await (session ? dnr.updateSessionRules : dnr.updateDynamicRules)({ removeRuleIds: old, addRules: rules });
}

/**
 * An `allowAllRequests` rule for the paused sites' frames and an `allow` rule for what they request
 * (none when nothing is paused), as session rules: a dynamic rule is persisted and re-indexed with every custom list's rules, and took up to
 * ~160 ms to take effect in Chromium, so the reload right after pausing (or resuming) could load
 * with the old state; a session rule takes a few ms. Session rules end with the browser session:
 * start-up applies the pause again from the settings (and drops a dynamic one older versions made).
 */
export async function applyPaused(sites) {
  const rules = sites.length === 0 ? [] : [{
    id: RANGES.pause.first, priority: CORE.priorities.pause, action: { type: 'allowAllRequests' },
    condition: { requestDomains: sites, resourceTypes: ['main_frame', 'sub_frame'] },
  }, {
    // A page's first subresources can be matched before Chromium has marked the reloaded frame as
    // allowed (seen: the head's first <script async>, 1 reload in 8): what the site itself asks for
    // is allowed by its initiator too.
    id: RANGES.pause.first + 1, priority: CORE.priorities.pause, action: { type: 'allow' },
    condition: { initiatorDomains: sites },
  }];
  await replaceRange(RANGES.pause, rules, true);
  await replaceRange(RANGES.pause, []);
}

/** The hosts the user blocked ("Block this host"), as last applied or read from the settings. */
let blockedHosts = [];

/** Takes `hosts` as the blocked hosts whose rule is already in place (a background that starts again). */
export const knowBlockedHosts = (hosts) => { blockedHosts = [...hosts]; };

/** Whether `host` is `of` or one of its subdomains. */
export const withinHost = (host, of) => host === of || host.endsWith(`.${of}`);

/** The blocked host that `host` is or is a subdomain of, else null. */
export const blockedHostOf = (host) => blockedHosts.find((b) => withinHost(host, b)) ?? null;

/** One `block` rule for every host the user blocked, with their subdomains (none when empty). */
export function applyBlockedHosts(hosts) {
  knowBlockedHosts(hosts);
  const rules = hosts.length === 0 ? [] : [{
    id: RANGES.blockedHosts.first, priority: CORE.priorities.blockedHosts, action: { type: 'block' },
    condition: { requestDomains: hosts },
  }];
  return replaceRange(RANGES.blockedHosts, rules);
}

/** One `allow` rule per site in `allowed` (`{ site: [hosts] }`): those hosts' requests made by its pages. */
export function applyAllowed(allowed) {
  const rules = Object.entries(allowed).map(([site, hosts], i) => ({
    id: RANGES.allowed.first + i, priority: CORE.priorities.allowed, action: { type: 'allow' },
    condition: { initiatorDomains: [site], requestDomains: hosts },
  }));
  return replaceRange(RANGES.allowed, rules);
}

export const applyCustom = (rules) => replaceRange(RANGES.custom, rules);
export const applyWebmail = (rules) => replaceRange(RANGES.webmail, rules);

/** Enables exactly the static rulesets in `ids` among `all`. */
export async function applyStatic(all, ids) {
  const enabled = new Set(await dnr.getEnabledRulesets());
  const enableRulesetIds = ids.filter((id) => !enabled.has(id));
  const disableRulesetIds = all.filter((id) => enabled.has(id) && !ids.includes(id));
  if (enableRulesetIds.length || disableRulesetIds.length) await dnr.updateEnabledRulesets({ enableRulesetIds, disableRulesetIds });
}

/** How many static rules the browser lets an extension turn off. */
export const maxDisabledStatic = () => dnr.MAX_NUMBER_OF_DISABLED_STATIC_RULES ?? 5000;

/** Turns off exactly the rules `ids` of static ruleset `rulesetId`; its other rules are on. */
export async function applyDisabledStatic(rulesetId, ids) {
  const off = new Set(await dnr.getDisabledRuleIds({ rulesetId }));
  const wanted = new Set(ids);
  const enableRuleIds = [...off].filter((id) => !wanted.has(id));
  const disableRuleIds = ids.filter((id) => !off.has(id));
  if (enableRuleIds.length || disableRuleIds.length) await dnr.updateStaticRules({ rulesetId, enableRuleIds, disableRuleIds });
}

/** What the dynamic rules use now: `{ rules, regex, unsafe }` (custom lists, allowed and blocked hosts). */
export async function usage() {
  const rules = await dnr.getDynamicRules();
  return {
    rules: rules.length,
    regex: rules.filter((r) => r.condition.regexFilter).length,
    unsafe: rules.filter((r) => ['redirect', 'modifyHeaders'].includes(r.action.type)).length,
  };
}

/**
 * Rules that matched in `tabId` as `[{ ruleId, rulesetId }]` — Chrome only, rate-limited outside
 * user gestures: null when unavailable.
 */
export async function matchedRules(tabId) {
  if (!dnr.getMatchedRules) return null;
  try {
    return (await dnr.getMatchedRules({ tabId })).rulesMatchedInfo.map(({ rule }) => rule);
  } catch (error) {
    console.warn('PixelGuard: getMatchedRules:', error.message);
    return null;
  }
}
