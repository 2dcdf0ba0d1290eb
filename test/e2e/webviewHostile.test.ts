/**
 * The sidebar webview in real Chromium, fed a recording with HTML and script in every string
 * (test/robustness/hostileRecordings.ts), as `Open Recording…` would after parseRecording: the
 * markup shows as text, no element is injected, nothing runs, and the CSP reports nothing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageType } from '../../src/shared/protocol/webview';
import { parseRecording } from '../../src/ui/recordingFile';
import { PAYLOADS, baseRecording, poison } from '../robustness/hostileRecordings';
import {
  cspViolations,
  hydrateAndWait,
  openWebview,
  pageOnChromium,
  screenshot,
} from './webviewPage';
import { dark } from './webviewThemes';

const web = pageOnChromium();

describe('hostile recording in the webview', () => {
  test('markup in every string is shown as text; nothing is injected or run', async () => {
    const rec = parseRecording(JSON.stringify(poison(baseRecording())));
    const page = await openWebview(web.browser, web.origin, dark);
    try {
      await hydrateAndWait(page, {
        type: MessageType.Hydrate,
        recording: rec,
        live: false,
        origin: { kind: 'file', fileName: PAYLOADS[0]! },
      });
      // Open every disclosure so the stacks and per-line rows are in the DOM too.
      for (const d of await page.locator('details:not([open])').all()) {
        await d.evaluate((el) => el.setAttribute('open', ''));
      }
      const found = (await page.evaluate(`({
        pwned: window.__pwned,
        injected: document.querySelectorAll('img, svg[onload], iframe, [onerror], [onload], a[href^="javascript"]').length,
        scripts: document.querySelectorAll('script').length,
        text: document.body.innerText,
      })`)) as { pwned: unknown; injected: number; scripts: number; text: string };
      assert.equal(found.pwned, undefined, 'no payload ran');
      assert.equal(found.injected, 0, 'no element came from the recording');
      assert.equal(found.scripts, 1, 'only the bundle');
      assert.ok(
        PAYLOADS.some((p) => found.text.includes(p.slice(0, 20))),
        'the markup is visible as text',
      );
      assert.deepEqual(await cspViolations(page), []);
      await screenshot(page, 'webview-hostile-recording');
    } finally {
      await page.close();
    }
  });
});
