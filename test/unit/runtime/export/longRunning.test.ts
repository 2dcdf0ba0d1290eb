/** A long-running recorder: bounded stall storage, `--duration 0`, rotated recording files. */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { planRecording } from '../../../../src/cli/recordArgs';
import { Rotation, rotatedName, windowOf } from '../../../../src/cli/recordRotate';
import { Ring } from '../../../../src/runtime/ring';
import type { Recording } from '../../../../src/shared/protocol/runtime';

function recording(stallsAt: number[], durationMs: number): Recording {
  return {
    version: 1,
    target: { url: 'ws://x', pid: 1 },
    startedAt: '2026-12-07T10:00:00.000Z',
    durationMs,
    thresholdMs: 50,
    stalls: stallsAt.map((startMs) => ({
      startMs,
      durationMs: 60,
      kind: 'cpu' as const,
      stack: [],
      blame: { functionName: 'f', file: '/a.js', line: startMs, column: 1 },
    })),
    hotspots: [],
    metrics: [1000, 5000].map((atMs) => ({
      atMs,
      loopDelay: { p50: 1, p99: 2, max: 3 },
      elu: 0,
      heapUsed: 0,
      activeResources: {},
    })),
  };
}

describe('Ring', () => {
  it('keeps the newest items, oldest first, and counts the ones it forgot', () => {
    const r = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    assert.deepEqual([...r], [3, 4, 5]);
    assert.equal(r.dropped, 2);
    assert.equal(r.length, 3);
  });
});

describe('record flags for long runs', () => {
  it('--duration 0 records until stopped; --rotate needs --out', () => {
    assert.equal(planRecording({ pid: '3', duration: '0' }, []).durationMs, undefined);
    assert.throws(() => planRecording({ pid: '3', duration: '-1' }, []), /--duration/);
    assert.throws(() => planRecording({ pid: '3', rotate: '60' }, []), /--rotate needs --out/);
    const p = planRecording({ pid: '3', rotate: '0.5', out: 'r.json', rotateKeep: '3' }, []);
    assert.deepEqual(p.rotate, { everyMs: 30_000, keep: 3 });
  });

  it('--tuning waitingOn=off turns the blocked-on-what looks off (benchmarks); other values fail clearly', () => {
    const t = (v: string) => planRecording({ pid: '3', tuning: v }, []).options.tuning;
    assert.deepEqual(t('waitingOn=off'), { waitingOn: false });
    assert.deepEqual(t('waitingOn=on,rotateMs=5000'), { waitingOn: true, rotateMs: 5000 });
    assert.throws(() => t('waitingOn=no'), /--tuning waitingOn must be on or off, got 'no'/);
    assert.throws(() => t('sampling=1'), /--tuning takes .*waitingOn/);
  });
});

describe('rotation', () => {
  it('cuts a window out of a recording, times made relative to it', () => {
    const w = windowOf(recording([500, 2500, 4000], 6000), 2000, 6000);
    assert.deepEqual(
      w.stalls.map((s) => s.startMs),
      [500, 2000],
    );
    assert.equal(w.startedAt, '2026-12-07T10:00:02.000Z');
    assert.equal(w.durationMs, 4000);
    assert.deepEqual(
      w.metrics.map((m) => m.atMs),
      [3000],
    );
    assert.equal(w.hotspots.length, 2);
  });

  it('shifts rec.1.json to rec.2.json, keeps at most N files, and leaves the last window for --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-lens-rotate-'));
    const out = join(dir, 'rec.json');
    let now = 1000;
    const errors: string[] = [];
    const rot = new Rotation(
      out,
      3_600_000,
      2,
      () => recording([100, 1500, 2500, 3500], now),
      (e) => errors.push(e),
    );
    try {
      rot.rotate();
      now = 2000;
      rot.rotate();
      now = 3000;
      rot.rotate();
      const read = (n: number) =>
        JSON.parse(readFileSync(rotatedName(out, n), 'utf8')) as Recording;
      assert.deepEqual(
        read(1).stalls.map((s) => s.blame?.line),
        [2500],
      );
      assert.deepEqual(
        read(2).stalls.map((s) => s.blame?.line),
        [1500],
      );
      assert.equal(existsSync(rotatedName(out, 3)), false);
      const last = rot.finish(recording([100, 1500, 2500, 3500], 4000));
      assert.deepEqual(
        last.stalls.map((s) => s.blame?.line),
        [3500],
      );
      assert.deepEqual(errors, []);
    } finally {
      rot.finish(recording([], 0));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
