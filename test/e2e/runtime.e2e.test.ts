/**
 * What a person sees when recording a live process in VS Code (code-server + chromium, packaged
 * extension): "Loop Lens: Attach to Node Process…" from the palette, the process picked from the
 * quick pick, stalls in the Event Loop sidebar and the Stalls tree, a hotspot clicked and the
 * editor at the blamed line with its heat. Screenshots: .artifacts/screenshots/runtime-*.png.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  pickFileInDialog,
  repoRoot,
  runCommand,
  screenshot,
  startWithExtension,
  waitFor,
  waitForHeatedLine,
  webviewFrame,
  type ExtensionSession,
} from './harness';

const source = join(repoRoot, 'test', 'fixtures', 'blocking', 'blocker.js');

function markerLine(kind: 'cpu' | 'io'): number {
  return (
    readFileSync(source, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(`// BLOCK:${kind}`)) + 1
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('recording a live process in the VS Code UI', () => {
  let s: ExtensionSession | undefined;
  let target: ChildProcess | undefined;
  let fixture: string | undefined;

  before(async () => {
    fixture = mkdtempSync(join(tmpdir(), 'loop-lens-e2e-rt-'));
    copyFileSync(source, join(fixture, 'blocker.js'));
    s = await startWithExtension({ fixture });
    // The process runs from the workspace copy the workbench shows, so its blamed file is there.
    // --inspect-port=0: SIGUSR1 opens a free port rather than a possibly busy 9229. It runs (and
    // V8 compiles its spin loop) for the whole workbench start-up before the attach.
    target = spawn(
      process.execPath,
      ['--inspect-port=0', join(s.workspace, 'blocker.js'), 'cpu', '300'],
      { stdio: 'ignore' },
    );
  });

  after(async () => {
    target?.kill('SIGKILL');
    await s?.close();
    if (fixture) rmSync(fixture, { recursive: true, force: true });
  });

  test('Attach to Node Process… from the palette, stalls in the sidebar, a hotspot opens the blamed line', async () => {
    try {
      await attachAndOpenHotspot();
    } catch (e) {
      await screenshot(s!.page, 'runtime-failure').catch(() => undefined);
      throw e;
    }
  });

  async function attachAndOpenHotspot(): Promise<void> {
    const page = s!.page;
    const pid = target!.pid!;
    // The spin loop, compiled by V8 long before the attach: the line a person must be shown.
    const line = markerLine('cpu');
    // The palette lists an extension's commands once the extension host registered it.
    await page
      .locator('.part.activitybar [aria-label^="Loop Lens"]')
      .first()
      .waitFor({ timeout: 90_000 });
    await runCommand(page, 'Loop Lens: Attach to Node Process');
    const input = page.locator('.quick-input-widget input.input');
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'runtime-1-process-picker');
    // The list is virtual (only visible rows exist in the DOM): filter by pid, then pick.
    await input.fill(String(pid));
    await rows
      .filter({ hasText: String(pid) })
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Enter');

    // The Event Loop webview in the Loop Lens sidebar fills with the hotspot on the spin loop.
    const view = webviewFrame(page);
    const hotspot = view.locator('button.hotspot[data-file$="blocker.js"]').first();
    await hotspot.waitFor({ state: 'visible', timeout: 120_000 });
    const label = String(await hotspot.getAttribute('aria-label'));
    assert.equal(
      Number(await hotspot.getAttribute('data-line')),
      line,
      `the first hotspot in blocker.js is the spin loop (line ${line}): ${label}`,
    );
    // The operation may follow the line (`, process.cpuUsage`): what the profile saw run.
    assert.match(
      label,
      new RegExp(`spinFor at blocker\\.js:${line}(, [^:]+)?: .+ blocked in \\d+ stalls?`),
    );
    // The Stalls tree beside it lists the same hotspot for keyboard and screen-reader users.
    const treeRow = page
      .locator('.monaco-list-row', { hasText: `spinFor  blocker.js:${line}` })
      .first();
    await treeRow.waitFor({ state: 'visible', timeout: 30_000 });
    // Let a few more stalls arrive so the timeline shows a pattern, not a single bar.
    await page.waitForTimeout(3000);
    await screenshot(page, 'runtime-2-sidebar-live');
    // No other line of the fixture is shown as a hotspot: every stall so far blamed the spin loop.
    const shown = await view
      .locator('button.hotspot[data-file$="blocker.js"]')
      .evaluateAll((bs) => bs.map((b) => `${b.getAttribute('aria-label')}`));
    for (const h of shown) {
      assert.match(h, new RegExp(`at blocker\\.js:${line}: `), shown.join('; '));
    }

    await hotspot.click();
    await waitForHeatedLine(page, 'blocker.js', line);
    await screenshot(page, 'runtime-3-hotspot-opened');
    // While stalls stream in, spinFor's CodeLens keeps counting them (it once stayed behind:
    // VS Code postponed its refresh at each change event until the stream stopped).
    const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: /blocked/ });
    const lensCount = async () =>
      Number(/in (\d+) stalls?/.exec(await lens.first().innerText())?.[1] ?? 0);
    const first = await lensCount();
    await waitFor(
      async () => (await lensCount()) >= first + 5,
      60_000,
      'the live CodeLens to count on',
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}: ${first} → ${await lensCount()}`);
    });

    // A saved recording opened while the session records: the view shows the file, and says
    // that the process is still being recorded behind it, with a button to go back to it.
    const saved = join(s!.workspace, 'yesterday.json');
    writeFileSync(
      saved,
      readFileSync(join(repoRoot, 'test/fixtures/recordings/demo-service.json')),
    );
    await runCommand(page, 'Loop Lens: Open Recording');
    await pickFileInDialog(page, saved);
    await view.locator('.summary .badge', { hasText: 'Opened' }).waitFor({ timeout: 30_000 });
    const behind = view.locator('section.background');
    await behind.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(
      await behind.innerText(),
      new RegExp(`Still recording pid ${pid} · blocker\\.js cpu 300\\s*Show live`),
    );
    await screenshot(page, 'runtime-3b-file-over-live');
    await behind.getByRole('button', { name: 'Show live' }).click();
    await view.locator('.summary .badge', { hasText: 'Live' }).waitFor({ timeout: 30_000 });
    await behind.waitFor({ state: 'hidden', timeout: 30_000 });
    await view.locator('button.hotspot[data-file$="blocker.js"]').first().waitFor();

    await runCommand(page, 'Loop Lens: Stop Recording');
    // The status bar item says the recording is no longer live once the adapter detached.
    await page
      .locator('.statusbar-item[aria-label*="not live"]')
      .first()
      .waitFor({ state: 'attached', timeout: 60_000 });
    assert.ok(alive(pid), 'the attached process still runs after Stop Recording');
    // The sidebar no longer says Live: it says the recording was stopped.
    await view.locator('.summary .badge', { hasText: 'Stopped' }).waitFor({ timeout: 30_000 });
    // spinFor's CodeLens ends up with the count of its hotspot in the sidebar (the lens once
    // lagged, starved of refreshes while stalls streamed in).
    const hot = view.locator(`button.hotspot[data-file$="blocker.js"][data-line="${line}"]`);
    const total = Number(
      /in (\d+) stalls?/.exec((await hot.first().getAttribute('aria-label')) ?? '')?.[1] ?? NaN,
    );
    assert.ok(total > 0, 'the sidebar counts the stalls of the blamed line');
    await waitFor(
      async () => new RegExp(`in ${total} stalls`).test(await lens.first().innerText()),
      30_000,
      `the CodeLens to count ${total} stalls`,
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}; it reads "${await lens.first().innerText()}"`);
    });
    await screenshot(page, 'runtime-4-stopped');
  }
});
