/**
 * Every process (#14 item 3): a launched target's Node child processes are recorded with it
 * (a cluster of 4 workers), each stall with the pid of the process that stalled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { blockLine, FIXTURES, record } from './runtimeHelpers';

const CLUSTER = join(FIXTURES, 'cluster.js');

test('launch: a cluster of 4 workers; every worker recorded, its stalls with its pid on its line', async () => {
  let out = '';
  const r = await record({
    target: { kind: 'launch', command: process.execPath, args: [CLUSTER] },
    onOutput: (category, text) => {
      if (category === 'stdout') out += text;
    },
  });
  const primary = r.rec.target.pid!;
  const exit = await r.waitEvent((e) => e.type === 'exit', 120_000);
  assert.equal(exit.e.type, 'exit');
  const rec = await r.rec.stop();
  const workers = [...out.matchAll(/worker (\d+) ready/g)].map((m) => Number(m[1]));
  assert.equal(workers.length, 4, out);
  assert.match(out, /all done/);
  // The primary and its 4 workers, each a child of the primary.
  assert.deepEqual(
    rec.processes?.map((p) => p.pid).sort(),
    [primary, ...workers].sort(),
    JSON.stringify(rec.processes),
  );
  for (const p of rec.processes ?? []) {
    if (p.pid !== primary) assert.equal(p.parentPid, primary, JSON.stringify(p));
  }
  const line = blockLine(CLUSTER, 'cluster-spin');
  for (const pid of workers) {
    const own = rec.stalls.filter((s) => s.pid === pid && s.kind !== 'starved');
    assert.ok(
      own.some((s) => s.blame?.file === CLUSTER && s.blame.line === line),
      `worker ${pid}: ${JSON.stringify(own.map((s) => [s.kind, s.blame?.line, s.durationMs]))}`,
    );
  }
  assert.ok(rec.stalls.every((s) => s.pid !== undefined && [primary, ...workers].includes(s.pid)));
  assert.equal(rec.version, 2);
});

test('launch: a spawn(node) child and a fork child are recorded with their parent', async () => {
  const SPAWNER = join(FIXTURES, 'spawner.js');
  let out = '';
  const r = await record({
    target: { kind: 'launch', command: process.execPath, args: [SPAWNER] },
    onOutput: (category, text) => {
      if (category === 'stdout') out += text;
    },
  });
  const parent = r.rec.target.pid!;
  await r.waitEvent((e) => e.type === 'exit', 120_000);
  const rec = await r.rec.stop();
  const pidOf = (kind: string) => Number(new RegExp(`child ${kind} (\\d+)`).exec(out)?.[1]);
  const line = blockLine(SPAWNER, 'child-spin');
  for (const kind of ['spawned', 'forked']) {
    const pid = pidOf(kind);
    assert.ok(pid > 0, out);
    const p = rec.processes?.find((x) => x.pid === pid);
    assert.equal(p?.parentPid, parent, `${kind}: ${JSON.stringify(rec.processes)}`);
    const own = rec.stalls.filter((s) => s.pid === pid && s.kind !== 'starved');
    assert.ok(
      own.some((s) => s.blame?.file === SPAWNER && s.blame.line === line),
      `${kind} ${pid}: ${JSON.stringify(own.map((s) => [s.kind, s.blame?.line]))}`,
    );
  }
});
