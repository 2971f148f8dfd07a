// The committed golden pairs (crate/tests/golden/pairs.txt) through the shipped wasm engine: each
// block's filters as one list decide each of its requests as written. (crate/tests/golden.rs
// checks the same pairs natively, and the DNR rules compiled from them.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Engine } from './shipped.mjs';

const PAIRS = new URL('../../crate/tests/golden/pairs.txt', import.meta.url);

/** The file's blocks: `{ line, filters, refused, requests: [{ decision, type, url, page }] }` (see its header). */
function blocks(text) {
  const out = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const last = out.at(-1);
    if (line.startsWith('refused: ')) {
      last.refused = line.slice('refused: '.length);
    } else if (line.startsWith('  ')) {
      const [decision, type, url, page = ''] = line.trim().split(/\s+/);
      last.requests.push({ decision, type, url, page });
    } else if (last && last.requests.length === 0 && !last.refused) {
      last.filters.push(line);
    } else {
      out.push({ line: i + 1, filters: [line], requests: [] });
    }
  });
  return out;
}

test('the shipped wasm engine decides every golden pair as written', (t) => {
  const all = blocks(readFileSync(PAIRS, 'utf8'));
  const wrong = [];
  let pairs = 0;
  for (const { line, filters, requests } of all) {
    const engine = Engine.fromLists([{ id: 'golden', text: filters.join('\n') }]);
    for (const { decision, type, url, page } of requests) {
      pairs += 1;
      const got = engine.check(url, page, type).decision;
      if (got !== decision) wrong.push(`line ${line} (${filters.join(' + ')}): ${got} for ${type} ${url} from ${page}, written ${decision}`);
    }
    engine.free();
  }
  t.diagnostic(`${pairs} pairs in ${all.length} blocks`);
  assert.deepEqual(wrong, []);
  assert.ok(pairs >= 300, `only ${pairs} pairs`);
});
