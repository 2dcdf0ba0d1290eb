/**
 * Blocked time per source line and per function, computed from the stalls of a recording. Pure
 * data (no `vscode` import) shared by the decorations, hovers, CodeLenses and the tree.
 */
import type { IDisposable } from '../common/disposable';
import { EventEmitter } from '../common/events';
import type { Event } from '../common/events';
import type { RecordingStore } from '../common/recordingStore';
import type { StackFrame, Stall } from '../shared/protocol/runtime';
import { kindLabel } from '../shared/protocol/stallKinds';
import { packageLabel } from '../shared/protocol/stallGroups';

/** Everything known about one blamed line. */
export interface LineHeat {
  file: string;
  /** 1-based. */
  line: number;
  functionName: string;
  totalMs: number;
  count: number;
  maxMs: number;
  /** Distinct stacks of the stalls on this line, longest stall first (at most 3). */
  stacks: StackFrame[][];
  /** Kinds seen on this line with their counts. */
  kinds: Record<string, number>;
  /** Operations that blocked on this line with their blocked ms (`JSON.stringify`). */
  operations: Record<string, number>;
  /** Packages (`name@version`) the line's stalls ran in, with their blocked ms. */
  packages: Record<string, number>;
  /** What the thread waited on in the longest stall that says (`read /data/a.bin (D) 80 %`). */
  waitingOn?: string;
}

/** Blocked time of one function, for its CodeLens. */
export interface FunctionHeat {
  file: string;
  functionName: string;
  /** The smallest blamed line of the function; the lens goes on the function that holds it. */
  firstLine: number;
  totalMs: number;
  count: number;
}

/** Normalises a path for use as a map key (case and separators as the platform reports them). */
export function fileKey(file: string): string {
  return process.platform === 'win32' ? file.toLowerCase().replace(/\//g, '\\') : file;
}

/** Groups stalls by blamed file and line; files map to lines sorted by line number. */
export function computeLineHeat(stalls: readonly Stall[]): Map<string, LineHeat[]> {
  const byLine = new Map<string, { heat: LineHeat; stalls: Stall[] }>();
  for (const s of stalls) {
    const b = s.blame;
    // A starved stall (the machine was busy) heats no line.
    if (!b || !b.file || s.kind === 'starved') continue;
    const key = `${fileKey(b.file)}:${b.line}`;
    let entry = byLine.get(key);
    if (!entry) {
      const heat = {
        file: b.file,
        line: b.line,
        functionName: b.functionName,
        totalMs: 0,
        count: 0,
        maxMs: 0,
        stacks: [],
        kinds: {},
        operations: {},
        packages: {},
      };
      entry = { heat, stalls: [] };
      byLine.set(key, entry);
    }
    const h = entry.heat;
    h.totalMs += s.durationMs;
    h.count += 1;
    h.maxMs = Math.max(h.maxMs, s.durationMs);
    h.kinds[s.kind] = (h.kinds[s.kind] ?? 0) + 1;
    if (s.operation) h.operations[s.operation] = (h.operations[s.operation] ?? 0) + s.durationMs;
    if (s.package) {
      const p = packageLabel(s.package);
      h.packages[p] = (h.packages[p] ?? 0) + s.durationMs;
    }
    entry.stalls.push(s);
    const longestOn = entry.stalls.filter((x) => x.waitingOn && x.durationMs > s.durationMs);
    if (s.waitingOn && longestOn.length === 0) h.waitingOn = s.waitingOn;
  }
  const out = new Map<string, LineHeat[]>();
  for (const { heat, stalls: own } of byLine.values()) {
    heat.stacks = distinctStacks(own);
    const k = fileKey(heat.file);
    const list = out.get(k) ?? [];
    list.push(heat);
    out.set(k, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.line - b.line);
  return out;
}

function distinctStacks(stalls: Stall[]): StackFrame[][] {
  const seen = new Set<string>();
  const out: StackFrame[][] = [];
  for (const s of [...stalls].sort((a, b) => b.durationMs - a.durationMs)) {
    const sig = s.stack.map((f) => `${f.functionName}@${f.file}:${f.line}`).join('|');
    if (seen.has(sig)) continue;
    seen.add(sig);
    out.push(s.stack);
    if (out.length === 3) break;
  }
  return out;
}

/** Sums the lines of each function of one file. */
export function functionHeat(lines: readonly LineHeat[]): FunctionHeat[] {
  const byFn = new Map<string, FunctionHeat>();
  for (const l of lines) {
    const f = byFn.get(l.functionName) ?? {
      file: l.file,
      functionName: l.functionName,
      firstLine: l.line,
      totalMs: 0,
      count: 0,
    };
    f.firstLine = Math.min(f.firstLine, l.line);
    f.totalMs += l.totalMs;
    f.count += l.count;
    byFn.set(l.functionName, f);
  }
  return [...byFn.values()];
}

/** Heat level 1..4 of a line, relative to the hottest line of the recording. */
export function heatLevel(totalMs: number, hottestMs: number): 1 | 2 | 3 | 4 {
  if (hottestMs <= 0) return 1;
  const r = totalMs / hottestMs;
  return r > 0.75 ? 4 : r > 0.4 ? 3 : r > 0.15 ? 2 : 1;
}

/** Keys of a weight record, heaviest first. */
export function byWeight(r: Record<string, number>): string[] {
  return Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k]) => k);
}

