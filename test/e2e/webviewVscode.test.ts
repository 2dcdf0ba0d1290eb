/**
 * The Loop Lens sidebar in a real VS Code (code-server + the packaged extension, harness of
 * test/e2e/harness): open a recording through the command palette, see it in the "Event Loop"
 * webview, click a hotspot and land on the blamed line of the real source file. Screenshot saved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Recording } from '../../src/shared/protocol/runtime';
import {
  pickFileInDialog,
  repoRoot,
  runCommand,
  screenshot,
  startWithExtension,
  webviewFrame,
} from './harness';

/** The fixture recording with its /workspace/demo-service paths moved to `root`. */
function recordingFor(root: string): Recording {
  const text = readFileSync(join(repoRoot, 'test/fixtures/recordings/demo-service.json'), 'utf8');
  return JSON.parse(text.replaceAll('/workspace/demo-service/', `${root}/`)) as Recording;
}

test('sidebar webview in VS Code: an opened recording shows, a hotspot click opens its line', async () => {
  const s = await startWithExtension({ fixture: join(repoRoot, 'examples/demo-service') });
  const { page } = s;
  try {
    const recPath = join(s.workspace, 'demo-recording.json');
    writeFileSync(recPath, JSON.stringify(recordingFor(s.workspace)));
    // Open the Loop Lens container; the webview's empty state offers "Open Recording…".
    await page
      .locator('.part.activitybar [aria-label^="Loop Lens"]')
      .first()
      .click({ timeout: 60_000 });
    const frame = webviewFrame(page);
    const empty = frame.locator('.empty');
    await empty.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await empty.innerText(), /Run 'Loop Lens: Attach to Node Process…'/);
    await screenshot(page, 'vscode-sidebar-empty');
    await frame.getByRole('button', { name: 'Open Recording…' }).click();
    // code-server shows VS Code's simple file dialog: a quick input that takes a path.
    await pickFileInDialog(page, recPath);

    const firstRow = frame.locator('button.hotspot').first();
    await firstRow.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await firstRow.innerText(), /hashPassword[\s\S]*passwords\.ts:12/);
    assert.match(await frame.locator('[data-metric="stalls"]').innerText(), /^\d+$/);
    assert.ok((await frame.locator('.timeline canvas').boundingBox())!.width > 100);
    // The header says the recording was opened from this file, when it was recorded and how
    // long it is; nothing in it suggests a process is attached and being recorded.
    const badge = (await frame.locator('.summary .badge').innerText()).trim();
    const head = await frame.locator('.summary-head').innerText();
    assert.equal(badge, 'Opened');
    assert.match(
      head,
      /demo-recording\.json · recorded \d{4}-\d\d-\d\d\u00a0\d\d:\d\d · [\d.]+ (ms|s|min)/,
    );
    assert.doesNotMatch(head, /Recording\b|Live|●/);
    // The Stalls view's toolbar offers Attach, not Stop: nothing is attached.
    const stallsBar = page.locator('.pane-header', { hasText: 'Stalls' }).locator('.actions');
    await stallsBar
      .locator('[aria-label^="Attach to Node Process"]')
      .waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await stallsBar.locator('[aria-label^="Stop Recording"]').count(), 0);
    await screenshot(page, 'vscode-sidebar-recording');

    await frame.locator('button.hotspot', { hasText: 'handleReport' }).click();
    await page
      .locator('.tabs-container .tab.active[aria-label^="report.ts"]')
      .waitFor({ timeout: 30_000 });
    const cursor = page.locator('.statusbar-item[id="status.editor.selection"]');
    await cursor.filter({ hasText: 'Ln 15,' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'vscode-sidebar-hotspot-opened');

    // Hidden and shown again, the view is rebuilt and hydrated afresh (the ready handshake).
    await page.locator('.part.activitybar [aria-label^="Explorer"]').first().click();
    await page.locator('.explorer-folders-view').waitFor({ state: 'visible' });
    await page.locator('.part.activitybar [aria-label^="Loop Lens"]').first().click();
    await frame.locator('button.hotspot', { hasText: 'hashPassword' }).waitFor({ timeout: 60_000 });

    // A change made while the view is hidden (no posts then) shows once it is visible again.
    await page.locator('.part.activitybar [aria-label^="Explorer"]').first().click();
    await runCommand(page, 'Loop Lens: Clear Recording');
    await page.locator('.part.activitybar [aria-label^="Loop Lens"]').first().click();
    await frame.locator('.empty').waitFor({ state: 'visible', timeout: 60_000 });
  } catch (err) {
    await screenshot(page, 'vscode-sidebar-FAILED').catch(() => {});
    throw new Error(`${String(err)}\n--- code-server log ---\n${s.server.logTail(40)}`);
  } finally {
    await s.close();
  }
});
