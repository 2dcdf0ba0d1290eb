/**
 * Thread states over time from the metrics samples (one a second, local Linux targets only):
 * one row per thread, each a run-length list of states, plus the threadpool-saturated spans.
 * Pure, so it is unit-tested and recomputed only when the metrics array changes.
 */
import type { Metrics } from '../../src/shared/protocol/runtime';

export interface StateSpan {
  fromMs: number;
  toMs: number;
  state: string;
}

export interface ThreadRow {
  tid: number;
  label: string;
  spans: StateSpan[];
}

export interface ThreadModel {
  rows: ThreadRow[];
  /** Spans where every pool thread was busy while work was queued. */
  saturated: { fromMs: number; toMs: number }[];
}

/** A sample covers the second before it; the first one covers up to one second back. */
const DEFAULT_INTERVAL_MS = 1000;

/** Builds the rows; the main thread (tid = pid) comes first and is labelled "main". */
export function threadRows(metrics: readonly Metrics[], pid: number | undefined): ThreadModel {
  const rows = new Map<number, ThreadRow>();
  const saturated: ThreadModel['saturated'] = [];
  let prevAt: number | undefined;
  for (const m of metrics) {
    const fromMs = prevAt ?? Math.max(0, m.atMs - DEFAULT_INTERVAL_MS);
    const toMs = m.atMs;
    prevAt = m.atMs;
    if (m.threadpoolSaturated) appendSpan(saturated, fromMs, toMs);
    for (const t of m.threads ?? []) {
      let row = rows.get(t.tid);
      if (!row) {
        row = {
          tid: t.tid,
          label: threadLabel(t.tid, t.name, pid),
          spans: [],
        };
        rows.set(t.tid, row);
      }
      const last = row.spans[row.spans.length - 1];
      if (last && last.state === t.state && last.toMs >= fromMs) last.toMs = toMs;
      else row.spans.push({ fromMs, toMs, state: t.state });
    }
  }
  const sorted = [...rows.values()].sort((a, b) =>
    a.label === 'main' ? -1 : b.label === 'main' ? 1 : a.tid - b.tid,
  );
  return { rows: sorted, saturated };
}

/** `main` for the main thread, the name when it is not Node's generic one, else the tid. */
function threadLabel(tid: number, name: string, pid: number | undefined): string {
  if (tid === pid) return 'main';
  if (name && name !== 'node') return name.length > 7 ? `${name.slice(0, 6)}…` : name;
  return String(tid);
}

function appendSpan(spans: { fromMs: number; toMs: number }[], fromMs: number, toMs: number): void {
  const last = spans[spans.length - 1];
  if (last && last.toMs >= fromMs) last.toMs = toMs;
  else spans.push({ fromMs, toMs });
}

/** Share of a row's time spent in state `state` (0..1), for the accessible summary. */
export function shareInState(row: ThreadRow, state: string): number {
  let total = 0;
  let inState = 0;
  for (const s of row.spans) {
    total += s.toMs - s.fromMs;
    if (s.state === state) inState += s.toMs - s.fromMs;
  }
  return total > 0 ? inState / total : 0;
}
