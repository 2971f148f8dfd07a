// The privacy report's views, from the ledger's day records: the totals the headline says, companies
// ranked by sites, kinds per day, company → sites and site → companies, the GPC record; and the
// CSV and JSON exports. Pure functions: the page renders them, node tests check them.
import { FORMAT, KEPT_DAYS, KINDS, daysBefore, rowFields } from '../src/ledger-day.js';

/** The report's periods, in days up to today. */
export const PERIODS = { week: 7, month: 30, quarter: KEPT_DAYS };

const zeroKinds = () => Object.fromEntries(KINDS.map((k) => [k, 0]));
const byCount = (a, b) => b.count - a.count;

/** Adds a row's count to `map`'s entry `name` (created with `make`), split by kind. */
function tally(map, name, make, kind, n) {
  if (!map.has(name)) map.set(name, { ...make(), count: 0, kinds: zeroKinds() });
  const o = map.get(name);
  o.count += n;
  o.kinds[kind] += n;
  return o;
}

/**
 * The view of the `days` days up to `today` (`YYYY-MM-DD`): `{ first, days, blocked, dropped,
 * companies, sites, series, actions, gpc }`. `companies` is ranked by sites (then requests), each
 * with its `sites`; `sites` by companies, each with its `companies`; `series` has every day of the
 * period with its count per kind; `actions` counts the decoded events (purchase, add-to-cart, …);
 * `gpc` holds one row per site, company, kind and event, the latest first.
 */
export function summarize(records, today, days) {
  const first = daysBefore(today, days - 1);
  const dates = Array.from({ length: days }, (_, i) => daysBefore(today, days - 1 - i));
  const series = new Map(dates.map((d) => [d, zeroKinds()]));
  const companies = new Map();
  const sites = new Map();
  const actions = {};
  const gpc = new Map();
  let blocked = 0;
  let dropped = 0;
  for (const record of records.filter((r) => r.day >= first && r.day <= today)) {
    dropped += record.dropped;
    for (const [key, n] of Object.entries(record.counts)) {
      const [site, company, kind, action] = rowFields(key);
      blocked += n;
      series.get(record.day)[kind] += n;
      if (action) actions[action] = (actions[action] ?? 0) + n;
      tally(tally(companies, company, () => ({ company, sites: new Map() }), kind, n).sites, site, () => ({ site }), kind, n);
      tally(tally(sites, site, () => ({ site, companies: new Map() }), kind, n).companies, company, () => ({ company }), kind, n);
    }
    for (const [key, o] of Object.entries(record.gpc)) {
      const [site, company, kind, event] = rowFields(key);
      const seen = gpc.get(key);
      if (seen) Object.assign(seen, { first: Math.min(seen.first, o.first), last: Math.max(seen.last, o.last), blocked: seen.blocked + o.blocked, loaded: seen.loaded + o.loaded });
      else gpc.set(key, { site, company, kind, event, ...o });
    }
  }
  const ranked = (map, inner) => [...map.values()]
    .map((o) => ({ ...o, [inner]: [...o[inner].values()].sort(byCount) }))
    .sort((a, b) => b[inner].length - a[inner].length || byCount(a, b) || (a.company ?? a.site).localeCompare(b.company ?? b.site));
  return {
    first, days: dates, blocked, dropped,
    companies: ranked(companies, 'sites'),
    sites: ranked(sites, 'companies'),
    series: dates.map((day) => ({ day, kinds: series.get(day) })),
    actions,
    gpc: [...gpc.values()].sort((a, b) => b.last - a.last),
  };
}

/** A CSV field: quoted when needed; a leading `=`, `+`, `-` or `@` made inert for spreadsheets. */
function field(value) {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csv = (header, rows) => `${[header, ...rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
const iso = (time) => new Date(time).toISOString();

/** One row per day, site, company, kind and action, oldest day first. */
function blockedRows(records) {
  return records.flatMap((r) => Object.entries(r.counts).map(([key, count]) => {
    const [site, company, kind, action] = rowFields(key);
    return { day: r.day, site, company, kind, action, count };
  }));
}

/** One row per day, site, company, kind and event the GPC record holds, oldest first. */
function gpcRows(records) {
  return records.flatMap((r) => Object.entries(r.gpc).map(([key, o]) => {
    const [site, company, kind, event] = rowFields(key);
    return { day: r.day, site, company, kind, event, firstSeen: iso(o.first), lastSeen: iso(o.last), blocked: o.blocked, loaded: o.loaded };
  })).sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
}

/** The whole history as CSV: `day,site,company,kind,action,blocked`. */
export const historyCsv = (records) => csv(['day', 'site', 'company', 'kind', 'action', 'blocked'],
  blockedRows(records).map((r) => [r.day, r.site, r.company, r.kind, r.action, r.count]));

/** The whole history as JSON, with what it holds (`holds`, in words) and for how long. */
export const historyJson = (records, now, holds) => JSON.stringify({
  format: FORMAT, exported: iso(now), keptDays: KEPT_DAYS, holds,
  blocked: blockedRows(records),
  notItemised: records.reduce((n, r) => n + r.dropped, 0),
}, null, 2);

/** The GPC record as CSV, one row per day, site, company, kind and event, with the signal the browser sent (in words). */
export const gpcCsv = (records, signal) => csv(['first_seen', 'last_seen', 'site', 'company', 'kind', 'event', 'blocked', 'loaded', 'gpc_signal'],
  gpcRows(records).map((r) => [r.firstSeen, r.lastSeen, r.site, r.company, r.kind, r.event, r.blocked, r.loaded, signal]));

/** The GPC record as JSON: what was `observed` and the `signal` the browser sent, in words. */
export const gpcJson = (records, now, { signal, observed }) => JSON.stringify({
  format: FORMAT, exported: iso(now), gpcSignal: signal, observed,
  observations: gpcRows(records),
}, null, 2);
