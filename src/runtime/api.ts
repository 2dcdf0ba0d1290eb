/**
 * The contract of the runtime engine, consumed by the CLI (`loop-lens record`), the debug
 * adapter and the VS Code layer. Implemented in this folder; no `vscode` import.
 */
import type { Event } from '../common/events';
import type { ILogger } from '../common/logger';
import type { Recording, RuntimeEvent, TargetInfo } from '../shared/protocol/runtime';

/** How to reach the process to record. */
export type TargetSpec =
  | {
      kind: 'port';
      port: number;
      host?: string;
      /**
       * A launched target's child process: it may wait at its first line (an inherited
       * `--inspect-brk`) and is let run once attached.
       */
      child?: boolean;
    }
  | { kind: 'ws'; url: string }
  | { kind: 'pid'; pid: number }
  | {
      kind: 'launch';
      command: string;
      args: string[];
      cwd?: string;
      env?: Record<string, string>;
    };

/** Receives a launched program's output. */
export type OutputSink = (category: 'stdout' | 'stderr', text: string) => void;

export interface RecordOptions {
  target: TargetSpec;
  /** A stall is a blocked loop longer than this (default 50). */
  thresholdMs?: number;
  /** Profiler sampling interval in microseconds (default 10000: see DEFAULT_SAMPLING_US). */
  samplingIntervalUs?: number;
  /** `profile` (default): continuous sampling; `watch`: loop delay + one snapshot per stall. */
  mode?: 'profile' | 'watch';
  /** Map paths of a remote process to local files (as vscode-js-debug's localRoot/remoteRoot). */
  localRoot?: string;
  remoteRoot?: string;
  /**
   * `launch` targets: where the program's output goes, as it arrives (stderr without the
   * inspector's own banner lines). Default: this process's stdout/stderr (the CLI).
   */
  onOutput?: OutputSink;
  /**
   * `pid` targets whose inspector SIGUSR1 opened: leave it listening after `stop()` (default:
   * close it again, unless another Loop Lens recording is attached).
   */
  keepInspector?: boolean;
  /** Connect timeout (default 5000). */
  connectTimeoutMs?: number;
  /** Where the engine's log lines go (tags `runtime.*`, `cdp`, `agent`, `attribution`, `targets`). */
  logger?: ILogger;
  /** More targets recorded with `target` as one recording (several processes picked). */
  alsoTargets?: TargetSpec[];
  /**
   * `launch` targets: also record the Node.js child processes the target starts (cluster
   * workers, `fork`, `spawn('node')`); default true.
   */
  children?: boolean;
  /** For benchmarks and diagnosis only (docs/runtime.md "Tuning"); users keep the defaults. */
  tuning?: RecordTuning;
}

/** Knobs of the recorder's design, for benchmarks and diagnosis (docs/runtime.md "Tuning"). */
export interface RecordTuning {
  /**
   * How the recorder learns that the loop is blocked right now. `auto` (default): /proc for a
   * local Linux target, ticks otherwise; `ticks`: the remote scheme everywhere; `wchan`: /proc
   * without reading `syscall` (as under ptrace restrictions); `eager`: /proc, but the agent's
   * beat never rests.
   */
  liveness?: 'auto' | 'ticks' | 'wchan' | 'eager';
  /** The agent's beat (ms; default 20 remote, 40 local); a beat near the threshold reads as gaps. */
  heartbeatMs?: number;
  /** Profile mode: how often the profiler is rotated when no stall does it (ms, default 5000). */
  rotateMs?: number;
  /** Profile mode: how many times less often workers and child processes sample (default 4). */
  isolateSampling?: number;
  /** `false`: no "blocked on what" looks at a local target's threads (what they cost: benchmarks). */
  waitingOn?: boolean;
}

/** A live recording. `stop()` detaches and leaves the target as it was. */
export interface IRecordingSession {
  readonly target: TargetInfo;
  /** Stalls, metrics, target exit and errors, as they happen. */
  readonly onEvent: Event<RuntimeEvent>;
  /** What was recorded so far (valid even after the target died). */
  snapshot(): Recording;
  /** The raw merged CPU profile so far, for `--cpuprofile` (profile mode only). */
  cpuProfile(): unknown | undefined;
  /** Stops the profiler, removes what was injected, detaches; resolves with the final recording. */
  stop(): Promise<Recording>;
  /** After `stop()`: what became of an inspector the recording opened (`--pid`), if it did. */
  readonly detachNote?: string;
}
