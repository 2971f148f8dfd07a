// The WebExtension API object (`browser` in Firefox, `chrome` in Chrome), which browser this is, and
// the files packaged with the extension.
export const api = globalThis.browser ?? globalThis.chrome;
export const isFirefox = typeof globalThis.browser?.runtime?.getBrowserInfo === 'function';
export const browserName = isFirefox ? 'firefox' : 'chrome';

/** A file packaged with the extension, as a Response; throws on a missing file. */
export async function fetchPackaged(path) {
  const response = await fetch(api.runtime.getURL(path));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}
