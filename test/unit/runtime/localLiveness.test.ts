/** The agent's beat for a local target, from what /proc offers (pure decision). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localTuning } from '../../../src/runtime/localLiveness';
import type { RunQueueMonitor } from '../../../src/runtime/runQueue';

const monitor = (sampling: boolean, tellsSyncWaits: boolean) =>
  ({ sampling, tellsSyncWaits }) as unknown as RunQueueMonitor;

test('epoll timeout readable: a 40 ms lazy beat, no ticks, no CPU per gap', () => {
  assert.deepEqual(localTuning(monitor(true, true), 50), {
    tickMs: 40,
    tickEveryMs: 0,
    cpu: false,
    lazy: true,
  });
});

test('only wchan: slow ticks still catch a stall inside execSync', () => {
  assert.deepEqual(localTuning(monitor(true, false), 50), {
    tickMs: 40,
    tickEveryMs: 200,
    cpu: false,
    lazy: false,
  });
});

test('a low threshold keeps the beat under it; no /proc samples: keep the remote scheme', () => {
  assert.equal(localTuning(monitor(true, true), 30)?.tickMs, 24);
  assert.equal(localTuning(monitor(false, true), 50), undefined);
});
