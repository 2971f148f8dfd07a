// Scheduled list updates in each browser, through the real alarm: a custom list added by URL says
// `! Expires: 1 hours`; its recorded fetch time is moved back past that period through the
// extension's own storage, and the background's hourly alarm is fired now (the alarm it scheduled,
// same name, same period), so its production onAlarm listener runs `updateExpired()`. A due list
// is downloaded again and its new host blocks on the next load; a fresh list is not fetched; with
// "Update lists … when they expire" off on the options page nothing is fetched; a due list whose
// URL answers 404 keeps blocking with its last good copy and shows the error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imagesPage, logged } from './fixtures.mjs';
import { launchChromium, launchFirefox, openPage, sendMessage, startServer, waitFor } from './harness.mjs';

const HOSTS = ['http://v1.scheduled-tracker.test/open.gif?u=1', 'http://v2.scheduled-tracker.test/open.gif?u=1',
  'http://v3.scheduled-tracker.test/open.gif?u=1'];
/** Version `n` of the list: `! Expires: 1 hours`, blocking the first `n` hosts. */
const listVersion = (n) => `! Title: Scheduled test list
! Version: ${n}
! Expires: 1 hours
${HOSTS.slice(0, n).map((u) => `||${new URL(u).hostname}^`).join('\n')}
`;
const LIST_PATH = '/lists/scheduled.txt';
const HOUR = 3600_000;
const QUIET_MS = 1500;  // after the alarm is seen: long enough for an update's download to start

/** The hourly update alarm the background scheduled (name and period), asked in the extension. */
const ALARMS = async () => (globalThis.browser ?? globalThis.chrome).alarms.getAll();

/** Fires alarm `name` now, keeping its period: what the browser does when its time comes. */
async function FIRE({ name, periodInMinutes }) {
  const api = globalThis.browser ?? globalThis.chrome;
  const when = Date.now();
  await api.alarms.create(name, { when, periodInMinutes });
  return when;
}

