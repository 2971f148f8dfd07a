// The privacy report's ledger in Node: day records (counts, GPC record, caps, validation), the
// 90-day bound, the report's views and its CSV / JSON exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  KEPT_DAYS, MAX_GPC, MAX_ROWS, addBlocked, addGpc, dayOf, daysBefore, emptyDay, isDay, merge, oldestKept, rowKey,
} from '../../extension/src/ledger-day.js';
import { PERIODS, gpcCsv, gpcJson, historyCsv, historyJson, summarize } from '../../extension/report/summary.js';

const english = JSON.parse(readFileSync(new URL('../../extension/_locales/en/messages.json', import.meta.url), 'utf8'));
const [HOLDS, OBSERVED, CHROMIUM, FIREFOX] = ['HistoryHolds', 'GpcObserved', 'SignalChromium', 'SignalFirefox'].map((k) => english[`privacyReport${k}`].message);
const TODAY = '2026-11-29';
const at = (day, hour = 12) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00`).getTime();

/** A day record from `[site, company, kind, action, times]` rows. */
function day(date, rows, gpc = []) {
  const r = emptyDay(date);
  for (const [site, company, kind, action, times = 1] of rows) {
    for (let i = 0; i < times; i += 1) addBlocked(r, { site, company, kind, action });
  }
  for (const o of gpc) addGpc(r, o);
  return r;
}

test('days are local calendar days; the bound keeps 90 of them, today included', () => {
  assert.equal(dayOf(at('2026-03-01', 0)), '2026-03-01');
  assert.equal(dayOf(at('2026-03-01', 23)), '2026-03-01');
  assert.equal(daysBefore('2026-03-01', 1), '2026-02-28');
  assert.equal(daysBefore('2028-03-01', 1), '2028-02-29');
  assert.equal(daysBefore('2026-01-01', 1), '2025-12-31');
  assert.equal(KEPT_DAYS, 90);
  assert.equal(oldestKept(TODAY), '2026-09-01');
  assert.equal(daysBefore(oldestKept(TODAY), -89), TODAY);
  // Across a daylight-saving change (Europe and the US change in March and October/November).
  assert.equal(daysBefore('2026-03-30', 1), '2026-03-29');
  assert.equal(daysBefore('2026-11-02', 1), '2026-11-01');
});

test('a day counts blocked requests per site, company, kind and action', () => {
  const r = day(TODAY, [['shop.test', 'Meta', 'conversion', 'purchase', 2], ['shop.test', 'Meta', 'retargeting', 'page-view'], ['news.test', 'Google', 'analytics', null]]);
  assert.deepEqual(r.counts, {
    [rowKey('shop.test', 'Meta', 'conversion', 'purchase')]: 2,
    [rowKey('shop.test', 'Meta', 'retargeting', 'page-view')]: 1,
    [rowKey('news.test', 'Google', 'analytics', null)]: 1,
  });
  // An unknown kind counts as other; text is cut, and any character round-trips.
  addBlocked(r, { site: 'a"b,c\n.test', company: 'x'.repeat(500), kind: 'teleport', action: null });
  const key = Object.keys(r.counts).find((k) => k.includes('teleport') || k.includes('other'));
  assert.deepEqual(JSON.parse(key), ['a"b,c\n.test', 'x'.repeat(200), 'other', null]);
  assert.ok(isDay(r));
});

test('a day holds at most MAX_ROWS rows and MAX_GPC observations; the rest is counted as dropped', () => {
  const r = emptyDay(TODAY);
  for (let i = 0; i < MAX_ROWS; i += 1) assert.ok(addBlocked(r, { site: `s${i}.test`, company: 'C', kind: 'analytics', action: null }));
  assert.equal(addBlocked(r, { site: 'one-more.test', company: 'C', kind: 'analytics', action: null }), false);
  assert.ok(addBlocked(r, { site: 's0.test', company: 'C', kind: 'analytics', action: null }), 'an existing row still counts');
  assert.equal(Object.keys(r.counts).length, MAX_ROWS);
  for (let i = 0; i <= MAX_GPC; i += 1) addGpc(r, { site: `s${i}.test`, company: 'Meta', kind: 'conversion', event: 'Purchase', time: at(TODAY), blocked: true });
  assert.equal(Object.keys(r.gpc).length, MAX_GPC);
  assert.equal(r.dropped, 2);
});

test('the GPC record keeps first and last time and counts blocked and loaded pixels', () => {
  const r = day(TODAY, [], [
    { site: 'shop.test', company: 'Meta', kind: 'conversion', event: 'Purchase', time: at(TODAY, 14), blocked: true },
    { site: 'shop.test', company: 'Meta', kind: 'conversion', event: 'Purchase', time: at(TODAY, 9), blocked: false },
  ]);
  assert.deepEqual(Object.values(r.gpc), [{ first: at(TODAY, 9), last: at(TODAY, 14), blocked: 1, loaded: 1 }]);
});

test('merging a pending batch into a stored day adds counts and widens times', () => {
  const stored = day(TODAY, [['shop.test', 'Meta', 'conversion', 'purchase']],
    [{ site: 'shop.test', company: 'Meta', kind: 'conversion', event: 'Purchase', time: at(TODAY, 10), blocked: true }]);
  const pending = day(TODAY, [['shop.test', 'Meta', 'conversion', 'purchase', 2], ['b.test', 'X', 'retargeting', null]],
    [{ site: 'shop.test', company: 'Meta', kind: 'conversion', event: 'Purchase', time: at(TODAY, 15), blocked: false }]);
  const merged = merge(stored, pending);
  assert.equal(merged.counts[rowKey('shop.test', 'Meta', 'conversion', 'purchase')], 3);
  assert.equal(merged.counts[rowKey('b.test', 'X', 'retargeting', null)], 1);
  assert.deepEqual(Object.values(merged.gpc), [{ first: at(TODAY, 10), last: at(TODAY, 15), blocked: 1, loaded: 1 }]);
});

test('a corrupt stored record is not a day', () => {
  const good = day(TODAY, [['shop.test', 'Meta', 'conversion', 'purchase']]);
  assert.ok(isDay(good));
  for (const bad of [null, 'x', [], { ...good, format: 2 }, { ...good, day: 'today' }, { ...good, counts: { 'not json': 1 } },
    { ...good, counts: { [rowKey('a', 'b')]: 1 } }, { ...good, counts: { [rowKey('a', 'b', 'c', null)]: -1 } },
    { ...good, gpc: { [rowKey('a', 'b', 'c', null)]: { first: 'x', last: 1, blocked: 0, loaded: 0 } } }, { ...good, dropped: 1.5 }]) {
    assert.equal(isDay(bad), false, JSON.stringify(bad));
  }
});

/** Three shops this week (the e2e scenario), and older days. */
function history() {
  return [
    day('2026-08-30', [['old.test', 'Ancient', 'analytics', null]]),
    day('2026-10-15', [['shop-a.test', 'Meta', 'conversion', 'purchase', 4]]),
    day('2026-11-24', [['shop-a.test', 'Meta', 'conversion', 'purchase'], ['shop-a.test', 'Google', 'analytics', 'page-view']]),
    day('2026-11-28', [['shop-b.test', 'Meta', 'retargeting', 'page-view'], ['shop-b.test', 'Pinterest', 'conversion', 'add-to-cart']],
      [{ site: 'shop-b.test', company: 'Meta', kind: 'retargeting', event: 'PageView', time: at('2026-11-28', 8), blocked: true }]),
    day(TODAY, [['shop-c.test', 'Google', 'analytics', null, 3], ['shop-a.test', 'Meta', 'conversion', 'purchase']],
      [{ site: 'shop-a.test', company: 'Meta', kind: 'conversion', event: 'Purchase', time: at(TODAY, 9), blocked: true }]),
  ];
}

test('the week: companies ranked by sites, with drill-downs both ways, kinds per day, events', () => {
  const s = summarize(history(), TODAY, PERIODS.week);
  assert.equal(s.first, '2026-11-23');
  assert.deepEqual(s.days, ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', TODAY]);
  assert.equal(s.blocked, 8);
  assert.deepEqual(s.companies.map((c) => [c.company, c.sites.length, c.count]), [['Google', 2, 4], ['Meta', 2, 3], ['Pinterest', 1, 1]]);
  assert.deepEqual(s.companies[1].sites.map((x) => [x.site, x.count, x.kinds.conversion, x.kinds.retargeting]), [['shop-a.test', 2, 2, 0], ['shop-b.test', 1, 0, 1]]);
  assert.deepEqual(s.sites.map((x) => [x.site, x.companies.map((c) => c.company)]),
    [['shop-a.test', ['Meta', 'Google']], ['shop-b.test', ['Meta', 'Pinterest']], ['shop-c.test', ['Google']]]);
  assert.deepEqual(s.series.find((d) => d.day === '2026-11-28').kinds, { 'email-open': 0, conversion: 1, retargeting: 1, analytics: 0, other: 0 });
  assert.deepEqual(s.series.find((d) => d.day === '2026-11-25').kinds.conversion, 0, 'days without data are in the series');
  assert.deepEqual(s.actions, { purchase: 2, 'page-view': 2, 'add-to-cart': 1 });
  assert.deepEqual(s.gpc.map((g) => [g.site, g.company, g.event, g.blocked]), [['shop-a.test', 'Meta', 'Purchase', 1], ['shop-b.test', 'Meta', 'PageView', 1]]);
});

test('30 and 90 days reach further back; nothing older than the period counts', () => {
  assert.equal(summarize(history(), TODAY, PERIODS.month).blocked, 8);
  const quarter = summarize(history(), TODAY, PERIODS.quarter);
  assert.equal(quarter.blocked, 12);
  assert.equal(quarter.series.length, 90);
  assert.ok(!quarter.sites.some((x) => x.site === 'old.test'), 'a day past 90 is not in the report');
  assert.deepEqual(summarize([], TODAY, PERIODS.week).companies, []);
});

test('the CSV export parses back to the history, with inert spreadsheet formulas', () => {
  const records = [...history(), day(TODAY, [['=cmd.test', '@Evil, "Inc"', 'other', null]])];
  const text = historyCsv(records);
  const lines = text.trimEnd().split('\r\n');
  assert.equal(lines[0], 'day,site,company,kind,action,blocked');
  assert.equal(lines.length, 1 + records.reduce((n, r) => n + Object.keys(r.counts).length, 0));
  assert.ok(lines.includes(`${TODAY},shop-c.test,Google,analytics,,3`));
  assert.ok(lines.includes(`${TODAY},'=cmd.test,"'@Evil, ""Inc""",other,,1`), text);
});

test('the JSON exports hold every row, the GPC record with ISO times and the signal sent', () => {
  const records = history();
  const now = at(TODAY, 18);
  const all = JSON.parse(historyJson(records, now, HOLDS));
  assert.equal(all.keptDays, 90);
  assert.equal(all.blocked.reduce((n, r) => n + r.count, 0), 13);
  const evidence = JSON.parse(gpcJson(records, now, { signal: CHROMIUM, observed: OBSERVED }));
  assert.match(evidence.gpcSignal, /Sec-GPC: 1 on the page's requests/);
  assert.equal(evidence.observed, OBSERVED);
  assert.equal(all.holds, HOLDS);
  assert.match(JSON.parse(gpcJson(records, now, { signal: FIREFOX, observed: OBSERVED })).gpcSignal, /subresource/);
  assert.deepEqual(evidence.observations.map((o) => [o.day, o.site, o.company, o.kind, o.event, o.firstSeen, o.blocked, o.loaded]), [
    ['2026-11-28', 'shop-b.test', 'Meta', 'retargeting', 'PageView', new Date(at('2026-11-28', 8)).toISOString(), 1, 0],
    [TODAY, 'shop-a.test', 'Meta', 'conversion', 'Purchase', new Date(at(TODAY, 9)).toISOString(), 1, 0],
  ]);
  const csv = gpcCsv(records, CHROMIUM).trimEnd().split('\r\n');
  assert.equal(csv[0], 'first_seen,last_seen,site,company,kind,event,blocked,loaded,gpc_signal');
  assert.equal(csv.length, 3);
});
