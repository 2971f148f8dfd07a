// The WebExtension API object (`browser` in Firefox, `chrome` in Chrome) and which browser this is.
export const api = globalThis.browser ?? globalThis.chrome;
export const isFirefox = typeof globalThis.browser?.runtime?.getBrowserInfo === 'function';
export const browserName = isFirefox ? 'firefox' : 'chrome';
