/**
 * One lane per JavaScript thread of a recording, grouped by process: the main thread of each
 * process first, then its workers. A lane comes from the recording's `processes[]` (threads that
 * never stalled too) and from the stalls themselves (a thread the list does not know). Used by
 * the HTML report and the sidebar; pure, no imports beyond the protocol types.
 */
import type { RecordedProcess, Stall, StallThread } from './runtime';

export interface ThreadLane {
  /** `pid:threadId`, as {@link laneKey} gives for a stall. */
  key: string;
  pid: number | undefined;
  thread: StallThread;
  /** `main`, `worker 1: cruncher`, `worker 2`. */
  label: string;
  /** Index of its process in the lanes' process order (for grouping). */
  group: number;
}

/** The lane of a stall: its pid (else the target's) and thread (else the main thread). */
export function laneKey(s: Pick<Stall, 'pid' | 'thread'>, targetPid?: number): string {
  return `${s.pid ?? targetPid ?? 0}:${s.thread?.id ?? 0}`;
}

/** `main`, or `worker 1: cruncher` (`worker 2` without a name). */
export function threadLabel(t: StallThread): string {
  return t.id === 0 ? 'main' : `worker ${t.id}${t.name ? `: ${t.name}` : ''}`;
}

/** The lanes of a recording, in process order, main thread first in each. */
export function threadLanes(rec: {
  target?: { pid?: number };
  processes?: readonly RecordedProcess[];
  stalls: readonly Pick<Stall, 'pid' | 'thread'>[];
}): ThreadLane[] {
  const targetPid = rec.target?.pid;
  const lanes = new Map<string, ThreadLane>();
  const groups: Array<number | undefined> = [];
  const add = (pid: number | undefined, thread: StallThread): void => {
    const key = `${pid ?? 0}:${thread.id}`;
    if (lanes.has(key)) return;
    let group = groups.indexOf(pid);
    if (group < 0) group = groups.push(pid) - 1;
    lanes.set(key, { key, pid, thread, label: threadLabel(thread), group });
  };
  for (const p of rec.processes ?? []) {
    add(p.pid, { id: 0, name: 'main' });
    for (const t of p.threads) add(p.pid, t);
  }
  if (lanes.size === 0) add(targetPid, { id: 0, name: 'main' });
  for (const s of rec.stalls) add(s.pid ?? targetPid, s.thread ?? { id: 0, name: 'main' });
  return [...lanes.values()].sort((a, b) => a.group - b.group || a.thread.id - b.thread.id);
}
