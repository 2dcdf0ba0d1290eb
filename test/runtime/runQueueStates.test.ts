/**
 * What the /proc sampler (runQueue.ts) makes of a real thread asleep in a sync call vs in a lock:
 * a read of a pipe that never gets data is the code's sync call; a futex (V8's own locks, e.g.
 * a GC helper that waits for a CPU on a busy machine; here an `Atomics.wait`) is not, so a
 * low-CPU stall spent in one is never called `sync-io`. It still counts as time the loop may
 * have been blocked (the probe's liveness).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { RunQueueMonitor } from '../../src/runtime/runQueue';
import { waitFor } from '../waitFor';
import { nowUs } from '../../src/runtime/clock';

/** A child whose main thread sleeps in `how` until killed; resolves once /proc shows it there. */
async function sleeper(how: string, syscall: RegExp) {
  const child = spawn(process.execPath, ['-e', how], { stdio: ['pipe', 'ignore', 'inherit'] });
  const at = () => readFileSync(`/proc/${child.pid}/task/${child.pid}/syscall`, 'utf8');
  await waitFor(() => {
    try {
      return syscall.test(at());
    } catch {
      return false;
    }
  }, `the child asleep in ${syscall}`);
  return child;
}

const cases = [
  {
    name: 'a read of a pipe with no data is a sync call',
    how: "require('fs').readSync(0, Buffer.alloc(1))",
    // read (x64 0, arm64 63)
    syscall: process.arch === 'arm64' ? /^63 / : /^0 /,
    syncCall: true,
  },
  {
    name: 'a futex (a lock) is not',
    how: 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)',
    syscall: process.arch === 'arm64' ? /^98 / : /^202 /,
    syncCall: false,
  },
];

for (const c of cases) {
  test(`runQueue on a real thread: ${c.name}`, { skip: process.platform !== 'linux' }, async () => {
    const child = await sleeper(c.how, c.syscall);
    const rq = new RunQueueMonitor(child.pid!);
    try {
      const from = nowUs();
      rq.start();
      rq.sample();
      const to = nowUs();
      rq.sample();
      assert.equal(rq.tellsSyncWaits, true, '/proc/<pid>/task/<tid>/syscall is readable here');
      assert.equal(rq.sleptOutsideLoop(from - 1, to + 1), c.syncCall);
      assert.ok(rq.lastIdleUs() < from, 'never seen idle in its loop');
    } finally {
      rq.dispose();
      child.kill('SIGKILL');
    }
  });
}

test(
  'a sampler whose timer comes late samples an idle loop every 40 ms, not at the threshold period',
  { skip: process.platform !== 'linux' },
  async () => {
    // An idle loop: its epoll wait has a timeout under a beat (a 30 ms timer).
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 30)'], { stdio: 'ignore' });
    const rq = new RunQueueMonitor(child.pid!, true, child.pid!, 80);
    try {
      rq.start();
      await waitFor(() => rq.period !== 20, 'the idle period (five idle samples running)');
      // This process (the recorder) blocked for 150 ms: its next tick comes late, as on a
      // machine whose CPUs are busy.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
      // The first idle period after it (a busy machine may first show the loop running: 20 ms).
      const periods: number[] = [];
      const stop = rq.addSampleListener(() => periods.push(rq.period));
      await waitFor(() => periods.some((p) => p !== 20), 'the idle period again');
      stop();
      assert.equal(
        periods.find((p) => p !== 20),
        40,
        `periods after the late tick: ${periods}`,
      );
    } finally {
      rq.dispose();
      child.kill('SIGKILL');
    }
  },
);
