import type { Hotspot, Stall } from '../shared/protocol/runtime';

/**
 * One row per blamed line (file, line, function): total blocked ms, count and the longest,
 * heaviest first. Stalls without a blame are grouped under their kind.
 */
export function summarizeHotspots(stalls: Stall[]): Hotspot[] {
  const rows = new Map<string, Hotspot>();
  for (const s of stalls) {
    const b = s.blame;
    const file = b?.file ?? `(${s.kind})`;
    const line = b?.line ?? 0;
    const functionName = b?.functionName ?? '';
    const key = `${file}\0${line}\0${functionName}`;
    let h = rows.get(key);
    if (!h) {
      h = { file, line, functionName, totalMs: 0, count: 0, maxMs: 0 };
      rows.set(key, h);
    }
    h.totalMs += s.durationMs;
    h.count++;
    h.maxMs = Math.max(h.maxMs, s.durationMs);
  }
  return [...rows.values()]
    .map((h) => ({ ...h, totalMs: round1(h.totalMs), maxMs: round1(h.maxMs) }))
    .sort((a, b) => b.totalMs - a.totalMs || b.count - a.count);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
