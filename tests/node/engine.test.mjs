// The shipped wasm engine in Node: verdicts, snapshots, errors and the list-update diff, on the bundled EasyPrivacy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Engine, analyseList, bundledList, bundledLists, bundledSnapshot, corpus, diffUpdate, dist, NO_SHARED_DATA, sharedData } from './shipped.mjs';

const PIXEL = 'https://www.facebook.com/tr?id=1&ev=PageView&noscript=1';
const engine = Engine.fromLists(bundledLists());

test('the bundled lists block the Meta pixel and name its filter, list, line and company', () => {
  const verdict = engine.check(PIXEL, 'https://shop.example/', 'image');
  assert.equal(verdict.decision, 'blocked');
  assert.match(verdict.filter.text, /facebook/);
  const text = bundledLists().find((l) => l.id === verdict.filter.list).text;
  assert.equal(text.split('\n')[verdict.filter.line - 1].trim(), verdict.filter.text);
  assert.equal(verdict.company, 'Meta');
});

test('EasyPrivacy alone blocks the Meta pixel', () => {
  const alone = Engine.fromLists([{ id: 'easyprivacy', text: bundledList() }]);
  assert.equal(alone.check(PIXEL, 'https://shop.example/', 'image').filter.list, 'easyprivacy');
});

test('the pixel list names company and kind, and sees email opens in webmail', () => {
  const verdict = engine.check('https://t.sidekickopen70.com/e1t/o/5/f18dQhb0S7kF8cpgq', 'https://mail.google.com/mail/u/0/', 'image');
  assert.equal(verdict.decision, 'blocked');
  assert.equal(verdict.filter.list, 'pixels');
  assert.deepEqual([verdict.company, verdict.kind, verdict.host], ['HubSpot', 'email-open', 't.sidekickopen70.com']);
});

test('first-party images are not blocked', () => {
  assert.equal(engine.check('https://shop.example/logo.png', 'https://shop.example/', 'image').decision, 'no-match');
});

test('listStats reports the lists and their filters', () => {
  const [easyprivacy, pixels] = engine.listStats();
  assert.equal(easyprivacy.id, 'easyprivacy');
  assert.ok(easyprivacy.stats.network > 30000, `${easyprivacy.stats.network} network filters`);
  assert.equal(pixels.title, 'PixelGuard pixels');
  assert.deepEqual(pixels.stats.invalid, []);
});

test('analyseList reads a list as listStats does, without an engine', () => {
  for (const list of bundledLists()) assert.deepEqual(analyseList(list), Engine.fromLists([list]).listStats()[0], list.id);
  const info = analyseList({ id: 'mine', title: '', text: '! Title: Mine\n! Expires: 2 days\n||a.test^\n##.ad\n||b.test^$nonsense\n' });
  assert.deepEqual([info.title, info.expiresHours, info.stats.network, info.stats.cosmetic], ['Mine', 48, 1, 1]);
  assert.deepEqual(info.stats.invalid.map((i) => i.line), [5]);
  assert.throws(() => analyseList({ id: 'x' }), Error);
});

/** Checks `requests` in the engine, its restored snapshot and the bundled snapshot: the same verdicts. */
function sameAfterRestore(t, requests) {
  const restored = Engine.fromSnapshot(engine.snapshot());
  const shipped = Engine.fromSnapshot(bundledSnapshot());
  let blocked = 0;
  for (const { url, sourceUrl, type } of requests) {
    const expected = engine.check(url, sourceUrl, type);
    assert.deepEqual(restored.check(url, sourceUrl, type), expected, url);
    assert.deepEqual(shipped.check(url, sourceUrl, type), expected, url);
    if (expected.decision === 'blocked') blocked += 1;
  }
  t.diagnostic(`${requests.length} requests, ${blocked} blocked, identical after restore`);
  assert.deepEqual(restored.listStats(), engine.listStats());
}

test('a snapshot restores to the same verdicts', (t) => {
  sameAfterRestore(t, [{ url: PIXEL, sourceUrl: 'https://shop.example/', type: 'image' }]);
});

test('a snapshot restores to the same verdicts on 5,000 crawl requests', (t) => {
  const file = sharedData('requests/top-sites-2019.ndjson');
  if (!file) return t.skip(NO_SHARED_DATA);
  sameAfterRestore(t, corpus(file).filter((r) => r.sourceUrl.startsWith('http')).slice(0, 5000));
});

test('a snapshot with a flipped byte or from another version is refused', () => {
  const good = engine.snapshot();
  const flipped = good.slice();
  flipped[good.length - 100] ^= 1;
  assert.throws(() => Engine.fromSnapshot(flipped), /snapshot refused: checksum mismatch/);
  const otherFormat = good.slice();
  otherFormat[4] = 99;
  assert.throws(() => Engine.fromSnapshot(otherFormat), /snapshot refused: format 99/);
  assert.throws(() => Engine.fromSnapshot(new Uint8Array([1, 2, 3])), /not a PixelGuard snapshot/);
});

test('bad input becomes a JS Error with the message', () => {
  assert.throws(() => engine.check('not a url', '', 'image'), { name: 'Error', message: /invalid URL/ });
  assert.throws(() => engine.check(PIXEL, '', 'gif'), /unknown resource type "gif"/);
  assert.throws(() => Engine.fromLists([{ id: 'a', text: '' }, { id: 'a', text: '' }]), /used twice/);
  assert.throws(() => Engine.fromLists('nope'), Error);
});

test('diffUpdate: a new EasyPrivacy against the shipped ruleset keeps only what changed', () => {
  const old = bundledList();
  const map = readFileSync(new URL('rules/easyprivacy.map.json', dist), 'utf8');
  const next = `${old.replace('||1bliq.io^\n', '')}||pixel-update.test^\n`;
  const diff = diffUpdate(old, map, 'easyprivacy', next, 5000);
  assert.deepEqual(diff.removed, ['||1bliq.io^']);
  assert.equal(diff.disableRuleIds.length, 1);
  const kept = diff.text.split('\n').filter((l) => l.trim() && !l.startsWith('!') && !l.startsWith('['));
  assert.ok(kept.includes('||pixel-update.test^') && kept.includes('||00px.net^') && !kept.includes('||1bliq.io^'));
  assert.equal(diff.text.split('\n').length, next.split('\n').length - 1, 'line numbers are the new copy\'s');
  assert.deepEqual(diffUpdate(old, map, 'easyprivacy', old, 5000).disableRuleIds, []);
});
