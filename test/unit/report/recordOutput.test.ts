import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProcessTable } from '../../../src/cli/ps';
import { planRecording, describeTarget } from '../../../src/cli/recordArgs';
import {
  formatHotspotSummary,
  formatMetricsLine,
  formatStallLine,
  writeOutputs,
} from '../../../src/cli/recordOutput';
import { ROOT, metrics, recording, stall } from './makeRecording';

test('a stall line has time, duration, kind and file:line function relative to cwd', () => {
  const line = formatStallLine(
    stall(3214, 1234.4, 'sync-io', `${ROOT}/src/render.ts`, 12, 'loadTemplate'),
    ROOT,
  );
  assert.equal(line, '   +3.214s   1234 ms  sync-io  src/render.ts:12 loadTemplate');
  const outside = formatStallLine(stall(0, 60, 'cpu', '/elsewhere/x.js', 3, 'f'), ROOT);
  assert.match(outside, /cpu {6}\/elsewhere\/x\.js:3 f$/);
  assert.match(formatStallLine(stall(-1, 60, 'cpu', '/x.js', 1, 'f')), /^\s+\+0\.000s /);
  const none = formatStallLine({ startMs: 0, durationMs: 70, kind: 'gc', stack: [] }, ROOT);
  assert.match(none, /gc {7}\(unattributed\)$/);
});

test("a worker thread's stall line names the thread; the main thread's does not", () => {
  const s = stall(10, 150, 'cpu', `${ROOT}/w.js`, 9, 'spin');
  assert.equal(
    formatStallLine({ ...s, thread: { id: 1, name: 'cruncher' } }, ROOT),
    '   +0.010s    150 ms  cpu      [worker 1: cruncher] w.js:9 spin',
  );
  assert.match(formatStallLine({ ...s, thread: { id: 3 } }, ROOT), /cpu {6}\[worker 3\] w\.js:9/);
  assert.match(formatStallLine({ ...s, thread: { id: 0, name: 'main' } }, ROOT), /cpu {6}w\.js:9/);
});

test('hotspot summary: one row per line, sorted by total, with count and max', () => {
  const a = `${ROOT}/src/a.ts`;
  const b = `${ROOT}/src/b.ts`;
  const rec = recording([
    stall(0, 100, 'cpu', a, 1, 'fa'),
    stall(500, 300, 'cpu', b, 2, 'fb'),
    stall(900, 150, 'cpu', a, 1, 'fa'),
  ]);
  const lines = formatHotspotSummary(rec, ROOT).split('\n');
  assert.equal(lines[0], 'Hotspots: 3 stalls, 550 ms blocked in 10 s');
  assert.match(lines[2], /^\s+300 ms\s+1\s+300 ms {2}src\/b\.ts:2 fb$/);
  assert.match(lines[3], /^\s+250 ms\s+2\s+150 ms {2}src\/a\.ts:1 fa$/);
  assert.equal(formatHotspotSummary(recording([]), ROOT), 'No stall longer than 50 ms in 10 s.');
});

test('metrics line is compact and flags threadpool saturation', () => {
  const m = { ...metrics(1)[0], threadpoolSaturated: true };
  assert.equal(
    formatMetricsLine(m),
    'loop p50 10 ms p99 12 ms max 17 ms · elu 30% · heap 20.0 MB · TCPServerWrap 1 · THREADPOOL SATURATED',
  );
});

test('outputs: JSON per the recording format, HTML report, missing profile explained', () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-out-'));
  const rec = recording([stall(10, 80, 'cpu', `${dir}/<x>.ts`, 4, 'f')]);
  const r = writeOutputs(
    rec,
    undefined,
    { out: 'sub/rec.json', html: 'r.html', cpuprofile: 'p.cpuprofile' },
    dir,
  );
  assert.deepEqual(r.written, ['sub/rec.json', 'r.html']);
  assert.match(r.problems[0], /no CPU profile/);
  assert.equal(existsSync(join(dir, 'p.cpuprofile')), false);
  const back = JSON.parse(readFileSync(join(dir, 'sub/rec.json'), 'utf8'));
  assert.deepEqual(back, rec);
  assert.ok(readFileSync(join(dir, 'r.html'), 'utf8').includes('&lt;x&gt;.ts:4'));
  const bad = writeOutputs(rec, { nodes: [] }, { out: join(dir, 'r.html', 'no.json') }, dir);
  assert.match(bad.problems[0], /cannot write/);
});

