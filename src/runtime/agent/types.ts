/** What the recorder and the agent it installs in the target (loopAgent.ts) say to each other. */
import type * as perfHooks from 'node:perf_hooks';

export interface AgentConfig {
  /** Global name of the agent object; unique per recorder so two recorders do not collide. */
  key: string;
  /** Global name of the binding (`Runtime.addBinding`). */
  binding: string;
  thresholdMs: number;
  /** Heartbeat period. */
  tickMs: number;
  /** Send a tick at least this often (0 = never). */
  tickEveryMs: number;
  /** Each gap carries the process's CPU time within it (one getrusage per beat). */
  cpu: boolean;
  /**
   * Self-removal after this many ms without a `metrics()` poll (the recorder polls once a
   * second): a recorder that died leaves nothing running for long.
   */
  leaseMs: number;
  /** The beat rests while the loop is quiet; a native timer keeps watch (loopAgent.ts). */
  lazy?: boolean;
}

/** What `tune` may change once the recorder knows more about the target. */
export type AgentTuning = Pick<AgentConfig, 'tickMs' | 'tickEveryMs' | 'cpu' | 'lazy'>;

/** What the binding carries; times are the target's monotonic clock in microseconds. */
export type AgentMessage =
  /**
   * A heartbeat gap [s, e]; `cpu` = process CPU time (µs, all threads) spent within it; `w`:
   * found by a woken lazy beat (s is the native timer's last firing before the stall); `l`: that
   * stall had ended before the probe came, so [s, e] is late by the time in between.
   */
  { type: 'gap'; s: number; e: number; cpu?: number; w?: 1; l?: 1 } | { type: 'tick'; t: number };

/** The answer of the install expression. */
export interface AgentHello {
  t: number;
  pid: number;
  version: string;
  argv: string[];
  execArgv: string[];
  platform: string;
}

/** One poll of `metrics()`; delays in ms. */
export interface AgentMetrics {
  t: number;
  p50: number;
  p99: number;
  max: number;
  elu: number;
  heapUsed: number;
  res: Record<string, number>;
  /** The interval's beat lags (ms), for a delay histogram; absent from older agents. */
  l?: number[];
}

/** The agent object under `globalThis[cfg.key]`. */
export interface AgentApi {
  /** JSON of {@link AgentMetrics}; renews the lease. */
  metrics(): string;
  /** The stack probe's call: the last beat (0 while the beat rested; this wakes it). */
  probed(busy: boolean): number;
  tune(t: AgentTuning): true;
  dispose(): void;
  /** Beats so far (tests wait on it instead of sleeping). */
  readonly beats: number;
  /** A lazy beat is resting (tests). */
  readonly resting: boolean;
}

/** The part of Node's `require` the agent uses. */
export type AgentRequire = (id: 'perf_hooks') => typeof perfHooks;
