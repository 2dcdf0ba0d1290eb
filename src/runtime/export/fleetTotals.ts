/**
 * What the fleet exporters (prometheus.ts, otlp.ts) publish, kept as running totals from a
 * recording's live events: stalls and blocked seconds by kind, process and thread, and by blamed
 * line with bounded cardinality; and for every recorded thread of every process its loop delay
 * histogram and last metrics sample (ELU, heap; a process's main thread also its threadpool and
 * thread states). Pure: fed events, read by the exporters when they scrape or push. Memory stays
 * bounded however long it runs: a fixed number of line series, and a thread's metrics are
 * forgotten when it exits.
 */
import type { Metrics, RuntimeEvent, Stall, StallThread } from '../../shared/protocol/runtime';
import { LOOP_DELAY_BUCKETS_MS } from '../../shared/protocol/runtime';
import { displayPath } from '../report/model';

/** Blamed lines with a series of their own; later ones are counted as {@link OTHER_LINE}. */
export const DEFAULT_MAX_LINES = 20;
export const OTHER_LINE = 'other';
/** A stall without a blamed line (starved, or no frame of the user's code). */
export const NO_LINE = '(no line)';

export interface Tally {
  count: number;
  seconds: number;
}

/**
 * Process and thread of a stall or a sample: the recording's target and the main thread unless
 * it says. `thread` is `main`, the worker's name or `worker <id>`; `thread_id` the thread's id
 * (0: main), which tells apart workers of one name.
 */
export interface Where {
  pid: string;
  thread: string;
  thread_id: string;
}

/** One thread's metrics: its last sample and its loop delay histogram so far. */
export interface ThreadSeries extends Where {
  last: Metrics;
  counts: number[];
  delaySumMs: number;
  /** Seconds its process's threadpool was seen saturated (samples of a local main thread). */
  saturatedSeconds: number;
}

export interface DelayHistogram {
  /** Upper bounds in seconds (the last bucket, +Inf, is implied by `count`). */
  bounds: number[];
  /** Cumulative counts per bound. */
  cumulative: number[];
  count: number;
  sumSeconds: number;
}

export class FleetTotals {
  /** Keyed by `kind\0pid\0thread_id`. */
  readonly byKind = new Map<string, Tally & Where & { kind: string }>();
  /** Keyed by `line\0pid\0thread_id`. */
  readonly byLine = new Map<string, Tally & Where & { line: string }>();
  /** Keyed by `pid\0thread_id`: every thread that sent a sample and has not exited. */
  readonly threads = new Map<string, ThreadSeries>();
  private readonly lines = new Set<string>();

  constructor(
    /** The recorded process (stalls and samples without a pid of their own). */
    private readonly pid: () => number | undefined,
    private readonly maxLines = DEFAULT_MAX_LINES,
    private readonly cwd?: string,
  ) {}

  onEvent(e: RuntimeEvent): void {
    if (e.type === 'stall') this.addStall(e.stall);
    else if (e.type === 'metrics') this.addMetrics(e.metrics);
    else if (e.type === 'threadMetrics') this.addMetrics(e.metrics, e.pid, e.thread);
    else if (e.type === 'thread' && e.state === 'exited') {
      const w = this.whereOf(e.pid, e.thread);
      this.threads.delete(`${w.pid}\0${w.thread_id}`);
    }
  }

  addStall(stall: Stall): void {
    // Stalls of other processes and threads carry `pid` and `thread` (recording format 2).
    const where = this.whereOf(stall.pid, stall.thread);
    const seconds = stall.durationMs / 1000;
    const k = `${stall.kind}\0${where.pid}\0${where.thread_id}`;
    const byKind = this.byKind.get(k) ?? { kind: stall.kind, ...where, count: 0, seconds: 0 };
    byKind.count++;
    byKind.seconds = addSeconds(byKind.seconds, seconds);
    this.byKind.set(k, byKind);
    const line = this.lineOf(stall);
    const l = `${line}\0${where.pid}\0${where.thread_id}`;
    const byLine = this.byLine.get(l) ?? { line, ...where, count: 0, seconds: 0 };
    byLine.count++;
    byLine.seconds = addSeconds(byLine.seconds, seconds);
    this.byLine.set(l, byLine);
  }

