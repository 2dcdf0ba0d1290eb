/**
 * A worker thread's stall as a person sees it in VS Code (code-server + chromium, packaged
 * extension): a process whose worker `cruncher` blocks its own loop is attached from the palette;
 * the sidebar shows a lane per thread with the worker's stalls, and its hotspot opens the
 * worker's line in the editor with its heat. Screenshots: .artifacts/screenshots/workers-*.png.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  repoRoot,
  runCommand,
  screenshot,
  startWithExtension,
  waitFor,
  waitForHeatedLine,
  webviewFrame,
  type ExtensionSession,
} from './harness';

const source = join(repoRoot, 'test', 'fixtures', 'cli', 'worker.js');
const spinLine =
  readFileSync(source, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('// WORKER SPIN')) + 1;

describe('a worker thread recorded in the VS Code UI', () => {
  let s: ExtensionSession | undefined;
  let target: ChildProcess | undefined;
  let fixture: string | undefined;

  before(async () => {
    fixture = mkdtempSync(join(tmpdir(), 'loop-lens-e2e-workers-'));
    copyFileSync(source, join(fixture, 'worker.js'));
    s = await startWithExtension({ fixture });
    target = spawn(
      process.execPath,
      ['--inspect-port=0', join(s.workspace, 'worker.js'), 'forever'],
      {
        stdio: 'ignore',
      },
    );
  });

  after(async () => {
    target?.kill('SIGKILL');
    await s?.close();
    if (fixture) rmSync(fixture, { recursive: true, force: true });
  });

  test('the worker has its lane in the sidebar and its hotspot opens the worker line with heat', async () => {
    const page = s!.page;
    const pid = target!.pid!;
    try {
      await page
        .locator('.part.activitybar [aria-label^="Loop Lens"]')
        .first()
        .waitFor({ timeout: 90_000 });
      await runCommand(page, 'Loop Lens: Attach to Node Process');
      const input = page.locator('.quick-input-widget input.input');
      const rows = page.locator('.quick-input-widget .monaco-list-row');
      await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
      await input.fill(String(pid));
      await rows
        .filter({ hasText: String(pid) })
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      await page.keyboard.press('Enter');

      const view = webviewFrame(page);
      const lanes = view.locator('section.lanes canvas');
      await waitFor(
        async () =>
          /worker 1: cruncher: [1-9]\d* stalls/.test(
            (await lanes.getAttribute('aria-label').catch(() => '')) ?? '',
          ),
        120_000,
        "a stall in the worker's lane",
      );
      const hotspot = view.locator(
        `button.hotspot[data-file$="worker.js"][data-line="${spinLine}"]`,
      );
      await hotspot.first().waitFor({ state: 'visible', timeout: 60_000 });
      // The Debug Console names the worker of each of its stalls.
      await page
        .locator('.repl .monaco-list-row', {
          hasText: /stall \d+ ms {2}cpu {2}\[worker 1: cruncher\]/,
        })
        .first()
        .waitFor({ state: 'visible', timeout: 60_000 });
      await view.locator('section.lanes').scrollIntoViewIfNeeded();
      await screenshot(page, 'workers-1-sidebar-lanes');
      await hotspot.first().click();
      await waitForHeatedLine(page, 'worker.js', spinLine);
      await screenshot(page, 'workers-2-worker-line');
      await runCommand(page, 'Loop Lens: Stop Recording');
      assert.ok(target!.exitCode === null, 'the process still runs after Stop');
    } catch (e) {
      await screenshot(page, 'workers-failure').catch(() => undefined);
      throw e;
    }
  });
});
