/**
 * What a person sees in VS Code with the packaged extension (code-server 4.100.3 + chromium):
 * the warning squiggle on a blocking call, its Problems entry with the rule id, the quick fix
 * from the light bulb (Ctrl+.), and the warning gone afterwards. Screenshots go to
 * .artifacts/screenshots/lsp-*.png.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  findProcesses,
  goToLine,
  openQuickFixMenu,
  pickMenuEntry,
  notifications,
  openFile,
  openProblems,
  problemTexts,
  runCommand,
  screenshot,
  squiggles,
  startWithExtension,
  waitFor,
  type ExtensionSession,
} from './harness';

describe('language server in the VS Code UI', () => {
  let s: ExtensionSession | undefined;

  before(async () => {
    s = await startWithExtension();
  });

  after(async () => {
    await s?.close();
  });

  test('squiggle, Problems entry with the rule id, quick fix from the light bulb', async () => {
    assert.ok(s);
    const { page } = s;
    await openFile(page, 'src/handler.ts');
    // Two findings: readFileSync (line 6) and the call of the blocking helper (line 7).
    const twoSquiggles = async () => (await squiggles(page, 'warning').count()) >= 2;
    await waitFor(twoSquiggles, 90_000, 'two warning squiggles');
    await screenshot(page, 'lsp-1-squiggles');

    await openProblems(page);
    const rows = await waitFor(
      async () => {
        const texts = await problemTexts(page);
        return texts.some((t) => t.includes('sync-fs') && t.includes('Ln 6')) && texts;
      },
      30_000,
      'a Problems row for line 6 with the rule id',
    );
    assert.ok(
      rows.some((t) => t.includes('loop-lens')),
      `source shown: ${rows.join(' | ')}`,
    );
    await screenshot(page, 'lsp-2-problems');

    // Cursor on the call, then the light bulb menu (Ctrl+.) and its fix to readFile.
    await goToLine(page, 6, 22);
    const menu = await openQuickFixMenu(page);
    await menu
      .locator('.monaco-list-row', { hasText: /readFile/ })
      .first()
      .waitFor();
    await screenshot(page, 'lsp-3-quickfix-menu');
    await pickMenuEntry(menu, /readFile/);

    // Save, then check what the fix wrote: the call and the import a person would write.
    const file = join(s.workspace, 'src', 'handler.ts');
    await waitFor(
      async () => {
        await page.keyboard.press('Control+S');
        return readFileSync(file, 'utf8').includes('await readFile(');
      },
      30_000,
      'the fixed file on disk',
    );
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines[0], "import { readFile } from 'node:fs/promises';");
    assert.equal(lines[5], "  const settings = await readFile('settings.json', 'utf8');");
    // The fixed line's warning goes; the helper call keeps its own.
    await waitFor(
      async () => {
        const texts = await problemTexts(page);
        return !texts.some((t) => t.includes('Ln 6')) && texts.some((t) => t.includes('Ln 7'));
      },
      60_000,
      'the line 6 entry to leave the Problems panel',
    );
    assert.equal(await squiggles(page, 'warning').count(), 1);
    await screenshot(page, 'lsp-4-fixed');
  });

  test('a crashed server is restarted; the user is told once, with the log one click away', async () => {
    assert.ok(s);
    const { page, server } = s;
    const serverPids = () => findProcesses(server, /dist\/server\.js/);
    const [first] = await waitFor(
      () => serverPids().length === 1 && serverPids(),
      30_000,
      'one server',
    );
    process.kill(first!, 'SIGKILL');

    const toast = notifications(page).filter({ hasText: 'Loop Lens' });
    await toast.first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(
      await toast.first().innerText(),
      /language server stopped unexpectedly and was restarted/,
    );
    const second = await waitFor(
      () => serverPids().find((p) => p !== first),
      60_000,
      'a restarted server process',
    );
    // The restarted server analyses the open file again.
    await waitFor(
      async () => (await squiggles(page, 'warning').count()) === 1,
      60_000,
      'the squiggle back',
    );
    await screenshot(page, 'lsp-5-restart-toast');

    await toast.first().getByRole('button', { name: 'Open Log' }).click();
    const output = page.locator(
      '.part.panel .output-view, .part.panel [id="workbench.panel.output"]',
    );
    await output.first().waitFor({ state: 'visible' });
    await waitFor(
      async () =>
        (await page.locator('.part.panel').innerText())
          .replace(/\u00a0/g, ' ') // the editor renders spaces as NBSP
          .includes('server connection closed'),
      30_000,
      'the log with the crash in the Output view',
    );
    await screenshot(page, 'lsp-6-open-log');

    // A second crash restarts again, without a second notification.
    process.kill(second, 'SIGKILL');
    await waitFor(
      () => serverPids().find((p) => p !== second && p !== first),
      60_000,
      'a second restart',
    );
    await waitFor(
      async () => (await squiggles(page, 'warning').count()) === 1,
      60_000,
      'the squiggle back',
    );
    assert.equal(await toast.count(), 0, 'no second notification');
    // The restarted server still follows edits: undoing the quick fix brings line 6's warning back.
    await page.keyboard.press('Control+1');
    await page.keyboard.press('Control+Z');
    const twoSquiggles = async () => (await squiggles(page, 'warning').count()) === 2;
    await waitFor(twoSquiggles, 60_000, 'the warning of the undone fix');
    await screenshot(page, 'lsp-7-after-restarts');
  });

  test('loopLens.trace.server traces the LSP traffic into the Loop Lens Trace channel', async () => {
    assert.ok(s);
    const { page } = s;
    // Change the setting as a person would in settings.json; VS Code applies it without reload.
    const settings = join(s.workspace, '.vscode', 'settings.json');
    const json = { 'typescript.validate.enable': false, 'loopLens.trace.server': 'messages' };
    writeFileSync(settings, JSON.stringify(json, null, 2));
    await runCommand(page, 'Output: Show Output Channels...');
    const input = page.locator('.quick-input-widget input.input');
    await input.fill('Loop Lens Trace');
    await page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'Loop Lens Trace' })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
    // Any edit is LSP traffic: type at the end of the file.
    await screenshot(page, 'lsp-8-trace-channel');
    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('// traced');
    await waitFor(
      async () =>
        (await page.locator('.part.panel').innerText())
          .replace(/\u00a0/g, ' ')
          .includes("Sending notification 'textDocument/didChange'"),
      60_000,
      'a traced didChange in the Loop Lens Trace channel',
    );
    await screenshot(page, 'lsp-9-traced');
  });
});