  /** A thread's sample (the recording's main thread unless `pid`/`thread` say otherwise). */
  addMetrics(m: Metrics, pid?: number, thread?: StallThread): void {
    const where = this.whereOf(pid, thread);
    const key = `${where.pid}\0${where.thread_id}`;
    const t = this.threads.get(key) ?? {
      ...where,
      last: m,
      counts: new Array<number>(LOOP_DELAY_BUCKETS_MS.length + 1).fill(0),
      delaySumMs: 0,
      saturatedSeconds: 0,
    };
    t.last = m;
    if (m.threadpoolSaturated) t.saturatedSeconds++;
    const h = m.loopDelay.hist;
    if (h) {
      h.counts.forEach((c, i) => (t.counts[i] += c));
      t.delaySumMs += h.sumMs;
    }
    this.threads.set(key, t);
  }

  /** Each series of the stall totals by kind or by line: its labels and its count or seconds. */
  series(by: 'kind' | 'line', pick: 'count' | 'seconds'): Array<[Record<string, string>, number]> {
    const rows = by === 'kind' ? [...this.byKind.values()] : [...this.byLine.values()];
    return rows.map((x) => [{ [by]: 'kind' in x ? x.kind : x.line, ...labelsOf(x) }, x[pick]]);
  }

  /** A thread's loop delay histogram so far, in seconds. */
  delay(t: ThreadSeries): DelayHistogram {
    const cumulative: number[] = [];
    let n = 0;
    for (let i = 0; i < LOOP_DELAY_BUCKETS_MS.length; i++) cumulative.push((n += t.counts[i]));
    return {
      bounds: LOOP_DELAY_BUCKETS_MS.map((b) => b / 1000),
      cumulative,
      count: n + t.counts[LOOP_DELAY_BUCKETS_MS.length],
      sumSeconds: t.delaySumMs / 1000,
    };
  }

  /** The threads whose samples tell their process's threads (a local target's main thread). */
  processes(): ThreadSeries[] {
    return [...this.threads.values()].filter((t) => t.last.threads);
  }

  /** Thread counts by state letter in a process's last sample (local Linux targets). */
  threadStates(t: ThreadSeries): Record<string, number> {
    const out: Record<string, number> = {};
    for (const x of t.last.threads ?? []) out[x.state] = (out[x.state] ?? 0) + 1;
    return out;
  }

  /**
   * `src/app.js:12 handler`: the first {@link maxLines} distinct lines keep a series of their
   * own, later ones count as `other`. First come rather than a changing top N: a series never
   * moves between labels, so every counter only grows (a line leaving `other` would make it fall).
   */
  lineOf(stall: Stall): string {
    const b = stall.blame;
    if (!b) return NO_LINE;
    const line = `${displayPath(b.file, this.cwd)}:${b.line}${b.functionName ? ` ${b.functionName}` : ''}`;
    if (this.lines.has(line)) return line;
    if (this.lines.size >= this.maxLines) return OTHER_LINE;
    this.lines.add(line);
    return line;
  }

  whereOf(pid: number | undefined, thread: StallThread | undefined): Where {
    const id = thread?.id ?? 0;
    const name = id === 0 ? 'main' : thread?.name || `worker ${id}`;
    return { pid: this.pidLabel(pid), thread: name, thread_id: String(id) };
  }

  private pidLabel(pid: number | undefined): string {
    const p = pid ?? this.pid();
    return p === undefined ? 'unknown' : String(p);
  }
}

/** The process and thread labels of a series. */
export function labelsOf(w: Where): Record<string, string> {
  return { pid: w.pid, thread: w.thread, thread_id: w.thread_id };
}

/** Sums to the microsecond: 0.1 + 0.2 stays 0.3 in the exported text. */
function addSeconds(a: number, b: number): number {
  return Math.round((a + b) * 1e6) / 1e6;
}
