// Real-browser harness: a logging local server that is every browser's proxy, so every hostname
// reaches it and nothing leaves the machine (https through CONNECT, answered with a self-signed
// certificate the browsers are told to accept); headless Chromium / Firefox with the extension.
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createSecureContext, TLSSocket } from 'node:tls';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { diagnostics } from '../../extension/src/messages.js';

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
mkdirSync(ARTIFACTS, { recursive: true });  // screenshots land here (gitignored)
const FIREFOX_ID = 'pixelguard@pixelguard.dev';
const FIREFOX_UUID = '3a3f1d52-7c1e-4b8a-9d54-5e0f2b7c9a11';

/** A throwaway self-signed certificate for the proxy's TLS side. */
function selfSigned() {
  const dir = mkdtempSync(join(tmpdir(), 'pixelguard-cert-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=pixelguard.test',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const pair = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  rmSync(dir, { recursive: true });
  return createSecureContext(pair);
}

/**
 * Starts a server that answers every host with `routes[path]` (a function or a body) or a 1×1 GIF,
 * and logs each request as `host/path?query` (without the port) in `server.log`.
 */
export async function startServer(routes = {}) {
  const log = [];
  const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      console.error(`# test server: ${req.method} ${req.url}: ${error.message}`);
      res.writeHead(400).end();
    }
  });
  function handle(req, res) {
    // Proxy requests carry absolute URLs; TLS-tunnelled ones a path (which may start with //).
    const url = new URL(req.url.startsWith('/') ? `http://${req.headers.host}${req.url}` : req.url);
    const host = url.hostname;
    log.push({ host, url: `${host}${url.pathname}${url.search}`, headers: req.headers });
    const path = url.pathname;
    const route = routes[path] ?? routes[`${host}${path}`];
    if (typeof route === 'function') return route(req, res);
    if (route !== undefined) {
      const type = route.type ?? 'text/html; charset=utf-8';
      res.writeHead(route.status ?? 200, { 'content-type': type, 'cache-control': 'no-store' });
      return res.end(route.body ?? route);
    }
    res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
    res.end(gif);
  }
  const secureContext = selfSigned();
  server.on('connect', (_req, socket) => {  // https: terminate TLS here and serve as plain http
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    server.emit('connection', new TLSSocket(socket, { isServer: true, secureContext }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    log,
    /** Did any request reach `host` (optionally with a path prefix)? */
    saw: (prefix) => log.some((r) => r.url.startsWith(prefix)),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/** A throwaway copy of an unpacked extension (Chromium writes _metadata/ into the one it loads). */
function copyExtension(from, name) {
  const dir = mkdtempSync(join(tmpdir(), `pixelguard-${name}-`));
  cpSync(from, dir, { recursive: true });
  return dir;
}
const copyDist = (browser) => copyExtension(join(DIST, browser), browser);

/**
 * Chromium with dist/chrome (a copy) loaded — or, to measure against, another unpacked extension
 * (`extensionDir`): `{ browser, id, worker(), extensionPage(path), clipboard(page), close() }`;
 * `lang` (e.g. `de`) is the browser's UI language (Debian's chromium-l10n has the translations).
 */
export async function launchChromium({ port, extension = true, extensionDir: other = null, lang = 'en-US' }) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pixelguard-chromium-profile-'));
  const browser = await puppeteer.launch({
    executablePath: '/usr/lib/chromium/chromium', headless: true, pipe: true, acceptInsecureCerts: true, enableExtensions: extension,
    userDataDir, env: { ...process.env, LANGUAGE: lang },
    args: [`--lang=${lang}`, '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic',
      `--proxy-server=http://127.0.0.1:${port}`, '--ignore-certificate-errors', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  let extensionDir = null;
  if (extension) extensionDir = other ? copyExtension(other, 'other') : copyDist('chrome');
  const id = extension ? await browser.installExtension(extensionDir) : null;
  const worker = async () => {
    const target = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${id}/`));
    const sw = await target.worker();
    // Readiness barrier: the extension APIs answer (right after install they may not exist yet).
    await waitFor(() => sw.evaluate(async () => typeof chrome === 'object' && Boolean(await chrome.storage.local.get(null)))
      .catch(() => false), 'the service worker has its extension APIs');
    return sw;
  };
  if (extension) await worker();
  return {
    name: 'chromium', browser, id,
    worker,
    extensionUrl: (path) => `chrome-extension://${id}/${path}`,
    /** The text on the system clipboard, read from extension page `page` (granted clipboard-read). */
    async clipboard(page) {
      await browser.defaultBrowserContext().overridePermissions(`chrome-extension://${id}`, ['clipboard-read', 'clipboard-sanitized-write']);
      await page.bringToFront();
      return page.evaluate(() => navigator.clipboard.readText());
    },
    async extensionPage(path) {
      const page = await browser.newPage();
      await page.goto(`chrome-extension://${id}/${path}`);
      await page.waitForFunction(() => document.body?.dataset.ready === '1');
      return page;
    },
    /**
     * Stops the extension's service worker through CDP (from `page`'s session) and proves it
     * stopped; resolves to `started()`, which waits until a new worker runs (whatever woke it) and
     * resolves to the states seen (running, stopped, running).
     */
    async stopWorker(page) {
      const cdp = await page.createCDPSession();
      const scope = `chrome-extension://${id}/`;
      const states = [];
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        for (const v of versions) if (v.scriptURL.startsWith(scope)) states.push(v);
      });
      await cdp.send('ServiceWorker.enable');
      await waitFor(() => states.some((v) => v.runningStatus === 'running'), 'the worker is seen running');
      const before = states.findLast((v) => v.runningStatus === 'running');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await waitFor(() => states.at(-1)?.runningStatus === 'stopped', 'the worker stopped');
      const stoppedAt = states.length;
      return async function started() {
        // Under puppeteer the new worker waits for a debugger (auto-attach): let it run.
        const next = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(scope));
        await (await next.createCDPSession()).send('Runtime.runIfWaitingForDebugger');
        await waitFor(() => states.slice(stoppedAt).some((v) => v.runningStatus === 'running'), 'the worker started again');
        await cdp.detach();
        return { before: before.runningStatus, stopped: states[stoppedAt - 1].runningStatus,
          after: states.slice(stoppedAt).find((v) => v.runningStatus === 'running').runningStatus };
      };
    },
    /** Stops the worker (see stopWorker), wakes it with a message from `page`, proves it runs again. */
    async restartWorker(page) {
      const started = await this.stopWorker(page);
      const woken = sendMessage(page, diagnostics.status());
      const states = await started();
      await woken;
      return states;
    },
    async close() {
      await browser.close();
      for (const dir of [userDataDir, extensionDir]) if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Firefox ESR with dist/firefox installed as a temporary add-on; `prefs` adds or overrides prefs;
 * `lang` (e.g. `de`, `es-ES`) is the UI language (Debian's firefox-esr-l10n-* language packs).
 */
export async function launchFirefox({ port, extension = true, prefs = {}, lang = 'en-US' }) {
  const pac = `function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${port}"; }`;
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true,
    args: ['--remote-allow-system-access'], acceptInsecureCerts: true,
    extraPrefsFirefox: {
      'network.proxy.type': 2,
      'network.proxy.autoconfig_url': `data:text/javascript,${encodeURIComponent(pac)}`,
      'network.proxy.allow_hijacking_localhost': true,
      'dom.security.https_first': false,
      'dom.security.https_first_schemeless': false,
      'network.http.http3.enable': false,
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ID]: FIREFOX_UUID }),
      'extensions.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'intl.locale.requested': lang,
      ...prefs,
    },
  });
  const extensionDir = extension ? copyDist('firefox') : null;
  const id = extension ? await browser.installExtension(extensionDir) : null;
  /** Runs `expression` in Firefox's parent process (system access), returning its value. */
  const chromeEval = async (expression) => {
    const tree = await browser.connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
    const { result } = await browser.connection.send('script.evaluate',
      { expression, target: { context: tree.result.contexts[0].context }, awaitPromise: true });
    return result.result?.value;
  };
  const policy = `WebExtensionPolicy.getByID('${FIREFOX_ID}').extension`;
  return {
    name: 'firefox', browser, id,
    /**
     * Terminates the extension's background page and proves it is stopped; resolves to
     * `started()`, which waits until it runs again (whatever woke it) and resolves to the states seen.
     */
    async stopWorker() {
      const before = await chromeEval(`${policy}.backgroundState`);
      // A late event of the page before (seen once in CI) can wake the background between the
      // termination and the read: then it is terminated again, so the test's own page wakes it.
      let stopped;
      for (let attempt = 0; attempt < 5 && stopped !== 'stopped'; attempt += 1) {
        await waitFor(async () => (await chromeEval(`${policy}.backgroundState`)) !== 'starting', 'the background settles');
        stopped = await chromeEval(`${policy}.terminateBackground({ disableResetIdleForTest: true }).then(() => ${policy}.backgroundState)`);
      }
      return async function started() {
        await waitFor(async () => (await chromeEval(`${policy}.backgroundState`)) === 'running', 'the background runs again');
        return { before, stopped, after: 'running' };
      };
    },
    /** Stops the background (see stopWorker), wakes it with a message from `page`, proves it runs again. */
    async restartWorker(page) {
      const started = await this.stopWorker(page);
      await sendMessage(page, diagnostics.status());
      return started();
    },
    extensionUrl: (path) => `moz-extension://${FIREFOX_UUID}/${path}`,
    /** The text on the system clipboard, read in the browser's own (privileged) window. */
    clipboard: () => chromeEval('navigator.clipboard.readText()'),
    async extensionPage(path) {
      const page = await browser.newPage();
      page.goto(`moz-extension://${FIREFOX_UUID}/${path}`).catch(() => {});  // never resolves here
      // Poll rather than waitForFunction: a wait started before the navigation can fail with it.
      await waitFor(() => page.evaluate(() => document.body?.dataset.ready === '1').catch(() => false), `${path} is ready`);
      return page;
    },
    async close() {
      await browser.close();
      if (extensionDir) rmSync(extensionDir, { recursive: true, force: true });
    },
  };
}

/** Polls `condition` (sync or async) until it is truthy; fails after `timeout` ms naming `what`. */
export async function waitFor(condition, what, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Opens `url` in a new tab and waits until it loaded and its script finished (`body[data-done]`). */
export async function openPage(session, url) {
  const page = await session.browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.body?.dataset.done === '1');
  return page;
}

/** The id of the tab showing `url` (a match pattern), asked from an extension page. */
export function tabId(extensionPage, pattern) {
  return extensionPage.evaluate(async (p) => {
    const [tab] = await (globalThis.browser ?? globalThis.chrome).tabs.query({ url: p });
    return tab?.id;
  }, pattern);
}

/**
 * Edits the extension's IndexedDB key/value store (extension/src/store.js) from extension page
 * `page`: puts each of `put`'s values under its key and deletes the keys in `remove`; resolves to every key stored after.
 */
export const editStore = (page, { put = {}, remove = [] }) => page.evaluate(async (puts, removes) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('pixelguard');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction('kv', 'readwrite');
      const kv = tx.objectStore('kv');
      for (const [key, value] of Object.entries(puts)) kv.put(value, key);
      for (const key of removes) kv.delete(key);
      const keys = kv.getAllKeys();
      tx.oncomplete = () => resolve(keys.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}, put, remove);

/** Whether Chromium's extension service worker `worker` (session.worker()) has compiled a wasm module: its debugger lists each one parsed. */
export async function compiledWasm(worker) {
  const parsed = [];
  const seen = (script) => parsed.push(script.scriptLanguage);
  worker.client.on('Debugger.scriptParsed', seen);
  try {
    await worker.client.send('Debugger.enable');  // reports every script parsed so far
    await worker.client.send('Debugger.disable');
  } finally {
    worker.client.off('Debugger.scriptParsed', seen);
  }
  return parsed.includes('WebAssembly');
}

/** Sends a message to the background from an extension page, as the popup does. */
export function sendMessage(page, message) {
  return page.evaluate((m) => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage(m), message);
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on `page`: `[{ id, impact, help, nodes: [selector …] }]`. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof globalThis.axe === 'object'))) await page.evaluate(AXE);
  return page.evaluate(async () => (await globalThis.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) })));
}
