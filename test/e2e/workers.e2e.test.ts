/**
 * A worker thread's stall as a person sees it in VS Code (code-server + chromium, packaged
 * extension): a process whose worker `cruncher` blocks its own loop is attached from the palette;
 * the sidebar shows a lane per thread with the worker's stalls, and its hotspot opens the
 * worker's line in the editor with its heat. Then two processes are attached at once from the
 * picker: the sidebar groups the lanes by process, a worker's lane appears when the worker
 * starts (before any stall) and is marked when it exits, the hotspots are filtered to one
 * worker, whose readFileSync hotspot says which file it waited on, and opens its line.
 * Screenshots: .artifacts/screenshots/workers-*.png.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
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
const readerSource = join(repoRoot, 'test', 'fixtures', 'cli', 'readerWorker.js');
const lineOf = (file: string, tag: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(tag)) + 1;
const spinLine = lineOf(source, '// WORKER SPIN');
const readLine = lineOf(readerSource, '// WORKER READ');

describe('a worker thread recorded in the VS Code UI', () => {
  let s: ExtensionSession | undefined;
  let target: ChildProcess | undefined;
  let reader: ChildProcess | undefined;
  let fixture: string | undefined;

  before(async () => {
    fixture = mkdtempSync(join(tmpdir(), 'loop-lens-e2e-workers-'));
    copyFileSync(source, join(fixture, 'worker.js'));
    copyFileSync(readerSource, join(fixture, 'readerWorker.js'));
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
    reader?.kill('SIGTERM'); // (it removes its FIFO on the way out)
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
  test("two processes attached at once: lanes by process, a live worker lane, one worker's hotspots with what it waited on", async () => {
    const page = s!.page;
    reader = spawn(process.execPath, ['--inspect-port=0', join(s!.workspace, 'readerWorker.js')], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise((ready) => reader!.stdout!.once('data', ready));
    const [a, b] = [reader.pid!, target!.pid!];
    try {
      await runCommand(page, 'Loop Lens: Attach to Node Process');
      const picker = page.locator('.quick-input-widget');
      await picker
        .locator('.monaco-list-row')
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      // The title button switches the picker to checking several processes.
      await picker.locator('[aria-label^="Pick several processes"]').first().click();
      const input = picker.locator('input.input');
      for (const [n, pid] of [a, b].entries()) {
        await input.fill(String(pid));
        const row = picker.locator('.monaco-list-row', { hasText: String(pid) }).first();
        await row.waitFor({ state: 'visible', timeout: 30_000 });
        // Its checkbox comes with the list's next render after the switch.
        const box = row.locator('.monaco-checkbox').first();
        await box.waitFor({ state: 'visible', timeout: 30_000 });
        await box.click();
        await picker
          .locator('.quick-input-count', { hasText: `${n + 1} Selected` })
          .waitFor({ timeout: 10_000 });
      }
      await screenshot(page, 'workers-3-pick-two-processes');
      await page.keyboard.press('Enter');

      const view = webviewFrame(page);
      const lanes = view.locator('section.lanes canvas');
      const lanesSay = (re: RegExp, what: string, timeout = 120_000) =>
        waitFor(
          async () => re.test((await lanes.getAttribute('aria-label').catch(() => '')) ?? ''),
          timeout,
          what,
        );
      // One group per process; the reader's stalls in its own lane.
      await lanesSay(
        new RegExp(`pid ${a} worker 1: reader: [1-9]\\d* stalls`),
        "a stall in the reader's lane",
      );
      await lanesSay(
        new RegExp(`pid ${b} main: \\d+ stalls; pid ${b} worker 1: cruncher`),
        'the second process',
      );
      await roomForTheSidebar(page);
      await view.locator('section.lanes .hint', { hasText: 'in 2 processes' }).waitFor();
      // A worker started now has its lane before it ever stalls; its exit is marked on it.
      process.kill(a, 'SIGUSR2');
      await lanesSay(
        new RegExp(`pid ${a} worker 2: late: \\d+ stalls;`),
        "the late worker's lane",
        60_000,
      );
      process.kill(a, 'SIGUSR2');
      await lanesSay(new RegExp(`worker 2: late: \\d+ stalls \\(exited\\)`), 'its exit', 60_000);

      // The hotspots of the reader alone: its readFileSync line, with the file it waited on.
      await view
        .locator('select.thread-picker')
        .selectOption({ label: `pid ${a} worker 1: reader` });
      const hotspot = view.locator(
        `button.hotspot[data-file$="readerWorker.js"][data-line="${readLine}"]`,
      );
      await hotspot.first().waitFor({ state: 'visible', timeout: 60_000 });
      await waitFor(
        async () => /waiting on read \S*slow\.fifo \(S\)/.test(await hotspot.first().innerText()),
        60_000,
        'the FIFO named in the hotspot',
      );
      assert.equal(await view.locator('button.hotspot[data-file$="/worker.js"]').count(), 0);
      // The filtered hotspots on top, the lanes by process below them.
      await view.locator('section:has(#hotspots-title)').evaluate((e) => e.scrollIntoView());
      await screenshot(page, 'workers-4-two-processes-reader-hotspots');
      await hotspot.first().click();
      await waitForHeatedLine(page, 'readerWorker.js', readLine);
      await screenshot(page, 'workers-5-reader-line');
      await runCommand(page, 'Loop Lens: Stop Recording');
      assert.ok(reader.exitCode === null && target!.exitCode === null, 'both still run after Stop');
    } catch (e) {
      await screenshot(page, 'workers-two-processes-failure').catch(() => undefined);
      throw e;
    }
  });
});

/** A wider sidebar with the Event Loop view alone in it (the Stalls tree collapsed). */
async function roomForTheSidebar(page: Page): Promise<void> {
  const bar = await page.locator('.part.sidebar').boundingBox();
  if (bar && bar.width < 480) {
    const x = bar.x + bar.width;
    await page.mouse.move(x, bar.y + 300);
    await page.mouse.down();
    await page.mouse.move(x + 200, bar.y + 300, { steps: 5 });
    await page.mouse.up();
  }
  const stalls = page.locator('.part.sidebar .pane-header', { hasText: 'Stalls' }).first();
  if ((await stalls.getAttribute('aria-expanded').catch(() => null)) === 'true') {
    await stalls.click();
  }
}