/** "JSON.stringify in lowdb@1.0.0": the line's heaviest operation and package, when known. */
export function lineWhat(l: LineHeat): string {
  // A loop of the line's own function needs no operation beside its name.
  const [op] = byWeight(l.operations).filter((o) => o !== l.functionName);
  const [pkg] = byWeight(l.packages);
  return [op, pkg && `in ${pkg}`].filter(Boolean).join(' ');
}

/**
 * The note at the end of a blamed line, readable without a hover:
 * "JSON.stringify in lowdb@1.0.0 · blocked 2.6 s in 17 stalls · max 160 ms · CPU", or
 * "blocked 95 ms once · sync I/O".
 */
export function lineNote(l: LineHeat): string {
  const kinds = Object.entries(l.kinds)
    .sort((a, b) => b[1] - a[1])
    .map(([k]) => kindLabel(k))
    .join(', ');
  const what =
    l.count === 1
      ? `blocked ${formatMs(l.totalMs)} once`
      : `blocked ${formatMs(l.totalMs)} in ${l.count} stalls · max ${formatMs(l.maxMs)}`;
  const op = lineWhat(l);
  return [op, what, kinds].filter(Boolean).join(' · ');
}

/** "1.2 s" or "340 ms". */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/**
 * The line heat of the store's current recording, recomputed at most every `delayMs` while stalls
 * stream in. This is also the seam for marking static findings "confirmed at runtime": the
 * language client can call `forFile()` and listen to `onDidChange`.
 */
export class RuntimeHeat {
  private readonly emitter = new EventEmitter<void>();
  private heat = new Map<string, LineHeat[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly sub: IDisposable;

  /** Fires after the heat changed (a new recording, or new stalls). */
  readonly onDidChange: Event<void> = this.emitter.event;

  constructor(
    private readonly store: RecordingStore,
    private readonly delayMs = 150,
  ) {
    this.sub = store.onDidChange((c) => {
      if (c.type === 'reset') this.recompute();
      else if (c.event.type === 'stall') this.schedule();
    });
    this.recompute();
  }

  /** Blamed lines of one file (absolute path), sorted by line. */
  forFile(file: string): readonly LineHeat[] {
    return this.heat.get(fileKey(file)) ?? [];
  }

  /** Every file with blamed lines. */
  files(): string[] {
    return [...this.heat.values()].map((l) => l[0]!.file);
  }

  /** Total ms of the hottest line of the recording. */
  hottestMs(): number {
    let max = 0;
    for (const lines of this.heat.values()) for (const l of lines) max = Math.max(max, l.totalMs);
    return max;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.recompute(), this.delayMs);
  }

  private recompute(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.heat = computeLineHeat(this.store.current?.stalls ?? []);
    this.emitter.fire();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.sub.dispose();
    this.emitter.dispose();
  }
}
