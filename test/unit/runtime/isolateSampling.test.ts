/** Profile mode samples workers and child processes less often than the first main thread. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolateSampling } from '../../../src/runtime/threadRecorder';

test('workers and child processes sample and rotate 4 times less often; tuning 1 makes them alike', () => {
  const port = { kind: 'port' as const, port: 9229 };
  const child = { ...port, child: true };
  assert.deepEqual(isolateSampling({ target: port }, 10_000, false), {
    samplingIntervalUs: 10_000,
    rotateMs: 5000,
  });
  assert.deepEqual(isolateSampling({ target: port }, 10_000, true), {
    samplingIntervalUs: 40_000,
    rotateMs: 20_000,
  });
  assert.deepEqual(isolateSampling({ target: child, samplingIntervalUs: 5000 }, 10_000, false), {
    samplingIntervalUs: 20_000,
    rotateMs: 20_000,
  });
  const alike = { target: child, tuning: { isolateSampling: 1, rotateMs: 1000 } };
  assert.deepEqual(isolateSampling(alike, 10_000, true), {
    samplingIntervalUs: 10_000,
    rotateMs: 1000,
  });
});
