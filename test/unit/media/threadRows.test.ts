import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareInState, threadRows } from '../../../media/src/threadRows';
import { metrics } from './helpers';

const t = (tid: number, state: string) => ({ tid, name: 'node', state });

test('one row per thread, main first, states run-length encoded per second', () => {
  const m = [
    metrics(1000, 3, { threads: [t(11, 'S'), t(10, 'R')] }),
    metrics(2000, 3, { threads: [t(11, 'S'), t(10, 'R')] }),
    metrics(3000, 3, { threads: [t(11, 'D'), t(10, 'S'), t(12, 'R')], threadpoolSaturated: true }),
    metrics(4000, 3, { threads: [t(11, 'D'), t(10, 'S'), t(12, 'R')], threadpoolSaturated: true }),
  ];
  const model = threadRows(m, 10);
  assert.deepEqual(
    model.rows.map((r) => r.label),
    ['main', '11', '12'],
  );
  assert.deepEqual(model.rows[0]!.spans, [
    { fromMs: 0, toMs: 2000, state: 'R' },
    { fromMs: 2000, toMs: 4000, state: 'S' },
  ]);
  // Pool threads appear on first use: no span before they exist.
  assert.deepEqual(model.rows[2]!.spans, [{ fromMs: 2000, toMs: 4000, state: 'R' }]);
  assert.deepEqual(model.saturated, [{ fromMs: 2000, toMs: 4000 }]);
  assert.equal(shareInState(model.rows[0]!, 'R'), 0.5);
  // Threads with their own name (the profiler's, a worker's) show it.
  const named = threadRows(
    [metrics(1000, 3, { threads: [{ tid: 20, name: 'v8:ProfEvntProc', state: 'S' }] })],
    10,
  );
  assert.equal(named.rows[0]!.label, 'v8:Pro…');
});

test('no thread data (remote target) gives no rows', () => {
  assert.deepEqual(threadRows([metrics(1000, 3)], 1), { rows: [], saturated: [] });
});
