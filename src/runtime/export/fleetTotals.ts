/**
 * What the fleet exporters (prometheus.ts, otlp.ts) publish, kept as running totals from a
 * recording's live events: stalls and blocked seconds by kind, process and thread, and by blamed
 * line with bounded cardinality; the loop delay histogram; and the last metrics sample (ELU,
 * heap, threadpool, thread states). Pure: fed events, read by the exporters when they scrape or
 * push. Memory stays bounded however long it runs (a fixed number of series).
 */
import type { Metrics, RuntimeEvent, Stall } from '../../shared/protocol/runtime';
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

/** Process and thread of a stall: the recording's target, and the main thread unless it says. */
export interface Where {
  pid: string;
  thread: string;
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
  /** Keyed by `kind\0pid\0thread`. */
  readonly byKind = new Map<string, Tally & Where & { kind: string }>();
  /** Keyed by `line\0pid\0thread`. */
  readonly byLine = new Map<string, Tally & Where & { line: string }>();
  private readonly lines = new Set<string>();
  private readonly counts = new Array<number>(LOOP_DELAY_BUCKETS_MS.length + 1).fill(0);
  private delaySumMs = 0;
  /** The last metrics sample, with the process it came from. */
  last: (Metrics & { pid: string }) | undefined;
  /** Seconds the threadpool was seen saturated (one metrics sample = one second). */
  saturatedSeconds = 0;

  constructor(
    /** The recorded process (stalls and samples without a pid of their own). */
    private readonly pid: () => number | undefined,
    private readonly maxLines = DEFAULT_MAX_LINES,
    private readonly cwd?: string,
  ) {}

  onEvent(e: RuntimeEvent): void {
    if (e.type === 'stall') this.addStall(e.stall);
    else if (e.type === 'metrics') this.addMetrics(e.metrics);
  }

  addStall(stall: Stall): void {
    const where = this.whereOf(stall);
    const seconds = stall.durationMs / 1000;
    const k = `${stall.kind}\0${where.pid}\0${where.thread}`;
    const byKind = this.byKind.get(k) ?? { kind: stall.kind, ...where, count: 0, seconds: 0 };
    byKind.count++;
    byKind.seconds = addSeconds(byKind.seconds, seconds);
    this.byKind.set(k, byKind);
    const line = this.lineOf(stall);
    const l = `${line}\0${where.pid}\0${where.thread}`;
    const byLine = this.byLine.get(l) ?? { line, ...where, count: 0, seconds: 0 };
    byLine.count++;
    byLine.seconds = addSeconds(byLine.seconds, seconds);
    this.byLine.set(l, byLine);
  }

  addMetrics(m: Metrics): void {
    this.last = { ...m, pid: this.pidLabel(undefined) };
    if (m.threadpoolSaturated) this.saturatedSeconds++;
    const h = m.loopDelay.hist;
    if (!h) return;
    h.counts.forEach((c, i) => (this.counts[i] += c));
    this.delaySumMs += h.sumMs;
  }

  /** Each series of the stall totals by kind or by line: its labels and its count or seconds. */
  series(by: 'kind' | 'line', pick: 'count' | 'seconds'): Array<[Record<string, string>, number]> {
    const rows = by === 'kind' ? [...this.byKind.values()] : [...this.byLine.values()];
    return rows.map((x) => [
      { [by]: 'kind' in x ? x.kind : x.line, pid: x.pid, thread: x.thread },
      x[pick],
    ]);
  }

  /** The loop delay histogram so far, in seconds. */
  delay(): DelayHistogram {
    const cumulative: number[] = [];
    let n = 0;
    for (let i = 0; i < LOOP_DELAY_BUCKETS_MS.length; i++) cumulative.push((n += this.counts[i]));
    return {
      bounds: LOOP_DELAY_BUCKETS_MS.map((b) => b / 1000),
      cumulative,
      count: n + this.counts[LOOP_DELAY_BUCKETS_MS.length],
      sumSeconds: this.delaySumMs / 1000,
    };
  }

  /** Thread counts by state letter in the last sample (local Linux targets). */
  threadStates(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.last?.threads ?? []) out[t.state] = (out[t.state] ?? 0) + 1;
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

  private whereOf(stall: Stall): Where {
    // Stalls of other processes and threads carry `pid` and `thread` (recording format 2).
    const s = stall as Stall & { pid?: number; thread?: { id: number; name?: string } };
    const thread =
      s.thread && s.thread.id !== 0 ? s.thread.name || `worker ${s.thread.id}` : 'main';
    return { pid: this.pidLabel(s.pid), thread };
  }

  private pidLabel(pid: number | undefined): string {
    const p = pid ?? this.pid();
    return p === undefined ? 'unknown' : String(p);
  }
}

/** Sums to the microsecond: 0.1 + 0.2 stays 0.3 in the exported text. */
function addSeconds(a: number, b: number): number {
  return Math.round((a + b) * 1e6) / 1e6;
}
