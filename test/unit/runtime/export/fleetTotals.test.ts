/** The running totals the fleet exporters publish, and the flags that ask for them. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseExports } from '../../../../src/cli/recordExport';
import { FleetTotals, NO_LINE, OTHER_LINE } from '../../../../src/runtime/export/fleetTotals';
import { fleetRegistry, parseListen } from '../../../../src/runtime/export/prometheus';
import { histOf } from '../../../../src/runtime/metricsPoller';
import type { Metrics, Stall } from '../../../../src/shared/protocol/runtime';

function stall(line: number | undefined, kind: Stall['kind'] = 'cpu', durationMs = 100): Stall {
  const blame =
    line === undefined ? undefined : { functionName: 'f', file: '/app/a.js', line, column: 1 };
  return { startMs: 0, durationMs, kind, stack: [], ...(blame ? { blame } : {}) };
}

function metrics(lags: number[], extra: Partial<Metrics> = {}): Metrics {
  return {
    atMs: 0,
    loopDelay: { p50: 0, p99: 0, max: 0, ...histOf(lags) },
    elu: 0.5,
    heapUsed: 1e6,
    activeResources: {},
    ...extra,
  };
}

describe('FleetTotals', () => {
  it('counts stalls and blocked seconds by kind, and by line for the first N lines, the rest as other', () => {
    const t = new FleetTotals(() => 42, 2, '/app');
    for (const s of [
      stall(1),
      stall(2, 'sync-io', 300),
      stall(3),
      stall(1),
      stall(undefined, 'starved'),
    ]) {
      t.onEvent({ type: 'stall', stall: s });
    }
    const lines = Object.fromEntries([...t.byLine.values()].map((x) => [x.line, x.count]));
    assert.deepEqual(lines, { 'a.js:1 f': 2, 'a.js:2 f': 1, [OTHER_LINE]: 1, [NO_LINE]: 1 });
    const cpu = [...t.byKind.values()].find((x) => x.kind === 'cpu');
    assert.deepEqual(cpu, {
      kind: 'cpu',
      pid: '42',
      thread: 'main',
      thread_id: '0',
      count: 3,
      seconds: 0.3,
    });
  });

  it('names a worker thread and another process when the stall says so', () => {
    const t = new FleetTotals(() => 42);
    t.addStall({ ...stall(1), pid: 7, thread: { id: 1, name: 'cruncher' } } as Stall);
    t.addStall({ ...stall(1), pid: 7, thread: { id: 2 } } as Stall);
    assert.deepEqual(
      [...t.byKind.values()].map((x) => [x.pid, x.thread, x.thread_id]),
      [
        ['7', 'cruncher', '1'],
        ['7', 'worker 2', '2'],
      ],
    );
  });

  it('keeps each thread of each process its own samples, and forgets a thread that exits', () => {
    const t = new FleetTotals(() => 42);
    const cruncher = { id: 1, name: 'cruncher' };
    t.onEvent({ type: 'metrics', metrics: metrics([3], { elu: 0.1 }) });
    t.onEvent({ type: 'threadMetrics', pid: 42, thread: cruncher, metrics: metrics([200, 300]) });
    t.onEvent({ type: 'threadMetrics', pid: 7, thread: { id: 0 }, metrics: metrics([1]) });
    const seen = () =>
      [...t.threads.values()].map((x) => [x.pid, x.thread, x.thread_id, t.delay(x).count]);
    assert.deepEqual(seen(), [
      ['42', 'main', '0', 1],
      ['42', 'cruncher', '1', 2],
      ['7', 'main', '0', 1],
    ]);
    t.onEvent({ type: 'thread', pid: 42, thread: cruncher, state: 'exited' });
    assert.deepEqual(seen(), [
      ['42', 'main', '0', 1],
      ['7', 'main', '0', 1],
    ]);
  });

  it('adds up the delay histogram of every sample, cumulative by bound, in seconds', () => {
    const t = new FleetTotals(() => 1);
    t.addMetrics(metrics([0.5, 3, 120]));
    t.addMetrics(metrics([7000], { threadpoolSaturated: true }));
    const [main] = t.threads.values();
    const h = t.delay(main);
    assert.equal(h.count, 4);
    assert.equal(h.cumulative[0], 1); // ≤ 1 ms
    assert.equal(h.cumulative[2], 2); // ≤ 5 ms
    assert.equal(h.cumulative.at(-1), 3); // ≤ 5 s: the 7 s delay is only in +Inf
    assert.ok(Math.abs(h.sumSeconds - 7.1235) < 1e-9, String(h.sumSeconds));
    assert.equal(main.saturatedSeconds, 1);
  });
});

describe('Prometheus registry', () => {
  it('renders the totals in the text format, histogram included', async () => {
    const t = new FleetTotals(() => 9, 20, '/app');
    t.addStall(stall(5));
    t.addMetrics(metrics([3], { threads: [{ tid: 9, name: 'node', state: 'R' }] }));
    t.addMetrics(metrics([3, 4]), 9, { id: 1, name: 'w' });
    const text = await fleetRegistry(t).metrics();
    const main = 'pid="9",thread="main",thread_id="0"';
    assert.match(
      text,
      new RegExp(`^loop_lens_line_stalls_total\\{line="a\\.js:5 f",${main}\\} 1$`, 'm'),
    );
    assert.match(
      text,
      new RegExp(`^loop_lens_event_loop_delay_seconds_bucket\\{le="0\\.005",${main}\\} 1$`, 'm'),
    );
    assert.match(
      text,
      new RegExp(`^loop_lens_event_loop_delay_seconds_bucket\\{le="\\+Inf",${main}\\} 1$`, 'm'),
    );
    const w = 'pid="9",thread="w",thread_id="1"';
    assert.match(text, new RegExp(`^loop_lens_event_loop_delay_seconds_count\\{${w}\\} 2$`, 'm'));
    assert.match(text, new RegExp(`^loop_lens_event_loop_utilization\\{${w}\\} 0\\.5$`, 'm'));
    assert.match(text, /^loop_lens_threads\{pid="9",state="R"\} 1$/m);
    // The worker's samples tell nothing of the process's threads: one series per process.
    assert.equal(text.match(/^loop_lens_threadpool_saturated\{/gm)?.length, 1);
    assert.match(text, /^# TYPE loop_lens_event_loop_delay_seconds histogram$/m);
  });
});

describe('export flags', () => {
  it('reads [host:]port, loopback by default', () => {
    assert.deepEqual(parseListen('9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseListen(':9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseListen('0.0.0.0:9464'), { host: '0.0.0.0', port: 9464 });
    assert.deepEqual(parseListen('[::1]:9464'), { host: '::1', port: 9464 });
    assert.throws(() => parseListen('host:'), /\[host:\]port/);
    assert.throws(() => parseListen('70000'), /\[host:\]port/);
  });

  it('checks --otlp and --prometheus-lines', () => {
    const int = (_: string, v: string | undefined) => (v === undefined ? undefined : Number(v));
    assert.equal(
      parseExports({ otlp: 'http://127.0.0.1:4318/' }, int).otlp,
      'http://127.0.0.1:4318',
    );
    assert.throws(() => parseExports({ otlp: 'ftp://x' }, int), /http\(s\) URL/);
    assert.equal(parseExports({ prometheusLines: '5' }, int).maxLines, 5);
  });
});
