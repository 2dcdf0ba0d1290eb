/**
 * The sidebar webview in real Chromium with 10,000 stalls and an hour of metrics: it renders
 * with a bounded number of DOM nodes (aggregated rows, canvas bars merged per pixel) and stays
 * responsive to zoom. Times are printed, not asserted (the machine is shared).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Recording, Stall } from '../../src/shared/protocol/runtime';
import { MessageType } from '../../src/shared/protocol/webview';
import {
  countPixels,
  hex,
  openWebview,
  pageOnChromium,
  postTimed,
  screenshot,
} from './webviewPage';
import { dark } from './webviewThemes';

const web = pageOnChromium();

test('10,000 stalls render with a bounded number of DOM nodes', async () => {
  const files = 20;
  const stalls: Stall[] = Array.from({ length: 10_000 }, (_, i) => {
    const blame = {
      file: `/app/src/mod${i % files}.ts`,
      line: 10 + (i % 13),
      column: 3,
      functionName: `work${i % files}`,
    };
    return {
      startMs: i * 360,
      durationMs: 50 + ((i * 37) % 400),
      kind: (['cpu', 'sync-io', 'gc', 'native'] as const)[i % 4],
      blame,
      stack: [blame],
    };
  });
  const durationMs = 10_000 * 360 + 1000;
  const metrics = Array.from({ length: Math.floor(durationMs / 1000) }, (_, i) => ({
    atMs: (i + 1) * 1000,
    loopDelay: { p50: 2, p99: 40 + (i % 300), max: 400 },
    elu: 0.5,
    heapUsed: 5e7,
    activeResources: {},
  }));
  const rec: Recording = {
    version: 1,
    target: { pid: 1, url: 'ws://127.0.0.1:1/x' },
    startedAt: new Date(0).toISOString(),
    durationMs,
    thresholdMs: 50,
    stalls,
    hotspots: [],
    metrics,
  };
  const page = await openWebview(web.browser, web.origin, dark);
  try {
    const ms = await postTimed(page, {
      type: MessageType.Hydrate,
      recording: rec,
      live: false,
      origin: { kind: 'file', fileName: 'stalls-10k.json' },
    });
    const nodes = Number(await page.evaluate('document.querySelectorAll("*").length'));
    assert.ok(nodes < 1000, `${nodes} DOM nodes`);
    assert.equal(await page.locator('[data-metric="stalls"]').innerText(), '10,000');
    assert.ok(
      (await countPixels(page, '.timeline canvas', hex(dark.vars['--vscode-charts-red']!))) > 100,
    );
    // Reported, not asserted: the machine is shared and loaded.
    console.log(
      `hydrate of 10,000 stalls + ${metrics.length} metrics to first paint (in page): ${ms.toFixed(0)} ms, ${nodes} DOM nodes`,
    );
    await page.locator('.timeline canvas').focus();
    const t1 = Date.now();
    for (let i = 0; i < 20; i++) await page.keyboard.press('+');
    console.log(`20 zoom steps: ${Date.now() - t1} ms`);
    await screenshot(page, 'webview-10k-dark');
  } finally {
    await page.close();
  }
});
