// Conformance through the shipped wasm: the same pairs as crate/tests/conformance.rs, and
// verdicts identical to the native engine's (which that test writes to target/tmp). Skipped
// without ../shared/data, failed without it under CI; golden.test.mjs pins a committed subset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { Engine, NO_SHARED_DATA, sharedData } from './shipped.mjs';

const NATIVE = new URL('../../target/tmp/conformance-native.json', import.meta.url);

function verdict(filter, { url, sourceUrl, type }) {
  const text = filter.startsWith('@@') ? `${filter.slice(2)}\n${filter}\n` : `${filter}\n`;
  const engine = Engine.fromLists([{ id: 'pair', text }]);
  try {
    return engine.check(url, sourceUrl, type);
  } catch {
    return null;
  } finally {
    engine.free();
  }
}

test('every conformance pair: wasm verdicts equal native ones, and as many hold', (t) => {
  const file = sharedData('conformance/filter-request-pairs.json');
  if (!file) return t.skip(NO_SHARED_DATA);
  assert.ok(existsSync(NATIVE), 'run `cargo test --test conformance` first (./build.sh test does)');
  const native = JSON.parse(readFileSync(NATIVE, 'utf8'));
  const pairs = JSON.parse(readFileSync(file, 'utf8')).flatMap((c) => c.filters.map((f) => [f, c]));
  assert.equal(pairs.length, native.length);
  let held = 0;
  pairs.forEach(([filter, request], i) => {
    const v = verdict(filter, request);
    assert.deepEqual(v, native[i], `${filter} on ${request.url}`);
    const named = filter.startsWith('@@') ? v?.exception : v?.filter;
    if (v?.decision === (filter.startsWith('@@') ? 'allowed' : 'blocked') && named?.text === filter) held += 1;
  });
  t.diagnostic(`conformance (wasm): ${held} of ${pairs.length} pairs hold, verdicts identical to native`);
  assert.ok(held >= 9354, `only ${held} hold`);
});