test('record options: one target, validated numbers, defaults', () => {
  const p = planRecording({ port: '9229', duration: '8', mode: 'watch' }, []);
  assert.deepEqual(p.options.target, { kind: 'port', port: 9229, host: undefined });
  assert.equal(p.durationMs, 8000);
  assert.equal(p.options.thresholdMs, 50);
  assert.equal(p.options.mode, 'watch');
  const launch = planRecording({}, ['node', 'server.js', '--x']);
  assert.deepEqual(launch.options.target, {
    kind: 'launch',
    command: 'node',
    args: ['server.js', '--x'],
  });
  assert.equal(describeTarget(launch.options.target), 'node server.js --x');
  assert.throws(() => planRecording({}, []), /no target/);
  assert.throws(() => planRecording({ port: '1', ws: 'ws://x' }, []), /only one kind of target/);
  assert.throws(() => planRecording({ pid: '2' }, ['node', 'a.js']), /only one kind of target/);
  assert.throws(
    () => planRecording({ pid: ['2', '2'] }, []),
    /the same target is given twice: pid 2/,
  );
  assert.throws(() => planRecording({ port: 'abc' }, []), /--port must be a positive integer/);
  assert.throws(() => planRecording({ port: '70000' }, []), /at most 65535/);
  assert.throws(() => planRecording({ pid: '3', threshold: '-1' }, []), /--threshold/);
  assert.throws(() => planRecording({ pid: '3', mode: 'fast' }, []), /--mode/);
  assert.throws(() => planRecording({ ws: 'http://x' }, []), /ws:\/\//);
  assert.throws(() => planRecording({ pid: '3', localRoot: '/a' }, []), /go together/);
  assert.throws(() => planRecording({ host: 'h', pid: '3' }, []), /--host needs --port/);
  assert.throws(() => planRecording({ port: '9', keepInspector: true }, []), /goes with --pid/);
  assert.equal(planRecording({ pid: '3', keepInspector: true }, []).options.keepInspector, true);
  assert.equal(planRecording({ pid: '3' }, []).options.keepInspector, undefined);
});

test('record options: --pid and --port repeat, one recording of every target', () => {
  const p = planRecording({ pid: ['3', '4'], port: ['9229'] }, []);
  assert.deepEqual(p.targets, [
    { kind: 'port', port: 9229, host: undefined },
    { kind: 'pid', pid: 3 },
    { kind: 'pid', pid: 4 },
  ]);
  assert.deepEqual(p.options.target, p.targets[0]);
  assert.deepEqual(planRecording({ pid: '5' }, []).targets, [{ kind: 'pid', pid: 5 }]);
  assert.throws(() => planRecording({ pid: ['3', 'x'] }, []), /--pid must be a positive integer/);
});

test('ps table: pid, inspector port or -, command; cut to the terminal width', () => {
  const table = formatProcessTable(
    [
      { pid: 12, command: 'node server.js', inspectorPort: 9229 },
      { pid: 123456, command: 'node ' + 'x'.repeat(200) },
    ],
    60,
  ).split('\n');
  assert.equal(table[0], '   PID  INSPECTOR  COMMAND');
  assert.equal(table[1], '    12  9229       node server.js');
  assert.equal(table[2].length, 60);
  assert.match(table[2], /^123456 {2}- {10}node x+…$/);
});

test('ps table: a cluster primary with its workers under it, as a tree', () => {
  const table = formatProcessTable([
    { pid: 10, command: 'node cluster.js' },
    { pid: 11, command: 'node cluster.js', ppid: 10, inspectorPort: 9230 },
    { pid: 12, command: 'node other.js', ppid: 1 },
    { pid: 13, command: 'node cluster.js', ppid: 10 },
    { pid: 14, command: 'node child.js', ppid: 13 },
  ]).split('\n');
  assert.deepEqual(table.slice(1), [
    ' 10  -          node cluster.js',
    ' 11  9230       └─ node cluster.js',
    ' 13  -          └─ node cluster.js',
    ' 14  -             └─ node child.js',
    ' 12  -          node other.js',
  ]);
});

test('a stall line names the operation, its package and the user line; a starved one says so', () => {
  const s = {
    ...stall(8214, 107, 'cpu', `${ROOT}/src/store.ts`, 33, 'save'),
    operation: 'JSON.stringify',
    package: {
      name: 'lowdb',
      version: '1.0.0',
      chain: [{ name: 'lowdb', version: '1.0.0', direct: true }],
    },
  };
  assert.equal(
    formatStallLine(s, ROOT),
    '   +8.214s    107 ms  cpu      JSON.stringify in lowdb@1.0.0 ← src/store.ts:33 save',
  );
  const mixed = {
    ...s,
    kindShares: [
      { kind: 'cpu' as const, share: 0.8 },
      { kind: 'sync-io' as const, share: 0.2 },
    ],
  };
  assert.match(
    formatStallLine(mixed, ROOT),
    /JSON\.stringify in lowdb@1\.0\.0 \(cpu 80%, sync-io 20%\) ←/,
  );
  const starved = {
    startMs: 0,
    durationMs: 52,
    kind: 'starved' as const,
    stack: [],
    starvation: { waitShare: 0.6, load1: 5.2, cpus: 2 },
  };
  assert.match(
    formatStallLine(starved, ROOT),
    /starved {2}60% waiting for a CPU: the machine was busy \(load 5\.2 on 2 CPUs\), not the code$/,
  );
});

test('summary: code stalls by line and by package; starved ones apart, not counted', () => {
  const pk = (name: string) => ({
    name,
    version: '1.0.0',
    chain: [{ name, version: '1.0.0', direct: true }],
  });
  const a = `${ROOT}/src/a.ts`;
  const rec = recording([
    { ...stall(0, 100, 'cpu', a, 1, 'fa'), operation: 'JSON.stringify', package: pk('lowdb') },
    {
      ...stall(500, 300, 'sync-io', a, 2, 'fb'),
      operation: 'fs.writeFileSync',
      package: pk('lowdb'),
    },
    { startMs: 900, durationMs: 70, kind: 'starved', stack: [], starvation: { waitShare: 0.5 } },
  ]);
  const text = formatHotspotSummary(rec, ROOT);
  assert.match(text, /^Hotspots: 2 stalls, 400 ms blocked in 10 s$/m);
  assert.match(
    text,
    /300 ms\s+1\s+300 ms {2}src\/a\.ts:2 fb {2}\(fs\.writeFileSync in lowdb@1\.0\.0\)$/m,
  );
  assert.match(text, /^By package:$/m);
  assert.match(
    text,
    /400 ms\s+2\s+300 ms {2}lowdb@1\.0\.0 {2}fs\.writeFileSync, JSON\.stringify ← src\/a\.ts:2, src\/a\.ts:1$/m,
  );
  assert.match(text, /^Starved: 1 stall, 70 ms, 50% of it waiting for a CPU/m);
  const remote = formatHotspotSummary(recording([], { starvationKnown: false }), ROOT);
  assert.match(remote, /cannot be told apart/);
});
