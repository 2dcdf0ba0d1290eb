/**
 * One lane per JavaScript thread of a recording, grouped by process: the main thread of each
 * process first, then its workers. A lane comes from the recording's `processes[]` (threads that
 * never stalled too) and from the stalls themselves (a thread the list does not know). Used by
 * the HTML report and the sidebar (lanes, and the hotspots filtered by thread); pure, no imports
 * beyond the protocol types.
 */
import type { RecordedProcess, RecordedThread, Stall, StallThread, TargetInfo } from './runtime';

export interface ThreadLane {
  /** `pid:threadId`, as {@link laneKey} gives for a stall. */
  key: string;
  pid: number | undefined;
  thread: StallThread;
  /** `main`, `worker 1: cruncher`, `worker 2`. */
  label: string;
  /** Index of its process in the lanes' process order (for grouping). */
  group: number;
  /** The thread exited at this time of the recording (ms), when the recording says. */
  exitedAtMs?: number;
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
  const add = (pid: number | undefined, t: RecordedThread): void => {
    const key = `${pid ?? 0}:${t.id}`;
    if (lanes.has(key)) return;
    let group = groups.indexOf(pid);
    if (group < 0) group = groups.push(pid) - 1;
    const { exitedAtMs, ...thread } = t;
    const lane = { key, pid, thread, label: threadLabel(thread), group };
    lanes.set(key, exitedAtMs === undefined ? lane : { ...lane, exitedAtMs });
  };
  for (const p of rec.processes ?? []) {
    add(p.pid, p.threads.find((t) => t.id === 0) ?? { id: 0, name: 'main' });
    for (const t of p.threads) add(p.pid, t);
  }
  if (lanes.size === 0) add(targetPid, { id: 0, name: 'main' });
  for (const s of rec.stalls) add(s.pid ?? targetPid, s.thread ?? { id: 0, name: 'main' });
  return [...lanes.values()].sort((a, b) => a.group - b.group || a.thread.id - b.thread.id);
}

/** Whether the lanes span more than one process (then a lane is named with its pid). */
export function severalProcesses(lanes: readonly ThreadLane[]): boolean {
  return new Set(lanes.map((l) => l.group)).size > 1;
}

/** A lane's name in a thread filter: `worker 1: cruncher`, or `pid 42 main` across processes. */
export function laneName(lane: ThreadLane, multiProcess: boolean): string {
  return multiProcess ? `pid ${lane.pid ?? '?'} ${lane.label}` : lane.label;
}

/** The stalls of one lane (by {@link laneKey}), for the hotspots of one thread. */
export function stallsOfLane<S extends Pick<Stall, 'pid' | 'thread'>>(
  stalls: readonly S[],
  key: string,
  targetPid?: number,
): S[] {
  return stalls.filter((s) => laneKey(s, targetPid) === key);
}

/**
 * `processes` with `thread` of process `pid` in it (a live thread event): the same array when
 * it is there already, else a copy with the thread (and its process, main thread first) added.
 */
export function withThread(
  processes: readonly RecordedProcess[] | undefined,
  pid: number,
  thread: StallThread,
): readonly RecordedProcess[] {
  const list = processes ?? [];
  const main: StallThread = { id: 0, name: 'main' };
  const i = list.findIndex((p) => p.pid === pid);
  if (i < 0) return [...list, { pid, threads: thread.id === 0 ? [thread] : [main, thread] }];
  const p = list[i]!;
  if (p.threads.some((t) => t.id === thread.id)) return list;
  return list.map((x, j) => (j === i ? { ...p, threads: [...p.threads, thread] } : x));
}

/**
 * A process group's heading: `pid 42 · node server.js` (`pid 43 ← 42 · …` for a child of a
 * recorded process), its command through `short` (the sidebar drops the executable's folder
 * and flags) and cut to `maxCommand`.
 */
export function processLabel(
  rec: { target?: Pick<TargetInfo, 'pid' | 'command'>; processes?: readonly RecordedProcess[] },
  pid: number | undefined,
  maxCommand = 60,
  short: (command: string) => string = (c) => c,
): string {
  const p = rec.processes?.find((x) => x.pid === pid);
  const full = p?.command ?? (pid === rec.target?.pid ? rec.target?.command : undefined);
  const cmd = full && short(full);
  const cut = cmd && cmd.length > maxCommand ? `${cmd.slice(0, maxCommand - 1)}…` : cmd;
  // A cluster worker or forked child names its parent (the picker's `pid ← ppid`).
  const parent = p?.parentPid !== undefined ? ` ← ${p.parentPid}` : '';
  return `pid ${pid ?? '?'}${parent}${cut ? ` · ${cut}` : ''}`;
}
