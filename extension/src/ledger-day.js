// The privacy report's ledger format, one record per day: how many pixels were blocked per site,
// company, kind and action, and the ad pixels sites fired after the Global Privacy Control signal;
// the 90-day bound and the per-day caps. Pure functions (the background stores the records).

export const FORMAT = 1;
/** Days kept, today included. */
export const KEPT_DAYS = 90;
/** Distinct (site, company, kind, action) rows a day holds; past that a block is only counted. */
export const MAX_ROWS = 5000;
/** Distinct GPC observations a day holds; past that one is only counted. */
export const MAX_GPC = 1000;
/** Kinds of pixel (the core's names). */
export const KINDS = ['email-open', 'conversion', 'retargeting', 'analytics', 'other'];
/** Kinds that report to advertisers: fired after a GPC signal, they are on record. */
export const AD_KINDS = new Set(['conversion', 'retargeting']);
const MAX_TEXT = 200;

const pad = (n) => String(n).padStart(2, '0');

/** The local calendar day of a time (ms since the epoch), as `YYYY-MM-DD`. */
export function dayOf(time) {
  const d = new Date(time);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The day `n` days before `day` (`YYYY-MM-DD`), by the calendar. */
export function daysBefore(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  return dayOf(new Date(y, m - 1, d - n, 12).getTime());
}

/** The oldest day kept when today is `today`. */
export const oldestKept = (today) => daysBefore(today, KEPT_DAYS - 1);

export const emptyDay = (day) => ({ format: FORMAT, day, counts: {}, gpc: {}, dropped: 0 });

const text = (v) => (typeof v === 'string' && v ? v.slice(0, MAX_TEXT) : null);
/** A row's key: the JSON array of its fields, so any text round-trips. */
export const rowKey = (...fields) => JSON.stringify(fields);
export const rowFields = (key) => JSON.parse(key);

/**
 * Counts one blocked request in `record`: `{ site, company, kind, action }` (action: the decoded
 * event's standard action, or null). Returns false when the day is full and it was only counted.
 */
export function addBlocked(record, { site, company, kind, action }) {
  const key = rowKey(text(site) ?? '', text(company) ?? '', KINDS.includes(kind) ? kind : 'other', text(action));
  if (!(key in record.counts) && Object.keys(record.counts).length >= MAX_ROWS) {
    record.dropped += 1;
    return false;
  }
  record.counts[key] = (record.counts[key] ?? 0) + 1;
  return true;
}

/**
 * Records in `record` that the page of `site` fired an ad pixel (`kind` conversion or
 * retargeting, of `company`, decoded `event`) at `time` while the browser sent GPC; `blocked`
 * says whether PixelGuard stopped it. Returns false when the day is full.
 */
export function addGpc(record, { site, company, kind, event, time, blocked }) {
  const key = rowKey(text(site) ?? '', text(company) ?? '', kind, text(event));
  const seen = record.gpc[key];
  if (!seen && Object.keys(record.gpc).length >= MAX_GPC) {
    record.dropped += 1;
    return false;
  }
  const o = seen ?? (record.gpc[key] = { first: time, last: time, blocked: 0, loaded: 0 });
  o.first = Math.min(o.first, time);
  o.last = Math.max(o.last, time);
  o[blocked ? 'blocked' : 'loaded'] += 1;
  return true;
}

/** Adds `pending` (a day record of the same day) into `record`, within the caps. */
export function merge(record, pending) {
  for (const [key, n] of Object.entries(pending.counts)) {
    if (key in record.counts || Object.keys(record.counts).length < MAX_ROWS) record.counts[key] = (record.counts[key] ?? 0) + n;
    else record.dropped += n;
  }
  for (const [key, o] of Object.entries(pending.gpc)) {
    const seen = record.gpc[key];
    if (seen) {
      Object.assign(seen, { first: Math.min(seen.first, o.first), last: Math.max(seen.last, o.last),
        blocked: seen.blocked + o.blocked, loaded: seen.loaded + o.loaded });
    } else if (Object.keys(record.gpc).length < MAX_GPC) {
      record.gpc[key] = { ...o };
    } else {
      record.dropped += o.blocked + o.loaded;
    }
  }
  record.dropped += pending.dropped;
  return record;
}

const isCount = (n) => Number.isInteger(n) && n >= 0;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a stored value is a day record this version reads (a corrupt one is skipped, not trusted). */
export function isDay(record) {
  if (record === null || typeof record !== 'object' || record.format !== FORMAT || !DAY.test(record.day ?? '')) return false;
  if (!isCount(record.dropped) || typeof record.counts !== 'object' || typeof record.gpc !== 'object') return false;
  const rowOk = (key, length) => {
    try { const f = rowFields(key); return Array.isArray(f) && f.length === length; } catch { return false; }
  };
  return Object.entries(record.counts).every(([k, n]) => rowOk(k, 4) && isCount(n))
    && Object.entries(record.gpc).every(([k, o]) => rowOk(k, 4) && o && Number.isFinite(o.first) && Number.isFinite(o.last)
      && isCount(o.blocked) && isCount(o.loaded));
}
