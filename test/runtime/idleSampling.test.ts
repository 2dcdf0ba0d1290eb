/**
 * A higher threshold samples a quiet loop less often in /proc (runQueue.ts `idleSampleMsFor`:
 * 80 ms at a 100 ms threshold, to cut the idle recorder's wake-ups; 40 ms again while the
 * recorder's timer comes late, `idlePeriodMs`), and still finds and names every stall over it
 * after a quiet spell, the beat resting: a sample lands inside each one. (Missed once at load ~7
 * before the lateness rule: an execSync stall.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../waitFor';
import { BLOCKER, blockLine, describeStall, record, startTarget, stallFor } from './runtimeHelpers';

test('watch mode, threshold 100 ms: stalls after a quiet spell are found and named', async () => {
  const t = await startTarget(BLOCKER);
  try {
    const r = await record({
      target: { kind: 'port', port: t.port! },
      mode: 'watch',
      thresholdMs: 100,
    });
    try {
      for (const [cmd, tag, fn] of [
        ['cpu 200', 'cpu', 'spinCpu'],
        ['exec', 'exec', 'runShell'],
        ['cpu 200', 'cpu', 'spinCpu'],
      ] as const) {
        // Quiet first: the beat rests and the /proc samples are at their idle period.
        await waitFor(async () => (await t.run('resting')).result === 'true', 'the beat to rest');
        const { stall } = await stallFor(t, r, cmd);
        assert.ok(stall, `${cmd}: no stall`);
        assert.ok(stall.durationMs >= 100, describeStall(stall));
        assert.equal(stall.blame?.functionName, fn, describeStall(stall));
        assert.equal(stall.blame?.line, blockLine(BLOCKER, tag), describeStall(stall));
      }
    } finally {
      await r.rec.stop();
    }
  } finally {
    t.kill();
  }
});
