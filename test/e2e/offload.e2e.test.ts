/**
 * "Run in a worker thread" in the VS Code UI (code-server 4.100.3 + chromium, packaged
 * extension): the hover says why the fix is offered, the light bulb offers it, and applying it
 * writes the worker module, the awaited pool call and the package.json dependency; then the
 * same for a private method called through `this`, which leaves its class. Screenshots go to
 * .artifacts/screenshots/offload-*.png.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  goToLine,
  openFile,
  openQuickFixMenu,
  pickMenuEntry,
  runCommand,
  screenshot,
  squiggles,
  startWithExtension,
  waitFor,
  type ExtensionSession,
} from './harness';

/**
 * Opens a file by clicking its row in the explorer; waits for its tab. (Quick Open can take its
 * first row, the recently opened login.ts, before the list is filtered.)
 */
/**
 * Saves all files until `worker` exists and each of `expect` (file → text) holds its text on
 * disk: the applied quick fix, as the user's editor wrote it.
 */
async function rewrittenOnDisk(page: Page, worker: string, expect: Array<[string, string]>) {
  await waitFor(
    async () => {
      await runCommand(page, 'File: Save All Files');
      return (
        existsSync(worker) && expect.every(([f, text]) => readFileSync(f, 'utf8').includes(text))
      );
    },
    60_000,
    'the rewritten files on disk',
  );
}

async function openFromExplorer(page: Page, base: string): Promise<void> {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: base }).first().click();
  await page.locator(`.tabs-container .tab[aria-label^="${base}"]`).first().waitFor();
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor();
}

describe('offload quick fix in the VS Code UI', () => {
  let s: ExtensionSession | undefined;

  before(async () => {
    s = await startWithExtension({ fixture: 'offload' });
  });

  after(async () => {
    await s?.close();
  });

  test('hover says why, the light bulb applies it, the files on disk are rewritten', async () => {
    assert.ok(s);
    const { page, workspace } = s;
    await openFile(page, 'src/login.ts');
    await waitFor(
      async () => (await squiggles(page, 'warning').count()) >= 1,
      90_000,
      'the sync-crypto squiggle on the hashPassword call',
    );
    // Hover on the call (line 8, `hashPassword(`): the reason the fix is offered.
    await goToLine(page, 8, 17);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:not(.hidden)');
    await waitFor(
      async () =>
        /is offered/.test(
          await hover
            .first()
            .innerText()
            .catch(() => ''),
        ),
      30_000,
      'the hover with the offload reason',
    );
    // Scroll the hover to its end, where the reason is, for the screenshot.
    await hover.first().hover();
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, 400);
    await screenshot(page, 'offload-1-hover');
    await page.keyboard.press('Escape');

    const menu = await openQuickFixMenu(page);
    await menu
      .locator('.monaco-list-row', { hasText: /worker thread/ })
      .first()
      .waitFor();
    await screenshot(page, 'offload-2-quickfix-menu');
    await pickMenuEntry(menu, /worker thread/);

    const login = join(workspace, 'src', 'login.ts');
    const worker = join(workspace, 'src', 'hashPassword.worker.ts');
    await rewrittenOnDisk(page, worker, [
      [worker, 'export default function run'],
      [login, 'await hashPasswordPool.run(['],
    ]);
    const pkg = readFileSync(join(workspace, 'package.json'), 'utf8');
    assert.match(pkg, /"piscina": "\^5/);
    const rewritten = readFileSync(login, 'utf8');
    assert.ok(!rewritten.includes('function hashPassword'), 'the function moved out');
    assert.ok(!rewritten.includes("'node:crypto'"), 'its import, now unused here, went with it');
    await openFile(page, 'src/login.ts');
    await page.keyboard.press('Control+S');
    await waitFor(
      async () => (await squiggles(page, 'warning').count()) === 0,
      60_000,
      'no warning left in login.ts',
    );
    await screenshot(page, 'offload-3-applied');
  });

  test('a method that uses neither this nor super: the call awaits the pool, the method leaves its class', async () => {
    assert.ok(s);
    const { page, workspace } = s;
    await openFromExplorer(page, 'session.ts');
    await waitFor(
      async () => (await squiggles(page, 'warning').count()) >= 1,
      90_000,
      'the sync-crypto squiggle on the this.deriveKey call',
    );
    // The cursor on `deriveKey` in `this.deriveKey(password, this.pepper)` (line 7).
    await goToLine(page, 7, 23);
    const menu = await openQuickFixMenu(page);
    await menu
      .locator('.monaco-list-row', { hasText: /Run `deriveKey` in a worker thread/ })
      .first()
      .waitFor();
    await screenshot(page, 'offload-4-method-quickfix-menu');
    await pickMenuEntry(menu, /Run `deriveKey` in a worker thread/);

    const session = join(workspace, 'src', 'session.ts');
    const worker = join(workspace, 'src', 'deriveKey.worker.ts');
    await rewrittenOnDisk(page, worker, [
      [worker, 'export function deriveKey('],
      [session, 'await deriveKeyPool.run([password, this.pepper])'],
    ]);
    const rewritten = readFileSync(session, 'utf8');
    assert.ok(!rewritten.includes('private deriveKey'), 'the method left its class');
    assert.ok(!rewritten.includes("'node:crypto'"), 'its import, now unused here, went with it');
    await openFromExplorer(page, 'session.ts');
    await waitFor(
      async () => (await squiggles(page, 'warning').count()) === 0,
      60_000,
      'no warning left in session.ts',
    );
    await goToLine(page, 9, 1);
    await screenshot(page, 'offload-5-method-applied');
    // The worker module beside the rewritten class (no side bar, for width): what moved where.
    await runCommand(page, 'View: Split Editor Right');
    await waitFor(
      async () => (await page.locator('.editor-group-container').count()) === 2,
      30_000,
      'a second editor group',
    );
    await openFromExplorer(page, 'deriveKey.worker.ts');
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await page.locator('.explorer-folders-view').waitFor({ state: 'hidden' });
    await screenshot(page, 'offload-6-method-worker-beside');
  });
});
