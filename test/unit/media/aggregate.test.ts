import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, aggregateHotspots } from '../../../media/src/aggregate';
import { stall } from './helpers';

const A = '/app/src/a.ts';
const B = '/app/src/b.ts';

test('groups blocked time by line, function and file, largest first', () => {
  const agg = aggregate([
    stall(0, 100, 'cpu', [A, 10, 'parse']),
    stall(200, 300, 'cpu', [A, 10, 'parse']),
    stall(600, 50, 'sync-io', [A, 20, 'parse']),
    stall(700, 60, 'sync-io', [A, 30, 'load']),
    stall(800, 200, 'sync-io', [B, 5, 'exportAll']),
    stall(1100, 55, 'gc'),
  ]);
  assert.equal(agg.count, 6);
  assert.equal(agg.totalMs, 765);
  assert.equal(agg.maxMs, 300);
  assert.deepEqual(agg.kinds, { cpu: 400, 'sync-io': 310, gc: 55, native: 0, starved: 0 });
  assert.deepEqual(
    agg.files.map((f) => [f.file, f.totalMs, f.count]),
    [
      [A, 510, 4],
      [B, 200, 1],
      ['', 55, 1],
    ],
  );
  const a = agg.files[0]!;
  assert.deepEqual(
    a.functions.map((f) => [f.functionName, f.totalMs]),
    [
      ['parse', 450],
      ['load', 60],
    ],
  );
  assert.deepEqual(
    a.functions[0]!.lines.map((l) => [l.line, l.totalMs, l.count, l.maxMs]),
    [
      [10, 400, 2, 300],
      [20, 50, 1, 50],
    ],
  );
  // Hotspots are the lines, flat, with their dominant kind.
  assert.deepEqual(
    agg.hotspots.map((h) => `${h.file}:${h.line} ${h.functionName} ${h.totalMs} ${h.kind}`),
    [
      `${A}:10 parse 400 cpu`,
      `${B}:5 exportAll 200 sync-io`,
      `${A}:30 load 60 sync-io`,
      ':0 (gc) 55 gc',
      `${A}:20 parse 50 sync-io`,
    ],
  );
});

test('stalls without a blamed frame are grouped by kind with no file (not clickable)', () => {
  const agg = aggregate([stall(0, 60, 'gc'), stall(100, 70, 'native'), stall(300, 65, 'gc')]);
  assert.deepEqual(
    agg.hotspots.map((h) => [h.file, h.functionName, h.count]),
    [
      ['', '(gc)', 2],
      ['', '(native)', 1],
    ],
  );
});

test('the dominant kind of a line is the kind with the most blocked time', () => {
  const agg = aggregate([
    stall(0, 60, 'cpu', [A, 1, 'f']),
    stall(100, 70, 'cpu', [A, 1, 'f']),
    stall(300, 200, 'sync-io', [A, 1, 'f']),
  ]);
  assert.equal(agg.hotspots[0]!.kind, 'sync-io');
  assert.deepEqual(agg.hotspots[0]!.kinds, {
    cpu: 130,
    'sync-io': 200,
    gc: 0,
    native: 0,
    starved: 0,
  });
});

test('a recording that only has hotspots still fills the heatmap', () => {
  const agg = aggregateHotspots([
    { file: A, line: 3, functionName: 'x', totalMs: 50, count: 1, maxMs: 50 },
    { file: A, line: 9, functionName: 'y', totalMs: 500, count: 4, maxMs: 200 },
  ]);
  assert.equal(agg.files.length, 1);
  assert.equal(agg.files[0]!.totalMs, 550);
  assert.equal(agg.hotspots[0]!.line, 9);
});

test('10,000 stalls over 40 lines aggregate to 40 rows, quickly', () => {
  const stalls = Array.from({ length: 10_000 }, (_, i) =>
    stall(i * 200, 50 + (i % 97), i % 3 ? 'cpu' : 'sync-io', [
      `/app/f${i % 8}.ts`,
      (i % 5) + 1,
      `fn${i % 8}`,
    ]),
  );
  const t0 = performance.now();
  const agg = aggregate(stalls);
  const ms = performance.now() - t0;
  assert.equal(agg.hotspots.length, 40);
  assert.equal(agg.files.length, 8);
  assert.equal(agg.count, 10_000);
  assert.equal(
    agg.hotspots.reduce((t, h) => t + h.count, 0),
    10_000,
  );
  // Reported, not asserted: timing depends on the machine's load.
  console.log(`aggregate(10,000 stalls): ${ms.toFixed(1)} ms`);
});
