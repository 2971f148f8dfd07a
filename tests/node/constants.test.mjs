// The core's constants as the shell gets them (dist/chrome/src/generated/core.js, from
// `pixelguard constants`): they agree with what the core compiled into the shipped rulesets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { CORE } from '../../dist/chrome/src/generated/core.js';
import { dist } from './shipped.mjs';

const rulesDir = new URL('rules/', dist);
const shipped = readdirSync(rulesDir).filter((f) => f.endsWith('.json') && !f.endsWith('.map.json') && !f.endsWith('.report.json'))
  .map((f) => [f, JSON.parse(readFileSync(new URL(f, rulesDir), 'utf8'))]);

test('the JS hostname check accepts every domain the core put in the shipped rules', (t) => {
  const hostname = new RegExp(CORE.hostname.pattern);
  const domains = shipped.flatMap(([, rules]) => rules.flatMap((r) => [
    ...(r.condition.requestDomains ?? []), ...(r.condition.initiatorDomains ?? []),
    ...(r.condition.excludedRequestDomains ?? []), ...(r.condition.excludedInitiatorDomains ?? []),
  ]));
  t.diagnostic(`${domains.length} domains`);
  assert.ok(domains.length > 10000);
  assert.deepEqual(domains.filter((d) => !hostname.test(d) || d.length > CORE.hostname.maxLength), []);
  for (const bad of ['', 'a..b', '.a', 'a.', 'A.b', 'a b', 'ä.test', '[::1]']) assert.equal(hostname.test(bad), false, bad);
});

test('every shipped rule has a priority of the core\'s ladder; a pause outranks them all', () => {
  const ladder = new Set(Object.values(CORE.priorities));
  for (const [file, rules] of shipped) {
    for (const r of rules) assert.ok(ladder.has(r.priority), `${file} rule ${r.id}: priority ${r.priority}`);
  }
  const top = Math.max(...shipped.flatMap(([, rules]) => rules.map((r) => r.priority)));
  assert.ok(CORE.priorities.pause > top && CORE.priorities.blockedHosts > CORE.priorities.important);
  assert.equal(shipped.find(([f]) => f === 'gpc.json')[1][0].priority, CORE.priorities.gpc);
});
