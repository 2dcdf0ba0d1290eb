/**
 * Plain data that crosses every boundary of the runtime engine: CLI, recording file, debug
 * adapter, extension host and webview. No imports, no side effects.
 */

/** Why the loop was blocked, from the samples of the stall. */
export type StallKind = 'cpu' | 'sync-io' | 'gc' | 'native';

/** One frame; absolute path (or URL when no file), 1-based line and column, after source maps. */
export interface StackFrame {
  functionName: string;
  file: string;
  line: number;
  column: number;
}

/** The line that blocked: the deepest frame in the user's own code. */
export type Blame = StackFrame;

export interface Stall {
  /** Milliseconds since the recording started. */
  startMs: number;
  durationMs: number;
  kind: StallKind;
  blame?: Blame;
  /** Innermost first. */
  stack: StackFrame[];
}

export interface Hotspot {
  file: string;
  line: number;
  functionName: string;
  totalMs: number;
  count: number;
  maxMs: number;
}

export type ThreadState = 'R' | 'S' | 'D' | 'Z' | 'T' | 'I' | string;

export interface ThreadInfo {
  tid: number;
  name: string;
  state: ThreadState;
}

/** Sampled once a second. */
export interface Metrics {
  /** Milliseconds since the recording started. */
  atMs: number;
  loopDelay: { p50: number; p99: number; max: number };
  /** Event-loop utilization over the last interval, 0..1. */
  elu: number;
  heapUsed: number;
  activeResources: Record<string, number>;
  /** Local Linux targets only. */
  threads?: ThreadInfo[];
  /** All libuv pool threads busy while work is queued. */
  threadpoolSaturated?: boolean;
}

export interface TargetInfo {
  pid?: number;
  url: string;
  nodeVersion?: string;
  command?: string;
}

/** The recording file (`--out rec.json`), version 1. */
export interface Recording {
  version: 1;
  target: TargetInfo;
  /** ISO 8601. */
  startedAt: string;
  durationMs: number;
  thresholdMs: number;
  mode?: 'profile' | 'watch';
  stalls: Stall[];
  hotspots: Hotspot[];
  metrics: Metrics[];
}

/** A local Node.js process as `loop-lens ps` and the VS Code picker list it. */
export interface ProcessTarget {
  pid: number;
  command: string;
  /** Inspector port when one is open and belongs to this pid. */
  inspectorPort?: number;
}

/** The live stream of a recording session. */
export type RuntimeEvent =
  | { type: 'stall'; stall: Stall }
  | { type: 'metrics'; metrics: Metrics }
  | { type: 'exit'; code?: number; reason: string }
  | { type: 'error'; message: string };
