// The popup: one round-trip for the engine's state, rendered as text.
import { api } from '../src/browser.js';

const status = document.getElementById('status');
try {
  const reply = await api.runtime.sendMessage({ type: 'status' });
  if (!reply?.ok) throw new Error(reply?.error ?? 'no answer from the background');
  status.textContent = reply.result.lists
    .map((l) => `${l.title}${l.version ? ` (${l.version})` : ''}: ${l.network} filters`)
    .join('; ');
} catch (error) {
  status.textContent = `PixelGuard is not working: ${error.message}`;
  status.className = 'error';
}
document.body.dataset.ready = '1';
