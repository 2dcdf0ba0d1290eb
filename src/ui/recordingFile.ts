/**
 * Reading and writing the recording JSON of issue #4 (`loop-lens record --out`), so a teammate's
 * recording opens with the same views. Pure functions; no `vscode` import.
 */
import type { Hotspot, Recording } from '../shared/protocol/runtime';
import { computeLineHeat } from './lineHeat';
import {
  extras,
  list,
  metricsOf,
  num,
  obj,
  optNum,
  optText,
  processOf,
  stallOf,
  text,
} from './recordingShape';

const TOP = [
  'version',
  'target',
  'processes',
  'startedAt',
  'durationMs',
  'thresholdMs',
  'mode',
  'stalls',
  'hotspots',
  'metrics',
];

/** A larger file is refused before parsing (a day of stalls every 50 ms is about 200 MB). */
export const MAX_RECORDING_CHARS = 256 * 1024 * 1024;

/**
 * Parses and checks a recording file; the error names what is wrong and where. Every field is
 * checked (recordingShape.ts), hotspots are recomputed from the stalls, and strings are kept as
 * text: the views put them in the DOM as text nodes, never as HTML.
 */
export function parseRecording(json: string): Recording {
  if (json.length > MAX_RECORDING_CHARS) {
    throw new Error(
      `too large (${Math.round(json.length / 1048576)} MB; recordings up to ${MAX_RECORDING_CHARS / 1048576} MB open)`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new Error(`not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error('not a Loop Lens recording (expected an object)');
  }
  const r = data as Record<string, unknown>;
  if (r.version !== 1 && r.version !== 2) {
    throw new Error(`unsupported recording version ${JSON.stringify(r.version)} (expected 1 or 2)`);
  }
  const stalls = list(r.stalls, '"stalls"').map((s, i) => stallOf(s, `stalls[${i}]`));
  const metrics =
    r.metrics === undefined
      ? []
      : list(r.metrics, '"metrics"').map((m, i) => metricsOf(m, `metrics[${i}]`));
  const t =
    r.target === undefined || r.target === null ? { url: 'unknown' } : obj(r.target, 'target');
  // A loop, not Math.max(...spread): 100,000 stalls would overflow the stack as arguments.
  let end = 0;
  for (const s of stalls) end = Math.max(end, s.startMs + s.durationMs);
  for (const m of metrics) end = Math.max(end, m.atMs);
  const mode = r.mode === 'profile' || r.mode === 'watch' ? r.mode : undefined;
  const target: Recording['target'] = {
    url: text(t.url ?? 'unknown', 'target.url'),
    ...(t.pid !== undefined ? { pid: num(t.pid, 'target.pid', 1e10) } : {}),
    ...(t.nodeVersion !== undefined
      ? { nodeVersion: text(t.nodeVersion, 'target.nodeVersion') }
      : {}),
    ...(t.command !== undefined ? { command: text(t.command, 'target.command') } : {}),
  };
  // Version 1 recorded one process's main thread: its target.
  const processes =
    r.version === 2 && r.processes !== undefined
      ? list(r.processes, '"processes"').map((p, i) => processOf(p, `processes[${i}]`))
      : [
          {
            pid: target.pid ?? 0,
            ...(target.command ? { command: target.command } : {}),
            threads: [{ id: 0, name: 'main' }],
          },
        ];
  return {
    // Fields of a later version (shallow ones) survive, as in each stall.
    ...extras(r, TOP),
    version: 2,
    target,
    processes,
    startedAt: optText(r.startedAt, 'startedAt') ?? new Date(0).toISOString(),
    durationMs: optNum(r.durationMs, 'durationMs') ?? end,
    thresholdMs: optNum(r.thresholdMs, 'thresholdMs') ?? 50,
    ...(mode ? { mode } : {}),
    stalls,
    hotspots: hotspotsOf(stalls),
    metrics,
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
