/** Builds recordings for the report tests: deterministic, shaped like the engine's output. */
import type { Metrics, Recording, Stall, StallKind } from '../../../src/shared/protocol/runtime';

export const ROOT = '/home/dev/app';

/** One stall blamed on `file:line fn` with a short stack ending in node internals. */
export function stall(
  startMs: number,
  durationMs: number,
  kind: StallKind,
  file: string,
  line: number,
  fn: string,
): Stall {
  const blame = { functionName: fn, file, line, column: 5 };
  return {
    startMs,
    durationMs,
    kind,
    blame,
    stack: [
      { functionName: 'readFileSync', file: 'node:fs', line: 448, column: 20 },
      blame,
      { functionName: 'handle', file: `${ROOT}/src/server.ts`, line: 30, column: 3 },
    ],
  };
}

export function metrics(count: number, p99: (i: number) => number = () => 12): Metrics[] {
  return Array.from({ length: count }, (_, i) => ({
    atMs: (i + 1) * 1000,
    loopDelay: { p50: 10, p99: p99(i), max: p99(i) + 5 },
    elu: 0.3,
    heapUsed: 20e6,
    activeResources: { TCPServerWrap: 1 },
  }));
}

export function recording(stalls: Stall[], extra: Partial<Recording> = {}): Recording {
  return {
    version: 1,
    target: {
      pid: 4242,
      url: 'ws://127.0.0.1:9229/abc',
      nodeVersion: '20.20.2',
      command: 'node dist/server.js',
    },
    startedAt: '2026-11-26T06:00:00.000Z',
    durationMs: 10_000,
    thresholdMs: 50,
    mode: 'profile',
    stalls,
    hotspots: [],
    metrics: metrics(10),
    ...extra,
  };
}
