/** What the recording session gives a mode driver (profile or watch), and what it expects back. */
import type { ILogger } from '../common/logger';
import type { Stall } from '../shared/protocol/runtime';
import type { AgentMessage } from './agent';
import type { Attributor } from './attribution';
import type { IInspectorSession } from './inspectorSession';

export interface ModeContext {
  session: IInspectorSession;
  attributor: Attributor;
  thresholdMs: number;
  /** Unique per recorder: names the console.profile bridge, so two recorders do not collide. */
  id: string;
  /** Global name of the agent in the target (the stack probe reads its last beat). */
  agentKey: string;
  heartbeatMs: number;
  /** How often the agent sends a tick (0: never; a local target's liveness comes from /proc). */
  tickEveryMs: number;
  /**
   * Local target: when its main thread was last seen idle in the loop's epoll wait (our
   * monotonic clock, µs, which is the target's); undefined for a remote target.
   */
  loopIdleAt?: () => number;
  /**
   * Local target: how long (µs) its main thread may have been blocking the loop since `sUs`
   * (on a CPU, or asleep outside the loop's wait), read now (RunQueueMonitor.activeSince);
   * undefined when unknown.
   */
  loopActiveSince?: (sUs: number) => number | undefined;
  /**
   * When a stall that ended at `eUs`, after the beat at `sUs`, began: narrowed by the local
   * /proc samples, else `fallbackUs`.
   */
  stallStart(sUs: number, eUs: number, fallbackUs: number): number;
  /** Local target: the last time within (sUs, eUs) its loop was seen idle, if it was. */
  lastIdleWithin(sUs: number, eUs: number): number | undefined;
  /** The target runs on this machine: its monotonic clock is ours (set once attached). */
  sameClock: boolean;
  emitStall(stall: Stall): void;
  /**
   * How long (µs) the target waited for a CPU within [sUs, eUs] (local Linux targets; 0 when
   * unknown). A stall counts only if what remains after this is still over the threshold.
   */
  runQueueWaitUs(sUs: number, eUs: number): Promise<number>;
  /** On-CPU time (µs) of the target's main thread within about [sUs, eUs]; undefined if unknown. */
  mainThreadCpuUs(sUs: number, eUs: number): number | undefined;
  logger: ILogger;
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
