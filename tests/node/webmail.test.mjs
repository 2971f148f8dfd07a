// The shipped wasm and webmail: proxied image URLs checked as the sender's URL they carry, the
// bundled rulesets' proxy twins, twins compiled for a custom list, and the webmail hold's rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HOLD } from '../../dist/chrome/src/generated/hold.js';
import { Engine, bundledLists, compileDnr, dist } from './shipped.mjs';

const engine = Engine.fromLists(bundledLists());
const ORIGINAL = 'https://acme.us21.list-manage.com/track/open.php?u=0123abcd&id=89ab';

test('a proxied image is checked as the URL it carries, in every proxy shape', () => {
  for (const [url, page, via] of [
    [`https://ci3.googleusercontent.com/meips/ADKq_Nb=s0-d-e1-ft#${ORIGINAL}`, 'https://mail.google.com/mail/u/0/', 'Gmail'],
    [`https://outlook.live.com/actions/ei?u=${encodeURIComponent(ORIGINAL)}&d=x`, 'https://outlook.live.com/mail/0/', 'Outlook'],
    [`https://ecp.yusercontent.com/mail?url=${encodeURIComponent(ORIGINAL).toLowerCase()}&sig=x`, 'https://mail.yahoo.com/d/folders/1', 'Yahoo Mail'],
    [`https://mail.proton.me/api/core/v4/images?Url=${encodeURIComponent(ORIGINAL)}`, 'https://mail.proton.me/u/0/inbox', 'Proton Mail'],
  ]) {
    const verdict = engine.check(url, page, 'image');
    assert.equal(verdict.decision, 'blocked', url);
    assert.deepEqual([verdict.company, verdict.kind, verdict.host], ['Mailchimp', 'email-open', 'acme.us21.list-manage.com'], url);
    assert.equal(verdict.proxied.via, via);
    assert.equal(verdict.proxied.original.toLowerCase(), ORIGINAL.toLowerCase());
  }
  const logo = engine.check('https://ci3.googleusercontent.com/meips/Xy#https://mcusercontent.com/abc/images/logo.png', 'https://mail.google.com/', 'image');
  assert.deepEqual([logo.decision, logo.proxied.original], ['no-match', 'https://mcusercontent.com/abc/images/logo.png']);
  assert.equal(engine.check('https://cdn.test/x.png#https://acme.list-manage.com/track/open.php', 'https://news.test/', 'image').proxied, undefined);
});

test('the shipped rulesets carry proxy twins mapped to their email-open filters', () => {
  for (const id of ['easyprivacy', 'pixels']) {
    const report = JSON.parse(readFileSync(new URL(`rules/${id}.report.json`, dist), 'utf8'));
    assert.ok(report.twinnedFilters > 50 && report.proxyTwinRules >= report.twinnedFilters, `${id}: ${report.twinnedFilters} filters, ${report.proxyTwinRules} twins`);
    const rules = JSON.parse(readFileSync(new URL(`rules/${id}.rules.json`, dist), 'utf8'));
    const map = JSON.parse(readFileSync(new URL(`rules/${id}.map.json`, dist), 'utf8'));
    const twin = rules.find((r) => r.condition.requestDomains?.includes('yusercontent.com') && r.condition.initiatorDomains?.includes('mail.yahoo.com'));
    assert.ok(twin && map[twin.id][0].list === id && !map[twin.id][0].filter.includes('%'), JSON.stringify(twin));
  }
});

test('compileDnr gives a custom list\'s email-open filters their twins', () => {
  const text = '! pixelguard: company=Acme; kind=email-open\n||open.acme-esp.test/o/\n! pixelguard: kind=analytics\n||stats.acme-esp.test^\n';
  const { rules, sourceMap, reports } = compileDnr([{ id: 'custom-1', text }], 'firefox', { dynamic: true, firstId: 1000 });
  assert.deepEqual([reports[0].twinnedFilters, reports[0].proxyTwinRules, rules.length], [1, 4, 6]);
  const twins = rules.filter((r) => r.condition.urlFilter?.startsWith('#') || r.condition.urlFilter?.startsWith('%3A'));
  assert.deepEqual(twins.map((r) => r.condition.urlFilter), [
    '#http*://open.acme-esp.test/o/', '#http*://*.open.acme-esp.test/o/', '%3A%2F%2Fopen.acme-esp.test%2Fo%2F', '%3A%2F%2F*.open.acme-esp.test%2Fo%2F',
  ]);
  for (const r of twins) assert.equal(sourceMap[r.id][0].line, 2);
});

test('the webmail hold the extension is built with: block rules per proxy, then the release rule to complete with a token', () => {
  for (const browser of ['chrome', 'firefox']) {
    const rules = HOLD[browser];
    assert.deepEqual(rules.map((r) => r.id), rules.map((_, i) => i), `${browser}: numbered from 0 (webmail.js numbers them from its range)`);
    assert.ok(rules.some((r) => r.condition.urlFilter === '||googleusercontent.com/meips/' && r.action.type === 'block'
      && r.condition.initiatorDomains.includes('mail.google.com')), browser);
    assert.deepEqual(rules.slice(0, -1).map((r) => r.action.type), rules.slice(0, -1).map(() => 'block'));
    assert.equal(rules.at(-1).action.type, 'allow');
    assert.equal(rules.at(-1).condition.urlFilter, 'pixelguard-release=');
    assert.ok(rules.at(-1).priority > rules[0].priority, 'the release outranks the hold');
  }
  assert.ok(HOLD.firefox[0].condition.resourceTypes.includes('imageset') && !HOLD.chrome[0].condition.resourceTypes.includes('imageset'));
});
