// docs/benchmarks.md from one run of the bench: the targets with their ratios, the engines on the
// crawl, and PixelGuard beside uBlock Origin Lite in headless Chromium; then bench/optimisations.md.
import { existsSync, readFileSync } from 'node:fs';
import { CORE } from '../dist/chrome/src/generated/core.js';

const us = (ns) => (ns / 1000).toFixed(ns < 10000 ? 2 : 1);
const ms = (v, d = v < 10 ? 2 : v < 100 ? 1 : 0) => v.toFixed(d);
const mb = (b) => `${(b / 1048576).toFixed(1)} MiB`;
const mib = (b) => (b / 1048576).toFixed(1);
const signed = (b) => `${b >= 0 ? '+' : '−'}${mib(Math.abs(b))}`;
const x = (a, b) => `${(a / b).toFixed(2)}×`;
const MIB = 1048576;

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

const PAGES = { trackers: '150 first-party images and 100 tracker pixels', clean: 'no trackers (the 150 first-party images alone)' };
const PHASES = { idle: 'idle after start-up', page: 'after the tracker page' };

/** An extension's memory over the empty extension's in the same phase: `{ rss, pss }`. */
const over = (m, name, phase) => ({ rss: m[name][phase].rss - m.empty[phase].rss, pss: m[name][phase].pss - m.empty[phase].pss });

/** The issue's targets, each `{ target, measured, ratio, met }`, from one run. */
export function targets(r) {
  const rows = [];
  const add = (target, measured, ratio, met) => rows.push({ target, measured, ratio, met });
  const b = r.browser;
  for (const [page, what] of Object.entries(PAGES)) {
    const p = b?.pageLoad?.[page];
    if (p?.ubol) {
      const off = p.pixelguardGpcOff ? `; PixelGuard with GPC off ${ms(p.pixelguardGpcOff.medianMs)} ms, ${x(p.pixelguardGpcOff.medianMs, p.ubol.medianMs)}` : '';
      add(`page load ≤ uBOL's: ${what}`, `${ms(p.pixelguard.medianMs)} vs ${ms(p.ubol.medianMs)} ms (no extension: ${ms(p.none.medianMs)} ms${off})`,
        x(p.pixelguard.medianMs, p.ubol.medianMs), p.pixelguard.medianMs <= p.ubol.medianMs);
    }
  }
  const m = b?.memory;
  for (const [phase, what] of Object.entries(PHASES)) {
    if (!m?.ubol) continue;
    const pg = over(m, 'pixelguard', phase), u = over(m, 'ubol', phase);
    add(`extension process memory over an empty MV3 extension ≤ uBOL's, ${what}`,
      `PixelGuard ${signed(pg.rss)} / ${signed(pg.pss)} MiB, uBOL ${signed(u.rss)} / ${signed(u.pss)} MiB (RSS / PSS)`,
      `${x(pg.rss, u.rss)} / ${x(pg.pss, u.pss)}`, pg.rss <= u.rss && pg.pss <= u.pss);
  }
  if (m?.pixelguard.afterList) {
    const d = { rss: m.pixelguard.afterList.rss - m.pixelguard.beforeList.rss, pss: m.pixelguard.afterList.pss - m.pixelguard.beforeList.pss };
    add(`after adding a ${b.listFilters.toLocaleString('en')}-filter custom list, memory within 2 MiB of before`,
      `${signed(d.rss)} / ${signed(d.pss)} MiB (RSS / PSS)`, `${x(Math.max(d.rss, d.pss), 2 * MIB)} of 2 MiB`, d.rss <= 2 * MIB && d.pss <= 2 * MIB);
  }
  const c = b?.coldStart;
  if (c) {
    const asked = b.workerStart?.pixelguard?.labelMedianMs;
    add('service-worker cold start to the first labelled entry ≤ 50 ms', `logged ${ms(c.pixelguard.medianMs)} ms (the minimal DNR logger: ${ms(c.floor.medianMs)} ms)${asked === undefined ? '' : `; labelled ${ms(asked)} ms after the popup asks a stopped worker`}`,
      x(c.pixelguard.medianMs, 50), c.pixelguard.medianMs <= 50);
  }
  const cs = b?.contentScripts;
  if (cs) {
    add('content scripts ≤ 2 ms of main-thread time, page of 1,000 elements', `${ms(cs.pixelguard.medianMs)} ms${cs.ubol ? ` (uBOL: ${ms(cs.ubol.medianMs)} ms)` : ''}`,
      x(cs.pixelguard.medianMs, 2), cs.pixelguard.medianMs <= 2);
  }
  const w = r.wasm, floor = r.native?.plain;
  if (w && floor) {
    add('wasm match median ≤ 1.3× the native adblock-rust floor', `${us(w.match.all.medianNs)} vs ${us(floor.match.all.medianNs)} µs`
      + (r.wasmFloor ? ` (adblock-rust alone in wasm: ${us(r.wasmFloor.match.all.medianNs)} µs, ${x(r.wasmFloor.match.all.medianNs, floor.match.all.medianNs)})` : ''),
      x(w.match.all.medianNs, floor.match.all.medianNs), w.match.all.medianNs <= 1.3 * floor.match.all.medianNs);
  }
  if (w) add('wasm ≤ 800 KB gzip', `${(w.wasmGzipBytes / 1000).toFixed(0)} KB`, x(w.wasmGzipBytes, 800_000), w.wasmGzipBytes <= 800_000);
  return rows;
}

