import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReportHtml } from '../../../src/runtime/report/html';
import { LIMITS } from '../../../src/runtime/report/sections';
import type { StallKind } from '../../../src/shared/protocol/runtime';
import { ROOT, recording, stall } from './makeRecording';

const fixed = { cwd: ROOT, generatedAt: new Date(0) };

function count(html: string, re: RegExp): number {
  return (html.match(re) ?? []).length;
}

test('every recorded string is escaped: a file name with <script> stays text', () => {
  const evil = `${ROOT}/src/<script>alert(1)</script>&"'.ts`;
  const rec = recording([stall(10, 100, 'cpu', evil, 3, '<img src=x onerror=alert(2)>')]);
  rec.target.command = 'node "<b>x</b>"';
  const html = renderReportHtml(rec, fixed);
  assert.equal(count(html, /<script/g), 0);
  assert.equal(count(html, /<img/g), 0);
  assert.equal(count(html, /<b>x<\/b>/g), 0);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;.ts:3'));
  assert.ok(html.includes('&lt;img src=x onerror=alert(2)&gt;'));
});

test('the report is self-contained: no external URL, a CSP that forbids fetching', () => {
  const html = renderReportHtml(recording([stall(10, 100, 'cpu', `${ROOT}/a.ts`, 1, 'f')]), fixed);
  assert.equal(count(html, /(src|href)\s*=\s*["']?(https?:)?\/\//g), 0);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('a recording with no stall says so in every section', () => {
  const html = renderReportHtml(recording([], { hotspots: [] }), fixed);
  assert.match(html, /id="verdict">No stall: the event loop was never blocked/);
  assert.match(html, /No blocked lines\./);
  assert.match(html, /No hotspots\./);
  assert.match(html, /No stalls\./);
  assert.match(html, /<svg id="timeline"/);
  assert.match(html, /<polyline class="delay"/);
});

test('header, worst offender, heatmap cells and hotspot rows match the stalls', () => {
  const render = `${ROOT}/src/render.ts`;
  const stalls = [
    ...Array.from({ length: 14 }, (_, i) =>
      stall(i * 600, 86, 'sync-io', render, 12, 'loadTemplate'),
    ),
    stall(9000, 250, 'cpu', `${ROOT}/src/report.ts`, 30, 'buildReport'),
  ];
  const html = renderReportHtml(recording(stalls), fixed);
  assert.match(html, /src\/render\.ts:12 loadTemplate blocked the loop 1\.2 s in 14 stalls\./);
  const cells = [
    ...html.matchAll(
      /class="cell"[^>]*data-line="(\d+)" data-total-ms="([\d.]+)" data-count="(\d+)"/g,
    ),
  ];
  assert.deepEqual(
    cells.map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]),
    [
      [12, 14 * 86, 14],
      [30, 250, 1],
    ],
  );
  assert.equal(count(html, /<tr class="hotspot">/g), 2);
  assert.equal(count(html, /<details class="stall-item">/g), 15);
  assert.equal(count(html, /<rect class="stall kind-sync-io"/g), 14);
  assert.match(html, /<div class="v warn">15<\/div><div class="k">stalls<\/div>/);
});

test('10,000 stalls: the page stays small (binned bars, capped lists) and sums stay exact', () => {
  const kinds: StallKind[] = ['cpu', 'sync-io', 'gc', 'native'];
  const stalls = Array.from({ length: 10_000 }, (_, i) =>
    stall(
      i * 60,
      51 + (i % 7),
      kinds[i % 4],
      `${ROOT}/src/f${i % 30}.ts`,
      1 + (i % 200),
      `fn${i % 200}`,
    ),
  );
  const rec = recording(stalls, { durationMs: 600_000 });
  const html = renderReportHtml(rec, fixed);
  assert.ok(html.length < 3_000_000, `report is ${html.length} bytes`);
  assert.ok(count(html, /<rect class="stall/g) <= 1000);
  assert.equal(count(html, /<details class="stall-item">/g), LIMITS.stacks);
  assert.equal(count(html, /<tr class="hotspot">/g), LIMITS.hotspots);
  assert.match(html, /Showing the 300 longest of 10000 stalls/);
  const files = [...html.matchAll(/class="heat-row" data-file="[^"]*" data-total-ms="([\d.]+)"/g)];
  const sum = files.reduce((a, m) => a + Number(m[1]), 0);
  assert.equal(
    sum,
    stalls.reduce((a, s) => a + s.durationMs, 0),
  );
});

test('200,000 stalls on as many lines render (the heat scale is no spread into Math.max)', () => {
  const file = `${ROOT}/src/big.ts`;
  const stalls = Array.from({ length: 200_000 }, (_, i) =>
    stall(i * 60, i === 0 ? 400 : 51, 'cpu', file, i + 1, `fn${i}`),
  );
  const html = renderReportHtml(recording(stalls, { durationMs: 12_000_000 }), fixed);
  // The hottest line is the scale's top (deep red, white text), 51 ms near its bottom.
  const cells = [...html.matchAll(/class="cell" style="background:hsl\((\d+),[^"]*"/g)];
  assert.deepEqual(
    cells.slice(0, 2).map((m) => Number(m[1])),
    [0, 45],
  );
  assert.ok(html.includes(`data-file="${file}" data-total-ms="${199_999 * 51 + 400}"`));
});

test('native frames show no :0:0 and a stall a hair before t0 shows at +0.000 s', () => {
  const s = stall(-0.4, 90, 'sync-io', `${ROOT}/src/a.ts`, 4, 'readAll');
  s.stack.unshift({ functionName: 'read', file: '(native)', line: 0, column: 0 });
  const html = renderReportHtml(recording([s]), fixed);
  assert.ok(html.includes('<span class="fn">read</span> <span class="dim">(native)</span>'));
  assert.equal(count(html, /:0:0/g), 0);
  assert.match(html, /<span class="t">\+0\.000 s<\/span>/);
});

test('the verdict names the line, its operation and package; a package table; starved apart', () => {
  const pk = {
    name: 'lowdb',
    version: '1.0.0',
    chain: [{ name: 'lowdb', version: '1.0.0', direct: true }],
  };
  const a = `${ROOT}/src/store.ts`;
  const rec = recording([
    { ...stall(0, 100, 'cpu', a, 33, 'save'), operation: 'JSON.stringify', package: pk },
    { ...stall(500, 120, 'cpu', a, 33, 'save'), operation: 'JSON.stringify', package: pk },
    { startMs: 900, durationMs: 400, kind: 'starved', stack: [], starvation: { waitShare: 0.9 } },
  ]);
  const html = renderReportHtml(rec, { cwd: ROOT });
  assert.match(
    html,
    /id="verdict">src\/store\.ts:33 save blocked the loop 220 ms in 2 stalls: JSON\.stringify in lowdb@1\.0\.0\.</,
  );
  assert.match(
    html,
    /<table id="packages">.*<td class="pkg">lowdb@1\.0\.0<\/td><td class="op">JSON\.stringify<\/td><td class="loc">src\/store\.ts:33<\/td>/,
  );
  assert.match(
    html,
    /<div class="v warn">2<\/div><div class="k">stalls<\/div>/,
    'the starved stall is not counted',
  );
  assert.match(html, /90% waiting for a CPU/);
});
