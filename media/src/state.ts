/**
 * The webview's model: a pure reducer `(state, ToWebviewMessage) → state`. The host sends a full
 * snapshot (`Hydrate`) and then deltas; the reducer never mutates its input, so a render can
 * compare array identities to know what changed.
 */
import type {
  Metrics,
  RecordedProcess,
  Recording,
  Stall,
  TargetInfo,
} from '../../src/shared/protocol/runtime';
import { laneKey, withThread } from '../../src/shared/protocol/threadLanes';
import { MessageType } from '../../src/shared/protocol/webview';
import type {
  BackgroundSession,
  HydrateMessage,
  ThreadMessage,
  ToWebviewMessage,
} from '../../src/shared/protocol/webview';

/**
 * What the view shows: nothing; a session recording live; a session's recording after Stop
 * (`stopped`) or after its target exited (`ended`); a recording opened from a file (`opened`).
 */
export type Status = 'empty' | 'live' | 'stopped' | 'ended' | 'opened';

export interface ViewState {
  status: Status;
  target: TargetInfo | undefined;
  /** Base name of the file an `opened` recording was read from. */
  fileName: string | undefined;
  startedAt: string | undefined;
  thresholdMs: number;
  /** False when the recording cannot tell starved stalls from code stalls (no /proc). */
  starvationKnown?: boolean;
  /** Known length of the recording: its duration, extended by live stalls and metrics. */
  durationMs: number;
  /** Sorted by `startMs`. */
  stalls: readonly Stall[];
  /** Sorted by `atMs`. */
  metrics: readonly Metrics[];
  /** Hotspots from the recording file, used only when it has no stalls. */
  fileHotspots: Recording['hotspots'];
  /** Why a live recording ended, or the last error the session reported. */
  notice: string | undefined;
  /** Bumped by every hydrate, so views can reset their zoom. */
  generation: number;
  /** A session's recording behind the one shown. */
  background: BackgroundSession | undefined;
  /** The processes recorded with their threads (version 2 recordings): one lane per thread. */
  processes?: readonly RecordedProcess[];
  /**
   * Lanes (`pid:threadId`) whose thread exited while recorded, with about when (the recording's
   * length when the view heard of it; null when told by a snapshot, which has no time).
   */
  exited?: Readonly<Record<string, number | null>>;
}

export const initialState: ViewState = {
  status: 'empty',
  target: undefined,
  fileName: undefined,
  startedAt: undefined,
  thresholdMs: 50,
  durationMs: 0,
  stalls: [],
  metrics: [],
  fileHotspots: [],
  notice: undefined,
  generation: 0,
  background: undefined,
};

/** Applies one host message. Unknown or malformed messages leave the state as it was. */
export function reduce(state: ViewState, msg: ToWebviewMessage): ViewState {
  switch (msg.type) {
    case MessageType.Hydrate:
      return hydrate(state, msg);
    case MessageType.Stall:
      if (state.status === 'empty' || !isStall(msg.stall)) return state;
      return {
        ...state,
        stalls: insertSorted(state.stalls, msg.stall, (s) => s.startMs),
        durationMs: Math.max(state.durationMs, msg.stall.startMs + msg.stall.durationMs),
      };
    case MessageType.Metrics:
      if (state.status === 'empty' || !isMetrics(msg.metrics)) return state;
      return {
        ...state,
        metrics: insertSorted(state.metrics, msg.metrics, (m) => m.atMs),
        durationMs: Math.max(state.durationMs, msg.metrics.atMs),
      };
    case MessageType.Thread:
      return state.status === 'live' ? onThread(state, msg) : state;
    case MessageType.Ended:
      if (state.status !== 'live') return state;
      return { ...state, status: 'ended', notice: msg.reason };
    case MessageType.Error:
      return { ...state, notice: msg.message };
    default:
      return unreachable(msg);
  }
}

