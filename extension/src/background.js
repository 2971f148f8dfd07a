// PixelGuard's background (service worker in Chrome, event page in Firefox): the engine starts at
// module evaluation; every listener is registered synchronously and awaits the one init promise,
// which always resolves (startup.js records what failed).
import { api } from './browser.js';
import { handlers } from './handlers.js';
import { mayBeSentBy } from './messages.js';
import { observe } from './observe.js';
import { PAUSE_ALARM, endPauses, showIcon } from './sites.js';
import { startUp } from './startup.js';
import { installed, updateExpired } from './updates.js';

const UPDATE_ALARM = 'update-lists';
const UPDATE_CHECK_MINUTES = 60;

const ready = startUp().then(async () => {
  if (!(await api.alarms.get(UPDATE_ALARM))) api.alarms.create(UPDATE_ALARM, { periodInMinutes: UPDATE_CHECK_MINUTES });
}).catch((error) => console.error('PixelGuard: the update alarm:', error));

observe(ready);

/** An extension page (popup, options) or a content script in a web page: see messages.js. */
const senderKind = (sender) => (typeof sender.url === 'string' && sender.url.startsWith(api.runtime.getURL('')) ? 'extension-page' : 'content-script');

api.runtime.onMessage.addListener((message, sender, reply) => {
  if (sender.id !== api.runtime.id || !mayBeSentBy(message?.type, senderKind(sender))) return false;
  const handler = handlers[message.type];
  ready.then(() => handler(message, sender)).then(
    (result) => reply({ ok: true, result }),
    (error) => reply({ ok: false, error: String(error?.message ?? error) }),
  );
  return true;
});

api.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'install' || reason === 'update') ready.then(() => installed());
});

api.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === UPDATE_ALARM) ready.then(() => updateExpired());
  if (alarm.name === PAUSE_ALARM) ready.then(() => endPauses());
});

// The toolbar icon says whether the tab's site is paused (Firefox resets it when a tab navigates).
api.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status === 'loading' || change.url) ready.then(() => showIcon(tabId, tab.url));
});
