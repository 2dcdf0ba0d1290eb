/**
 * Profile mode against a real Node process with known blocking code: each stall is detected
 * with the right kind and blamed on the line that blocked.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StallKind } from '../../src/shared/protocol/runtime';
import { waitFor } from '../waitFor';
import type { Recorder, Target } from './runtimeHelpers';
import { BLOCKER, blockLine, describeStall, record, stallFor, startTarget } from './runtimeHelpers';

describe('profile mode: stalls in a real process', () => {
  let target: Target;
  let rec: Recorder;
  let dir: string;
  const latencies: number[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loop-lens-rt-'));
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(256 * 1024 * 1024, 7));
    target = await startTarget(BLOCKER);
    await target.run('makejson 400000');
    rec = await record({ target: { kind: 'port', port: target.port! } });
  });

  after(async () => {
    await rec?.rec.stop();
    target?.kill();
    rmSync(dir, { recursive: true, force: true });
    if (latencies.length) {
      latencies.sort((a, b) => a - b);
      console.log(
        `stall event latency after the stall ended: median ${latencies[latencies.length >> 1]} ms, max ${latencies[latencies.length - 1]} ms (n=${latencies.length})`,
      );
    }
  });

  const cases: Array<{ cmd: string; tag: string; kind: StallKind; fn: string; op?: string }> = [
    { cmd: 'cpu 300', tag: 'cpu', kind: 'cpu', fn: 'spinCpu' },
    { cmd: 'readfile', tag: 'readfile', kind: 'sync-io', fn: 'readBigFile', op: 'fs.readFileSync' },
    { cmd: 'exec', tag: 'exec', kind: 'sync-io', fn: 'runShell', op: 'child_process.execSync' },
    // Node's own CPU work in a binding it names: cpu (`native` is for addons), by its API.
    { cmd: 'pbkdf2', tag: 'pbkdf2', kind: 'cpu', fn: 'deriveKey', op: 'crypto.pbkdf2Sync' },
    { cmd: 'json', tag: 'json', kind: 'cpu', fn: 'parseJson', op: 'JSON.parse' },
    { cmd: 'bcrypt', tag: 'bcrypt', kind: 'cpu', fn: 'hashPassword' },
    { cmd: 'microtask 2000000', tag: 'microtask', kind: 'cpu', fn: 'awaitChain' },
  ];

  for (const c of cases) {
    test(`${c.tag}: kind ${c.kind}, blamed on ${c.fn} at its BLOCK line`, async () => {
      const cmd = c.cmd === 'readfile' ? `readfile ${join(dir, 'big.bin')}` : c.cmd;
      const { stall, latencyMs, done } = await stallFor(target, rec, cmd);
      assert.ok(
        done.ms >= 60,
        `the fixture blocked only ${done.ms} ms; the machine is too fast for this case`,
      );
      assert.ok(stall, `no stall reported for ${c.tag} (blocked ${done.ms} ms)`);
      const msg = describeStall(stall);
      assert.equal(stall.kind, c.kind, msg);
      assert.equal(stall.blame?.file, BLOCKER, msg);
      assert.equal(stall.blame?.functionName, c.fn, msg);
      assert.equal(stall.blame?.line, blockLine(BLOCKER, c.tag), msg);
      if (c.op) assert.equal(stall.operation, c.op, msg);
      // The stall covers most of the time the fixture measured itself (one sampling period off).
      assert.ok(stall.durationMs >= done.ms * 0.6, `${msg}; fixture measured ${done.ms} ms`);
      assert.ok(
        stall.stack.length > 0 && stall.stack.every((f) => f.line >= 0 && f.functionName),
        msg,
      );
      if (latencyMs !== undefined) latencies.push(latencyMs);
    });
  }

  test('the recording holds every stall, hotspots per blamed line, and metrics', async () => {
    const metricsSeen = () => rec.events.filter((x) => x.e.type === 'metrics').length;
    await waitFor(() => metricsSeen() >= 3, 'three metrics samples');
    const r = rec.rec.snapshot();
    assert.equal(r.version, 2);
    assert.equal(r.mode, 'profile');
    assert.equal(r.target.pid, target.pid);
    assert.match(r.target.nodeVersion ?? '', /^v\d+/);
    assert.match(r.target.command ?? '', /blocker\.js/);
    for (const c of cases) {
      const line = blockLine(BLOCKER, c.tag);
      assert.ok(
        r.hotspots.some((h) => h.file === BLOCKER && h.line === line && h.count >= 1),
        `hotspot for ${c.tag}`,
      );
    }
    assert.ok(r.metrics.length >= 3, `only ${r.metrics.length} metrics samples`);
    const m = r.metrics[r.metrics.length - 1];
    assert.ok(m.heapUsed > 0 && m.elu >= 0 && m.elu <= 1);
    assert.ok(
      r.metrics.some((x) => x.loopDelay.max >= 200),
      'a metrics sample saw the long loop delay',
    );
    assert.ok(
      m.threads && m.threads.some((t) => t.tid === target.pid),
      'threads of the local target',
    );
    const profile = rec.rec.cpuProfile() as {
      nodes: unknown[];
      samples: number[];
      timeDeltas: number[];
    };
    assert.ok(profile.nodes.length > 10 && profile.samples.length === profile.timeDeltas.length);
  });
});

describe('profile mode: code V8 optimized before the recorder attached', () => {
  test('a loop compiled before attaching is blamed on its own line, not on the call to it', async () => {
    // Without a profiler, V8 compiles spinCpu's loop on the stack (OSR); that code is not
    // re-logged when a profiler starts, so its samples would land on the caller's call line.
    const t = await startTarget(BLOCKER);
    try {
      await t.run('cpu 200');
      const r = await record({ target: { kind: 'port', port: t.port! } });
      try {
        const { stall } = await stallFor(t, r, 'cpu 200');
        assert.equal(stall?.kind, 'cpu', describeStall(stall));
        assert.equal(stall?.blame?.functionName, 'spinCpu', describeStall(stall));
        assert.equal(stall?.blame?.line, blockLine(BLOCKER, 'cpu'), describeStall(stall));
      } finally {
        await r.rec.stop();
      }
    } finally {
      t.kill();
    }
  });
});