function browserSection(b, L) {
  L.push('## Beside uBlock Origin Lite, in headless Chromium', '');
  L.push(b.ubol
    ? `uBlock Origin Lite ${b.ubol} (\`../shared/anchors/ubol-chromium\`, unmodified, its default rulesets) and PixelGuard (\`dist/chrome\`), each in its own headless Chromium, every host answered by the local test server as the browsers' proxy.`
    : '**uBlock Origin Lite was not measured: `../shared/anchors/ubol-chromium` is absent.** PixelGuard (`dist/chrome`) alone, every host answered by the local test server as the browser\'s proxy.', '');
  const names = ['none', 'floor', 'ubol', 'pixelguard', 'pixelguardGpcOff'].filter((n) => b.pageLoad?.trackers[n] ?? b.contentScripts?.[n]);
  const label = { none: 'no extension', floor: 'minimal DNR logger', ubol: 'uBOL', pixelguard: 'PixelGuard', pixelguardGpcOff: 'PixelGuard (GPC off)' };
  if (b.pageLoad) {
    L.push('### Page loads', '');
    L.push(`The ${names.length} browsers open together, one load in each in turn (the order rotating each round), ${b.loads} loads of each page after 2 warm-up loads; \`loadEventStart\` of the navigation entry, median. The minimal DNR logger (described under the cold start below) is the floor under any extension that logs what DNR blocked; PixelGuard runs twice: as installed, and with its Global Privacy Control (which uBOL does not send) switched off on its options page, so no \`Sec-GPC\` header rule and no page-world script.`, '');
    L.push(`| page | ${names.map((n) => label[n]).join(' | ')} |${b.ubol ? ' PixelGuard / uBOL |' : ''} tracker requests reaching the server |`,
      `|---|${names.map(() => '--:|').join('')}${b.ubol ? '--:|' : ''}---|`);
    for (const [page, what] of Object.entries(PAGES)) {
      const p = b.pageLoad[page];
      L.push(`| ${what} | ${names.map((n) => `${ms(p[n].medianMs)} ms`).join(' | ')} |${b.ubol ? ` ${x(p.pixelguard.medianMs, p.ubol.medianMs)} |` : ''} `
        + `${names.map((n) => `${label[n]} ${p[n].trackerRequestsReachingServer}`).join(', ')} |`);
    }
    L.push('', `The shipped engine's verdict blocks ${b.verdictBlocked} of the page's ${b.trackers} tracker pixels.`, '');
  }
  if (b.contentScripts) {
    L.push('### Content scripts', '');
    L.push('Main-thread time of the extensions\' scripts in a page of 1,000 elements (a shop front page: navigation, 60 product cards with first-party images, a large third-party image, an unlisted 1×1 third-party image), from Chromium\'s own trace (`devtools.timeline`): every event on a renderer main thread naming a `chrome-extension://` script, nested ones counted once; median of the loads after one warm-up, 1.5 s traced from navigation. The minimal DNR logger\'s content script is empty: what injecting any content script costs.', '');
    L.push('| | main-thread time | loads |', '|---|--:|--:|');
    for (const n of names) if (b.contentScripts[n]) L.push(`| ${label[n]} | ${ms(b.contentScripts[n].medianMs)} ms | ${b.contentScripts[n].allMs.map((v) => ms(v)).join(', ')} |`);
    L.push('');
  }
  const m = b.memory;
  if (m) {
    const runs = m.empty.idle.runs.length;
    L.push('### Extension process memory', '');
    L.push(`RSS and PSS of the extension's renderer process (\`--extension-process\`, from \`/proc/PID/smaps_rollup\`), median of ${runs} fresh browsers each, ${b.memoryWaitMs ? `${b.memoryWaitMs / 1000} s after the phase's last request (past PixelGuard's 10 s idle release of its engine), ` : ''}after its CPU went quiet and a garbage collection in its service worker (\`HeapProfiler.collectGarbage\` through CDP, every system alike: what it retains, not garbage V8 has yet to reclaim): idle after start-up, then after the tracker page. The empty MV3 extension (built by the bench: a service worker that does nothing) is what any extension costs; the others are shown over it, the minimal DNR logger (described under the cold start below) as the floor under any extension that logs what DNR blocked. For PixelGuard, the options page is opened and closed, then opened again to add a ${b.listFilters.toLocaleString('en')}-filter custom list (EasyList's first network filters) and closed: only the list differs between the last two columns.`, '');
    L.push('| | idle after start-up (RSS / PSS) | after the tracker page | options page opened and closed | after adding the list |', '|---|--:|--:|--:|--:|');
    const cell = (v) => (v ? `${mib(v.rss)} / ${mib(v.pss)} MiB` : '—');
    L.push(`| empty MV3 extension | ${cell(m.empty.idle)} | ${cell(m.empty.page)} | — | — |`);
    for (const n of ['floor', 'ubol', 'pixelguard'].filter((k) => m[k])) {
      const d = (phase) => (m[n][phase] ? `${signed(over(m, n, phase).rss)} / ${signed(over(m, n, phase).pss)} MiB` : '—');
      const abs = (phase) => (m[n][phase] ? `${cell(m[n][phase])}` : '—');
      L.push(`| ${label[n]} over empty | ${d('idle')} | ${d('page')} | ${abs('beforeList')} | ${abs('afterList')} |`);
    }
    L.push('');
  }
  const c = b.coldStart, wk = b.workerStart;
  if (c) {
    L.push('### Service-worker cold start to the first logged, and labelled, entry', '');
    L.push(`The worker stopped through CDP (\`ServiceWorker.stopAllWorkers\`), then an open page adds a tracker pixel; the time from then until the pixel's entry is in \`storage.session\` (read through CDP, which wakes nothing), median of ${c.pixelguard.allMs.length} starts each, the two extensions alternating. With the process gone (a real cold start: Chromium ends an extension's process with its worker), and with it kept (a page of the extension open in a tab: only the worker starts). The minimal DNR logger, built by the bench, blocks the same hosts with one static rule and appends each blocked URL to \`storage.session\` from \`onErrorOccurred\`: no engine, no label — the floor under any extension that logs what DNR blocked. PixelGuard in Chrome logs a blocked request as the browser reports it and labels it when someone looks; so, with the process kept, its worker is stopped again and the popup's request (from its options page) is timed until it answers with the entry labelled by filter, list, company and kind: what opening the popup costs after the worker stopped.`, '');
    L.push('| | process gone | process kept | labelled when the popup asks (worker stopped) |', '|---|--:|--:|--:|');
    for (const n of ['floor', 'pixelguard']) {
      const labelled = wk?.[n]?.labelMs ? `${ms(wk[n].labelMedianMs)} ms (${wk[n].labelMs.join(', ')})` : '—';
      L.push(`| ${label[n]} | ${ms(c[n].medianMs)} ms (${c[n].allMs.join(', ')}; gone ${c[n].processGone}/${c[n].allMs.length}) | ${wk ? `${ms(wk[n].medianMs)} ms (${wk[n].allMs.join(', ')})` : '—'} | ${labelled} |`);
    }
    L.push('');
  }
}

