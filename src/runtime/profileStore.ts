/**
 * The CPU profile of a whole recording, merged from the chunks that each profiler rotation
 * returns. Nodes of all chunks are folded into one tree (same parent + same call frame = same
 * node) and samples keep absolute timestamps, so a stall that spans a rotation boundary reads as
 * one run of samples.
 */
import type { Protocol } from 'devtools-protocol';

export interface StoreNode {
  id: number;
  parent?: number;
  callFrame: Protocol.Runtime.CallFrame;
  children: number[];
}

interface ChunkTicks {
  startUs: number;
  endUs: number;
  ticks: Map<number, Protocol.Profiler.PositionTickInfo[]>;
}

/** Keep at most this many samples for `--cpuprofile` (about 40 minutes at 1 ms). */
const MAX_SAMPLES = 2_000_000;
/** Keep per-chunk line ticks this long back (µs): enough for any stall being analysed. */
const TICKS_WINDOW_US = 30_000_000;

export class ProfileStore {
  readonly nodes = new Map<number, StoreNode>();
  /** Absolute sample times (µs, target's monotonic clock) and merged node ids. */
  readonly timestamps: number[] = [];
  readonly samples: number[] = [];
  startTime: number | undefined;
  endTime = 0;
  private readonly byKey = new Map<string, number>();
  private nextId = 1;
  private recentTicks: ChunkTicks[] = [];
  /** True once the sample cap dropped old samples. */
  truncated = false;

  /** Folds one chunk (the result of `Profiler.stop`) into the store. */
  append(profile: Protocol.Profiler.Profile): void {
    const parentOf = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
    const idMap = new Map<number, number>();
    const ticks = new Map<number, Protocol.Profiler.PositionTickInfo[]>();
    // Nodes are listed parents first in V8's output, but do not rely on it.
    const pending = [...profile.nodes];
    for (let guard = 0; pending.length && guard < 64; guard++) {
      for (let i = 0; i < pending.length;) {
        const n = pending[i];
        const p = parentOf.get(n.id);
        if (p !== undefined && !idMap.has(p)) {
          i++;
          continue;
        }
        const merged = this.intern(p === undefined ? undefined : idMap.get(p), n.callFrame);
        idMap.set(n.id, merged);
        if (n.positionTicks?.length) ticks.set(merged, n.positionTicks);
        pending.splice(i, 1);
      }
    }
    this.startTime ??= profile.startTime;
    let t = profile.startTime;
    // The chunk's line ticks belong to the samples it carries, whose times may lie before the
    // chunk's own start (a sample V8 handed over late): bound it by both.
    let first = profile.startTime;
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      t += deltas[i] ?? 0;
      first = Math.min(first, t);
      const id = idMap.get(samples[i]);
      if (id !== undefined) this.insert(t, id);
    }
    this.endTime = Math.max(this.endTime, profile.endTime, t);
    this.recentTicks.push({ startUs: first, endUs: Math.max(profile.endTime, t), ticks });
    this.recentTicks = this.recentTicks.filter((c) => c.endUs >= this.endTime - TICKS_WINDOW_US);
    if (this.samples.length > MAX_SAMPLES) this.dropOldest(this.samples.length - MAX_SAMPLES);
  }

  /**
   * Samples arrive in time order, except that V8 may hand a sample taken just before a rotation
   * to the next chunk (its processor thread had not drained it when the old profile stopped).
   */
  private insert(t: number, id: number): void {
    const n = this.timestamps.length;
    if (n === 0 || this.timestamps[n - 1] <= t) {
      this.timestamps.push(t);
      this.samples.push(id);
      return;
    }
    const at = this.firstAfter(t);
    this.timestamps.splice(at, 0, t);
    this.samples.splice(at, 0, id);
  }

  /** Time of the last sample (µs), 0 when none. */
  get lastSampleTime(): number {
    return this.timestamps[this.timestamps.length - 1] ?? 0;
  }

  private dropOldest(n: number): void {
    this.timestamps.splice(0, n);
    this.samples.splice(0, n);
    this.startTime = this.timestamps[0];
    this.truncated = true;
  }

  private intern(parent: number | undefined, cf: Protocol.Runtime.CallFrame): number {
    const key = `${parent ?? 0}|${cf.functionName}|${cf.scriptId}|${cf.url}|${cf.lineNumber}|${cf.columnNumber}`;
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.nextId++;
      this.byKey.set(key, id);
      this.nodes.set(id, { id, parent, callFrame: cf, children: [] });
      if (parent !== undefined) this.nodes.get(parent)?.children.push(id);
    }
    return id;
  }

  /** Index of the first sample whose time is > `us` (binary search). */
  firstAfter(us: number): number {
    let lo = 0;
    let hi = this.timestamps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timestamps[mid] <= us) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Line ticks of `nodeId` summed over the chunks that overlap [startUs, endUs]. */
  lineTicks(nodeId: number, startUs: number, endUs: number): Map<number, number> {
    const out = new Map<number, number>();
    for (const c of this.recentTicks) {
      if (c.endUs < startUs || c.startUs > endUs) continue;
      for (const pt of c.ticks.get(nodeId) ?? []) {
        out.set(pt.line, (out.get(pt.line) ?? 0) + pt.ticks);
      }
    }
    return out;
  }

  /** Innermost-first ancestry of a node, without `(root)`. */
  stackOf(nodeId: number): StoreNode[] {
    const out: StoreNode[] = [];
    for (
      let n = this.nodes.get(nodeId);
      n && n.parent !== undefined;
      n = this.nodes.get(n.parent)
    ) {
      out.push(n);
    }
    return out;
  }

  /** The merged profile in `.cpuprofile` form (Chrome DevTools, VS Code flame chart). */
  toCpuProfile(): Protocol.Profiler.Profile | undefined {
    if (this.startTime === undefined) return undefined;
    const nodes: Protocol.Profiler.ProfileNode[] = [...this.nodes.values()].map((n) => ({
      id: n.id,
      callFrame: n.callFrame,
      children: [...n.children],
    }));
    const timeDeltas: number[] = [];
    let prev = this.startTime;
    for (const t of this.timestamps) {
      timeDeltas.push(t - prev);
      prev = t;
    }
    return {
      nodes,
      startTime: this.startTime,
      endTime: this.endTime,
      samples: [...this.samples],
      timeDeltas,
    };
  }
}
