// Reports this frame's third-party images and CSS background images that look like pixels (tiny or
// hidden) to the background for scoring; elements inside open shadow roots included.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const TINY = PIXELGUARD_CORE.tinyPixels;  // CSS or natural pixels (content/generated/core.js, loaded first)
  const MAX_URLS = 300;     // distinct image URLs reported per frame
  const MAX_BACKGROUNDS = 1000;  // elements with a third-party background image kept between scans
  const DEBOUNCE_MS = 400;
  const sent = new Map();   // url → what was last reported, so a report is sent again only when it changed
  const backgrounds = new Map();  // element → its third-party background image URLs, as last read
  const shadowRoots = new Set();  // open shadow roots found so far (observed, and their images scanned)
  const pending = new Map([[document, true]]);  // node → whether its whole subtree's backgrounds are to be read
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
  function isHidden(element, rect) {
    if (element.checkVisibility?.({ opacityProperty: true, visibilityProperty: true }) === false) return true;
    return rect.right + scrollX <= 0 || rect.bottom + scrollY <= 0;
  }

  /** The URLs in a computed `background-image` (`url("…")`, possibly several, or in `image-set()`). */
  function backgroundUrls(value) {
    if (!value || !value.includes('url(')) return [];
    const urls = [];
    for (const [, quoted, bare] of value.matchAll(/url\(\s*(?:"((?:[^"\\]|\\.)*)"|([^)"'\s]*))\s*\)/g)) {
      const raw = (quoted ?? bare).replace(/\\(.)/g, '$1');
      try {
        const url = new URL(raw, document.baseURI).href;  // computed values are already absolute
        if (thirdParty(url) && !urls.includes(url)) urls.push(url);
      } catch {
        // not a URL
      }
    }
    return urls;
  }

  /** Reads the background of `el`, and finds its open shadow root. */
  function read(el, roots) {
    const shadow = el.shadowRoot;  // null for a closed one
    if (shadow && !shadowRoots.has(shadow)) {
      shadowRoots.add(shadow);
      observer.observe(shadow, OBSERVED);
      roots.push(shadow);
    }
    const urls = backgroundUrls(getComputedStyle(el).backgroundImage);
    if (urls.length > 0 && (backgrounds.has(el) || backgrounds.size < MAX_BACKGROUNDS)) backgrounds.set(el, urls);
    else backgrounds.delete(el);
  }

  /** Reads the background of every element under `root` (itself included) and in open shadow roots there. */
  function walk(root) {
    const roots = [root];
    while (roots.length > 0) {
      const top = roots.pop();
      const walker = document.createTreeWalker(top, NodeFilter.SHOW_ELEMENT);
      for (let el = top.nodeType === 1 ? top : walker.nextNode(); el; el = walker.nextNode()) read(el, roots);
    }
  }

  function scan() {
    timer = 0;
    for (const [node, subtree] of pending) {
      if (!node.isConnected) continue;
      if (subtree) walk(node);
      else {
        const roots = [];
        read(node, roots);
        roots.forEach(walk);
      }
    }
    pending.clear();
    for (const root of shadowRoots) if (!root.host.isConnected) shadowRoots.delete(root);
    for (const el of backgrounds.keys()) if (!el.isConnected) backgrounds.delete(el);

    const images = [...document.images, ...[...shadowRoots].flatMap((r) => [...r.querySelectorAll('img')])]
      .filter((img) => thirdParty(img.currentSrc || img.src));
    const items = [...images.map((img) => [img, img.currentSrc || img.src]),
      ...[...backgrounds].flatMap(([el, urls]) => urls.map((url) => [el, url]))];
    const repeats = new Map();
    for (const [, url] of items) repeats.set(url, (repeats.get(url) ?? 0) + 1);
    const reports = new Map();
    for (const [el, url] of items) {
      const image = el.nodeName === 'IMG' && (el.currentSrc || el.src) === url;
      if (image && !el.complete) {
        el.addEventListener('load', schedule, { once: true });  // its natural size is not known yet
        continue;
      }
      if (reports.has(url) || (!sent.has(url) && sent.size >= MAX_URLS)) continue;
      const laidOut = el.getClientRects().length > 0;
      // A background is fetched only for an element that is rendered; its natural size is unknown.
      if (!image && !laidOut) continue;
      const rect = el.getBoundingClientRect();
      const loaded = image && el.naturalWidth > 0;
      const report = {
        url, repeats: repeats.get(url), hidden: isHidden(el, rect),
        ...(laidOut && { width: rect.width, height: rect.height }),
        ...(loaded && { naturalWidth: el.naturalWidth, naturalHeight: el.naturalHeight }),
      };
      const tiny = (laidOut && rect.width <= TINY && rect.height <= TINY) || (loaded && el.naturalWidth <= TINY && el.naturalHeight <= TINY);
      if (!tiny && !report.hidden && !sent.has(url)) continue;
      const key = JSON.stringify(report);
      if (sent.get(url) !== key) reports.set(url, report);
      sent.set(url, key);
    }
    if (reports.size === 0) return;
    try {
      // The protocol's `suspects` message (extension/src/messages.js): a content script cannot import it.
      api.runtime.sendMessage({ type: 'suspects', reports: [...reports.values()] }).catch(() => {});
    } catch {
      // the extension was reloaded or removed: this script is an orphan
    }
  }

  function schedule() {
    if (!timer) timer = setTimeout(scan, DEBOUNCE_MS);
  }

  /** Elements added (their subtrees' backgrounds are read), or an element's address or style changed (its own). */
  function changed(records) {
    let any = false;
    for (const r of records) {
      if (r.type === 'attributes') {
        if (!pending.has(r.target)) pending.set(r.target, false);
        any = true;
      } else {
        for (const n of r.addedNodes) {
          if (n.nodeType === 1) {
            pending.set(n, true);
            any = true;
          }
        }
      }
    }
    if (any) schedule();
  }
  const OBSERVED = { childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'srcset', 'style', 'width', 'height'] };
  const observer = new MutationObserver(changed);
  observer.observe(document, OBSERVED);
  scan();
})();
