// Main-thread time of extension scripts in a page, from Chromium's own trace (the DevTools timeline
// category): every complete event on a renderer main thread that names a chrome-extension:// script
// (EvaluateScript, FunctionCall, compile, …), nested ones counted once — what the content scripts
// cost the page, forced style and layout inside their calls included. `ms` is the main thread's CPU
// time in them (the events' thread time: on a shared machine wall time also counts the moments the
// thread waited for a core); `wallMs` their wall time.

/** Starts tracing `page`; `stop()` resolves to `{ ms, wallMs, events }` of extension scripts on its main threads. */
export async function traceExtensionScripts(page) {
  await page.tracing.start({ categories: ['devtools.timeline'] });
  return {
    async stop() {
      const { traceEvents } = JSON.parse(Buffer.from(await page.tracing.stop()).toString('utf8'));
      return extensionScriptTime(traceEvents);
    },
  };
}

const EXTENSION = /^chrome-extension:\/\//;

function extensionScriptTime(events) {
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const spans = events
    .filter((e) => e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`) && EXTENSION.test(e.args?.data?.url ?? e.args?.fileName ?? ''))
    .map((e) => ({ thread: `${e.pid}:${e.tid}`, start: e.ts, end: e.ts + (e.dur ?? 0), cpu: e.tdur ?? e.dur ?? 0 }))
    .sort((a, b) => a.thread.localeCompare(b.thread) || a.start - b.start || b.end - a.end);
  let wall = 0, cpu = 0, thread = null, end = -Infinity;
  for (const s of spans) {
    if (s.thread !== thread) { thread = s.thread; end = -Infinity; }
    if (s.end <= end) continue;  // nested in one already counted
    wall += s.end - Math.max(s.start, end);
    cpu += s.cpu;
    end = s.end;
  }
  return { ms: cpu / 1000, wallMs: wall / 1000, events: spans.length };
}
