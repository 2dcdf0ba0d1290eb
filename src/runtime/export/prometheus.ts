/**
 * `loop-lens record --prometheus [host:]port`: serves the recording's running totals
 * (fleetTotals.ts) at `/metrics` in Prometheus's text format, with `prom-client`. Everything is
 * computed when Prometheus scrapes, from totals the recorder keeps anyway: no timer of its own.
 * Loopback unless a host is given (the caller says so when it is not).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import type { FleetTotals, ThreadSeries } from './fleetTotals';
import { labelsOf } from './fleetTotals';

export const METRIC_PREFIX = 'loop_lens_';

export interface PrometheusEndpoint {
  /** `http://127.0.0.1:9464/metrics` */
  url: string;
  host: string;
  port: number;
  loopback: boolean;
  close(): Promise<void>;
}

/** `9464`, `:9464`, `0.0.0.0:9464`, `[::1]:9464` → host and port (host 127.0.0.1 by default). */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]*):)?(\d+)$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !Number.isInteger(port) || port > 65535) {
    throw new Error(`--prometheus takes [host:]port, got '${value}'`);
  }
  const host = (m[1] || '127.0.0.1').replace(/^\[|\]$/g, '');
  return { host, port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The registry with every metric, reading `totals` at each scrape. */
export function fleetRegistry(totals: FleetTotals): Registry {
  const registers = [new Registry()];
  const [reg] = registers;
  const p = METRIC_PREFIX;
  const fromTotals = (by: 'kind' | 'line', pick: 'count' | 'seconds') =>
    function (this: Counter) {
      this.reset();
      for (const [labels, v] of totals.series(by, pick)) this.inc(labels, v);
    };
  const threadLabels = ['pid', 'thread', 'thread_id'];
  const kindLabels = ['kind', ...threadLabels];
  const lineLabels = ['line', ...threadLabels];
  new Counter({
    name: `${p}stalls_total`,
    help: 'Event-loop stalls by kind',
    labelNames: kindLabels,
    registers,
    collect: fromTotals('kind', 'count'),
  });
  new Counter({
    name: `${p}blocked_seconds_total`,
    help: 'Seconds the event loop was blocked, by stall kind',
    labelNames: kindLabels,
    registers,
    collect: fromTotals('kind', 'seconds'),
  });
  new Counter({
    name: `${p}line_stalls_total`,
    help: "Stalls by blamed line 'file:line function' (the first lines seen; later ones as 'other')",
    labelNames: lineLabels,
    registers,
    collect: fromTotals('line', 'count'),
  });
  new Counter({
    name: `${p}line_blocked_seconds_total`,
    help: 'Seconds blocked by blamed line',
    labelNames: lineLabels,
    registers,
    collect: fromTotals('line', 'seconds'),
  });
  /** A gauge of every thread's last sample. */
  const perThread = (name: string, help: string, value: (t: ThreadSeries) => number) =>
    new Gauge({
      name: `${p}${name}`,
      help,
      labelNames: threadLabels,
      registers,
      collect() {
        this.reset();
        for (const t of totals.threads.values()) this.set(labelsOf(t), value(t));
      },
    });
  perThread(
    'event_loop_utilization',
    'Event-loop utilization over the last second, 0..1',
    (t) => t.last.elu,
  );
  perThread('heap_used_bytes', 'V8 heap used by the thread (its isolate)', (t) => t.last.heapUsed);
  /** A gauge or counter of every process (from its main thread's samples, local Linux targets). */
  const perProcess = (
    Metric: typeof Gauge | typeof Counter,
    name: string,
    help: string,
    labelNames: string[],
    each: (t: ThreadSeries, set: (labels: Record<string, string>, v: number) => void) => void,
  ) =>
    new Metric({
      name: `${p}${name}`,
      help,
      labelNames,
      registers,
      collect(this: Gauge | Counter) {
        this.reset();
        const set = (labels: Record<string, string>, v: number) =>
          'set' in this ? this.set(labels, v) : this.inc(labels, v);
        for (const t of totals.processes()) each(t, set);
      },
    });
  perProcess(
    Gauge,
    'threadpool_saturated',
    'All libuv pool threads busy while work waits (last sample), 0 or 1',
    ['pid'],
    (t, set) => set({ pid: t.pid }, t.last.threadpoolSaturated ? 1 : 0),
  );
  perProcess(
    Counter,
    'threadpool_saturated_seconds_total',
    'Seconds the libuv threadpool was seen saturated',
    ['pid'],
    (t, set) => set({ pid: t.pid }, t.saturatedSeconds),
  );
  perProcess(
    Gauge,
    'threads',
    'Threads of the target by state (R running, S sleeping, D in I/O; local Linux targets)',
    ['pid', 'state'],
    (t, set) => {
      for (const [state, n] of Object.entries(totals.threadStates(t))) {
        set({ pid: t.pid, state }, n);
      }
    },
  );
  reg.registerMetric(delayHistogram(totals) as never);
  return reg;
}

/**
 * The loop delay histogram: the recorder gets each second's delays already counted by bucket
 * (metricsPoller.ts `histOf`), which prom-client's Histogram cannot take (it observes one value
 * at a time), so this metric gives the registry its values itself (the `get()` contract of a
 * custom metric).
 */
function delayHistogram(totals: FleetTotals) {
  const name = `${METRIC_PREFIX}event_loop_delay_seconds`;
  const help = 'Event-loop delay: how late each heartbeat of the target ran';
  return {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get() {
      const values: Array<{ metricName: string; labels: Record<string, unknown>; value: number }> =
        [];
      for (const t of totals.threads.values()) {
        const h = totals.delay(t);
        const labels = labelsOf(t);
        const bucket = (le: number | string, value: number) =>
          values.push({ metricName: `${name}_bucket`, labels: { le, ...labels }, value });
        h.bounds.forEach((le, i) => bucket(le, h.cumulative[i]));
        bucket('+Inf', h.count);
        values.push({ metricName: `${name}_sum`, labels, value: h.sumSeconds });
        values.push({ metricName: `${name}_count`, labels, value: h.count });
      }
      return { name, help, type: 'histogram', values, aggregator: 'sum' };
    },
  };
}

/** Serves `/metrics` of `reg` on host:port (port 0: any free port). */
export async function servePrometheus(
  reg: Registry,
  host: string,
  port: number,
): Promise<PrometheusEndpoint> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('loop-lens: metrics are at /metrics\n');
      return;
    }
    reg.metrics().then(
      (text) => res.writeHead(200, { 'content-type': reg.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => (server.off('error', reject), resolve()));
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shown}:${addr.port}/metrics`,
    host: addr.address,
    port: addr.port,
    loopback: isLoopback(addr.address),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
