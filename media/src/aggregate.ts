/**
 * Blocked time per file → function → line, and the hotspot list, from the stalls of a recording.
 * Pure and linear in the number of stalls, so 10,000 stalls aggregate in a few milliseconds and
 * the views draw a bounded number of rows whatever the recording size.
 */
import type { Hotspot, PackageHotspot, Stall, StallKind } from '../../src/shared/protocol/runtime';
import {
  packageLabel,
  summarizePackages,
  summarizeStarved,
} from '../../src/shared/protocol/stallGroups';

/** Blocked time split by the kind of stall. */
export type KindTotals = Record<StallKind, number>;

/** One blamed line. `file` is '' when no stall of the group had a source location. */
export interface LineNode extends Hotspot {
  /** The kind with the most blocked time on this line. */
  kind: StallKind;
  kinds: KindTotals;
  /** What the thread waited on in the line's longest stall that says (`read /data/a.bin (D) 90 %`). */
  waitingOn?: string;
}

export interface FunctionNode {
  functionName: string;
  totalMs: number;
  count: number;
  maxMs: number;
  /** Sorted by total blocked time, largest first. */
  lines: LineNode[];
}

export interface FileNode {
  /** Absolute path or URL; '' for stalls with no source location. */
  file: string;
  totalMs: number;
  count: number;
  maxMs: number;
  functions: FunctionNode[];
}

export interface Aggregation {
  /** Sorted by total blocked time, largest first. */
  files: FileNode[];
  /** Every blamed line, sorted by total blocked time, largest first. */
  hotspots: LineNode[];
  totalMs: number;
  count: number;
  maxMs: number;
  kinds: KindTotals;
  /** The code stalls by installed package, heaviest first. */
  packages: PackageHotspot[];
  /** Stalls of a busy machine (kind `starved`): kept out of everything above. */
  starved: { count: number; totalMs: number; waitShare: number };
}

export const STALL_KINDS: readonly StallKind[] = ['cpu', 'sync-io', 'gc', 'native', 'starved'];

function emptyKinds(): KindTotals {
  return { cpu: 0, 'sync-io': 0, gc: 0, native: 0, starved: 0 };
}

function addTo(m: Map<string, number>, k: string | undefined, w: number): void {
  if (k) m.set(k, (m.get(k) ?? 0) + w);
}

function heaviestKey(m: Map<string, number> | undefined): string | undefined {
  let best: string | undefined;
  let bestW = -1;
  for (const [k, w] of m ?? []) {
    if (w > bestW) {
      best = k;
      bestW = w;
    }
  }
  return best;
}

/** Where a stall is blamed; stalls without a user frame (GC, native work) group by kind. */
function blameOf(stall: Stall): { file: string; line: number; functionName: string } {
  const b = stall.blame;
  if (b && b.file) {
    return { file: b.file, line: b.line, functionName: b.functionName || '(anonymous)' };
  }
  return { file: '', line: 0, functionName: `(${stall.kind})` };
}

function dominantKind(kinds: KindTotals): StallKind {
  let best: StallKind = 'cpu';
  for (const k of STALL_KINDS) if (kinds[k] > kinds[best]) best = k;
  return best;
}

const byTotal = (a: { totalMs: number }, b: { totalMs: number }): number => b.totalMs - a.totalMs;

