// The extension's settings validation (import / export) and list-URL policy, in Node (as shipped in dist/chrome).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkListUrl, defaults, readSettings, validateSettings } from '../../dist/chrome/src/settings.js';

const good = {
  format: 1, builtins: { easyprivacy: { enabled: false } }, autoUpdate: false, paused: ['news.test', 'news.test'],
  custom: [{ id: 'custom-1', title: 'Mine', url: 'https://lists.example/mine.txt', enabled: true, updated: '2026-11-29T03:00:00Z', expiresHours: 24 }],
};

test('a valid export is kept, normalised and stripped of unknown fields', () => {
  const out = validateSettings({ ...good, extra: 'dropped' });
  assert.equal(out.extra, undefined);
  assert.deepEqual(out.paused, ['news.test']);
  assert.equal(out.custom[0].lastError, null);
  assert.deepEqual(validateSettings(defaults()), defaults());
});

test('blocked hosts: kept without duplicates; an export from before them reads as none', () => {
  assert.deepEqual(validateSettings({ ...good, blockedHosts: ['px.tracker.test', 'px.tracker.test', 'xn--bcher-kva.test'] }).blockedHosts,
    ['px.tracker.test', 'xn--bcher-kva.test']);
  assert.deepEqual(validateSettings(good).blockedHosts, []);
});

test('a built-in list keeps its update record; one from before updates reads as the bundled copy', () => {
  const updated = { enabled: true, updated: '2026-11-29T04:00:00Z', version: '202611290400', expiresHours: 144, lastError: null, extra: 1 };
  const out = validateSettings({ ...good, builtins: { easyprivacy: updated } });
  assert.deepEqual(out.builtins.easyprivacy, { enabled: true, updated: '2026-11-29T04:00:00Z', version: '202611290400', expiresHours: 144, lastError: null });
  assert.deepEqual(validateSettings(good).builtins.easyprivacy, { enabled: false, updated: null, version: null, expiresHours: null, lastError: null });
  assert.throws(() => validateSettings({ ...good, builtins: { easyprivacy: { enabled: true, version: 7 } } }), /builtins\.easyprivacy\.version must be a string/);
});

test('paused sites and blocked hosts follow the core\'s hostname syntax (what DNR requestDomains take)', () => {
  const long = `${'a'.repeat(63)}.`.repeat(4).slice(0, 254);
  assert.deepEqual(validateSettings({ ...good, paused: ['under_score.test'], blockedHosts: ['px_1.tracker.test'] }).blockedHosts, ['px_1.tracker.test']);
  for (const bad of ['a..b.test', '.news.test', 'news.test.', 'News.test', '[::1]', long]) {
    assert.throws(() => validateSettings({ ...good, paused: [bad] }), /paused\[0\] is not a hostname/, bad);
    assert.throws(() => validateSettings({ ...good, blockedHosts: [bad] }), /blockedHosts\[0\] is not a hostname/, bad);
  }
});

test('a bad file is refused with a reason', () => {
  const bad = [
    [null, /not a JSON object/],
    [{ ...good, format: 2 }, /format/],
    [{ ...good, paused: ['<script>'] }, /paused\[0\]/],
    [{ ...good, custom: [{ ...good.custom[0], url: 'http://lists.example/x.txt' }] }, /https/],
    [{ ...good, custom: [good.custom[0], good.custom[0]] }, /custom\[1\]\.id/],
    [{ ...good, autoUpdate: 'yes' }, /autoUpdate/],
    [{ ...good, blockedHosts: 'px.tracker.test' }, /blockedHosts must be an array/],
    [{ ...good, blockedHosts: ['px.tracker.test', 'Px.Tracker.test'] }, /blockedHosts\[1\]/],
    [{ ...good, blockedHosts: ['.tracker.test'] }, /blockedHosts\[0\]/],
    [{ ...good, blockedHosts: Array.from({ length: 1001 }, (_, i) => `h${i}.test`) }, /more than 1000 blockedHosts/],
  ];
  for (const [data, reason] of bad) assert.throws(() => validateSettings(data), reason);
});

