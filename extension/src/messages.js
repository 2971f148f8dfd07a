// @ts-check
// The background's message protocol: every message's shape (the function that builds it), which
// sender may send it, and its reply. No browser API here, so Node can load it too.

/**
 * Who sends a message. An extension page is the popup or the options page (the tests and the bench
 * send from one too); a content script (content/suspects.js, content/webmail.js) runs in a web
 * page's process, so it is trusted with nothing but its own reports, and the background takes its
 * frame from the browser.
 * @typedef {'extension-page' | 'content-script'} Sender
 */

/**
 * The reply to every message: the handler's result, or its error's message.
 * @template T
 * @typedef {{ ok: true, result: T } | { ok: false, error: string }} Reply
 */

/** @typedef {{ url: string, repeats?: number, hidden?: boolean, width?: number, height?: number, naturalWidth?: number, naturalHeight?: number }} ImageReport */

/**
 * A message builder: `build(...args)` is the message `{ type, ...fields(...args) }`, and `build.type`
 * its type.
 * @template {unknown[]} A
 * @param {string} type
 * @param {(...args: A) => object} fields
 */
const kind = (type, fields) => Object.assign((/** @type {A} */ ...args) => ({ type, ...fields(...args) }), { type });
const none = () => ({});

/** The messages the popup and the options page send; each comment says what the background answers. */
export const messages = Object.freeze({
  /** → everything the popup shows for a tab: `{ tabId, url, site, paused, pausedUntil, broken, entries, dropped, lists, suspects }` (`dropped`: oldest entries let go to keep the tab's log within its budget). */
  popup: kind('popup', (/** @type {number} */ tabId) => ({ tabId })),
  /** → nothing; protection off (`paused`) for `site` for `minutes` (absent: until resumed), or back on. */
  pause: kind('pause', (/** @type {string} */ site, /** @type {boolean} */ paused, /** @type {number | null} */ minutes = null) => (minutes ? { site, paused, minutes } : { site, paused })),
  /** → nothing; "Something broken?": the tab's log kept for a report, `site` paused for an hour, the tab reloaded. */
  broken: kind('broken', (/** @type {number} */ tabId, /** @type {string} */ site) => ({ tabId, site })),
  /** → what "Copy a report" writes: `{ site, url, time, version, lists, paused, beforePause, entries }` (entries from before the pause when it reloaded paused). */
  report: kind('report', (/** @type {number} */ tabId) => ({ tabId })),
  /** → nothing; requests to `host` load on pages of `site` (`allowed`), or are blocked again. */
  allowHost: kind('allow-host', (/** @type {string} */ site, /** @type {string} */ host, /** @type {boolean} */ allowed) => ({ site, host, allowed })),
  /** → nothing; the pages' theme: `system`, `light` or `dark`. */
  theme: kind('theme', (/** @type {string} */ theme) => ({ theme })),
  /** → the options page's state: lists with statistics and DNR reports, paused sites, blocked hosts, switches, rule budget, what start-up repaired or could not start. */
  options: kind('options', none),
  /** → nothing; a custom list from `{ url }`, or `{ title, text }` (pasted or from a file). */
  addList: kind('add-list', (/** @type {{ url?: string, title?: string, text?: string }} */ { url, title, text }) => ({ url, title, text })),
  /** → nothing; downloads list `id` again (a failure is recorded on the list, not thrown). */
  updateList: kind('update-list', (/** @type {string} */ id) => ({ id })),
  /** → nothing; a custom list removed. */
  removeList: kind('remove-list', (/** @type {string} */ id) => ({ id })),
  /** → nothing; a built-in or custom list on or off. */
  enableList: kind('enable-list', (/** @type {string} */ id, /** @type {boolean} */ enabled) => ({ id, enabled })),
  /** → nothing; scheduled list updates on or off. */
  autoUpdate: kind('auto-update', (/** @type {boolean} */ on) => ({ on })),
  /** → nothing; Global Privacy Control and/or tracking-parameter stripping on or off. */
  privacy: kind('privacy', (/** @type {{ gpc?: boolean, stripParams?: boolean }} */ changes) => ({ ...changes })),
  /** → nothing; a dynamic rule blocking `host` and its subdomains (`blocked`), or none. */
  blockHost: kind('block-host', (/** @type {string} */ host, /** @type {boolean} */ blocked) => ({ host, blocked })),
  /** → `{ pixelguard, settings, lists }`: every setting and stored list text. */
  export: kind('export', none),
  /** → nothing; every setting replaced by an export's, or nothing changed and an error. */
  import: kind('import', (/** @type {unknown} */ data) => ({ data })),
  /** → the privacy report: `{ days, gpc }`, the ledger's day records (ledger-day.js), oldest first, and whether GPC is on. */
  privacyReport: kind('privacy-report', none),
  /** → nothing; the privacy report's "Clear history": the ledger emptied. */
  clearPrivacyReport: kind('clear-privacy-report', none),
  /** → nothing; every setting back to its default (custom lists removed); works even when start-up failed. */
  reset: kind('reset', none),
});

/**
 * The content scripts' messages (each builds its own: a content script cannot import modules).
 * content/suspects.js: the suspected pixels in its frame, scored and logged for the tab → nothing.
 */
export const suspects = kind('suspects', (/** @type {ImageReport[]} */ reports) => ({ reports }));
/**
 * content/webmail.js: the proxied images it took off (`url`, declared `width`/`height`, `hidden`,
 * `repeats`), judged by the core, the pixels logged for the tab → `{ release, images: [{ pixel, company }] }`.
 */
export const mailImages = kind('mail-images', (/** @type {ImageReport[]} */ images) => ({ images }));

/** Diagnostics: only the tests and the bench send these (from an extension page); the shell never does. */
export const diagnostics = Object.freeze({
  /** → the engine's verdict on one request. */
  check: kind('diagnostic-check', (/** @type {{ url: string, sourceUrl?: string, resourceType?: string }} */ r) => ({ ...r })),
  /** → `{ source, lists, judged, wasmMemory }`: where the engine came from (bundled snapshot, stored snapshot, list texts), its lists, how many distinct image URLs each tab's page had judged as suspects (`{ [tabId]: count }`), and the wasm instance's memory in bytes. */
  status: kind('diagnostic-status', none),
  /**
   * → an error: a `WebAssembly.RuntimeError` raised inside the engine's use, as a trap in the core
   * would be (the core checks its arguments, so no value a caller sends makes it trap).
   */
  trap: kind('diagnostic-trap', none),
});

/** @type {Readonly<Record<string, Sender>>} Who may send each message type; a type not here is refused. */
export const SENDERS = Object.freeze({
  ...Object.fromEntries([...Object.values(messages), ...Object.values(diagnostics)].map((m) => [m.type, 'extension-page'])),
  [suspects.type]: 'content-script',
  [mailImages.type]: 'content-script',
});

/** Whether a message of `type` may come from `sender`. @param {unknown} type @param {Sender} sender */
export const mayBeSentBy = (type, sender) => typeof type === 'string' && Object.hasOwn(SENDERS, type) && SENDERS[type] === sender;