export function report(env, r, { requests, lists }) {
  const order = ['wasm', 'native', 'ubo', 'ghostery'].filter((k) => r[k]);
  const n = r.native;
  const L = [];
  L.push('# Benchmarks', '');
  L.push('Written by `./build.sh bench` from one run; do not edit by hand (the optimisation log at the end comes',
    'from `bench/optimisations.md`). Same machine, same run, same corpus and lists for every engine.', '');
  L.push(`- run: ${env.date}, commit ${env.commit}; ${env.cpu} (shared with other work: quote medians and ratios, not single numbers); Node ${env.node}; ${env.rustc}`);
  L.push(`- corpus: \`../shared/data/${requests}\` (${n?.requests ?? r.wasm?.requests} requests, Cliqz/Ghostery crawl of top sites, 2019); types mapped ${Object.entries(CORE.crawlResourceTypes).map(([cpt, t]) => `${cpt}→${t}`).join(', ')}`);
  L.push(`- lists: EasyList + EasyPrivacy (${Object.values(lists).map((p) => p.split('/').pop()).join(', ')})`);
  L.push(`- matching: one warm-up pass, then ${env.passes} timed passes over the corpus; a request's time is its median pass; each engine in its own process; JS timer overhead (≈${r.wasm?.timerOverheadNs ?? '?'} ns) is included in the JS engines' numbers`);
  L.push('', '![match time per request and restore time](benchmarks.svg)', '');

  const rows = targets(r);
  if (rows.length) {
    L.push('## Targets', '');
    L.push('| target | measured | ratio | met |', '|---|---|--:|---|');
    for (const t of rows) L.push(`| ${t.target} | ${t.measured} | ${t.ratio} | ${t.met ? 'yes' : '**no**'} |`);
    L.push('');
  }

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
  const p = n?.plain, u = r.ubo, wf = r.wasmFloor;
  if (p) {
    L.push(`The floor under any wrapper of adblock-rust, same run — ${p.label}: match median ${us(p.match.all.medianNs)} µs, p99 ${us(p.match.all.p99Ns)} µs `
      + `(${p.blocked} blocked)${u ? `; uBO core's median is ${x(u.match.all.medianNs, p.match.all.medianNs)} of it, its p99 ${x(u.match.all.p99Ns, p.match.all.p99Ns)}` : ''}. `
      + 'Native code, no JS boundary, no verdict: what adblock-rust itself costs here.'
      + (wf ? ` The same, compiled to wasm (\`bench/wasm-floor\`, same flags as the shipped wasm) and called from Node with three strings in and a boolean out — ${wf.label}: median ${us(wf.match.all.medianNs)} µs, p99 ${us(wf.match.all.p99Ns)} µs, ${x(wf.match.all.medianNs, p.match.all.medianNs)} the native floor: what running adblock-rust as wasm costs before any wrapper.` : ''), '');
  }
  const w = r.wasm;
  if (w && u) {
    L.push('Reference, not targets (in Chrome the engine only labels what DNR already blocked):', '');
    L.push(`- wasm match median ${x(w.match.all.medianNs, u.match.all.medianNs)} uBO core's (${us(w.match.all.medianNs)} vs ${us(u.match.all.medianNs)} µs), p99 ${x(w.match.all.p99Ns, u.match.all.p99Ns)} (${us(w.match.all.p99Ns)} vs ${us(u.match.all.p99Ns)} µs);`);
    L.push(`- snapshot restore (EasyList + EasyPrivacy) ${ms(w.restoreMs)} ms in wasm; the first restore in a fresh instance ${ms(w.firstRestoreMs)} ms.`, '');
  }
  if (w) {
    L.push('## Size', '');
    L.push(`The shipped \`dist/chrome/wasm/pixelguard_bg.wasm\`: ${w.wasmBytes.toLocaleString('en')} bytes raw, ${w.wasmGzipBytes.toLocaleString('en')} bytes \`gzip -9\` (${(w.wasmGzipBytes / 1000).toFixed(0)} KB).`, '');
  }
  if (n?.dnr || w?.dnr) {
    L.push('## DNR compile (EasyPrivacy)', '');
    L.push('| engine | compile | rules |', '|---|--:|--:|');
    const names = { wasm: 'wasm `compileDnr(lists, "chrome")`', native: 'native `dnr::compile` (Chrome)' };
    for (const k of ['wasm', 'native']) if (r[k]?.dnr) L.push(`| ${names[k]} | ${ms(r[k].dnr.ms)} ms | ${r[k].dnr.rules ?? '—'} |`);
    if (n?.dnr && w?.dnr) L.push('', `Median of 3 compiles of EasyPrivacy alone; wasm/native ${x(w.dnr.ms, n.dnr.ms)}.`);
    L.push('');
  }
  if (r.browser) browserSection(r.browser, L);
  const log = new URL('optimisations.md', import.meta.url);
  if (existsSync(log)) L.push(readFileSync(log, 'utf8').trim(), '');
  L.push('## Reproduce', '', '```sh', './build.sh bench      # needs ../shared/data beside the repository; writes this file and benchmarks.svg', '```', '');
  return L.join('\n');
}
