// List downloads that go wrong, in each browser, added by URL on the options page: an https URL
// that redirects to http is refused; a response that never ends is given up, and pausing a site
// meanwhile answers at once (no lock is held over the network); a 41 MB response is stopped once
// past the 20 MB limit; a settings file too large to import is refused in words before reading it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messages } from '../../extension/src/messages.js';
import { CUSTOM_LIST } from './fixtures.mjs';
import { launchChromium, launchFirefox, sendMessage, startServer, waitFor } from './harness.mjs';

const MB = 1024 * 1024;

/** Fills the options page's URL field and submits it. */
async function addByUrl(options, url) {
  await options.bringToFront();
  await options.$eval('#add-error', (e) => { e.textContent = ''; });
  await options.$eval('#add-url', (input, value) => { input.value = value; }, url);
  await options.click('#add-url-button');
}
const addError = (options) => options.$eval('#add-error', (e) => e.textContent);
const customLists = (options) => options.$$eval('[data-list^="custom-"]', (boxes) => boxes.length);

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: list downloads: https only after redirects, a time limit, no lock over the network, a streamed size limit`, async (t) => {
    const hung = [];
    let hugeSent = 0;
    const server = await startServer({
      'lists.test/plain.txt': { type: 'text/plain', body: CUSTOM_LIST },
      'lists.test/redirect.txt': (_req, res) => res.writeHead(302, { location: 'http://lists.test/plain.txt' }).end(),
      'lists.test/never.txt': (_req, res) => {  // headers and a first line, then nothing, ever
        res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
        res.write('! Title: never ends\n||never.test^\n');
        hung.push(res);
      },
      'lists.test/huge.txt': (_req, res) => {  // 41 MB of filters, streamed without a length
        res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
        const chunk = Buffer.from('||huge.test^\n'.repeat(MB / 13));
        let closed = false;
        res.on('close', () => { closed = true; });
        const more = () => {
          while (!closed && hugeSent < 41 * MB) {
            hugeSent += chunk.length;
            if (!res.write(chunk)) return res.once('drain', more);
          }
          if (!closed) res.end();
        };
        more();
      },
    });
    const session = await launch({ port: server.port });
    const dir = mkdtempSync(join(tmpdir(), 'pixelguard-import-'));
    t.after(async () => {
      for (const res of hung) res.destroy();
      await session.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const options = await session.extensionPage('options/options.html');

    await addByUrl(options, 'https://lists.test/redirect.txt');
    await waitFor(async () => (await addError(options)) !== '', 'the redirect is refused');
    assert.match(await addError(options), /redirected to http:\/\/lists\.test\/plain\.txt: a list must be fetched over https/);
    assert.equal(await customLists(options), 0);

    await addByUrl(options, 'https://lists.test/never.txt');
    await waitFor(() => hung.length === 1, 'the never-ending download started');
    const paused = await sendMessage(options, messages.pause('news.test', true));
    assert.equal(paused?.ok, true, `pausing answers while the download hangs: ${JSON.stringify(paused)}`);
    assert.equal(await addError(options), '', 'the download was still running when the pause answered');
    await waitFor(async () => (await addError(options)) !== '', 'the hung download is given up', 90_000);
    assert.match(await addError(options), /could not download https:\/\/lists\.test\/never\.txt: nothing arrived for 20 seconds/);
    assert.equal(await customLists(options), 0);

    await addByUrl(options, 'https://lists.test/huge.txt');
    await waitFor(async () => (await addError(options)) !== '', 'the huge download is refused', 90_000);
    assert.match(await addError(options), /is larger than 20 MB, the largest list PixelGuard takes: the download was stopped/);
    t.diagnostic(`the 41 MB response: ${(hugeSent / MB).toFixed(1)} MB sent before the extension stopped it`);
    assert.ok(hugeSent < 41 * MB, `the download stopped before the end (${hugeSent} bytes sent)`);
    assert.equal(await customLists(options), 0);

    const big = join(dir, 'too-big.json');
    writeFileSync(big, '{');
    truncateSync(big, 61 * MB);  // sparse: cheap to make, never read
    await (await options.$('#import')).uploadFile(big);
    await waitFor(async () => (await options.$eval('#message', (e) => e.textContent)) !== '', 'the import answers');
    assert.match(await options.$eval('#message', (e) => e.textContent), /too-big\.json is 61 MB: PixelGuard imports settings files of up to 60 MB; nothing changed\./);
    assert.deepEqual((await sendMessage(options, messages.options())).result.paused, ['news.test'], 'nothing changed');
  });
}
