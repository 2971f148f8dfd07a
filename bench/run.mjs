// `./build.sh bench`: runs every engine on the same corpus and lists, one process each, then writes
// docs/benchmarks.md and docs/benchmarks.svg from this one run (raw JSON in docs/bench-raw/).
// Needs ../shared/data (the crawl and the lists); without it, says so and exits 2.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chart } from './chart.mjs';
import { CORE } from '../dist/chrome/src/generated/core.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED = fileURLToPath(new URL('../../shared/data/', import.meta.url));
const LISTS = { easylist: 'lists/easylist-202607140953.txt', easyprivacy: 'lists/easyprivacy-202607140953.txt' };
const REQUESTS = 'requests/top-sites-2019.ndjson';
const PASSES = process.env.BENCH_PASSES ?? '3';
const ONLY = process.env.BENCH_ONLY?.split(',');  // e.g. BENCH_ONLY=wasm,native while iterating

for (const path of [...Object.values(LISTS), REQUESTS]) {
  if (!existsSync(SHARED + path)) {
    console.error(`bench: ../shared/data/${path} is absent. The benchmark needs ../shared (the request crawl and`
      + ' EasyList/EasyPrivacy) beside the repository; nothing was measured.');
    process.exit(2);
  }
}
const listArgs = Object.entries(LISTS).flatMap(([id, p]) => ['--list', `${id}=${SHARED}${p}`]);
const common = [...listArgs, '--requests', SHARED + REQUESTS, '--passes', PASSES];
const say = (m) => console.log(`\x1b[1m==> bench: ${m}\x1b[0m`);

function runJson(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}… exited ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

// BENCH_REPORT_ONLY=1: rewrite the report and chart from docs/bench-raw/results.json (no run).
if (process.env.BENCH_REPORT_ONLY) {
  const { env, results } = JSON.parse(readFileSync(`${ROOT}docs/bench-raw/results.json`, 'utf8'));
  writeFileSync(`${ROOT}docs/benchmarks.svg`, chart(results));
  writeFileSync(`${ROOT}docs/benchmarks.md`, report(env, results));
  process.exit(0);
}

const results = {};
const want = (name) => !ONLY || ONLY.includes(name);
if (want('native')) {
  say('native (cargo run --release --example bench)');
  results.native = runJson('cargo', ['run', '--quiet', '--release', '-p', 'pixelguard', '--example', 'bench', '--', ...common]);
}
for (const [name, file] of [['wasm', 'pixelguard-wasm.mjs'], ['ubo', 'ubo.mjs'], ['ghostery', 'ghostery.mjs']]) {
  if (!want(name)) continue;
  say(`${name} (node --expose-gc bench/engines/${file})`);
  results[name] = runJson(process.execPath, ['--expose-gc', `bench/engines/${file}`, ...common]);
}
if (want('browser')) {
  say('headless Chromium: page loads with and without the extension, service-worker cold starts');
  results.browser = runJson(process.execPath, ['bench/browser.mjs']);
}

const sh = (c, a) => { try { return execFileSync(c, a, { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { return '?'; } };
const env = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  commit: sh('git', ['rev-parse', '--short', 'HEAD']) + (sh('git', ['status', '--porcelain']) ? ' (with local changes)' : ''),
  cpu: `${cpus()[0]?.model ?? '?'} × ${cpus().length}`,
  node: process.version,
  rustc: sh('rustc', ['--version']),
  passes: Number(PASSES),
};
mkdirSync(`${ROOT}docs/bench-raw`, { recursive: true });
writeFileSync(`${ROOT}docs/bench-raw/results.json`, JSON.stringify({ env, results }, null, 1));
if (ONLY) { console.log(JSON.stringify(summary(results), null, 1)); process.exit(0); }
writeFileSync(`${ROOT}docs/benchmarks.svg`, chart(results));
writeFileSync(`${ROOT}docs/benchmarks.md`, report(env, results));
say('wrote docs/benchmarks.md and docs/benchmarks.svg');
console.log(JSON.stringify(summary(results), null, 1));

function summary(r) {
  return Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'browser').map(([k, v]) =>
    [k, { compileMs: +v.compileMs.toFixed(1), restoreMs: +v.restoreMs.toFixed(2), medianNs: v.match.all.medianNs, p99Ns: v.match.all.p99Ns,
      blocked: v.blockedIdx.length }]).concat(r.browser ? [['browser', { load: [r.browser.pageLoad.without.medianMs, r.browser.pageLoad.with.medianMs], cold: r.browser.serviceWorker.coldMedianMs }]] : []));
}

