// Real-browser harness: a logging local server that is every browser's HTTP proxy, so every
// hostname reaches it and nothing leaves the machine; headless Chromium / Firefox with the built
// extension loaded. Pages use plain http URLs without a port (https is refused, never sent out).
import { createServer } from 'node:http';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const FIREFOX_ID = 'pixelguard@pixelguard.dev';
const FIREFOX_UUID = '3a3f1d52-7c1e-4b8a-9d54-5e0f2b7c9a11';

/**
 * Starts a server that answers every host with `routes[path]` (a function or a body) or a 1×1 GIF,
 * and logs each request as `host/path?query` (without the port) in `server.log`.
 */
export async function startServer(routes = {}) {
  const log = [];
  const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
  const server = createServer((req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);  // proxy requests carry absolute URLs
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

function copyDist(browser) {
  const dir = mkdtempSync(join(tmpdir(), `pixelguard-${browser}-`));
  cpSync(join(DIST, browser), dir, { recursive: true });
  return dir;
}

/** Chromium with dist/chrome (a copy) loaded: `{ browser, id, worker(), extensionPage(path), close() }`. */
export async function launchChromium({ port, extension = true }) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pixelguard-chromium-profile-'));
  const browser = await puppeteer.launch({
    executablePath: '/usr/lib/chromium/chromium', headless: true, pipe: true, enableExtensions: extension,
    userDataDir,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic',
      `--proxy-server=http://127.0.0.1:${port}`, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  const extensionDir = extension ? copyDist('chrome') : null;
  const id = extension ? await browser.installExtension(extensionDir) : null;
  const worker = async () => {
    const target = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${id}/`));
    const sw = await target.worker();
    await sw.evaluate(async () => { await chrome.storage.local.get(null); });  // readiness barrier
    return sw;
  };
  if (extension) await worker();
  return {
    name: 'chromium', browser, id,
    worker,
    extensionUrl: (path) => `chrome-extension://${id}/${path}`,
    async extensionPage(path) {
      const page = await browser.newPage();
      await page.goto(`chrome-extension://${id}/${path}`);
      await page.waitForFunction(() => document.body?.dataset.ready === '1');
      return page;
    },
    async close() {
      await browser.close();
      for (const dir of [userDataDir, extensionDir]) if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Firefox ESR with dist/firefox installed as a temporary add-on. */
export async function launchFirefox({ port, extension = true }) {
  const pac = `function FindProxyForURL(url, host) { return url.startsWith("http:") ? "PROXY 127.0.0.1:${port}" : "PROXY 127.0.0.1:9"; }`;
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
    },
  });
  const extensionDir = extension ? copyDist('firefox') : null;
  const id = extension ? await browser.installExtension(extensionDir) : null;
  return {
    name: 'firefox', browser, id,
    extensionUrl: (path) => `moz-extension://${FIREFOX_UUID}/${path}`,
    async extensionPage(path) {
      const page = await browser.newPage();
      page.goto(`moz-extension://${FIREFOX_UUID}/${path}`).catch(() => {});  // never resolves here
      await page.waitForFunction(() => document.body?.dataset.ready === '1', { timeout: 30000 });
      return page;
    },
    async close() {
      await browser.close();
      if (extensionDir) rmSync(extensionDir, { recursive: true, force: true });
    },
  };
}

/** Sends a message to the background from an extension page, as the popup does. */
export function sendMessage(page, message) {
  return page.evaluate((m) => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage(m), message);
}