/** Moves custom list `id`'s recorded fetch time back by `ms`, in the extension's settings storage. */
async function BACKDATE({ id, ms }) {
  const api = globalThis.browser ?? globalThis.chrome;
  const { settings } = await api.storage.local.get('settings');
  const list = settings.custom.find((c) => c.id === id);
  list.updated = new Date(Date.parse(list.updated) - ms).toISOString();
  await api.storage.local.set({ settings });
  return list.updated;
}

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  test(`${name}: scheduled update of a custom list by the hourly alarm`, async (t) => {
    const routes = { '/page': imagesPage(HOSTS), [LIST_PATH]: { type: 'text/plain', body: listVersion(1) } };
    const server = await startServer(routes);
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });
    const listUrl = `http://127.0.0.1:${server.port}${LIST_PATH}`;
    const fetches = () => server.log.filter((r) => r.url.startsWith(`127.0.0.1${LIST_PATH}`)).length;
    const hits = () => HOSTS.map((u) => server.log.filter((r) => r.url.startsWith(logged(u))).length);
    let run = 0;
    const load = async () => (await openPage(session, `http://sched.test/page?run=${++run}`)).close();

    const options = await session.extensionPage('options/options.html');
    // Code run in the extension: Chromium's background service worker itself; in Firefox, whose
    // background page puppeteer cannot reach, the options page (same extension, same storage.local
    // and alarms: both are per extension, and onAlarm fires in the background).
    const worker = name === 'chromium' ? await session.worker() : null;
    const inExtension = (fn, arg) => (worker ?? options).evaluate(fn, arg);
    // Proof that an alarm fired: the options page listens too (alarm events reach every extension context).
    await options.evaluate(() => {
      globalThis.alarmsSeen = [];
      (globalThis.browser ?? globalThis.chrome).alarms.onAlarm.addListener((a) => globalThis.alarmsSeen.push(a.name));
    });
    const state = async () => (await sendMessage(options, { type: 'options' })).result;
    const custom = async () => (await state()).custom[0];
    /** The list's box as a freshly opened options page shows it. */
    const shown = async () => {
      const page = await session.extensionPage('options/options.html');
      const text = await page.$eval('[data-list="custom-1"]', (e) => e.textContent);
      await page.close();
      return text;
    };

    // The background schedules it once started (the engine restored), which may be after the page is ready.
    const alarms = await waitFor(async () => { const all = await inExtension(ALARMS); return all.length > 0 && all; }, 'the background scheduled its alarm');
    const hourly = alarms.filter((a) => a.periodInMinutes === 60);
    assert.equal(hourly.length, 1, `the background scheduled one hourly alarm: ${JSON.stringify(alarms)}`);
    const [alarm] = hourly;
    t.diagnostic(`the background's alarm: ${alarm.name}, every ${alarm.periodInMinutes} min`);
    /** Fires the alarm and waits until the options page saw it fire; resolves to the time it was set for. */
    const fire = async () => {
      const seen = await options.evaluate(() => globalThis.alarmsSeen.length);
      const when = await inExtension(FIRE, alarm);
      await waitFor(() => options.evaluate((n) => globalThis.alarmsSeen.length > n, seen), 'the alarm fired');
      assert.deepEqual(await options.evaluate(() => globalThis.alarmsSeen.at(-1)), alarm.name);
      return when;
    };
    /** Fires the alarm and proves that nothing is downloaded. */
    const fireAndNothing = async (why) => {
      const before = fetches();
      await fire();
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      assert.equal(fetches(), before, why);
    };

    await options.bringToFront();
    await options.$eval('#add-url', (input, value) => { input.value = value; }, listUrl);
    await options.click('#add-url-button');
    await options.waitForSelector('[data-list="custom-1"]');
    assert.equal(fetches(), 1);
    assert.equal((await custom()).expiresHours, 1, 'the list\'s `! Expires: 1 hours` is recorded');
    await load();
    assert.deepEqual(hits(), [0, 1, 1], 'version 1 blocks its host only');

    await t.test('a list that has not expired is not fetched', async () => {
      routes[LIST_PATH] = { type: 'text/plain', body: listVersion(2) };
      await fireAndNothing('the alarm leaves a fresh list alone');
      assert.equal((await custom()).version, '1');
    });

    await t.test('an expired list is updated by the alarm: the new host blocks', async () => {
      await inExtension(BACKDATE, { id: 'custom-1', ms: HOUR + 60_000 });
      const firedAt = await fire();
      const list = await waitFor(async () => { const c = await custom(); return c.version === '2' && c; }, 'the alarm updated the list');
      assert.equal(fetches(), 2, 'downloaded once more, from the local server');
      assert.ok(Date.parse(list.updated) >= firedAt - 1000, `fetched now (${list.updated})`);
      assert.equal(list.lastError, null);
      const box = await shown();
      assert.match(box, /version 2/);
      assert.ok(box.includes(`fetched ${list.updated.slice(0, 16).replace('T', ' ')} UTC`), box);
      await load();
      assert.deepEqual(hits(), [0, 1, 2], 'the new host is blocked on the next load');
      const after = (await inExtension(ALARMS)).find((a) => a.name === alarm.name);
      assert.equal(after?.periodInMinutes, 60, 'the hourly schedule goes on');
      assert.ok(after.scheduledTime > Date.now() + 55 * 60_000, 'next in an hour');
    });

    await t.test('with "Update lists when they expire" off, the alarm fetches nothing', async () => {
      routes[LIST_PATH] = { type: 'text/plain', body: listVersion(3) };
      await options.bringToFront();
      await options.click('#auto-update');
      await waitFor(async () => (await state()).autoUpdate === false, 'the switch is off');
      await inExtension(BACKDATE, { id: 'custom-1', ms: 2 * HOUR });
      await fireAndNothing('no request for the list');
      assert.equal((await custom()).version, '2');
      await load();
      assert.deepEqual(hits(), [0, 1, 3], 'version 3\'s host still loads');
      // Control: the same due list, the switch back on: the alarm fetches it.
      await options.click('#auto-update');
      await waitFor(async () => (await state()).autoUpdate === true, 'the switch is on');
      await fire();
      await waitFor(async () => (await custom()).version === '3', 'switched on, the alarm updates the list');
      assert.equal(fetches(), 3);
      await load();
      assert.deepEqual(hits(), [0, 1, 3], 'version 3\'s host is blocked');
    });

    await t.test('an expired list whose URL answers 404 keeps its last good copy and says why', async () => {
      routes[LIST_PATH] = { status: 404, type: 'text/plain', body: 'gone' };
      const kept = await inExtension(BACKDATE, { id: 'custom-1', ms: HOUR + 60_000 });
      await fire();
      const list = await waitFor(async () => { const c = await custom(); return c.lastError && c; }, 'the failure is recorded');
      assert.equal(fetches(), 4, 'the alarm tried the URL');
      assert.equal(list.version, '3');
      assert.equal(list.updated, kept, 'the last good copy\'s time is kept');
      const box = await shown();
      assert.match(box, /version 3/);
      assert.match(box, /Last update failed: .*HTTP 404.*keeping the copy from 20/);
      await load();
      assert.deepEqual(hits(), [0, 1, 3], 'the last good copy still blocks every host');
    });

    assert.ok(!server.saw('easylist.to/'), 'EasyPrivacy, fresh from install, was not fetched by any alarm');
  });
}
