// web-ext lint on dist/firefox, offline: no errors; only warnings we know and accept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DIST } from './harness.mjs';

test('web-ext lint reports 0 errors on dist/firefox', (t) => {
  const bin = new URL('../../node_modules/.bin/web-ext', import.meta.url).pathname;
  let out;
  try {
    out = execFileSync(bin, ['lint', '--source-dir', join(DIST, 'firefox'), '--output', 'json', '--no-config-discovery'],
      { encoding: 'utf8', env: { ...process.env, WEB_EXT_OFFLINE: '1' } });
  } catch (error) {
    out = error.stdout;  // web-ext exits non-zero when it finds errors
  }
  const report = JSON.parse(out);
  const lines = (kind) => report[kind].map((m) => `${m.code}: ${m.message} (${m.file ?? ''})`);
  t.diagnostic(`web-ext lint: ${report.errors.length} errors, ${report.warnings.length} warnings`);
  for (const w of lines('warnings')) t.diagnostic(`warning ${w}`);
  assert.deepEqual(lines('errors'), []);
});
