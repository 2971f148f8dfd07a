// Reports this frame's third-party images that look like pixels (tiny or hidden) to the background for scoring.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const TINY = 3;           // CSS or natural pixels, as the core counts them
  const MAX_URLS = 300;     // distinct image URLs reported per frame
  const DEBOUNCE_MS = 400;
  const sent = new Map();   // url → what was last reported, so a report is sent again only when it changed
  let timer = 0;

  const thirdParty = (url) => {
    try {
      const { protocol, hostname } = new URL(url);
      return (protocol === 'http:' || protocol === 'https:') && hostname !== location.hostname;
    } catch {
      return false;
    }
  };

  /** display:none, visibility:hidden, zero opacity (its own or an ancestor's), or placed off the page. */
  function isHidden(img, rect) {
    if (img.checkVisibility?.({ opacityProperty: true, visibilityProperty: true }) === false) return true;
    return rect.right + scrollX <= 0 || rect.bottom + scrollY <= 0;
  }

  function scan() {
    timer = 0;
    const images = [...document.images].filter((img) => thirdParty(img.currentSrc || img.src));
    const repeats = new Map();
    for (const img of images) repeats.set(img.currentSrc || img.src, (repeats.get(img.currentSrc || img.src) ?? 0) + 1);
    const reports = new Map();
    for (const img of images) {
      const url = img.currentSrc || img.src;
      if (!img.complete) {
        img.addEventListener('load', schedule, { once: true });  // its natural size is not known yet
        continue;
      }
      if (reports.has(url) || (!sent.has(url) && sent.size >= MAX_URLS)) continue;
      const rect = img.getBoundingClientRect();
      const laidOut = img.getClientRects().length > 0;
      const loaded = img.naturalWidth > 0;
      const report = {
        url, repeats: repeats.get(url), hidden: isHidden(img, rect),
        ...(laidOut && { width: rect.width, height: rect.height }),
        ...(loaded && { naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight }),
      };
      const tiny = (laidOut && rect.width <= TINY && rect.height <= TINY) || (loaded && img.naturalWidth <= TINY && img.naturalHeight <= TINY);
      if (!tiny && !report.hidden && !sent.has(url)) continue;
      const key = JSON.stringify(report);
      if (sent.get(url) !== key) reports.set(url, report);
      sent.set(url, key);
    }
    if (reports.size === 0) return;
    try {
      api.runtime.sendMessage({ type: 'suspects', reports: [...reports.values()] }).catch(() => {});
    } catch {
      // the extension was reloaded or removed: this script is an orphan
    }
  }

  function schedule() {
    if (!timer) timer = setTimeout(scan, DEBOUNCE_MS);
  }

  /** Images added, or an image's address or style changed. */
  const touchesImages = (records) => records.some((r) => (r.type === 'attributes' ? r.target.nodeName === 'IMG'
    : [...r.addedNodes].some((n) => n.nodeName === 'IMG' || (n.nodeType === 1 && n.getElementsByTagName('img').length > 0))));
  new MutationObserver((records) => { if (touchesImages(records)) schedule(); }).observe(document, {
    childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'srcset', 'style', 'width', 'height'],
  });
  scan();
})();
