/**
 * The numbers of the HTML report, computed from a recording: pure data, no HTML, so the unit
 * tests can check them (heatmap sums equal the stalls' sums, worst offender, p99).
 */
import * as path from 'node:path';
import type { Hotspot, Recording, Stall, StallKind } from '../../shared/protocol/runtime';
import { summarizeHotspots } from '../hotspots';

/** One blamed line of one file in the heatmap. */
export interface HeatCell {
  line: number;
  functionName: string;
  totalMs: number;
  count: number;
  maxMs: number;
}

/** One file of the heatmap: its blamed lines sorted by line number. */
export interface HeatRow {
  file: string;
  totalMs: number;
  count: number;
  cells: HeatCell[];
}

export interface ReportSummary {
  /** Code stalls only (starved ones are counted in `byKind.starved`). */
  stallCount: number;
  totalBlockedMs: number;
  /** Worst p99 loop delay over the metrics samples, undefined without metrics. */
  worstP99Ms?: number;
  byKind: Record<StallKind, { count: number; totalMs: number }>;
  /** The line that blocked longest in total, when any stall was attributed. */
  worst?: Hotspot;
  /** The recording cannot tell starved stalls from code stalls (no /proc for its target). */
  starvationUnknown?: boolean;
}

/** Stalls without a blamed line are grouped under this file name in the heatmap. */
export const UNATTRIBUTED = '(unattributed)';

export const STALL_KINDS: readonly StallKind[] = ['cpu', 'sync-io', 'gc', 'native', 'starved'];

/** Groups stalls per blamed file:line and sums them, sorted by total blocked time. */
export function aggregateByLine(stalls: readonly Stall[]): Hotspot[] {
  const byKey = new Map<string, Hotspot>();
  for (const s of stalls) {
    // A starved stall (the machine was busy) is no line's doing: kept out of the heat.
    if (s.kind === 'starved') continue;
    const file = s.blame?.file ?? UNATTRIBUTED;
    const line = s.blame?.line ?? 0;
    const key = `${file}\u0000${line}`;
    let h = byKey.get(key);
    if (!h) {
      h = { file, line, functionName: s.blame?.functionName ?? '', totalMs: 0, count: 0, maxMs: 0 };
      byKey.set(key, h);
    }
    h.totalMs += s.durationMs;
    h.count += 1;
    h.maxMs = Math.max(h.maxMs, s.durationMs);
  }
  return [...byKey.values()].sort((a, b) => b.totalMs - a.totalMs || a.file.localeCompare(b.file));
}

/** The heatmap: files sorted by blocked time, each with its lines in source order. */
export function buildHeatmap(stalls: readonly Stall[]): HeatRow[] {
  const rows = new Map<string, HeatRow>();
  for (const h of aggregateByLine(stalls)) {
    let row = rows.get(h.file);
    if (!row) {
      row = { file: h.file, totalMs: 0, count: 0, cells: [] };
      rows.set(h.file, row);
    }
    row.totalMs += h.totalMs;
    row.count += h.count;
    row.cells.push({
      line: h.line,
      functionName: h.functionName,
      totalMs: h.totalMs,
      count: h.count,
      maxMs: h.maxMs,
    });
  }
  for (const row of rows.values()) row.cells.sort((a, b) => a.line - b.line);
  return [...rows.values()].sort((a, b) => b.totalMs - a.totalMs || a.file.localeCompare(b.file));
}

/** Header numbers and the worst offender. Hotspots of the recording win over recomputed ones. */
export function summarize(rec: Recording): ReportSummary {
  const byKind = Object.fromEntries(
    STALL_KINDS.map((k) => [k, { count: 0, totalMs: 0 }]),
  ) as ReportSummary['byKind'];
  let totalBlockedMs = 0;
  let stallCount = 0;
  for (const s of rec.stalls) {
    if (s.kind !== 'starved') {
      totalBlockedMs += s.durationMs;
      stallCount++;
    }
    const k = byKind[s.kind] ?? (byKind[s.kind] = { count: 0, totalMs: 0 });
    k.count += 1;
    k.totalMs += s.durationMs;
  }
  let worstP99Ms: number | undefined;
  for (const m of rec.metrics) {
    if (worstP99Ms === undefined || m.loopDelay.p99 > worstP99Ms) worstP99Ms = m.loopDelay.p99;
  }
  const hotspots = reportHotspots(rec);
  // The engine groups unattributed stalls under `(kind)` with line 0: never the named offender.
  const worst = hotspots.find((h) => h.file !== UNATTRIBUTED && h.line > 0);
  return {
    stallCount,
    totalBlockedMs,
    worstP99Ms,
    byKind,
    worst,
    ...(rec.starvationKnown === false ? { starvationUnknown: true } : {}),
  };
}

/** The hotspot table: the recording's own list when it has one, else computed from the stalls. */
export function reportHotspots(rec: Recording): Hotspot[] {
  const own = rec.hotspots.length > 0 ? [...rec.hotspots] : summarizeHotspots(rec.stalls);
  return own.sort((a, b) => b.totalMs - a.totalMs);
}

/** A path as the user reads it: relative to `cwd` when inside it, otherwise as recorded. */
export function displayPath(file: string, cwd?: string): string {
  if (!cwd || !path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `1.2 s` above a second, `340 ms` below: how people say durations. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  return `${Math.round(ms)} ms`;
}

/** The one sentence a developer under pressure reads first. */
export function worstSentence(s: ReportSummary, cwd?: string): string {
  if (s.stallCount === 0) {
    const starved = s.byKind.starved?.count ?? 0;
    return starved
      ? `No stall of the code; ${starved} starved (the machine was busy, the loop waited for a CPU).`
      : 'No stall: the event loop was never blocked longer than the threshold.';
  }
  const w = s.worst;
  if (!w) {
    return `${s.stallCount} stall${s.stallCount === 1 ? '' : 's'} blocked the loop ${formatMs(s.totalBlockedMs)}, none attributed to a line of your code.`;
  }
  const fn = w.functionName ? ` ${w.functionName}` : '';
  const stalls = `${w.count} stall${w.count === 1 ? '' : 's'}`;
  const what = [w.operation, w.package && `in ${w.package}`].filter(Boolean).join(' ');
  return `${displayPath(w.file, cwd)}:${w.line}${fn} blocked the loop ${formatMs(w.totalMs)} in ${stalls}${what ? `: ${what}` : ''}.`;
}