// ---------------------------------------------------------------------------------------------
function us(ns) { return (ns / 1000).toFixed(ns < 10000 ? 2 : 1); }
function ms(v, d = v < 10 ? 2 : v < 100 ? 1 : 0) { return v.toFixed(d); }
function mb(b) { return `${(b / 1048576).toFixed(1)} MiB`; }
function x(a, b) { return `${(a / b).toFixed(2)}×`; }

function agreement(engine, native) {
  const a = new Set(engine.blockedIdx), n = new Set(native.blockedIdx);
  let both = 0;
  for (const i of a) if (n.has(i)) both += 1;
  const onlyThis = a.size - both, onlyNative = n.size - both;
  return { both, onlyThis, onlyNative, pct: 100 * (engine.requests - onlyThis - onlyNative) / engine.requests };
}

function memory(e) {
  const m = e.memory;
  if (m.linearBytes) return `${mb(m.linearBytes)} linear (restored; ${mb(m.compileLinearBytes)} after compiling)`;
  if (m.heapBytes) return `${mb(m.heapBytes)} Rust heap`;
  return `${mb(m.jsHeapBytes)} JS heap`;
}

function report(env, r) {
  const order = ['wasm', 'native', 'ubo', 'ghostery'].filter((k) => r[k]);
  const n = r.native;
  const L = [];
  L.push('# Benchmarks', '');
  L.push('Written by `./build.sh bench` from one run; do not edit by hand (the optimisation log at the end comes',
    'from `bench/optimisations.md`). Same machine, same run, same corpus and lists for every engine.', '');
  L.push(`- run: ${env.date}, commit ${env.commit}; ${env.cpu} (shared with other work: quote medians and ratios, not single numbers); Node ${env.node}; ${env.rustc}`);
  L.push(`- corpus: \`../shared/data/${REQUESTS}\` (${n?.requests ?? r.wasm?.requests} requests, Cliqz/Ghostery crawl of top sites, 2019); types mapped ${Object.entries(CORE.crawlResourceTypes).map(([cpt, t]) => `${cpt}→${t}`).join(', ')}`);
  L.push(`- lists: EasyList + EasyPrivacy (${Object.values(LISTS).map((p) => p.split('/').pop()).join(', ')})`);
  L.push(`- matching: one warm-up pass, then ${env.passes} timed passes over the corpus; a request's time is its median pass; each engine in its own process; JS timer overhead (≈${r.wasm?.timerOverheadNs ?? '?'} ns) is included in the JS engines' numbers`);
  L.push('', '![match time per request and restore time](benchmarks.svg)', '');

  L.push('## Engines', '');
  L.push('| engine | compile lists | snapshot | restore | match median | match p99 | blocked: median / p99 | not blocked: median / p99 | median vs native | blocked set vs native | memory after load |');
  L.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|');
  for (const k of order) {
    const e = r[k], m = e.match;
    const ag = n && k !== 'native' ? agreement(e, n) : null;
    L.push(`| ${e.label} | ${ms(e.compileMs)} ms | ${mb(e.snapshotBytes)} | ${ms(e.restoreMs)} ms | ${us(m.all.medianNs)} µs | ${us(m.all.p99Ns)} µs | `
      + `${us(m.blocked.medianNs)} / ${us(m.blocked.p99Ns)} µs | ${us(m.notBlocked.medianNs)} / ${us(m.notBlocked.p99Ns)} µs | `
      + `${n ? x(m.all.medianNs, n.match.all.medianNs) : '—'} | `
      + `${ag ? `${ag.pct.toFixed(2)} % same (${ag.both} both, +${ag.onlyThis} / −${ag.onlyNative})` : `${e.blockedIdx.length} blocked (reference)`} | ${memory(e)} |`);
  }
  L.push('', 'Blocked set: requests on which the engine agrees with native adblock-rust; +N blocked only by this engine, −N only by native. '
    + 'PixelGuard\'s wasm must agree 100 %: it is the same engine. uBO and Ghostery implement the same filter syntax differently.', '');
  const p = n?.plain, u0 = r.ubo;
  if (p) {
    L.push(`The floor under any wrapper of adblock-rust, same run — ${p.label}: match median ${us(p.match.all.medianNs)} µs, p99 ${us(p.match.all.p99Ns)} µs `
      + `(${p.blocked} blocked)${u0 ? `; uBO core's median is ${x(u0.match.all.medianNs, p.match.all.medianNs)} of it, its p99 ${x(u0.match.all.p99Ns, p.match.all.p99Ns)}` : ''}. `
      + 'Native code, no JS boundary, no verdict: what adblock-rust itself costs here.', '');
  }

  const w = r.wasm, u = r.ubo;
  if (w && n && u) {
    L.push('## Targets', '');
    L.push('| target | measured | met |', '|---|---|---|');
    const row = (t, v, ok) => L.push(`| ${t} | ${v} | ${ok ? 'yes' : '**no**'} |`);
    row('wasm match median ≤ 1.3× native', `${x(w.match.all.medianNs, n.match.all.medianNs)} (${us(w.match.all.medianNs)} vs ${us(n.match.all.medianNs)} µs)`, w.match.all.medianNs <= 1.3 * n.match.all.medianNs);
    row('wasm match median ≤ uBO core\'s', `${x(w.match.all.medianNs, u.match.all.medianNs)} (${us(w.match.all.medianNs)} vs ${us(u.match.all.medianNs)} µs)`, w.match.all.medianNs <= u.match.all.medianNs);
    row('wasm match p99 ≤ uBO core\'s', `${x(w.match.all.p99Ns, u.match.all.p99Ns)} (${us(w.match.all.p99Ns)} vs ${us(u.match.all.p99Ns)} µs)`, w.match.all.p99Ns <= u.match.all.p99Ns);
    row('snapshot restore ≤ 5 ms (EasyList + EasyPrivacy)', `${ms(w.restoreMs)} ms in wasm (first restore in a fresh instance: ${ms(w.firstRestoreMs)} ms)`, w.restoreMs <= 5);
    row('wasm ≤ 800 KB gzip', `${(w.wasmGzipBytes / 1000).toFixed(0)} KB`, w.wasmGzipBytes <= 800_000);
    const b = r.browser;
    if (b) row('page load with the extension no slower than without', `${ms(b.pageLoad.with.medianMs)} vs ${ms(b.pageLoad.without.medianMs)} ms`, b.pageLoad.with.medianMs <= b.pageLoad.without.medianMs * 1.05);
    L.push('', '"No slower" allows 5 % for noise between two browser sessions on a shared machine.', '');
  }

  if (w) {
    L.push('## Size', '');
    L.push(`The shipped \`dist/chrome/wasm/pixelguard_bg.wasm\`: ${w.wasmBytes.toLocaleString('en')} bytes raw, ${w.wasmGzipBytes.toLocaleString('en')} bytes \`gzip -9\` (${(w.wasmGzipBytes / 1000).toFixed(0)} KB).`, '');
  }
  L.push('## DNR compile (EasyPrivacy)', '');
  if (n?.dnr || w?.dnr) {
    L.push('| engine | compile | rules |', '|---|--:|--:|');
    const names = { wasm: 'wasm `compileDnr(lists, "chrome")`', native: 'native `dnr::compile` (Chrome)' };
    for (const k of ['wasm', 'native']) if (r[k]?.dnr) L.push(`| ${names[k]} | ${ms(r[k].dnr.ms)} ms | ${r[k].dnr.rules ?? '—'} |`);
    if (n?.dnr && w?.dnr) L.push('', `Median of 3 compiles of EasyPrivacy alone; wasm/native ${x(w.dnr.ms, n.dnr.ms)}.`);
  } else {
    L.push('Not measured in this run: the DNR compiler (`compileDnr` / `crate/src/dnr`) is not on this branch yet.');
  }
  L.push('');

  const b = r.browser;
  if (b) {
    L.push('## In headless Chromium', '');
    L.push(`A local page with 100 first-party images and 100 tracker pixels (10 tracker hosts), every host answered by the local test server as the browser's proxy; median of ${b.loads} loads in two browser sessions each, alternating without / with, after 2 warm-up loads per session; \`loadEventStart\` of the navigation entry.`, '');
    L.push('| | page load median | tracker requests reaching the server |', '|---|--:|--:|');
    L.push(`| without the extension | ${ms(b.pageLoad.without.medianMs)} ms | ${b.pageLoad.without.trackerRequestsReachingServer} / 100 |`);
    L.push(`| with PixelGuard | ${ms(b.pageLoad.with.medianMs)} ms | ${b.pageLoad.with.trackerRequestsReachingServer} / 100 |`);
    L.push('', `The shipped engine's verdict blocks ${b.verdictBlocked} of the 100 pixels; the requests reaching the server with the extension show how many of them the extension actually stopped at this commit.`);
    L.push('', `Service worker cold start to first verdict (worker stopped through CDP, then a \`check\` message from an extension page until its reply: worker start, wasm instantiation, snapshot fetch and restore, the check): median ${ms(b.serviceWorker.coldMedianMs)} ms over ${b.serviceWorker.coldAllMs.length} starts; the same message to the running worker: ${ms(b.serviceWorker.warmMedianMs)} ms.`, '');
  }
  const log = new URL('optimisations.md', import.meta.url);
  if (existsSync(log)) L.push(readFileSync(log, 'utf8').trim(), '');
  L.push('## Reproduce', '', '```sh', './build.sh bench      # needs ../shared/data beside the repository; writes this file and benchmarks.svg', '```', '');
  return L.join('\n');
}
