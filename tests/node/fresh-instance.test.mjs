// The engine moved into a fresh wasm instance after adding a 30,000-filter list (what engine.js does
// once a list change grew the memory): the same verdicts, the old engine refused, and the memory
// back to what restoring the engine's snapshot takes (its own process: memory only grows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, analyseList, bundledLists, compileDnr, memoryBytes, resetInstance } from './shipped.mjs';
import { syntheticList } from './synthetic-list.mjs';

const FILTERS = 30000;
const MiB = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;

/** Requests the synthetic list and the bundled lists block, except, or leave alone. */
function requests() {
  const out = [
    { url: 'https://www.facebook.com/tr?id=1&ev=PageView&noscript=1', source: 'https://shop.example/', type: 'image' },
    { url: 'https://shop.example/logo.png', source: 'https://shop.example/', type: 'image' },
  ];
  for (let i = 0; i < 8000; i += 7) {
    out.push({ url: `https://host${i}.example/a.gif`, source: 'https://news.example/', type: 'image' },
      { url: `https://px${i}.example/path${i}/pixel.gif?u=1`, source: 'https://news.example/', type: 'image' },
      { url: `https://cdn${i}.example/ok.js`, source: `https://site${i}.example/`, type: 'script' },
      { url: `https://ads${i}.example/x`, source: `https://a${i}.example/`, type: 'xmlhttprequest' });
  }
  return out;
}

test('after a list is added, the engine in a fresh instance gives the same verdicts in the memory a restore takes', (t) => {
  const custom = { id: 'custom-1', title: 'big', text: syntheticList(2).split('\n').slice(0, FILTERS).join('\n') };
  // The add-list flow in one instance: analysis, DNR compile, the engine built from the texts.
  analyseList(custom);
  compileDnr([custom], 'chrome', { firstId: 1000, dynamic: true });
  const old = Engine.fromLists([...bundledLists(), custom]);
  const grown = memoryBytes();
  const expected = requests().map((r) => old.check(r.url, r.source, r.type));
  assert.ok(expected.filter((v) => v.decision === 'blocked').length > 1000, 'the list blocks');

  const bytes = old.snapshot();
  resetInstance();
  const moved = Engine.fromSnapshot(bytes);
  const after = memoryBytes();
  assert.deepEqual(requests().map((r) => moved.check(r.url, r.source, r.type)), expected);
  assert.throws(() => old.check('https://a.example/', '', 'image'), /stale object/, 'the old instance\'s engine is refused');

  resetInstance();
  Engine.fromSnapshot(bytes);
  assert.equal(after, memoryBytes(), 'the memory is what a restore in a fresh instance takes');
  assert.ok(after < grown, `${MiB(after)} after the move, ${MiB(grown)} before`);
  t.diagnostic(`wasm memory ${MiB(grown)} after the add-list work, ${MiB(after)} after the move; snapshot ${MiB(bytes.length)}`);
});
