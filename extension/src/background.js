// PixelGuard's background (service worker in Chrome, event page in Firefox): every listener is
// registered synchronously; the engine starts on first need (a blocked request to label, a suspect
// to score, a message from a page of ours), not with the background, which a page's requests may
// wake only to reset a tab's log or set its icon.
import { api } from './browser.js';
import { handlers } from './handlers.js';
import { start } from './lists.js';
import { mayBeSentBy } from './messages.js';
import { observe } from './observe.js';
import { applyStoredPrivacy } from './privacy.js';
import { PAUSE_ALARM, applyStoredSites, endPauses, showIcon } from './sites.js';
import { applyStoredBlockedHosts } from './suspects.js';
import { installed, updateExpired } from './updates.js';
import { applyWebmailHold } from './webmail.js';

const UPDATE_ALARM = 'update-lists';
const UPDATE_CHECK_MINUTES = 60;

let starting;
/** Resolves once the engine is ready, starting it the first time. */
const ready = () => {
  if (!starting) {
    starting = start();
    starting.catch((error) => console.error('PixelGuard: the background failed to start:', error));
  }
  return starting;
};

/**
 * What the browser may not keep between its sessions (registered scripts, alarms, pauses that ended
 * while it was closed) and the blocked hosts' rule, applied from the settings at install, update
 * and browser start — not each time the background wakes: dynamic rules, registered scripts and
 * alarms outlive it.
 */
async function applyStored() {
  await applyStoredPrivacy();
  await applyStoredBlockedHosts();
  await applyStoredSites();
  await applyWebmailHold();
  if (!(await api.alarms.get(UPDATE_ALARM))) api.alarms.create(UPDATE_ALARM, { periodInMinutes: UPDATE_CHECK_MINUTES });
}
const failed = (what) => (error) => console.error(`PixelGuard: ${what}:`, error);
/** The settings being applied at install, update or browser start: messages wait for them too. */
let applying = Promise.resolve();
const applyOnce = () => (applying = applyStored().catch(failed('applying the settings')));

observe(ready);

/** An extension page (popup, options) or a content script in a web page: see messages.js. */
const senderKind = (sender) => (typeof sender.url === 'string' && sender.url.startsWith(api.runtime.getURL('')) ? 'extension-page' : 'content-script');

api.runtime.onMessage.addListener((message, sender, reply) => {
  if (sender.id !== api.runtime.id || !mayBeSentBy(message?.type, senderKind(sender))) return false;
  const handler = handlers[message.type];
  Promise.all([ready(), applying]).then(() => handler(message, sender)).then(
    (result) => reply({ ok: true, result }),
    (error) => reply({ ok: false, error: String(error?.message ?? error) }),
  );
  return true;
});

api.runtime.onStartup.addListener(applyOnce);

api.runtime.onInstalled.addListener(({ reason }) => {
  if (reason !== 'install' && reason !== 'update') return;
  applyOnce().then(ready).then(installed).catch(failed('install'));
});

api.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === UPDATE_ALARM) ready().then(() => updateExpired());
  if (alarm.name === PAUSE_ALARM) endPauses().catch(failed('ending a pause'));
});

// The toolbar icon says whether the tab's site is paused (Firefox resets it when a tab navigates).
api.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status === 'loading' || change.url) showIcon(tabId, tab.url).catch(failed('the icon'));
});
