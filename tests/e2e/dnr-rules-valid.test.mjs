// Every rule in the shipped static rulesets, and in EasyList + EasyPrivacy from ../shared compiled
// the same way, passes the browser's own DNR validator: each batch of session rules is
// all-or-nothing, so a single rule the browser rejects fails its batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_SHARED_DATA, sharedData } from '../node/shipped.mjs';
import { DIST, launchChromium, launchFirefox, startServer } from './harness.mjs';

const CLI = fileURLToPath(new URL('../../target/release/pixelguard', import.meta.url));
const rulesIn = (dir) => readdirSync(dir).filter((f) => f.endsWith('.rules.json'))
  .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));

/** EasyList + EasyPrivacy from ../shared compiled for `browser`, or null without ../shared. */
function sharedRules(browser) {
  const lists = ['easylist', 'easyprivacy'].map((id) => [id, sharedData(`lists/${id}-202607140953.txt`)]);
  if (lists.some(([, file]) => !file)) return null;
  const out = mkdtempSync(join(tmpdir(), 'pixelguard-rules-'));
  execFileSync(CLI, ['compile', ...lists.flatMap(([id, file]) => ['--list', `${id}=${fileURLToPath(file)}`]),
    '--browser', browser, '--out', out], { stdio: 'ignore' });
  const rules = rulesIn(out);
  rmSync(out, { recursive: true });
  return rules;
}

const BATCH = 4000;  // under both browsers' 5,000 session rules

for (const [name, launch, browser] of [['chromium', launchChromium, 'chrome'], ['firefox', launchFirefox, 'firefox']]) {
  test(`${name}: the browser accepts every shipped DNR rule`, async (t) => {
    const server = await startServer({});
    const session = await launch({ port: server.port });
    t.after(async () => { await session.close(); await server.close(); });
    const page = await session.extensionPage('popup/popup.html');

    /** The batches of `rules` the browser rejects, each with its error. */
    async function rejected(label, rules) {
      const out = [];
      for (let i = 0; i < rules.length; i += BATCH) {
        const batch = rules.slice(i, i + BATCH);
        const error = await page.evaluate(async (addRules) => {
          const dnr = (globalThis.browser ?? globalThis.chrome).declarativeNetRequest;
          try {
            await dnr.updateSessionRules({ addRules });
            await dnr.updateSessionRules({ removeRuleIds: addRules.map((r) => r.id) });
            return null;
          } catch (e) {
            return e.message;
          }
        }, batch);
        if (error) out.push(`${label} rules ${batch[0].id}–${batch.at(-1).id}: ${error}`);
      }
      t.diagnostic(`${name}: ${label}: ${rules.length} rules (${rules.filter((r) => r.condition.regexFilter).length} regex) validated`);
      return out;
    }

    await t.test('the shipped rulesets', async () => {
      const shipped = rulesIn(join(DIST, browser, 'rules'));
      assert.ok(shipped.length > 5000);
      assert.deepEqual(await rejected('shipped', shipped), []);
    });
    await t.test('EasyList + EasyPrivacy 202607 from ../shared, compiled the same way', async (st) => {
      const rules = sharedRules(browser);
      if (!rules) return st.skip(NO_SHARED_DATA);
      assert.deepEqual(await rejected('EasyList+EasyPrivacy 202607', rules), []);
    });
  });
}
