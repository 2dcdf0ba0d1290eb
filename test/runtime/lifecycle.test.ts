/**
 * Attaching and detaching without harm: by pid to a process started without --inspect, launch
 * before user code, two recorders at once, a target killed mid-recording, bad ports.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listNodeProcesses, startRecording } from '../../src/runtime';
import { findInspectorPort } from '../../src/runtime/processDiscovery';
import {
  BLOCKER,
  blockLine,
  describeStall,
  record,
  stallFor,
  startTarget,
  type Target,
} from './runtimeHelpers';

/**
 * How often the main thread of the target went to sleep and woke up (voluntary switches) while
 * it waited `ms` on its own timer (one wake-up of its own).
 */
async function wakeUpsIn(t: Target, ms: number): Promise<number> {
  const pid = t.pid;
  const read = () =>
    Number(
      /^voluntary_ctxt_switches:\s+(\d+)/m.exec(
        readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8'),
      )?.[1],
    );
  const before = read();
  await t.run(`wait ${ms}`);
  return read() - before;
}

describe('attach and detach', () => {
  test('by pid: a process started without --inspect is attached via SIGUSR1; detach leaves nothing behind', async () => {
    const t = await startTarget(BLOCKER, 'later');
    try {
      const resourcesBefore = (await t.run('resources')).result;
      const r = await record({ target: { kind: 'pid', pid: t.pid } });
      assert.equal(r.rec.target.pid, t.pid);
      const { stall } = await stallFor(t, r, 'cpu 250');
      assert.equal(stall?.blame?.line, blockLine(BLOCKER, 'cpu'), describeStall(stall));
      assert.notEqual(
        (await t.run('globals')).result,
        '[]',
        'the agent is installed while recording',
      );
      const port = await findInspectorPort(t.pid);
      assert.ok(port, 'SIGUSR1 opened an inspector port owned by the target');
      await r.rec.stop();
      // The inspector SIGUSR1 opened is closed again: no debug port left listening.
      assert.match(
        r.rec.detachNote ?? '',
        /^closed the inspector that Loop Lens opened in pid \d+$/,
      );
      assert.equal(await findInspectorPort(t.pid), undefined, `port ${port} still listens`);
      // The target still answers, and carries no global, binding or timer of ours.
      assert.equal((await t.run('ping')).result, 'pong');
      assert.equal((await t.run('globals')).result, '[]');
      assert.equal((await t.run('resources')).result, resourcesBefore);
      // Nor anything that still wakes it: no timer of ours, native or JavaScript (a 40 ms one
      // is 25 wake-ups a second). Counted in the kernel, not timed.
      const wakeUps = await wakeUpsIn(t, 1000);
      assert.ok(wakeUps <= 3, `the idle target's main thread woke ${wakeUps} times in 1 s`);
      // A second attach opens the inspector again and finds a clean process.
      const again = await record({ target: { kind: 'pid', pid: t.pid } });
      const second = await stallFor(t, again, 'cpu 200');
      // spinCpu ran (and V8 optimized it) between the two recordings, without a profiler.
      assert.equal(second.stall?.blame?.file, BLOCKER, describeStall(second.stall));
      assert.equal(
        second.stall?.blame?.line,
        blockLine(BLOCKER, 'cpu'),
        describeStall(second.stall),
      );
      const rec = await again.rec.stop();
      assert.equal(await findInspectorPort(t.pid), undefined, 'closed again after the second');
      assert.equal(
        rec.stalls.filter((s) => s.durationMs >= 150).length,
        1,
        'one stall, no leftovers of the first recorder',
      );
      assert.equal((await t.run('globals')).result, '[]');
    } finally {
      t.kill();
    }
  });

  test('by pid: the inspector stays open when asked, or while another recording is attached', async () => {
    const t = await startTarget(BLOCKER, 'later');
    const u = await startTarget(BLOCKER, 'later');
    try {
      const kept = await record({ target: { kind: 'pid', pid: t.pid }, keepInspector: true });
      await kept.rec.stop();
      assert.match(
        kept.rec.detachNote ?? '',
        /^left the inspector of pid \d+ listening on 127\.0\.0\.1:\d+ as asked: anyone on this machine can connect/,
      );
      assert.ok(await findInspectorPort(t.pid), 'still listening');
      assert.equal((await t.run('globals')).result, '[]');
      // A opens the inspector by pid, B attaches to that port; A stops first and leaves it to B.
      const a = await record({ target: { kind: 'pid', pid: u.pid }, mode: 'watch' });
      const b = await record({ target: { kind: 'port', port: (await findInspectorPort(u.pid))! } });
      await a.rec.stop();
      assert.match(a.rec.detachNote ?? '', /another Loop Lens recording is attached/);
      const { stall } = await stallFor(u, b, 'cpu 200');
      assert.equal(
        stall?.blame?.line,
        blockLine(BLOCKER, 'cpu'),
        `B records: ${describeStall(stall)}`,
      );
      await b.rec.stop();
      assert.equal(b.rec.detachNote, undefined, 'B did not open it, so B says nothing of it');
      assert.equal((await u.run('ping')).result, 'pong');
      assert.equal((await u.run('globals')).result, '[]');
    } finally {
      t.kill();
      u.kill();
    }
  });

  test('launch: attached before user code; a stall is caught; the target is ended on stop', async () => {
    const r = await record({
      target: { kind: 'launch', command: process.execPath, args: [BLOCKER, 'spin-after', '300'] },
    });
    const pid = r.rec.target.pid!;
    assert.ok(pid > 0);
    const { e } = await r.waitEvent((x) => x.type === 'stall' && x.stall.durationMs > 150, 30_000);
    assert.ok(e.type === 'stall' && e.stall.blame?.functionName === 'spinCpu', JSON.stringify(e));
    assert.equal(e.stall.blame?.line, blockLine(BLOCKER, 'cpu'));
    const exit = r.waitEvent((x) => x.type === 'exit', 30_000);
    await r.rec.stop();
    assert.equal((await exit).e.type, 'exit');
    assert.throws(() => process.kill(pid, 0), 'the launched target is gone');
  });

  test('two recorders on one process both see the stall, and both detach cleanly', async () => {
    const t = await startTarget(BLOCKER);
    try {
      const a = await record({ target: { kind: 'port', port: t.port! } });
      const b = await record({ target: { kind: 'port', port: t.port! }, mode: 'watch' });
      const c = await record({ target: { kind: 'port', port: t.port! } });
      const { stall } = await stallFor(t, a, 'cpu 400');
      for (const r of [b, c]) {
        await r.waitEvent((e) => e.type === 'stall' && e.stall.durationMs > 200);
      }
      assert.equal(stall?.blame?.line, blockLine(BLOCKER, 'cpu'), describeStall(stall));
      for (const r of [a, b, c]) {
        const s = r.stalls().find((x) => x.durationMs > 200);
        assert.equal(s?.blame?.functionName, 'spinCpu', describeStall(s));
      }
      await Promise.all([a.rec.stop(), b.rec.stop(), c.rec.stop()]);
      assert.equal((await t.run('globals')).result, '[]');
      assert.equal((await t.run('ping')).result, 'pong');
    } finally {
      t.kill();
    }
  });

  test('a target killed mid-recording: exit event, and the recording keeps what was seen', async () => {
    const t = await startTarget(BLOCKER);
    const r = await record({ target: { kind: 'port', port: t.port! } });
    await stallFor(t, r, 'cpu 200');
    const exit = r.waitEvent((e) => e.type === 'exit', 30_000);
    t.kill();
    const { e } = await exit;
    assert.equal(e.type, 'exit');
    const snap = r.rec.snapshot();
    assert.equal(snap.version, 2);
    assert.ok(snap.stalls.some((s) => s.blame?.functionName === 'spinCpu'));
    const final = await r.rec.stop();
    assert.deepEqual(final.stalls, snap.stalls);
    JSON.parse(JSON.stringify(final));
  });

  test('nothing listening: fails at once (refused, not timed out) with a clear message', async () => {
    const srv = createServer().listen(0, '127.0.0.1');
    await new Promise((res) => srv.once('listening', res));
    const port = (srv.address() as AddressInfo).port;
    await new Promise((res) => srv.close(res));
    await assert.rejects(
      startRecording({ target: { kind: 'port', port } }),
      /cannot reach a Node\.js inspector at 127\.0\.0\.1:\d+: connect ECONNREFUSED/,
    );
  });

  test('a port that is not an inspector (plain HTTP) and one that never answers: clear errors', async () => {
    const plain = createServer((_q, s) => s.end('hello')).listen(0, '127.0.0.1');
    const silent = createServer(() => undefined).listen(0, '127.0.0.1');
    await Promise.all([plain, silent].map((s) => new Promise((res) => s.once('listening', res))));
    try {
      const p1 = (plain.address() as AddressInfo).port;
      const p2 = (silent.address() as AddressInfo).port;
      await assert.rejects(
        startRecording({ target: { kind: 'port', port: p1 } }),
        /not an inspector/,
      );
      // The given timeout is the one that ended the wait (a hang would be the test's timeout).
      await assert.rejects(
        startRecording({ target: { kind: 'port', port: p2 }, connectTimeoutMs: 1500 }),
        /no answer within 1500 ms/,
      );
    } finally {
      plain.close();
      silent.close();
      plain.closeAllConnections();
      silent.closeAllConnections();
    }
  });

  test('ps: local Node processes with their command line and inspector port (if open)', async () => {
    const open = await startTarget(BLOCKER);
    const closed = await startTarget(BLOCKER, 'none');
    try {
      const list = await listNodeProcesses();
      const a = list.find((p) => p.pid === open.pid);
      const b = list.find((p) => p.pid === closed.pid);
      assert.equal(a?.inspectorPort, open.port);
      assert.match(a?.command ?? '', /--inspect=127\.0\.0\.1:0 .*blocker\.js/);
      assert.ok(b, 'the process without an inspector is listed');
      assert.equal(b.inspectorPort, undefined);
      assert.ok(!list.some((p) => p.pid === process.pid), 'not ourselves');
    } finally {
      open.kill();
      closed.kill();
    }
  });

  test('a pid that is not a process: clear error', async () => {
    await assert.rejects(
      startRecording({ target: { kind: 'pid', pid: 2 ** 22 + 7 } }),
      /attach to process \d+: cannot signal it/,
    );
  });
});
