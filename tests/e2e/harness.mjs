// Real-browser harness: a logging local server that is every browser's proxy, so every hostname
// reaches it and nothing leaves the machine (https through CONNECT, answered with a self-signed
// certificate the browsers are told to accept); headless Chromium / Firefox with the extension.
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createSecureContext, TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
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

function copyDist(browser) {
  const dir = mkdtempSync(join(tmpdir(), `pixelguard-${browser}-`));
  cpSync(join(DIST, browser), dir, { recursive: true });
  return dir;
}

/** Chromium with dist/chrome (a copy) loaded: `{ browser, id, worker(), extensionPage(path), close() }`. */
export async function launchChromium({ port, extension = true }) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pixelguard-chromium-profile-'));
  const browser = await puppeteer.launch({
    executablePath: '/usr/lib/chromium/chromium', headless: true, pipe: true, acceptInsecureCerts: true, enableExtensions: extension,
    userDataDir,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic',
      `--proxy-server=http://127.0.0.1:${port}`, '--ignore-certificate-errors', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
  const extensionDir = extension ? copyDist('chrome') : null;
  const id = extension ? await browser.installExtension(extensionDir) : null;
  const worker = async () => {
    const target = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${id}/`));
    const sw = await target.worker();
    // Readiness barrier: the worker target can appear before the extension APIs are bound in it.
    for (let tries = 0; !(await sw.evaluate(() => typeof chrome === 'object' && !!chrome.storage)); tries += 1) {
      if (tries === 100) throw new Error('the service worker never got the extension APIs');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await sw.evaluate(async () => { await chrome.storage.local.get(null); });
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
