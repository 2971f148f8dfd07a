// PixelGuard's background (service worker in Chrome, event page in Firefox): the engine starts at
// module evaluation; listeners are registered synchronously and each awaits the one init promise.
import { api } from './browser.js';
import { loadEngine } from './engine.js';

const ready = loadEngine();
ready.catch((error) => console.error('PixelGuard: the engine failed to start:', error));

const handlers = {
  /** `{ type: 'check', url, sourceUrl, resourceType }` → the engine's verdict. */
  async check({ url, sourceUrl = '', resourceType = 'other' }) {
    return (await ready).engine.check(url, sourceUrl, resourceType);
  },
  /** `{ type: 'status' }` → where the engine came from and its lists. */
  async status() {
    const { engine, source } = await ready;
    return { source, lists: engine.listStats().map(({ stats, ...list }) =>
      ({ ...list, network: stats.network, invalid: stats.invalid.length })) };
  },
};

api.runtime.onMessage.addListener((message, _sender, reply) => {
  const handler = handlers[message?.type];
  if (!handler) return false;
  handler(message).then(
    (result) => reply({ ok: true, result }),
    (error) => reply({ ok: false, error: String(error?.message ?? error) }),
  );
  return true;
});