/** Groups stalls by blamed line, then nests the lines under their function and file. */
export function aggregate(stalls: readonly Stall[]): Aggregation {
  const lines = new Map<string, LineNode>();
  const ops = new Map<LineNode, Map<string, number>>();
  const pkgs = new Map<LineNode, Map<string, number>>();
  const waitedMs = new Map<LineNode, number>();
  const kinds = emptyKinds();
  let totalMs = 0;
  let maxMs = 0;
  let count = 0;
  for (const s of stalls) {
    if (s.kind === 'starved') continue;
    count++;
    const { file, line, functionName } = blameOf(s);
    const key = `${file}\0${line}\0${functionName}`;
    let node = lines.get(key);
    if (!node) {
      node = {
        file,
        line,
        functionName,
        totalMs: 0,
        count: 0,
        maxMs: 0,
        kind: s.kind,
        kinds: emptyKinds(),
      };
      lines.set(key, node);
    }
    node.totalMs += s.durationMs;
    node.count += 1;
    if (s.waitingOn && (!node.waitingOn || s.durationMs > (waitedMs.get(node) ?? 0))) {
      node.waitingOn = s.waitingOn;
      waitedMs.set(node, s.durationMs);
    }
    node.maxMs = Math.max(node.maxMs, s.durationMs);
    node.kinds[s.kind] = (node.kinds[s.kind] ?? 0) + s.durationMs;
    kinds[s.kind] = (kinds[s.kind] ?? 0) + s.durationMs;
    totalMs += s.durationMs;
    maxMs = Math.max(maxMs, s.durationMs);
    if (!ops.has(node)) ops.set(node, new Map());
    if (!pkgs.has(node)) pkgs.set(node, new Map());
    addTo(ops.get(node)!, s.operation, s.durationMs);
    addTo(pkgs.get(node)!, s.package && packageLabel(s.package), s.durationMs);
  }
  const hotspots = [...lines.values()];
  for (const h of hotspots) {
    h.kind = dominantKind(h.kinds);
    const operation = heaviestKey(ops.get(h));
    const pkg = heaviestKey(pkgs.get(h));
    // A loop of the line's own function needs no operation beside its name.
    if (operation && operation !== h.functionName) h.operation = operation;
    if (pkg) h.package = pkg;
  }
  hotspots.sort(byTotal);
  return {
    files: nest(hotspots),
    hotspots,
    totalMs,
    count,
    maxMs,
    kinds,
    packages: summarizePackages(stalls),
    starved: summarizeStarved(stalls),
  };
}

/** Hotspots given by a recording file without stalls (an old or trimmed recording). */
export function aggregateHotspots(hotspots: readonly Hotspot[]): Aggregation {
  const rows: LineNode[] = hotspots.map((h) => {
    const kinds = emptyKinds();
    kinds.cpu = h.totalMs;
    return { ...h, kind: 'cpu', kinds };
  });
  rows.sort(byTotal);
  const totalMs = rows.reduce((t, h) => t + h.totalMs, 0);
  const count = rows.reduce((t, h) => t + h.count, 0);
  const maxMs = rows.reduce((m, h) => Math.max(m, h.maxMs), 0);
  return {
    files: nest(rows),
    hotspots: rows,
    totalMs,
    count,
    maxMs,
    kinds: { ...emptyKinds(), cpu: totalMs },
    packages: [],
    starved: { count: 0, totalMs: 0, waitShare: 0 },
  };
}

function nest(lines: readonly LineNode[]): FileNode[] {
  const files = new Map<string, FileNode>();
  const fns = new Map<string, FunctionNode>();
  for (const l of lines) {
    let f = files.get(l.file);
    if (!f) {
      files.set(l.file, (f = { file: l.file, totalMs: 0, count: 0, maxMs: 0, functions: [] }));
    }
    const fnKey = `${l.file}\0${l.functionName}`;
    let fn = fns.get(fnKey);
    if (!fn) {
      fn = { functionName: l.functionName, totalMs: 0, count: 0, maxMs: 0, lines: [] };
      fns.set(fnKey, fn);
      f.functions.push(fn);
    }
    fn.lines.push(l);
    for (const n of [f, fn]) {
      n.totalMs += l.totalMs;
      n.count += l.count;
      n.maxMs = Math.max(n.maxMs, l.maxMs);
    }
  }
  const out = [...files.values()];
  for (const f of out) {
    f.functions.sort(byTotal);
    for (const fn of f.functions) fn.lines.sort(byTotal);
  }
  return out.sort(byTotal);
}
