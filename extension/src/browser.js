// The WebExtension API object: `browser` in Firefox, `chrome` in Chrome.
export const api = globalThis.browser ?? globalThis.chrome;
