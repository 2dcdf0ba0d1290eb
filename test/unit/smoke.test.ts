import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Recording } from '../../src/shared/protocol/runtime';

test('recording type is plain data', () => {
  const r: Recording = {
    version: 1,
    target: { url: 'ws://x' },
    startedAt: new Date(0).toISOString(),
    durationMs: 0,
    thresholdMs: 50,
    stalls: [],
    hotspots: [],
    metrics: [],
  };
  assert.equal(JSON.parse(JSON.stringify(r)).version, 1);
});
