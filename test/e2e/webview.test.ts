/**
 * The "Event Loop" sidebar webview in real Chromium: the page VS Code would get (same HTML, CSP
 * and bundle), fed with a recording through window messages, checked by what a user sees — the
 * hotspot rows, the heatmap tree, the canvas pixels of the timeline and thread strips — and by
 * what its clicks post back to the host. Screenshots go to .artifacts/screenshots/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Recording } from '../../src/shared/protocol/runtime';
import { MessageType } from '../../src/shared/protocol/webview';
import type { FromWebviewMessage } from '../../src/shared/protocol/webview';
import {
  applyTheme,
  countPixels,
  cspViolations,
  findBar,
  hex,
  hydrateAndWait,
  openWebview,
  pageOnChromium,
  post,
  repoRoot,
  screenshot,
  waitForPosted,
} from './webviewPage';
import { dark, highContrast, light } from './webviewThemes';

const fixture = (): Recording =>
  JSON.parse(
    readFileSync(join(repoRoot, 'test/fixtures/recordings/demo-service.json'), 'utf8'),
  ) as Recording;

const isOpen = (file: string, line: number) => (m: FromWebviewMessage) =>
  m.type === MessageType.OpenLocation && m.file === file && m.line === line;

const web = pageOnChromium();

describe('sidebar webview in Chromium', () => {
  test('empty state says what to do, and its button asks the host to attach', async () => {
    const page = await openWebview(web.browser, web.origin, dark);
    try {
      await hydrateAndWait(page, {
        type: MessageType.Hydrate,
        recording: undefined,
        live: false,
        origin: undefined,
      });
      const empty = page.locator('.empty');
      await empty.waitFor();
      assert.match(await empty.innerText(), /Run 'Loop Lens: Attach to Node Process…'/);
      assert.equal(await page.locator('.content').isHidden(), true);
      await page.getByRole('button', { name: 'Attach to Node Process…' }).click();
      await waitForPosted(page, (m) => m.type === MessageType.RunCommand && m.command === 'attach');
      await screenshot(page, 'webview-empty-dark');
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await page.close();
    }
  });

  test('a file opened over a live session says the session still records, and its button shows it', async () => {
    const page = await openWebview(web.browser, web.origin, dark);
    try {
      const target = { pid: 4242, url: 'ws://127.0.0.1:9229/x', command: 'node server.js' };
      // The demo recording opened from its file, with `background` behind it.
      const opened = (background?: { running: boolean }) =>
        hydrateAndWait(page, {
          type: MessageType.Hydrate,
          recording: fixture(),
          live: false,
          origin: { kind: 'file', fileName: 'demo-service.json' },
          ...(background ? { background: { ...background, target } } : {}),
        });
      await opened({ running: true });
      const behind = page.locator('section.background');
      await behind.waitFor();
      assert.equal((await page.locator('.summary .badge').innerText()).trim(), 'Opened');
      assert.match(await behind.innerText(), /● Still recording pid 4242 · server\.js\s*Show live/);
      // It sits above the summary, inside the sidebar's width.
      const [b, head] = [await behind.boundingBox(), await page.locator('.summary').boundingBox()];
      assert.ok(b && head && b.y + b.height <= head.y + 1, 'the line is above the summary');
      assert.ok(
        b.x >= 0 && b.x + b.width <= 381,
        `inside the 380 px sidebar: ${JSON.stringify(b)}`,
      );
      await screenshot(page, 'webview-file-over-live');
      await behind.getByRole('button', { name: 'Show live' }).click();
      await waitForPosted(
        page,
        (m) => m.type === MessageType.RunCommand && m.command === 'showSession',
      );
      // The session stopped since: the line says so; with no session behind, it is gone.
      await opened({ running: false });
      assert.match(
        await behind.innerText(),
        /The session's recording of pid 4242 · server\.js is not shown\s*Show it/,
      );
      await opened();
      assert.equal(await behind.isHidden(), true);
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await page.close();
    }
  });

  describe('with the demo-service recording', () => {
    let page: Page;
    const rec = fixture();

    before(async () => {
      page = await openWebview(web.browser, web.origin, dark);
      await hydrateAndWait(page, {
        type: MessageType.Hydrate,
        recording: rec,
        live: false,
        origin: { kind: 'file', fileName: 'demo-service.json' },
      });
    });
    after(async () => page?.close());

    test('hotspot rows list the blamed lines by total blocked time', async () => {
      const rows = page.locator('button.hotspot');
      // The fixture's own hotspots (computed by its generator) are the expected order.
      assert.equal(
        await rows.count(),
        rec.hotspots.length + 1,
        'one row per line, plus GC without a line',
      );
      for (const [i, h] of rec.hotspots.entries()) {
        const row = rows.nth(i + (i >= 4 ? 1 : 0));
        const text = await row.innerText();
        assert.ok(text.includes(h.functionName), text);
        assert.ok(text.includes(`${h.file.split('/').pop()}:${h.line}`), text);
        assert.ok(text.includes(`${h.count}×`), text);
        assert.equal(await row.getAttribute('data-file'), h.file);
      }
      const top = await rows.first().innerText();
      assert.match(top, /hashPassword[\s\S]*passwords\.ts:12[\s\S]*3\.66 s[\s\S]*32× · max 140 ms/);
    });

    test('summary shows stall totals and the latest loop delay, utilization and heap', async () => {
      const last = rec.metrics[rec.metrics.length - 1]!;
      const metric = (k: string) => page.locator(`[data-metric="${k}"]`).innerText();
      assert.equal(await metric('stalls'), String(rec.stalls.length));
      assert.equal(
        await metric('delay'),
        last.loopDelay.p99 < 10
          ? `${last.loopDelay.p99.toFixed(1)} ms`
          : `${Math.round(last.loopDelay.p99)} ms`,
      );
      assert.equal(await metric('elu'), `${Math.round(last.elu * 100)} %`);
      assert.match(await metric('heap'), /^\d+ MB$/);
      // Opened from a file: the file, when it was recorded and how long; the process on hover.
      const head = page.locator('.summary-head');
      assert.match(
        await head.innerText(),
        /^Opened\s*demo-service\.json · recorded \d{4}-\d\d-\d\d\u00a0\d\d:\d\d · 1 min 30 s$/,
      );
      assert.match(
        String(await head.locator('.target').getAttribute('title')),
        /node dist\/server\.js/,
      );
    });

    test('the timeline canvas draws the p99 line and bars in each kind colour', async () => {
      const sel = '.timeline canvas';
      const cpu = await countPixels(page, sel, hex(dark.vars['--vscode-charts-red']!));
      const io = await countPixels(page, sel, hex(dark.vars['--vscode-charts-orange']!));
      const gc = await countPixels(page, sel, hex(dark.vars['--vscode-charts-purple']!));
      const delay = await countPixels(page, sel, hex(dark.vars['--vscode-charts-blue']!));
      assert.ok(cpu > 200, `cpu pixels ${cpu}`);
      assert.ok(io > 200, `sync-io pixels ${io}`);
      assert.ok(gc > 5, `gc pixels ${gc}`);
      assert.ok(delay > 100, `p99 line pixels ${delay}`);
      const label = await page.locator(sel).getAttribute('aria-label');
      assert.match(label ?? '', /longest 705 ms \(sync I\/O\)/);
    });

    test('thread strips show running pool threads and the saturation band', async () => {
      const sel = '.threads canvas';
      const running = await countPixels(page, sel, hex(dark.vars['--vscode-charts-green']!));
      const saturated = await countPixels(page, sel, hex(dark.vars['--vscode-charts-red']!));
      assert.ok(running > 50, `running pixels ${running}`);
      assert.ok(saturated > 20, `saturation pixels ${saturated}`);
      assert.match(
        await page.locator('.threads .hint').innerText(),
        /11 threads; threadpool saturated/,
      );
    });

    test('heatmap nests file → function → line, hottest open, and a line click opens it', async () => {
      const tree = page.locator('.heat-tree');
      const first = tree.locator('button.level-0').first();
      assert.match(await first.innerText(), /passwords\.ts/);
      assert.equal(await first.getAttribute('aria-expanded'), 'true');
      const fn = tree.locator('button.level-1').first();
      assert.match(await fn.innerText(), /hashPassword/);
      const line = tree.locator('button.level-2').first();
      assert.match(await line.innerText(), /line 12/);
      await line.click();
      await waitForPosted(page, isOpen('/workspace/demo-service/src/passwords.ts', 12));
      // Expanding another file shows its function and line.
      const report = tree.locator('button.level-0', { hasText: 'report.ts' });
      await report.click();
      assert.equal(await report.getAttribute('aria-expanded'), 'true');
      await tree.locator('button.level-1', { hasText: 'handleReport' }).click();
      await tree.locator('button.level-2', { hasText: 'line 15' }).click();
      await waitForPosted(page, isOpen('/workspace/demo-service/src/routes/report.ts', 15));
    });

    test('clicking a hotspot posts openLocation with its file and line; so does Enter', async () => {
      await page.locator('button.hotspot', { hasText: 'handleExport' }).click();
      await waitForPosted(page, isOpen('/workspace/demo-service/src/routes/export.ts', 8));
      await page.locator('button.hotspot', { hasText: 'loadTemplate' }).focus();
      await page.keyboard.press('Enter');
      await waitForPosted(page, isOpen('/workspace/demo-service/src/views.ts', 10));
    });

    test('clicking a stall bar on the timeline opens the line it was blamed on', async () => {
      const longest = rec.stalls.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
      const box = (await page.locator('.timeline canvas').boundingBox())!;
      const plotW = box.width - 40 - 8;
      const x = box.x + 40 + ((longest.startMs + longest.durationMs / 2) / rec.durationMs) * plotW;
      // Hovering names the stall and its line; clicking opens it.
      await page.mouse.move(x, box.y + 150 - 18 - 3);
      const tip = page.locator('.timeline .tooltip');
      await tip.waitFor({ state: 'visible' });
      assert.match(
        await tip.innerText(),
        /sync I\/O stall · 705 ms[\s\S]*handleExport export\.ts:8/,
      );
      await page.mouse.click(x, box.y + 150 - 18 - 3);
      await waitForPosted(page, isOpen(longest.blame!.file, longest.blame!.line));
      await page.mouse.move(0, 0);
      await tip.waitFor({ state: 'hidden' });
    });

    test('zoom with the keyboard and buttons changes the visible span', async () => {
      const canvas = page.locator('.timeline canvas');
      const span = async () =>
        (await canvas.getAttribute('aria-label'))!.match(/timeline, (.*?):/)![1];
      const whole = await span();
      await canvas.focus();
      await page.keyboard.press('+');
      const zoomed = await span();
      assert.notEqual(zoomed, whole);
      await page.keyboard.press('ArrowRight');
      assert.notEqual(await span(), zoomed);
      await page.getByRole('button', { name: 'Show the whole recording (0)' }).click();
      assert.equal(await span(), whole);
      await page.getByRole('button', { name: 'Zoom in (+)' }).click();
      assert.notEqual(await span(), whole);
      await page.keyboard.press('0');
    });

    test('dark, light and high-contrast themes all apply (screenshots)', async () => {
      await page.mouse.move(0, 0);
      await screenshot(page, 'webview-recording-dark');
      for (const theme of [light, highContrast]) {
        await applyTheme(page, theme);
        await page.waitForTimeout(100); // one animation frame for the canvases to repaint
        const fg = await page
          .locator('.hs-fn')
          .first()
          .evaluate((el) => getComputedStyle(el).color);
        assert.equal(fg, rgbString(theme.vars['--vscode-foreground']!));
        const cpu = await countPixels(
          page,
          '.timeline canvas',
          hex(theme.vars['--vscode-charts-red']!),
          8,
        );
        assert.ok(cpu > 200, `${theme.name}: canvas repainted in the theme's red (${cpu})`);
        await screenshot(page, `webview-recording-${theme.name}`);
      }
      await applyTheme(page, dark);
      assert.deepEqual(await cspViolations(page), []);
    });
  });

  test('a recording made by the runtime engine (real blocking process) renders and opens its line', async () => {
    const rec = JSON.parse(
      readFileSync(join(repoRoot, 'test/fixtures/recordings/blocker-real.json'), 'utf8'),
    ) as Recording;
    const page = await openWebview(web.browser, web.origin, light);
    try {
      await hydrateAndWait(page, {
        type: MessageType.Hydrate,
        recording: rec,
        live: false,
        origin: { kind: 'file', fileName: 'blocker-real.json' },
      });
      const top = rec.hotspots[0]!;
      const row = page.locator('button.hotspot').first();
      assert.equal(await row.getAttribute('data-file'), top.file);
      assert.equal(await row.getAttribute('data-line'), String(top.line));
      assert.match(
        await row.innerText(),
        new RegExp(`${top.functionName}[\\s\\S]*blocker\\.js:${top.line}`),
      );
      assert.equal(
        await page.locator('[data-metric="stalls"]').innerText(),
        String(rec.stalls.length),
      );
      const io = await countPixels(
        page,
        '.timeline canvas',
        hex(light.vars['--vscode-charts-orange']!),
      );
      assert.ok(io > 200, `sync-io bars drawn (${io})`);
      await row.click();
      await waitForPosted(page, isOpen(top.file, top.line));
      await screenshot(page, 'webview-real-recording-light');
    } finally {
      await page.close();
    }
  });

  test('worker threads and child processes: one lane per thread, grouped by process; a bar opens its line', async () => {
    const real = (name: string) =>
      JSON.parse(
        readFileSync(join(repoRoot, `test/fixtures/recordings/${name}`), 'utf8'),
      ) as Recording;
    const page = await openWebview(web.browser, web.origin, dark);
    const openFile = (recording: Recording, fileName: string) =>
      hydrateAndWait(page, {
        type: MessageType.Hydrate,
        recording,
        live: false,
        origin: { kind: 'file', fileName },
      });
    try {
      // A process whose worker `cruncher` blocked its own loop (recorded by the real CLI).
      const rec = real('workers-real.json');
      await openFile(rec, 'workers-real.json');
      const lanes = page.locator('section.lanes');
      await lanes.waitFor({ state: 'visible' });
      assert.match(await lanes.locator('.hint').innerText(), /^2 threads\. /);
      const label = String(await lanes.locator('canvas').getAttribute('aria-label'));
      const own = (id: number) => rec.stalls.filter((s) => (s.thread?.id ?? 0) === id).length;
      assert.equal(
        label,
        `Stalls per thread: main: ${own(0)} stalls; worker 1: cruncher: ${own(1)} stalls.`,
      );
      const red = hex(dark.vars['--vscode-charts-red']!);
      assert.ok((await countPixels(page, 'section.lanes canvas', red)) > 100, 'bars drawn');
      // Click the first bar of the worker's lane (second row): it opens the worker's line.
      const at = await findBar(page, 'section.lanes canvas', 1 + 15 + 6, red);
      assert.ok(at, 'a bar in the worker lane');
      await page.mouse.click(at.x, at.y);
      const worker = rec.stalls.find((s) => s.thread?.id === 1)!;
      await waitForPosted(page, isOpen(worker.blame!.file, worker.blame!.line));
      await screenshot(page, 'webview-worker-lanes-dark');
      // A launched cluster: its primary and 4 workers, one lane each, in 5 processes.
      const cluster = real('cluster-real.json');
      await openFile(cluster, 'cluster-real.json');
      await page.locator('section.lanes .hint', { hasText: '5 threads in 5 processes.' }).waitFor();
      await screenshot(page, 'webview-cluster-lanes-dark');
      // One thread only: no lanes.
      await openFile(real('blocker-real.json'), 'blocker-real.json');
      await lanes.waitFor({ state: 'hidden' });
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await page.close();
    }
  });

  test('a real app with packages: hotspot rows name operation and package, a package table, starved apart', async () => {
    // Recorded by the engine from test/fixtures/realapps/app.js (lowdb, ejs, bcryptjs, js-yaml).
    const rec = JSON.parse(
      readFileSync(join(repoRoot, 'test/fixtures/recordings/realapp-real.json'), 'utf8'),
    ) as Recording;
    const page = await openWebview(web.browser, web.origin, dark);
    try {
      await hydrateAndWait(page, {
        type: MessageType.Hydrate,
        recording: rec,
        live: false,
        origin: { kind: 'file', fileName: 'realapp-real.json' },
      });
      const rows = page.locator('button.hotspot');
      const texts = await rows.allInnerTexts();
      assert.ok(
        texts.some((t) => /save[\s\S]*app\.js:19[\s\S]*in lowdb@1\.0\.0/.test(t)),
        texts.join('\n--\n'),
      );
      assert.ok(texts.some((t) => /bcryptjs\.hashSync in bcryptjs@2\.4\.3/.test(t)));
      const pkgs = await page.locator('.package-row').allInnerTexts();
      for (const name of ['lowdb@1.0.0', 'bcryptjs@2.4.3', 'js-yaml@4.1.0', 'ejs@3.1.10']) {
        assert.ok(
          pkgs.some((t) => t.includes(name)),
          `${name} in ${pkgs.join(' | ')}`,
        );
      }
      const code = rec.stalls.filter((s) => s.kind !== 'starved').length;
      assert.equal(await page.locator('[data-metric="stalls"]').innerText(), String(code));
      if (code < rec.stalls.length) {
        assert.match(await page.locator('.summary .notice').innerText(), /starved stall/);
      }
      await screenshot(page, 'webview-real-app-packages-dark');
    } finally {
      await page.close();
    }
  });

  test('live: deltas extend the timeline and lists; ended is shown', async () => {
    const rec = fixture();
    const half = rec.stalls.length >> 1;
    const live: Recording = {
      ...rec,
      durationMs: rec.stalls[half]!.startMs,
      stalls: rec.stalls.slice(0, half),
      metrics: rec.metrics.filter((m) => m.atMs <= rec.stalls[half]!.startMs),
      hotspots: [],
    };
    const page = await openWebview(web.browser, web.origin, dark);
    try {
      await hydrateAndWait(page, {
        type: MessageType.Hydrate,
        recording: live,
        live: true,
        origin: { kind: 'session' },
      });
      assert.match(await page.locator('.badge').innerText(), /Live/);
      assert.equal(await page.locator('[data-metric="stalls"]').innerText(), String(half));
      assert.equal(
        await page.getByRole('button', { name: 'Follow live data' }).getAttribute('aria-pressed'),
        'true',
      );
      for (const s of rec.stalls.slice(half)) {
        await post(page, { type: MessageType.Stall, stall: s });
      }
      for (const m of rec.metrics.filter((x) => x.atMs > live.durationMs)) {
        await post(page, { type: MessageType.Metrics, metrics: m });
      }
      await page.waitForFunction(
        (n) => document.getElementById('root')?.dataset.stalls === String(n),
        rec.stalls.length,
      );
      await page.waitForFunction(
        (n) => document.querySelector('[data-metric="stalls"]')?.textContent === String(n),
        rec.stalls.length,
      );
      await screenshot(page, 'webview-live-dark');
      await post(page, { type: MessageType.Ended, reason: 'Target exited (code 0).', code: 0 });
      await page.locator('.badge', { hasText: 'Ended' }).waitFor();
      assert.match(await page.locator('.notice').innerText(), /Target exited/);
    } finally {
      await page.close();
    }
  });
});

declare const document: {
  getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
  querySelector(s: string): { textContent: string | null } | null;
  querySelectorAll(s: string): { length: number };
};
declare function getComputedStyle(el: unknown): { color: string };

function rgbString(h: string): string {
  const [r, g, b] = hex(h);
  return `rgb(${r}, ${g}, ${b})`;
}
