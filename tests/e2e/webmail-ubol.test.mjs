// Issue 10's comparison, in Chromium: uBlock Origin Lite (../shared/anchors/ubol-chromium, unmodified,
// its default rulesets) and PixelGuard on the same webmail messages (webmail-fixtures.mjs). PixelGuard
// must block every pixel uBOL blocks, in every proxy shape, and let every content image load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WEBMAILS, arrived, images, routes } from './webmail-fixtures.mjs';
import { launchChromium, openPage, startServer, waitFor } from './harness.mjs';

const UBOL = fileURLToPath(new URL('../../../shared/anchors/ubol-chromium/', import.meta.url));

/** Per webmail, the pixels that did not reach the server, and the content images that did, with `extensionDir` (null: PixelGuard). */
async function measure(server, extensionDir) {
  const session = await launchChromium({ port: server.port, extensionDir });
  try {
    const out = {};
    for (const w of WEBMAILS) {
      server.log.length = 0;
      const tab = await openPage(session, w.page);
      // Every image decided: loaded, failed, or (PixelGuard) kept without an address.
      await waitFor(() => tab.evaluate(() => [...document.querySelectorAll('#view img')]
        .every((img) => img.dataset.pixelguard === 'blocked' || (img.getAttribute('src') && img.complete))), `every ${w.name} image is decided`);
      const all = images(w);
      out[w.name] = {
        blocked: all.filter((i) => i.pixel && !arrived(server, i.proxied)).map((i) => i.url),
        pixels: all.filter((i) => i.pixel).length,
        loaded: all.filter((i) => !i.pixel && arrived(server, i.proxied)).length,
        content: all.filter((i) => !i.pixel).length,
      };
      await tab.close();
    }
    return out;
  } finally {
    await session.close();
  }
}

test('chromium: PixelGuard blocks every webmail pixel uBlock Origin Lite blocks, in every proxy shape', async (t) => {
  if (!existsSync(UBOL)) {
    if (process.env.CI) assert.fail(`${UBOL} is absent`);
    t.skip(`${UBOL} is absent: nothing to measure against`);
    return;
  }
  const server = await startServer(routes());
  t.after(() => server.close());
  const ubol = await measure(server, UBOL);
  const ours = await measure(server, null);
  const line = (m) => Object.entries(m).map(([name, r]) => `${name} ${r.blocked.length}/${r.pixels} pixels blocked, ${r.loaded}/${r.content} content loaded`).join('; ');
  t.diagnostic(`uBlock Origin Lite: ${line(ubol)}`);
  t.diagnostic(`PixelGuard: ${line(ours)}`);
  for (const w of WEBMAILS) {
    assert.deepEqual(ubol[w.name].blocked.filter((u) => !ours[w.name].blocked.includes(u)), [], `${w.name}: pixels uBOL blocks and PixelGuard misses`);
    assert.equal(ours[w.name].loaded, ours[w.name].content, `${w.name}: every content image loads with PixelGuard`);
  }
});