/** A live thread: its lane is known from now on; an exit marks it at the recording's length. */
function onThread(state: ViewState, msg: ThreadMessage): ViewState {
  const t = msg.thread;
  if (!t || !finite(t.id)) return state;
  const pid = finite(msg.pid) ? msg.pid : state.target?.pid;
  const thread = typeof t.name === 'string' ? { id: t.id, name: t.name } : { id: t.id };
  const processes = pid === undefined ? state.processes : withThread(state.processes, pid, thread);
  const key = laneKey({ pid, thread });
  const { [key]: _was, ...others } = state.exited ?? {};
  const exited = msg.state === 'exited' ? { ...others, [key]: state.durationMs } : others;
  return { ...state, processes, exited };
}

function unreachable(msg: never): ViewState {
  throw new Error(`Unknown message ${JSON.stringify(msg)}`);
}

function hydrate(state: ViewState, msg: HydrateMessage): ViewState {
  const generation = state.generation + 1;
  const b = msg.background;
  const background =
    b && typeof b === 'object' && typeof b.running === 'boolean'
      ? { running: b.running, target: b.target }
      : undefined;
  const rec = msg.recording;
  if (!rec) return { ...initialState, generation, background };
  const stalls = (Array.isArray(rec.stalls) ? rec.stalls.filter(isStall) : []).sort(
    (a, b) => a.startMs - b.startMs,
  );
  const metrics = (Array.isArray(rec.metrics) ? rec.metrics.filter(isMetrics) : []).sort(
    (a, b) => a.atMs - b.atMs,
  );
  const lastStall = stalls.reduce((m, s) => Math.max(m, s.startMs + s.durationMs), 0);
  const lastMetric = metrics.length ? metrics[metrics.length - 1]!.atMs : 0;
  const file = msg.origin?.kind === 'file' ? msg.origin.fileName : undefined;
  return {
    status: statusOf(msg),
    target: rec.target,
    fileName: file,
    startedAt: rec.startedAt,
    thresholdMs: finite(rec.thresholdMs) ? rec.thresholdMs : 50,
    ...(rec.starvationKnown === false ? { starvationKnown: false } : {}),
    durationMs: Math.max(finite(rec.durationMs) ? rec.durationMs : 0, lastStall, lastMetric),
    stalls,
    metrics,
    fileHotspots: Array.isArray(rec.hotspots) ? rec.hotspots : [],
    ...(Array.isArray(rec.processes) ? { processes: rec.processes.filter(isProcess) } : {}),
    ...(Array.isArray(msg.exitedLanes)
      ? { exited: Object.fromEntries(msg.exitedLanes.map((k) => [String(k), null])) }
      : {}),
    notice: msg.live ? undefined : msg.endReason,
    generation,
    background,
  };
}

/** The host's store says where the recording came from; the status follows from that alone. */
function statusOf(msg: HydrateMessage): Status {
  if (msg.live) return 'live';
  if (msg.origin?.kind === 'file') return 'opened';
  return msg.endReason ? 'ended' : 'stopped';
}

function finite(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

function isStall(s: Stall | undefined): s is Stall {
  return (
    !!s && finite(s.startMs) && finite(s.durationMs) && s.durationMs >= 0 && Array.isArray(s.stack)
  );
}

function isProcess(p: RecordedProcess | undefined): p is RecordedProcess {
  return !!p && finite(p.pid) && Array.isArray(p.threads) && p.threads.every((t) => finite(t?.id));
}

function isMetrics(m: Metrics | undefined): m is Metrics {
  return !!m && finite(m.atMs) && !!m.loopDelay;
}

/** A copy with `item` placed by key; live data almost always lands at the end. */
function insertSorted<T>(arr: readonly T[], item: T, key: (t: T) => number): T[] {
  const k = key(item);
  let i = arr.length;
  while (i > 0 && key(arr[i - 1]!) > k) i--;
  const out = arr.slice();
  out.splice(i, 0, item);
  return out;
}

/** The latest metrics sample, if any. */
export function latestMetrics(state: ViewState): Metrics | undefined {
  return state.metrics[state.metrics.length - 1];
}
