/**
 * The sidebar's threads in real Chromium (the page VS Code gets): a live recording of two
 * processes, one with a worker that waits on a file. The hotspots are filtered by thread
 * (grouped by process), a stall's `waitingOn` shows in its hotspot row and in the lanes'
 * tooltip (as text, whatever it holds), and live thread events add a lane before its first
 * stall and mark it when the thread exits. Screenshots: .artifacts/screenshots/webview-threads-*.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Recording, Stall, StallThread } from '../../src/shared/protocol/runtime';
import { MessageType } from '../../src/shared/protocol/webview';
import {
  cspViolations,
  findBar,
  hex,
  hydrateAndWait,
  openWebview,
  pageOnChromium,
  post,
  screenshot,
} from './webviewPage';
import { waitFor } from './harness/workbench';
import { dark } from './webviewThemes';

const web = pageOnChromium();

const MAIN: StallThread = { id: 0, name: 'main' };
const READER: StallThread = { id: 1, name: 'reader' };
const FIFO = '/srv/data/big.fifo';
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

function at(
  pid: number,
  thread: StallThread,
  startMs: number,
  kind: Stall['kind'],
  where: [string, number, string],
  waitingOn?: string,
): Stall {
  const blame = { file: where[0], line: where[1], functionName: where[2], column: 3 };
  return {
    pid,
    thread,
    startMs,
    durationMs: kind === 'sync-io' ? 160 : 90,
    kind,
    blame,
    stack: [blame],
    ...(waitingOn ? { waitingOn } : {}),
  };
}

function twoProcesses(): Recording {
  const reads = [1200, 2600, 4100, 5600].map((t) =>
    at(
      100,
      READER,
      t,
      'sync-io',
      ['/app/reader.js', 7, 'loadConfig'],
      `read ${FIFO} (S) 90 %, running 10 %`,
    ),
  );
  return {
    version: 2,
    target: { pid: 100, url: 'ws://127.0.0.1:9229/a', command: 'node api.js' },
    processes: [
      { pid: 100, command: 'node api.js', threads: [MAIN, READER] },
      { pid: 200, command: 'node jobs.js', threads: [MAIN], parentPid: 100 },
    ],
    startedAt: '2026-12-07T20:00:00.000Z',
    durationMs: 7000,
    thresholdMs: 50,
    stalls: [
      ...reads,
      ...[800, 3000, 6100].map((t) => at(100, MAIN, t, 'cpu', ['/app/api.js', 12, 'handle'])),
      at(200, MAIN, 2000, 'cpu', ['/app/jobs.js', 30, 'crunch']),
      at(200, MAIN, 4500, 'sync-io', ['/app/jobs.js', 41, 'poll'], HOSTILE),
    ],
    hotspots: [],
    metrics: [],
  };
}

describe('threads in the sidebar webview', () => {
  test('hotspots filtered by thread, waitingOn shown as text, live lanes appear and exit', async () => {
    const page = await openWebview(web.browser, web.origin, dark);
    try {
      await hydrateAndWait(page, {
        type: MessageType.Hydrate,
        recording: twoProcesses(),
        live: true,
        origin: { kind: 'session' },
      });
      const lanes = page.locator('section.lanes canvas');
      await page.locator('section.lanes .hint', { hasText: '3 threads in 2 processes.' }).waitFor();

      // The filter: every thread, grouped by process.
      const picker = page.locator('select.thread-picker');
      await picker.waitFor({ state: 'visible' });
      assert.deepEqual(
        await picker
          .locator('optgroup')
          .evaluateAll((gs) => gs.map((g) => g.getAttribute('label'))),
        ['pid 100 · api.js', 'pid 200 ← 100 · jobs.js'],
      );
      const hotspotFiles = () =>
        page
          .locator('button.hotspot')
          .evaluateAll((bs) => bs.map((b) => b.getAttribute('data-file')));
      assert.deepEqual(
        new Set(await hotspotFiles()),
        new Set(['/app/reader.js', '/app/api.js', '/app/jobs.js']),
      );
      await picker.selectOption({ label: 'pid 100 worker 1: reader' });
      await waitFor(async () => (await hotspotFiles()).length === 1, 10_000, 'one hotspot');
      assert.deepEqual(await hotspotFiles(), ['/app/reader.js']);
      const row = page.locator('button.hotspot').first();
      assert.match(await row.innerText(), new RegExp(`waiting on read ${FIFO} \\(S\\) 90 %`));
      assert.match(String(await row.getAttribute('aria-label')), /4 stalls.*waiting on read/);

      // The tooltip of a bar in the worker's lane (below the first process's heading and main).
      const orange = hex(dark.vars['--vscode-charts-orange']!);
      const bar = await findBar(page, 'section.lanes canvas', 1 + 14 + 15 + 6, orange);
      assert.ok(bar, "a bar in the reader's lane");
      await page.mouse.move(bar.x + 1, bar.y);
      const tip = page.locator('section.lanes .tooltip');
      await tip.waitFor({ state: 'visible' });
      assert.match(await tip.innerText(), /in pid 100 worker 1: reader/);
      assert.match(await tip.innerText(), new RegExp(`waiting on read ${FIFO}`));
      await screenshot(page, 'webview-threads-filter-and-waiting-on');

      // The other process's hotspots: its markup in waitingOn is text, never an element.
      await picker.selectOption({ label: 'pid 200 main' });
      await page.locator('button.hotspot', { hasText: HOSTILE }).waitFor();
      const injected = await page.evaluate(
        "({ pwned: window.__pwned, imgs: document.querySelectorAll('img').length })",
      );
      assert.deepEqual(injected, { pwned: undefined, imgs: 0 });

      // Live: a worker recorded now has its lane at once; its exit marks it.
      const late = { id: 2, name: 'late' };
      await post(page, { type: MessageType.Thread, pid: 100, thread: late, state: 'recording' });
      const label = () => lanes.getAttribute('aria-label').then(String);
      const lanesSay = (re: RegExp) =>
        waitFor(async () => re.test(await label()), 10_000, `lanes saying ${re}`);
      await lanesSay(/pid 100 worker 2: late: 0 stalls;/);
      assert.ok(
        (await picker.locator('option').allInnerTexts()).includes('pid 100 worker 2: late'),
        'the new thread can be picked',
      );
      await post(page, { type: MessageType.Thread, pid: 100, thread: late, state: 'exited' });
      await lanesSay(/worker 2: late: 0 stalls \(exited\)/);
      assert.match(await label(), /worker 1: reader: 4 stalls;/, 'the others unchanged');
      await screenshot(page, 'webview-threads-live-lanes');
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await page.close();
    }
  });
});
