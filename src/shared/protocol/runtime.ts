/**
 * Plain data that crosses every boundary of the runtime engine: CLI, recording file, debug
 * adapter, extension host and webview. No imports, no side effects.
 */

/**
 * Why the loop was blocked, from the samples of the stall: the operation's own cause (`cpu`:
 * computing or converting data, however deep in Node; `sync-io`: waiting in a file or process
 * system call; `gc`; `native`: inside a native addon the recorder cannot see into), or
 * `starved`: the thread was mostly runnable but waiting for a CPU (the machine was busy), which
 * is no stall of the code.
 */
export type StallKind = 'cpu' | 'sync-io' | 'gc' | 'native' | 'starved';

/** The kinds that are the code's own doing (everything but `starved`). */
export type CodeStallKind = Exclude<StallKind, 'starved'>;

/** One frame; absolute path (or URL when no file), 1-based line and column, after source maps. */
export interface StackFrame {
  functionName: string;
  file: string;
  line: number;
  column: number;
}

/** The line that blocked: the deepest frame in the user's own code. */
export type Blame = StackFrame;

/** An installed package (from its own package.json). */
export interface PackageRef {
  name: string;
  version: string;
  /** The package the user's code called directly (or, with no user code, the outermost one). */
  direct?: boolean;
}

/** The packages a stall ran through between the user's code and the operation. */
export interface StallPackage {
  /** The package the operation ran in: the innermost of the chain that is no pass-through wrapper. */
  name: string;
  version: string;
  /** Outermost first; the one directly below the user's code is marked `direct`. */
  chain: PackageRef[];
}

/**
 * Where the blamed line came from: `profile` (the leaf's own line ticks), `stack` (a real stack
 * of the blocked thread, the stack probe), `static` (the call-site lookup in the function's
 * source), `definition` (nothing better: the function's first line).
 */
export type LineSource = 'profile' | 'stack' | 'static' | 'definition';

/** A starved stall: how much of it the thread waited for a CPU, and the machine's load. */
export interface Starvation {
  /** Share of the stall spent runnable but not running, 0..1. */
  waitShare: number;
  /** 1-minute load average of the machine (/proc/loadavg) when the stall was judged. */
  load1?: number;
  /** CPUs of the machine, to read the load against. */
  cpus?: number;
}

/** A JavaScript thread of the target: the main thread is id 0, a worker its `threadId`. */
export interface StallThread {
  id: number;
  /** The worker's `name` option when it was given one; `main` for the main thread. */
  name?: string;
}

export interface Stall {
  /** The process (version 2; absent in version 1 recordings: the target's). */
  pid?: number;
  /** The thread whose loop was blocked (version 2; absent in version 1: the main thread). */
  thread?: StallThread;
  /** Milliseconds since the recording started. */
  startMs: number;
  durationMs: number;
  kind: StallKind;
  blame?: Blame;
  /** Innermost first. */
  stack: StackFrame[];
  /** What blocked, by a human name: `JSON.stringify`, `fs.readFileSync`, `garbage collection`. */
  operation?: string;
  /** The installed packages the stack ran through; absent when none was involved. */
  package?: StallPackage;
  /** Where `blame.line` came from. */
  lineSource?: LineSource;
  /** When one stall mixed causes: each kind's share of its time (0..1), largest first. */
  kindShares?: Array<{ kind: CodeStallKind; share: number }>;
  /** Kind `starved` only. */
  starvation?: Starvation;
  /**
   * What the blocked thread did during the stall, by share of looks at it (local Linux targets):
   * `read /data/big.bin (D) 80 %, running 20 %`, `wait for child sleep 0.25 100 %`.
   */
  waitingOn?: string;
}

export interface Hotspot {
  file: string;
  line: number;
  functionName: string;
  totalMs: number;
  count: number;
  maxMs: number;
  /** The operation with the most blocked time on this line. */
  operation?: string;
  /** `name@version` of the package with the most blocked time on this line. */
  package?: string;
}

/** Blocked time per installed package (the package whose code ran the operation). */
export interface PackageHotspot {
  name: string;
  version: string;
  totalMs: number;
  count: number;
  maxMs: number;
  /** Its operations, most blocked time first (at most 3). */
  operations: string[];
  /** The user's lines that led into it (`file:line`), most blocked time first (at most 3). */
  lines: string[];
}

