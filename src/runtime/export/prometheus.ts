/**
 * `loop-lens record --prometheus [host:]port`: serves the recording's running totals
 * (fleetTotals.ts) at `/metrics` in Prometheus's text format, with `prom-client`. Everything is
 * computed when Prometheus scrapes, from totals the recorder keeps anyway: no timer of its own.
 * Loopback unless a host is given (the caller says so when it is not).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import type { FleetTotals } from './fleetTotals';

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
  const kindLabels = ['kind', 'pid', 'thread'];
  const lineLabels = ['line', 'pid', 'thread'];
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
  const last = (name: string, help: string, value: () => number | undefined) =>
    new Gauge({
      name: `${p}${name}`,
      help,
      labelNames: ['pid'],
      registers,
      collect() {
        this.reset();
        const v = value();
        if (totals.last && v !== undefined) this.set({ pid: totals.last.pid }, v);
      },
    });
  last(
    'event_loop_utilization',
    'Event-loop utilization over the last second, 0..1',
    () => totals.last?.elu,
  );
  last('heap_used_bytes', 'V8 heap used by the target', () => totals.last?.heapUsed);
  last(
    'threadpool_saturated',
    'All libuv pool threads busy while work waits (last sample), 0 or 1',
    () => (totals.last?.threads ? (totals.last.threadpoolSaturated ? 1 : 0) : undefined),
  );
  new Counter({
    name: `${p}threadpool_saturated_seconds_total`,
    help: 'Seconds the libuv threadpool was seen saturated',
    labelNames: ['pid'],
    registers,
    collect() {
      this.reset();
      if (totals.last) this.inc({ pid: totals.last.pid }, totals.saturatedSeconds);
    },
  });
  new Gauge({
    name: `${p}threads`,
    help: 'Threads of the target by state (R running, S sleeping, D in I/O; local Linux targets)',
    labelNames: ['pid', 'state'],
    registers,
    collect() {
      this.reset();
      const pid = totals.last?.pid ?? 'unknown';
      for (const [state, n] of Object.entries(totals.threadStates())) this.set({ pid, state }, n);
    },
  });
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
      const h = totals.delay();
      const pid = totals.last?.pid ?? 'unknown';
      const values = h.bounds.map((le, i) => ({
        metricName: `${name}_bucket`,
        labels: { le, pid },
        value: h.cumulative[i],
      }));
      values.push({
        metricName: `${name}_bucket`,
        labels: { le: '+Inf' as never, pid },
        value: h.count,
      });
      values.push({ metricName: `${name}_sum`, labels: { pid } as never, value: h.sumSeconds });
      values.push({ metricName: `${name}_count`, labels: { pid } as never, value: h.count });
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
