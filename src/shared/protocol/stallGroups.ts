/**
 * The two ways a user reads a recording's code stalls: by the line of their own code (what to
 * change) and by installed package (what to replace or configure). Starved stalls (the machine
 * was busy) are kept apart: they are no line's or package's doing.
 */
import type { Hotspot, PackageHotspot, Stall } from './runtime';

/** The heaviest key of a weight map. */
function heaviest(weights: Map<string, number>, n = 1): string[] {
  return [...weights]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k]) => k);
}

function add(m: Map<string, number>, k: string | undefined, w: number): void {
  if (k) m.set(k, (m.get(k) ?? 0) + w);
}

/** `name@version` of a stall's package. */
export function packageLabel(p: { name: string; version: string }): string {
  return `${p.name}@${p.version}`;
}

/**
 * One row per blamed line (file, line, function) of the code stalls: total blocked ms, count,
 * the longest, and the operation and package with the most time there, heaviest first. Stalls
 * without a blame are grouped under their kind.
 */
export function summarizeHotspots(stalls: readonly Stall[]): Hotspot[] {
  const rows = new Map<
    string,
    { h: Hotspot; ops: Map<string, number>; pkgs: Map<string, number> }
  >();
  for (const s of stalls) {
    if (s.kind === 'starved') continue;
    const b = s.blame;
    const file = b?.file ?? `(${s.kind})`;
    const line = b?.line ?? 0;
    const functionName = b?.functionName ?? '';
    const key = `${file}\0${line}\0${functionName}`;
    let r = rows.get(key);
    if (!r) {
      const h = { file, line, functionName, totalMs: 0, count: 0, maxMs: 0 };
      r = { h, ops: new Map(), pkgs: new Map() };
      rows.set(key, r);
    }
    r.h.totalMs += s.durationMs;
    r.h.count++;
    r.h.maxMs = Math.max(r.h.maxMs, s.durationMs);
    add(r.ops, s.operation, s.durationMs);
    add(r.pkgs, s.package && packageLabel(s.package), s.durationMs);
  }
  return [...rows.values()]
    .map(({ h, ops, pkgs }) => {
      const [operation] = heaviest(ops);
      const [pkg] = heaviest(pkgs);
      return {
        ...h,
        totalMs: round1(h.totalMs),
        maxMs: round1(h.maxMs),
        // A loop of the user's own function needs no operation beside its name.
        ...(operation && operation !== h.functionName ? { operation } : {}),
        ...(pkg ? { package: pkg } : {}),
      };
    })
    .sort((a, b) => b.totalMs - a.totalMs || b.count - a.count);
}

/** One row per package (the one that ran the operation) of the code stalls, heaviest first. */
export function summarizePackages(stalls: readonly Stall[]): PackageHotspot[] {
  const rows = new Map<
    string,
    { p: PackageHotspot; ops: Map<string, number>; lines: Map<string, number> }
  >();
  for (const s of stalls) {
    if (s.kind === 'starved' || !s.package) continue;
    const key = packageLabel(s.package);
    let r = rows.get(key);
    if (!r) {
      const p = { name: s.package.name, version: s.package.version, totalMs: 0, count: 0 };
      r = { p: { ...p, maxMs: 0, operations: [], lines: [] }, ops: new Map(), lines: new Map() };
      rows.set(key, r);
    }
    r.p.totalMs += s.durationMs;
    r.p.count++;
    r.p.maxMs = Math.max(r.p.maxMs, s.durationMs);
    add(r.ops, s.operation, s.durationMs);
    const b = s.blame;
    if (b && !/[\\/]node_modules[\\/]/.test(b.file)) {
      add(r.lines, `${b.file}:${b.line}`, s.durationMs);
    }
  }
  return [...rows.values()]
    .map(({ p, ops, lines }) => ({
      ...p,
      totalMs: round1(p.totalMs),
      maxMs: round1(p.maxMs),
      operations: heaviest(ops, 3),
      lines: heaviest(lines, 3),
    }))
    .sort((a, b) => b.totalMs - a.totalMs || b.count - a.count);
}

/** The starved stalls of a recording, summed: count, time, and the mean share of waiting. */
export function summarizeStarved(stalls: readonly Stall[]): {
  count: number;
  totalMs: number;
  waitShare: number;
} {
  let count = 0;
  let totalMs = 0;
  let waitMs = 0;
  for (const s of stalls) {
    if (s.kind !== 'starved') continue;
    count++;
    totalMs += s.durationMs;
    waitMs += s.durationMs * (s.starvation?.waitShare ?? 0);
  }
  return { count, totalMs: round1(totalMs), waitShare: totalMs > 0 ? waitMs / totalMs : 0 };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
