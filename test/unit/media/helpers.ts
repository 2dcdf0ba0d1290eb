/** Builders of runtime data for the media unit tests. */
import type { Metrics, Recording, Stall, StallKind } from '../../../src/shared/protocol/runtime';

export function stall(
  startMs: number,
  durationMs: number,
  kind: StallKind,
  at?: [string, number, string],
): Stall {
  const blame = at && { file: at[0], line: at[1], functionName: at[2], column: 1 };
  return { startMs, durationMs, kind, ...(blame ? { blame } : {}), stack: blame ? [blame] : [] };
}

export function metrics(atMs: number, p99: number, extra: Partial<Metrics> = {}): Metrics {
  return {
    atMs,
    loopDelay: { p50: 1, p99, max: p99 },
    elu: 0.2,
    heapUsed: 1e7,
    activeResources: {},
    ...extra,
  };
}

export function recording(stalls: Stall[], more: Partial<Recording> = {}): Recording {
  return {
    version: 1,
    target: { pid: 10, url: 'ws://127.0.0.1:9229/x' },
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 10_000,
    thresholdMs: 50,
    stalls,
    hotspots: [],
    metrics: [],
    ...more,
  };
}
