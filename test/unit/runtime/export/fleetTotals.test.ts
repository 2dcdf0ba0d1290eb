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
    assert.deepEqual(cpu, { kind: 'cpu', pid: '42', thread: 'main', count: 3, seconds: 0.3 });
  });

  it('names a worker thread and another process when the stall says so', () => {
    const t = new FleetTotals(() => 42);
    t.addStall({ ...stall(1), pid: 7, thread: { id: 1, name: 'cruncher' } } as Stall);
    assert.deepEqual(
      [...t.byKind.values()].map((x) => [x.pid, x.thread]),
      [['7', 'cruncher']],
    );
  });

  it('adds up the delay histogram of every sample, cumulative by bound, in seconds', () => {
    const t = new FleetTotals(() => 1);
    t.addMetrics(metrics([0.5, 3, 120]));
    t.addMetrics(metrics([7000], { threadpoolSaturated: true }));
    const h = t.delay();
    assert.equal(h.count, 4);
    assert.equal(h.cumulative[0], 1); // ≤ 1 ms
    assert.equal(h.cumulative[2], 2); // ≤ 5 ms
    assert.equal(h.cumulative.at(-1), 3); // ≤ 5 s: the 7 s delay is only in +Inf
    assert.ok(Math.abs(h.sumSeconds - 7.1235) < 1e-9, String(h.sumSeconds));
    assert.equal(t.saturatedSeconds, 1);
  });
});

describe('Prometheus registry', () => {
  it('renders the totals in the text format, histogram included', async () => {
    const t = new FleetTotals(() => 9, 20, '/app');
    t.addStall(stall(5));
    t.addMetrics(metrics([3], { threads: [{ tid: 9, name: 'node', state: 'R' }] }));
    const text = await fleetRegistry(t).metrics();
    assert.match(
      text,
      /^loop_lens_line_stalls_total\{line="a\.js:5 f",pid="9",thread="main"\} 1$/m,
    );
    assert.match(text, /^loop_lens_event_loop_delay_seconds_bucket\{le="0\.005",pid="9"\} 1$/m);
    assert.match(text, /^loop_lens_event_loop_delay_seconds_bucket\{le="\+Inf",pid="9"\} 1$/m);
    assert.match(text, /^loop_lens_threads\{pid="9",state="R"\} 1$/m);
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