export type ThreadState = 'R' | 'S' | 'D' | 'Z' | 'T' | 'I' | string;

export interface ThreadInfo {
  tid: number;
  name: string;
  state: ThreadState;
}

/** Upper bounds (ms) of the loop delay histogram of each metrics sample (`loopDelay.hist`). */
export const LOOP_DELAY_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** Sampled once a second. */
export interface Metrics {
  /** Milliseconds since the recording started. */
  atMs: number;
  loopDelay: {
    p50: number;
    p99: number;
    max: number;
    /**
     * The interval's delays counted by {@link LOOP_DELAY_BUCKETS_MS} (each slot counts those up
     * to its bound and over the one before; a last slot for longer ones), and their sum (ms).
     */
    hist?: { counts: number[]; sumMs: number };
  };
  /** Event-loop utilization over the last interval, 0..1. */
  elu: number;
  heapUsed: number;
  activeResources: Record<string, number>;
  /** Local Linux targets only. */
  threads?: ThreadInfo[];
  /** All libuv pool threads busy while work is queued. */
  threadpoolSaturated?: boolean;
  /** While saturated: what the busy pool threads do (`read /tmp/a (S) ×2, running ×2`). */
  threadpoolWaitingOn?: string;
}

export interface TargetInfo {
  pid?: number;
  url: string;
  nodeVersion?: string;
  command?: string;
}

/** A recorded process and every JavaScript thread it had while it was recorded. */
/** A thread of a recorded process; one that exited during the recording says when. */
export interface RecordedThread extends StallThread {
  /** Milliseconds since the recording started (as a stall's `startMs`). */
  exitedAtMs?: number;
}

export interface RecordedProcess {
  pid: number;
  /** Its command line. */
  command?: string;
  /** The main thread first, then each worker that was recorded (those that exited too). */
  threads: RecordedThread[];
  /** The parent's pid when it was recorded too (a cluster worker, a forked child). */
  parentPid?: number;
}

/**
 * The recording file (`--out rec.json`). Version 2 adds `processes` and each stall's `pid` and
 * `thread`; a version 1 file opens as a version 2 recording of its one target's main thread.
 */
export interface Recording {
  /** 2 as written now; `parseRecording` upgrades a version 1 file. */
  version: 1 | 2;
  /** The first (or only) process recorded. */
  target: TargetInfo;
  /** Every process recorded, with its threads (version 2). */
  processes?: RecordedProcess[];
  /** ISO 8601. */
  startedAt: string;
  durationMs: number;
  thresholdMs: number;
  mode?: 'profile' | 'watch';
  /**
   * Whether a `starved` stall can be told from a code stall on this target (false without
   * /proc/<pid>/task/<tid>/schedstat: a remote or non-Linux target). Absent in old recordings.
   */
  starvationKnown?: boolean;
  stalls: Stall[];
  hotspots: Hotspot[];
  metrics: Metrics[];
  /**
   * Older stalls a long-running recorder forgot (it keeps the newest 10,000, and the last hour
   * of metrics); absent when none was.
   */
  droppedStalls?: number;
}

/** A local Node.js process as `loop-lens ps` and the VS Code picker list it. */
export interface ProcessTarget {
  pid: number;
  command: string;
  /** Inspector port when one is open and belongs to this pid. */
  inspectorPort?: number;
  /** Its parent process (a cluster primary for its workers). */
  ppid?: number;
}

/** The live stream of a recording session. */
export type RuntimeEvent =
  | { type: 'stall'; stall: Stall }
  | { type: 'metrics'; metrics: Metrics }
  /**
   * A metrics sample of another thread (a worker) or process (a child, a second `--pid`), once
   * a second each: for the fleet exports. `metrics` stays the first process's main thread.
   */
  | { type: 'threadMetrics'; pid?: number; thread: StallThread; metrics: Metrics }
  | { type: 'exit'; code?: number; reason: string }
  /** A thread is being recorded (its stalls are seen from now on), or it exited. */
  | { type: 'thread'; pid?: number; thread: StallThread; state: 'recording' | 'exited' }
  | { type: 'error'; message: string };
