// Replays 1,200 crawl requests in real Chromium and Firefox with the shipped static rulesets and
// compares what the browser blocked with what the offline DNR matcher (`pixelguard dnr-match`)
// predicted for the same rules. Each request is made by a page on its crawl frame's origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpus, sharedData } from '../node/shipped.mjs';
import { DIST, launchChromium, launchFirefox, startServer } from './harness.mjs';

const CLI = fileURLToPath(new URL('../../target/release/pixelguard', import.meta.url));
const PER_SIDE = 600;     // requests predicted blocked, and as many predicted to load
const PER_PAGE = 50;
const attr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const ELEMENT = {
  image: (u) => `<img src="${attr(u)}">`,
  script: (u) => `<script async src="${attr(u)}"></script>`,
  stylesheet: (u) => `<link rel="stylesheet" href="${attr(u)}">`,
  sub_frame: (u) => `<iframe src="${attr(u)}"></iframe>`,
  xmlhttprequest: (u) => `<script>fetches.push(fetch(${JSON.stringify(u).replace(/</g, '\\u003c')}, { mode: "no-cors" }))</script>`,
};

const key = (url) => { const u = new URL(url); return `${u.hostname}${u.pathname}${u.search}`; };

/** The offline matcher's verdicts for `requests` under one browser's shipped rulesets. */
function predict(browser, requests) {
  const dir = join(DIST, browser, 'rules');
  const rules = readdirSync(dir).filter((f) => f.endsWith('.rules.json')).flatMap((f) => ['--rules', join(dir, f)]);
  const input = requests.map((r) => JSON.stringify(r)).join('\n');
  const out = execFileSync(CLI, ['dnr-match', ...rules], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
  return out.trim().split('\n').map((line) => JSON.parse(line).action === 'block');
}

/** Crawl requests an element can replay (no mixed content), one per URL, in corpus order. */
function replayable(file) {
  const seen = new Set();
  return corpus(file).flatMap(({ url, sourceUrl, type }) => {
    if (!ELEMENT[type] || !/^https?:\/\/[\x21-\x7e]+$/.test(url) || !/^https?:/.test(sourceUrl) || url.includes('#')) return [];
    const initiator = `${new URL(sourceUrl).origin}/`;
    if (url.length > 1500 || seen.has(key(url)) || (initiator.startsWith('https:') && url.startsWith('http:'))) return [];
    seen.add(key(url));
    return [{ url, initiator, type }];
  });
}

/** Picks PER_SIDE predicted-blocked and PER_SIDE predicted-loaded requests, in pages by initiator. */
function plan(browser, requests) {
  const blocked = predict(browser, requests);
  const pageBlocked = new Map();
  const initiators = [...new Set(requests.map((r) => r.initiator))];
  predict(browser, initiators.map((url) => ({ url, type: 'main_frame' })))
    .forEach((b, i) => pageBlocked.set(initiators[i], b));
  const chosen = { true: [], false: [] };
  requests.forEach((r, i) => {
    if (!pageBlocked.get(r.initiator) && chosen[blocked[i]].length < PER_SIDE) chosen[blocked[i]].push({ ...r, blocked: blocked[i] });
  });
  const byPage = new Map();
  for (const r of [...chosen.true, ...chosen.false]) byPage.set(r.initiator, [...(byPage.get(r.initiator) ?? []), r]);
  return [...byPage.values()].flatMap((rs) => Array.from({ length: Math.ceil(rs.length / PER_PAGE) },
    (_, i) => rs.slice(i * PER_PAGE, (i + 1) * PER_PAGE)));
}

function pageHtml(requests) {
  return `<!doctype html><script>window.fetches = [];</script>${requests.map((r) => ELEMENT[r.type](r.url)).join('\n')}
<script>window.addEventListener('load', () => Promise.allSettled(fetches).then(() => { window.replayed = true; }));</script>`;
}

for (const [name, launch, browser] of [['chromium', launchChromium, 'chrome'], ['firefox', launchFirefox, 'firefox']]) {
  test(`${name}: the browser blocks exactly what the offline DNR matcher predicts`, async (t) => {
    const file = sharedData('requests/top-sites-2019.ndjson');
    if (!file) return t.skip('no ../shared');
    const pages = plan(browser, replayable(file));
    const routes = {};
    pages.forEach((requests, i) => { routes[`${new URL(requests[0].initiator).hostname}/__replay/${i}`] = pageHtml(requests); });
    const server = await startServer(routes);
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });

    const page = await session.browser.newPage();
    for (const [i, requests] of pages.entries()) {
      await page.goto(`${requests[0].initiator}__replay/${i}`, { waitUntil: 'load' });
      await page.waitForFunction(() => window.replayed === true, { timeout: 30000 });
    }
    await new Promise((resolve) => setTimeout(resolve, 500));  // let late iframes and styles arrive
    const arrived = new Set(server.log.map((r) => r.url));
    const all = pages.flat();
    const wrong = all.filter((r) => arrived.has(key(r.url)) === r.blocked);
    t.diagnostic(`${name}: ${all.length} requests replayed on ${pages.length} pages, ` +
      `${all.filter((r) => r.blocked).length} predicted blocked; ${all.length - wrong.length} agree, ${wrong.length} differ`);
    for (const r of wrong.slice(0, 20)) t.diagnostic(`differs: ${r.type} ${r.url} from ${r.initiator}: predicted ${r.blocked ? 'blocked' : 'loaded'}`);
    assert.ok(all.length >= 1000, `only ${all.length} requests replayed`);
    assert.deepEqual(wrong.map((r) => `${r.type} ${r.url}`), []);
  });
}
