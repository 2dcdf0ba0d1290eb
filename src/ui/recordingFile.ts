/**
 * Reading and writing the recording JSON of issue #4 (`loop-lens record --out`), so a teammate's
 * recording opens with the same views. Pure functions; no `vscode` import.
 */
import type { Hotspot, Recording } from '../shared/protocol/runtime';
import { computeLineHeat } from './lineHeat';

/** Parses and checks a recording file; the error names what is wrong. */
export function parseRecording(text: string): Recording {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const r = data as Partial<Recording> | null;
  if (!r || typeof r !== 'object') {
    throw new Error('not a Loop Lens recording (expected an object)');
  }
  if (r.version !== 1) {
    throw new Error(`unsupported recording version ${JSON.stringify(r.version)} (expected 1)`);
  }
  if (!Array.isArray(r.stalls)) throw new Error('"stalls" is missing or not an array');
  r.stalls.forEach((s, i) => {
    if (typeof s?.startMs !== 'number' || typeof s.durationMs !== 'number') {
      throw new Error(`stalls[${i}] needs numeric "startMs" and "durationMs"`);
    }
    if (!Array.isArray(s.stack)) throw new Error(`stalls[${i}].stack is not an array`);
  });
  return {
    version: 1,
    target: r.target ?? { url: 'unknown' },
    startedAt: r.startedAt ?? new Date(0).toISOString(),
    durationMs: r.durationMs ?? 0,
    thresholdMs: r.thresholdMs ?? 50,
    mode: r.mode,
    stalls: r.stalls,
    hotspots: Array.isArray(r.hotspots) ? r.hotspots : hotspotsOf(r.stalls),
    metrics: Array.isArray(r.metrics) ? r.metrics : [],
  };
}

/** Hotspots per blamed line, hottest first (the same numbers the editor shows). */
export function hotspotsOf(stalls: Recording['stalls']): Hotspot[] {
  const out: Hotspot[] = [];
  for (const lines of computeLineHeat(stalls).values()) {
    for (const l of lines) {
      out.push({
        file: l.file,
        line: l.line,
        functionName: l.functionName,
        totalMs: l.totalMs,
        count: l.count,
        maxMs: l.maxMs,
      });
    }
  }
  return out.sort((a, b) => b.totalMs - a.totalMs);
}

/** The recording as saved: hotspots recomputed (a live one has none yet), pretty-printed. */
export function serializeRecording(r: Recording): string {
  return JSON.stringify({ ...r, hotspots: hotspotsOf(r.stalls) }, null, 2) + '\n';
}
