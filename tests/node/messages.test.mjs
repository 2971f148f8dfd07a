// The message protocol (messages.js, as shipped in dist/chrome): each builder makes a message of its
// own type, and only the content scripts' messages may come from a web page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SENDERS, diagnostics, mailImages, mayBeSentBy, messages, suspects } from '../../dist/chrome/src/messages.js';

test('each builder makes a message of its type, with its fields; every type has a sender', () => {
  const builders = [...Object.values(messages), ...Object.values(diagnostics), suspects, mailImages];
  assert.deepEqual(builders.map((b) => b.type).sort(), Object.keys(SENDERS).sort());
  assert.deepEqual(messages.popup(7), { type: 'popup', tabId: 7 });
  assert.deepEqual(messages.pause('news.test', true), { type: 'pause', site: 'news.test', paused: true });
  assert.deepEqual(messages.addList({ url: 'https://l.test/x.txt' }), { type: 'add-list', url: 'https://l.test/x.txt', title: undefined, text: undefined });
  assert.deepEqual(diagnostics.check({ url: 'https://a.test/' }), { type: 'diagnostic-check', url: 'https://a.test/' });
  assert.ok(Object.values(diagnostics).every((d) => d.type.startsWith('diagnostic-')), 'diagnostics are named as such');
});

test('a content script may send only its suspects and held webmail images; an extension page everything else', () => {
  const fromPages = ['suspects', 'mail-images'];
  assert.deepEqual(Object.keys(SENDERS).filter((type) => mayBeSentBy(type, 'content-script')), fromPages);
  for (const type of Object.keys(SENDERS)) assert.equal(mayBeSentBy(type, 'extension-page'), !fromPages.includes(type), type);
  for (const type of ['nope', 'constructor', '__proto__', 'hasOwnProperty', undefined, 42]) {
    assert.equal(mayBeSentBy(type, 'extension-page') || mayBeSentBy(type, 'content-script'), false, String(type));
  }
});
