import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregateByLine,
  buildHeatmap,
  displayPath,
  summarize,
  worstSentence,
  UNATTRIBUTED,
} from '../../../src/runtime/report/model';
import { ROOT, recording, stall } from './makeRecording';

const render = `${ROOT}/src/render.ts`;
const login = `${ROOT}/src/login.ts`;

test('heatmap sums per file and per line equal the sums of the stalls', () => {
  const stalls = [
    stall(100, 120, 'sync-io', render, 12, 'loadTemplate'),
    stall(900, 80, 'sync-io', render, 12, 'loadTemplate'),
    stall(1500, 300, 'cpu', render, 40, 'layout'),
    stall(2500, 60, 'cpu', login, 7, 'hash'),
    { startMs: 4000, durationMs: 55, kind: 'gc' as const, stack: [] },
  ];
  const rows = buildHeatmap(stalls);
  assert.deepEqual(
    rows.map((r) => [r.file, r.totalMs, r.count]),
    [
      [render, 500, 3],
      [login, 60, 1],
      [UNATTRIBUTED, 55, 1],
    ],
  );
  assert.deepEqual(
    rows[0].cells.map((c) => [c.line, c.totalMs, c.count, c.maxMs]),
    [
      [12, 200, 2, 120],
      [40, 300, 1, 300],
    ],
  );
  const total = rows.reduce((a, r) => a + r.totalMs, 0);
  assert.equal(
    total,
    stalls.reduce((a, s) => a + s.durationMs, 0),
  );
});

test('hotspots are sorted by total and the worst offender is named in words', () => {
  const stalls = [
    ...Array.from({ length: 14 }, (_, i) =>
      stall(i * 500, 100, 'sync-io', render, 12, 'loadTemplate'),
    ),
    stall(9000, 900, 'cpu', login, 7, 'hash'),
  ];
  const hs = aggregateByLine(stalls);
  assert.deepEqual(
    hs.map((h) => h.line),
    [12, 7],
  );
  const s = summarize(recording(stalls));
  assert.equal(s.totalBlockedMs, 2300);
  assert.equal(s.byKind['sync-io'].count, 14);
  assert.equal(
    worstSentence(s, ROOT),
    'src/render.ts:12 loadTemplate blocked the loop 1.4 s in 14 stalls.',
  );
});

test('summary of an empty recording says there was no stall', () => {
  const s = summarize(recording([], { metrics: [] }));
  assert.equal(s.stallCount, 0);
  assert.equal(s.worstP99Ms, undefined);
  assert.match(worstSentence(s), /^No stall/);
});

test('worst p99 is the maximum over the metrics', () => {
  const s = summarize(
    recording([], {
      metrics: recording([]).metrics.map((m, i) => ({
        ...m,
        loopDelay: { ...m.loopDelay, p99: i === 3 ? 250 : 11 },
      })),
    }),
  );
  assert.equal(s.worstP99Ms, 250);
});

test('paths are relative to cwd only when inside it', () => {
  assert.equal(displayPath(`${ROOT}/src/a.ts`, ROOT), 'src/a.ts');
  assert.equal(displayPath('/other/a.ts', ROOT), '/other/a.ts');
  assert.equal(displayPath(`${ROOT}-x/a.ts`, ROOT), `${ROOT}-x/a.ts`);
  assert.equal(displayPath('node:fs', ROOT), 'node:fs');
});

test('unattributed hotspots of the engine (`(cpu)`, line 0) are never named the worst offender', () => {
  const rec = recording([stall(0, 60, 'cpu', `${ROOT}/src/a.ts`, 3, 'f')], {
    hotspots: [
      { file: '(gc)', line: 0, functionName: '', totalMs: 900, count: 9, maxMs: 100 },
      { file: `${ROOT}/src/a.ts`, line: 3, functionName: 'f', totalMs: 60, count: 1, maxMs: 60 },
    ],
  });
  assert.equal(
    worstSentence(summarize(rec), ROOT),
    'src/a.ts:3 f blocked the loop 60 ms in 1 stall.',
  );
});