test('list URLs: https anywhere, http only on loopback', () => {
  for (const ok of ['https://easylist.to/easylist/easyprivacy.txt', 'http://127.0.0.1:8080/l.txt', 'http://localhost/l.txt', 'http://[::1]:1/l']) {
    assert.ok(checkListUrl(ok), ok);
  }
  for (const no of ['http://lists.example/l.txt', 'ftp://x/l.txt', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', 'http://127.0.0.1.evil.example/']) {
    assert.throws(() => checkListUrl(no), /https|not a URL/, no);
  }
});

test('timed pauses, hosts allowed on a site and the theme: kept when valid, absent reads as none', () => {
  const out = validateSettings({ ...good, pausedUntil: { 'news.test': 1_800_000_000_000, 'gone.test': 1 }, allowed: { 'news.test': ['cdn.tracker.test', 'cdn.tracker.test'] }, theme: 'dark' });
  assert.deepEqual(out.pausedUntil, { 'news.test': 1_800_000_000_000 }, 'only paused sites keep an end');
  assert.deepEqual(out.allowed, { 'news.test': ['cdn.tracker.test'] });
  assert.equal(out.theme, 'dark');
  const old = validateSettings(good);
  assert.deepEqual([old.pausedUntil, old.allowed, old.theme], [{}, {}, 'system']);
  assert.throws(() => validateSettings({ ...good, pausedUntil: { 'news.test': 'soon' } }), /pausedUntil\.news\.test must be a time/);
  assert.throws(() => validateSettings({ ...good, allowed: { 'news.test': ['<b>'] } }), /allowed\.news\.test\[0\] is not a hostname/);
  assert.throws(() => validateSettings({ ...good, allowed: { 'news.test': [] } }), /allowed\.news\.test must be a list/);
  assert.throws(() => validateSettings({ ...good, theme: 'neon' }), /theme must be one of system, light, dark/);
});

test('stored settings are repaired, never refused: each bad value dropped or defaulted, the rest kept, each problem named', () => {
  const stored = {
    ...good, paused: ['news.test', 'a..b.test', '[2001:db8::1]', 42], pausedUntil: { 'news.test': 'soon' },
    blockedHosts: 'px.tracker.test', autoUpdate: 'yes', theme: 'neon', builtins: { easyprivacy: { enabled: 'no' }, pixels: { enabled: false } },
    custom: [good.custom[0], { id: 'Bad id' }, { ...good.custom[0], id: 'custom-2', url: 'http://lists.example/x.txt', title: 7 }],
    allowed: { 'news.test': ['cdn.tracker.test', '<b>'], 'x..y.test': ['a.test'] },
  };
  const { settings, problems } = readSettings(stored);
  assert.deepEqual(settings.paused, ['news.test']);
  assert.deepEqual(settings.pausedUntil, {});
  assert.deepEqual(settings.blockedHosts, []);
  assert.equal(settings.autoUpdate, true);
  assert.equal(settings.theme, 'system');
  assert.deepEqual(settings.builtins, { pixels: { enabled: false, updated: null, version: null, expiresHours: null, lastError: null } });
  assert.deepEqual(settings.custom.map((c) => [c.id, c.url, c.title]), [['custom-1', 'https://lists.example/mine.txt', 'Mine'], ['custom-2', null, 'custom-2']]);
  assert.deepEqual(settings.allowed, { 'news.test': ['cdn.tracker.test'] });
  for (const named of ['paused[1] is not a hostname', 'paused[2] is not a hostname', 'paused[3] is not a hostname', 'pausedUntil.news.test must be a time',
    'blockedHosts must be an array', 'autoUpdate must be true or false', 'theme must be one of', 'builtins.easyprivacy', 'custom[1].id', 'custom[2].title',
    'list URLs must use https', 'allowed.news.test[1] is not a hostname', 'allowed.x..y.test is not a hostname']) {
    assert.ok(problems.some((p) => p.includes(named)), `${named} in ${JSON.stringify(problems)}`);
  }
  assert.deepEqual(readSettings('garbage'), { settings: defaults(), problems: ['not a JSON object'] });
  assert.deepEqual(readSettings(defaults()).problems, []);
  assert.throws(() => validateSettings(stored), /invalid settings: /, 'an import stays all or nothing');
});
