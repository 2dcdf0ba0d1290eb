/** Run-queue accounting at the edges of a gap (pure: synthetic /proc samples). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counterDuring } from '../../../src/runtime/runQueue';

// [time µs, cumulative wait µs, cumulative on-CPU µs, idle flag], one sample every 10 ms.
const samples: Array<[number, number, number, number]> = [
  [0, 0, 0, 1],
  [10_000, 0, 10_000, 0],
  [20_000, 10_000, 10_000, 0],
  [30_000, 20_000, 10_000, 0],
  [40_000, 20_000, 20_000, 0],
];

test('the wait inside a gap is read off the samples around each edge, not the whole bracket', () => {
  // Gap [15 ms, 25 ms]: the process waited from 10 to 30 ms, so 10 ms of it is inside the gap.
  assert.equal(counterDuring(samples, 1, 15_000, 25_000), 10_000);
  // On-CPU time over [5 ms, 35 ms]: 5 ms before 10 ms, 5 ms after 30 ms.
  assert.equal(counterDuring(samples, 2, 5_000, 35_000), 10_000);
});

test('exact sample times, and a gap outside the samples, are handled', () => {
  assert.equal(counterDuring(samples, 1, 10_000, 30_000), 20_000);
  assert.equal(counterDuring(samples, 1, 35_000, 50_000), undefined, 'no sample after the gap yet');
  assert.equal(counterDuring(samples, 1, -5_000, 10_000), undefined, 'no sample before the gap');
});
