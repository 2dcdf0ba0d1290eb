/** What the recording session gives a mode driver (profile or watch), and what it expects back. */
import type { ILogger } from '../common/logger';
import type { Stall } from '../shared/protocol/runtime';
import type { AgentMessage } from './agent';
import type { Attributor } from './attribution';
import type { IInspectorSession } from './inspectorSession';

export interface ModeContext {
  readonly session: IInspectorSession;
  readonly attributor: Attributor;
  readonly thresholdMs: number;
  /** Unique per recorder: names the console.profile bridge, so two recorders do not collide. */
  readonly id: string;
  /** Global name of the agent in the target (the stack probe reads its last beat). */
  readonly agentKey: string;
  /** What changes once the recorder knows the target better: ask it when needed. */
  readonly liveness: ILiveness;
  emitStall(stall: Stall): void;
  readonly logger: ILogger;
}

/**
 * How the recorder knows the target's loop, asked by the modes and the stack probe at the time
 * they need it: a local Linux target is watched in /proc once attached, and the agent's beat is
 * tuned to that (liveness.ts).
 */
export interface ILiveness {
  /** The agent's beat period now (ms). */
  heartbeatMs(): number;
  /** How often the agent sends a tick now (0: never; a local target's liveness is /proc). */
  tickEveryMs(): number;
  /**
   * The local target's main thread as /proc shows it, once its liveness comes from there;
   * undefined for a remote target (and before).
   */
  loop(): LoopWatch | undefined;
  /**
   * When a stall that ended at `eUs`, after the beat at `sUs`, began: narrowed by the local
   * /proc samples, else `fallbackUs`.
   */
  stallStart(sUs: number, eUs: number, fallbackUs: number): number;
  /** Local target: the last time within (sUs, eUs) its loop was seen idle, if it was. */
  lastIdleWithin(sUs: number, eUs: number): number | undefined;
  /**
   * How long (µs) the target waited for a CPU within [sUs, eUs] (local Linux targets; 0 when
   * unknown). A stall counts only if what remains after this is still over the threshold.
   */
  runQueueWaitUs(sUs: number, eUs: number): Promise<number>;
  /** On-CPU time (µs) of the target's main thread within about [sUs, eUs]; undefined if unknown. */
  mainThreadCpuUs(sUs: number, eUs: number): number | undefined;
  /** A /proc sample within (sUs, eUs) saw the thread asleep in a sync call, not in its loop. */
  sleptOutsideLoop?(sUs: number, eUs: number): boolean;
}

/** A local target's main thread in /proc (RunQueueMonitor). */
export interface LoopWatch {
  /** When it was last seen idle in the loop's epoll wait (our monotonic clock = the target's, µs). */
  idleAt(): number;
  /**
   * How long (µs) it may have been blocking the loop since `sUs` (on a CPU, or asleep outside
   * the loop's wait), read now (RunQueueMonitor.activeSince); undefined when unknown.
   */
  activeSince(sUs: number): number | undefined;
  /**
   * Calls `listener` after each /proc sample with whether it saw the loop surely idle in its own
   * wait; returns the function that stops it. Absent: no samples to follow (tests).
   */
  onSample?(listener: (idle: boolean) => void): () => void;
}

export interface IModeDriver {
  /** Enables what the mode needs in the target, before the agent is installed. */
  start(): Promise<void>;
  /**
   * Called after the agent is installed; `t0Us` is the target's monotonic clock (µs) at the
   * start of the recording, the origin of stall times.
   */
  begin(t0Us: number): void;
  onAgentMessage(m: AgentMessage): void;
  /** Collects what is still pending (final profile chunk, open gaps); never throws. */
  flush(): Promise<void>;
  /** Turns off what `start` enabled in the target (commands only; the caller bounds the wait). */
  teardown(): Promise<void>;
  dispose(): void;
  cpuProfile(): unknown | undefined;
}

/** Rounds microseconds to milliseconds with one decimal. */
export function usToMs(us: number): number {
  return Math.round(us / 100) / 10;
}
