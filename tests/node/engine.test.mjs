// The shipped wasm engine in Node: verdicts, snapshots and errors, on the bundled EasyPrivacy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, bundledList, bundledSnapshot, corpus, sharedData } from './shipped.mjs';

const PIXEL = 'https://www.facebook.com/tr?id=1&ev=PageView&noscript=1';
const fromBundled = () => Engine.fromLists([{ id: 'easyprivacy', title: 'EasyPrivacy', text: bundledList() }]);
const engine = fromBundled();

test('EasyPrivacy blocks the Meta pixel and names its filter and list', () => {
  const verdict = engine.check(PIXEL, 'https://shop.example/', 'image');
  assert.equal(verdict.decision, 'blocked');
  assert.equal(verdict.filter.list, 'easyprivacy');
  assert.match(verdict.filter.text, /facebook/);
  assert.ok(bundledList().split('\n')[verdict.filter.line - 1].includes(verdict.filter.text));
});

test('first-party images are not blocked', () => {
  assert.equal(engine.check('https://shop.example/logo.png', 'https://shop.example/', 'image').decision, 'no-match');
});

test('listStats reports the list and its filters', () => {
  const [list] = engine.listStats();
  assert.equal(list.id, 'easyprivacy');
  assert.ok(list.stats.network > 30000, `${list.stats.network} network filters`);
});

test('a snapshot restores to the same verdicts', (t) => {
  const restored = Engine.fromSnapshot(engine.snapshot());
  const shipped = Engine.fromSnapshot(bundledSnapshot());
  const file = sharedData('requests/top-sites-2019.ndjson');
  const requests = file ? corpus(file).filter((r) => r.sourceUrl.startsWith('http')).slice(0, 5000)
    : [{ url: PIXEL, sourceUrl: 'https://shop.example/', type: 'image' }];
  let blocked = 0;
  for (const { url, sourceUrl, type } of requests) {
    const expected = engine.check(url, sourceUrl, type);
    assert.deepEqual(restored.check(url, sourceUrl, type), expected, url);
    assert.deepEqual(shipped.check(url, sourceUrl, type), expected, url);
    if (expected.decision === 'blocked') blocked += 1;
  }
  t.diagnostic(`${requests.length} requests, ${blocked} blocked, identical after restore`);
  assert.deepEqual(restored.listStats(), engine.listStats());
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
