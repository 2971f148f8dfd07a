// PixelGuard's background (service worker in Chrome, event page in Firefox): every listener is
// registered synchronously; the engine starts on first need (a label someone looks at, a suspect
// to score the browser did not block, a message from a page of ours), not with the background,
// which a page's requests may wake only to reset a tab's log or set its icon. Start-up never rejects (startup.js records what failed).
import { api } from './browser.js';
import { handlers } from './handlers.js';
import * as ledger from './ledger.js';
import { mayBeSentBy, suspects } from './messages.js';
import { observe } from './observe.js';
import { PAUSE_ALARM, endPauses, showIcon } from './sites.js';
import { applied, applyStored, startEngine } from './startup.js';
import { installed, updateExpired } from './updates.js';

const UPDATE_ALARM = 'update-lists';
const UPDATE_CHECK_MINUTES = 60;

const ready = startEngine;
const failed = (what) => (error) => console.error(`PixelGuard: ${what}:`, error);

/** The stored settings, applied once per browser session (a cheap check at each wake), and the update alarm. */
const applyOnce = (options) => applyStored(options).then(async () => {
  if (!(await api.alarms.get(UPDATE_ALARM))) api.alarms.create(UPDATE_ALARM, { periodInMinutes: UPDATE_CHECK_MINUTES });
}).catch(failed('the update alarm'));
applyOnce();

observe(ready);

/** An extension page (popup, options) or a content script in a web page: see messages.js. */
const senderKind = (sender) => (typeof sender.url === 'string' && sender.url.startsWith(api.runtime.getURL('')) ? 'extension-page' : 'content-script');

/** Its handler starts the engine (the `ready` it is given) only when it has work for it: a page's report of its blocked images has none. */
const startsEngineItself = (type) => type === suspects.type;

api.runtime.onMessage.addListener((message, sender, reply) => {
  if (sender.id !== api.runtime.id || !mayBeSentBy(message?.type, senderKind(sender))) return false;
  const handler = handlers[message.type];
  Promise.all([startsEngineItself(message.type) || ready(), applied()]).then(() => handler(message, sender, ready)).then(
    (result) => reply({ ok: true, result }),
    (error) => reply({ ok: false, error: String(error?.message ?? error) }),
  );
  return true;
});

api.runtime.onStartup.addListener(() => applyOnce());

api.runtime.onInstalled.addListener(({ reason }) => {
  if (reason !== 'install' && reason !== 'update') return;
  // Not the engine on a first install (it starts on first need): an update rebuilds the stored snapshot now.
  applyOnce({ force: true }).then(() => reason === 'update' && ready()).then(() => installed()).catch(failed('install'));
});

api.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === UPDATE_ALARM) ready().then(() => Promise.all([updateExpired(), ledger.drain()]));
  if (alarm.name === PAUSE_ALARM) endPauses().catch(failed('ending a pause'));
});

// The toolbar icon says whether the tab's site is paused (Firefox resets it when a tab navigates).
api.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status === 'loading' || change.url) showIcon(tabId, tab.url).catch(failed('the icon'));
});
