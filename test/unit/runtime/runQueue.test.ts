/** Run-queue accounting at the edges of a gap (pure: synthetic /proc samples). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  idleSampleMsFor,
  idlePeriodMs,
  activeIn,
  counterDuring,
  epollWaitOf,
  lastIdleIn,
  stallStartFrom,
} from '../../../src/runtime/runQueue';

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

test("the loop's own epoll wait is read from /proc/…/syscall; any other syscall or running is not", () => {
  // Captured on this machine (x64): idle loop, then inside execSync (its own loop's epoll fd).
  assert.deepEqual(epollWaitOf('281 0xe 0x7ffcce0a58b0 0x400 0x1f4 0x0 0x8 0x7ffc 0x7fc6', 'x64'), {
    timeoutMs: 500,
  });
  assert.deepEqual(
    epollWaitOf('281 0x12 0x7ffcce0a4bd0 0x400 0xffffffff 0x0 0x8 0x7ff 0x7fc', 'x64'),
    { timeoutMs: -1 },
    'execSync waits without a timeout',
  );
  assert.deepEqual(epollWaitOf('232 0x3 0x1 0x2 0x28 0x0 0x0 0x0 0x0', 'x64'), { timeoutMs: 40 });
  assert.deepEqual(epollWaitOf('22 0x5 0x1 0x2 0x0 0x0 0x0 0x0 0x0', 'arm64'), { timeoutMs: 0 });
  assert.deepEqual(epollWaitOf('441 0x5 0x1 0x2 0x7ff 0x0 0x0 0x0 0x0', 'x64'), {
    timeoutMs: undefined,
  });
  assert.equal(epollWaitOf('0 0x15 0x7f00 0x100000 0x0 0x0 0x0 0x0 0x0', 'x64'), undefined, 'read');
  assert.equal(epollWaitOf('running', 'x64'), undefined);
  assert.equal(epollWaitOf('', 'x64'), undefined);
});

test('a stall starts after the last sample that saw the loop idle inside the gap', () => {
  // Samples every 20 ms; the loop idle at 0, 20 and 40 ms, busy from 60 ms; the beat at 10 ms.
  const s: Array<[number, number, number, number]> = [
    [0, 0, 0, 1],
    [20_000, 0, 0, 1],
    [40_000, 0, 0, 1],
    [60_000, 0, 10_000, 0],
    [80_000, 0, 30_000, 0],
    [100_000, 0, 50_000, 0],
  ];
  // Gap from the beat at 10 ms to 110 ms: idle at 40, busy at 60 → began at about 50 ms.
  assert.equal(stallStartFrom(s, 10_000, 110_000, 30_000), 50_000);
  assert.equal(lastIdleIn(s, 10_000, 110_000), 40_000);
  // Gap from a beat at 45 ms: no idle sample inside, the first one after it at 60 ms is busy.
  assert.equal(stallStartFrom(s, 45_000, 110_000, 65_000), 52_500);
  assert.equal(lastIdleIn(s, 45_000, 110_000), undefined);
  // No sample inside the gap at all: the fallback (half a beat after it).
  assert.equal(stallStartFrom(s, 101_000, 119_000, 111_000), 111_000);
});

test('after a quiet spell sampled sparsely the start comes from the CPU the thread used before the next sample', () => {
  // An idle loop sampled every 40 ms: idle at 0 and 40 ms; at 80 ms it has run 25 ms and waited
  // 5 ms for a CPU since, so its stall began at 50 ms (not at the midpoint, 60 ms).
  const sparse: Array<[number, number, number, number, (0 | 1)?]> = [
    [0, 0, 0, 1, 1],
    [40_000, 0, 1_000, 1, 1],
    [80_000, 5_000, 26_000, 0],
    [100_000, 5_000, 46_000, 0],
  ];
  assert.equal(stallStartFrom(sparse, 10_000, 110_000, 30_000), 50_000);
  // Asleep at the next sample (a sync syscall): its CPU says nothing, the midpoint it is.
  const slept = sparse.map((x, i): [number, number, number, number, (0 | 1)?] =>
    i === 2 ? [x[0], x[1], 2_000, 2] : x,
  );
  assert.equal(stallStartFrom(slept, 10_000, 110_000, 30_000), 60_000);
  // More CPU than the spell is long (a counter read late): never before the idle sample.
  const over = sparse.map((x, i): [number, number, number, number, (0 | 1)?] =>
    i === 2 ? [x[0], x[1], 90_000, 0] : x,
  );
  assert.equal(stallStartFrom(over, 10_000, 110_000, 30_000), 40_000);
  // The same samples of a loop that was busy before (not sampled sparsely): the midpoint.
  const busy = sparse.map((x): [number, number, number, number] => [x[0], x[1], x[2], x[3]]);
  assert.equal(stallStartFrom(busy, 10_000, 110_000, 30_000), 60_000);
});

test('a silence of a loaded loop counts only its CPU time as a possible block; a sleep seen outside the loop counts whole', () => {
  // 60 ms without an idle sample: the thread ran 18 ms, waited 30 ms for a CPU, and slept 12 ms
  // between samples (its loop's own short waits, never caught).
  const loaded: Array<[number, number, number, number]> = [
    [0, 0, 0, 1],
    [20_000, 10_000, 6_000, 0],
    [40_000, 20_000, 12_000, 0],
    [60_000, 30_000, 18_000, 0],
  ];
  assert.equal(activeIn(loaded, 0), 18_000);
  assert.equal(activeIn(loaded, 20_000), 12_000, 'counted from a later start');
  // The same counters with the middle sample asleep in a syscall (execSync's wait, a disk read):
  // the 12 ms of sleep may be the block, so they count.
  const asleep = loaded.map((x, i) => (i === 2 ? [x[0], x[1], x[2], 2] : x)) as typeof loaded;
  assert.equal(activeIn(asleep, 0), 30_000);
  assert.equal(activeIn(asleep, 45_000), 4_500, 'the sleep was before the start: CPU alone');
  // Asleep in a lock (state 3, a futex): the loop may be blocked as well, so it counts too.
  const locked = loaded.map((x, i) => (i === 2 ? [x[0], x[1], x[2], 3] : x)) as typeof loaded;
  assert.equal(activeIn(locked, 0), 30_000);
  assert.equal(activeIn(loaded, -1), undefined, 'no sample that old');
  assert.equal(activeIn(loaded, 60_000), undefined, 'no sample after the start');
});

test('the idle /proc period stays 20 ms under the threshold, between 40 and 80 ms', () => {
  // A sample lands inside every stall at the threshold: a resting beat reports only when probed.
  assert.deepEqual([50, 60, 90, 100, 1000].map(idleSampleMsFor), [40, 40, 70, 80, 80]);
});

test('a sampling timer that came late keeps the idle period at 40 ms', () => {
  assert.deepEqual([40, 70, 80].map((ms) => idlePeriodMs(ms, false)), [40, 70, 80]);
  assert.deepEqual([40, 70, 80].map((ms) => idlePeriodMs(ms, true)), [40, 40, 40]);
});
