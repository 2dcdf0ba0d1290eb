/**
 * `loop-lens record --otlp URL`: pushes the recording's metrics (the same running totals as
 * /metrics, fleetTotals.ts) to an OpenTelemetry collector over OTLP/HTTP (JSON) with the official
 * SDK, every `intervalMs`, and each stall as a log record carrying its kind, duration, blamed line,
 * what it waited on and its stack. `close()` pushes what is left, so a recording that stops still
 * delivers its last stalls.
 */
import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { Metrics, RuntimeEvent, Stall, StallThread } from '../../shared/protocol/runtime';
import { LOOP_DELAY_BUCKETS_MS } from '../../shared/protocol/runtime';
import type { FleetTotals, ThreadSeries } from './fleetTotals';
import { labelsOf } from './fleetTotals';

/** Default push period; `--otlp-interval` changes it. */
export const DEFAULT_OTLP_INTERVAL_MS = 10_000;
const SCOPE = 'loop-lens';

export class OtlpExport {
  private readonly meters: MeterProvider;
  private readonly logs: LoggerProvider;
  private readonly delay;
  private closed: Promise<void> | undefined;

  constructor(
    /** Base URL of the collector (`http://127.0.0.1:4318`); `/v1/metrics` and `/v1/logs` are added. */
    url: string,
    private readonly totals: FleetTotals,
    intervalMs = DEFAULT_OTLP_INTERVAL_MS,
    version = '',
  ) {
    const resource = resourceFromAttributes({
      'service.name': 'loop-lens',
      ...(version ? { 'service.version': version } : {}),
    });
    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${url}/v1/metrics` }),
      exportIntervalMillis: intervalMs,
      exportTimeoutMillis: Math.min(intervalMs, 10_000),
    });
    this.meters = new MeterProvider({ resource, readers: [reader] });
    this.logs = new LoggerProvider({
      resource,
      processors: [
        new BatchLogRecordProcessor({
          exporter: new OTLPLogExporter({ url: `${url}/v1/logs` }),
          scheduledDelayMillis: intervalMs,
        }),
      ],
    });
    const meter = this.meters.getMeter(SCOPE);
    this.observe(meter);
    this.delay = meter.createHistogram('loop_lens.event_loop.delay', {
      description: 'Event-loop delay: how late each heartbeat of the target ran',
      unit: 's',
      advice: { explicitBucketBoundaries: LOOP_DELAY_BUCKETS_MS.map((b) => b / 1000) },
    });
  }

  onEvent(e: RuntimeEvent): void {
    if (e.type === 'stall') this.logStall(e.stall);
    else if (e.type === 'metrics') this.recordDelays(e.metrics);
    else if (e.type === 'threadMetrics') this.recordDelays(e.metrics, e.pid, e.thread);
  }

  /** Pushes what is left and stops; safe to call more than once. */
  close(): Promise<void> {
    this.closed ??= Promise.all([this.meters.shutdown(), this.logs.shutdown()]).then(
      () => undefined,
    );
    return this.closed;
  }

  /** Totals are read when the reader collects (every interval), like a Prometheus scrape. */
  private observe(meter: Meter): void {
    const t = this.totals;
    const counter = (
      name: string,
      description: string,
      unit: string,
      each: (r: ObservableResult) => void,
    ) => meter.createObservableCounter(name, { description, unit }).addCallback(each);
    const fromTotals =
      (by: 'kind' | 'line', pick: 'count' | 'seconds') => (r: ObservableResult) => {
        for (const [labels, v] of t.series(by, pick)) r.observe(v, labels);
      };
    counter(
      'loop_lens.stalls',
      'Event-loop stalls by kind',
      '{stall}',
      fromTotals('kind', 'count'),
    );
    counter(
      'loop_lens.blocked',
      'Time the event loop was blocked, by stall kind',
      's',
      fromTotals('kind', 'seconds'),
    );
    counter(
      'loop_lens.line.stalls',
      "Stalls by blamed line 'file:line function' (the first lines seen; later ones as 'other')",
      '{stall}',
      fromTotals('line', 'count'),
    );
    counter(
      'loop_lens.line.blocked',
      'Time blocked by blamed line',
      's',
      fromTotals('line', 'seconds'),
    );
    counter(
      'loop_lens.threadpool.saturated',
      'Time the libuv threadpool was seen saturated',
      's',
      (r) => {
        for (const p of t.processes()) r.observe(p.saturatedSeconds, { pid: p.pid });
      },
    );
    const gauge = (
      name: string,
      description: string,
      unit: string,
      each: (r: ObservableResult) => void,
    ) => meter.createObservableGauge(name, { description, unit }).addCallback(each);
    const perThread = (value: (x: ThreadSeries) => number) => (r: ObservableResult) => {
      for (const x of t.threads.values()) r.observe(value(x), labelsOf(x));
    };
    gauge(
      'loop_lens.event_loop.utilization',
      'Event-loop utilization over the last second',
      '1',
      perThread((x) => x.last.elu),
    );
    gauge(
      'loop_lens.heap.used',
      'V8 heap used by the thread (its isolate)',
      'By',
      perThread((x) => x.last.heapUsed),
    );
    gauge(
      'loop_lens.threadpool.saturated_now',
      'All libuv pool threads busy while work waits, 0 or 1',
      '1',
      (r) => {
        for (const p of t.processes()) {
          r.observe(p.last.threadpoolSaturated ? 1 : 0, { pid: p.pid });
        }
      },
    );
    gauge('loop_lens.threads', 'Threads of the target by state', '{thread}', (r) => {
      for (const p of t.processes()) {
        for (const [state, n] of Object.entries(t.threadStates(p))) {
          r.observe(n, { pid: p.pid, state });
        }
      }
    });
  }

  /**
   * Each second's delays arrive counted by bucket (metricsPoller.ts `histOf`): each counts at
   * its bucket's middle, so the buckets are exact and the sum is close (Prometheus's is exact).
   */
  private recordDelays(m: Metrics, pid?: number, thread?: StallThread): void {
    const h = m.loopDelay.hist;
    if (!h) return;
    const attrs: Attributes = labelsOf(this.totals.whereOf(pid, thread));
    const b = LOOP_DELAY_BUCKETS_MS;
    h.counts.forEach((c, i) => {
      const lo = i === 0 ? 0 : b[i - 1];
      const mid = i < b.length ? (lo + b[i]) / 2 : lo * 1.5;
      for (let k = 0; k < c; k++) this.delay.record(mid / 1000, attrs);
    });
  }

  private logStall(s: Stall): void {
    const line = this.totals.lineOf(s);
    const b = s.blame;
    const attributes: Attributes = {
      ...labelsOf(this.totals.whereOf(s.pid, s.thread)),
      'loop_lens.kind': s.kind,
      'loop_lens.duration_ms': s.durationMs,
      'loop_lens.start_ms': s.startMs,
      'loop_lens.line': line,
      'loop_lens.stack': s.stack
        .map((f) => `${f.functionName || '(anonymous)'} ${f.file}:${f.line}:${f.column}`)
        .join('\n'),
      ...(b
        ? { 'code.filepath': b.file, 'code.lineno': b.line, 'code.function': b.functionName }
        : {}),
      ...(s.operation ? { 'loop_lens.operation': s.operation } : {}),
      ...(s.waitingOn ? { 'loop_lens.waiting_on': s.waitingOn } : {}),
      ...(s.package ? { 'loop_lens.package': `${s.package.name}@${s.package.version}` } : {}),
    };
    this.logs.getLogger(SCOPE).emit({
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: `event loop blocked ${Math.round(s.durationMs)} ms (${s.kind}) at ${line}`,
      attributes,
    });
  }
}
