/**
 * How the recorder knows the target's loop (modeDriver.ts `ILiveness`): the agent's beat and
 * ticks, and for a local Linux target its main thread in /proc (runQueue.ts). Starts with the
 * remote scheme; `watchLocal` switches to /proc once the agent was tuned for it (see
 * docs/runtime.md "How a stall is found").
 */
import type { IDisposable } from '../common/disposable';
import type { RecordTuning } from './api';
import type { AgentTuning } from './agent';
import { localTuning } from './localLiveness';
import type { ILiveness, LoopWatch } from './modeDriver';
import { RunQueueMonitor } from './runQueue';

export class Liveness implements ILiveness, IDisposable {
  private beatMs: number;
  private tickMs: number;
  private monitor: RunQueueMonitor | undefined;
  private watch: LoopWatch | undefined;

  constructor(
    beat: { heartbeatMs: number; tickEveryMs: number },
    private readonly tuning: RecordTuning = {},
  ) {
    this.beatMs = beat.heartbeatMs;
    this.tickMs = beat.tickEveryMs;
  }

  /** The /proc monitor of a local target (its CPU and run-queue figures), once started. */
  get runQueue(): RunQueueMonitor | undefined {
    return this.monitor;
  }

  /** Whether /proc/<pid>/task/<tid>/syscall may be read (not with tuning `liveness: 'wchan'`). */
  get readsSyscall(): boolean {
    return this.tuning.liveness !== 'wchan';
  }

  /** Starts watching a local thread (`tid`, default the main one) in /proc (its figures help every scheme). */
  startMonitor(pid: number, tid = pid, idleSampleMs?: number): RunQueueMonitor {
    this.monitor = new RunQueueMonitor(pid, this.tuning.liveness !== 'wchan', tid, idleSampleMs);
    this.monitor.start();
    return this.monitor;
  }

  /**
   * The agent's beat for /proc liveness, or undefined where it does not apply (remote target,
   * tuning `ticks`, /proc giving no samples).
   */
  localTuning(thresholdMs: number): AgentTuning | undefined {
    const rq = this.monitor;
    if (!rq || this.tuning.liveness === 'ticks') return undefined;
    const t = localTuning(rq, thresholdMs, this.tuning.heartbeatMs);
    if (t && this.tuning.liveness === 'eager') t.lazy = false;
    return t;
  }

  /** The agent now beats as `t` says: the loop's liveness comes from /proc. */
  useLocal(t: AgentTuning): void {
    const rq = this.monitor;
    if (!rq) return;
    this.beatMs = t.tickMs;
    this.tickMs = t.tickEveryMs;
    this.watch = {
      idleAt: () => rq.lastIdleUs(),
      activeSince: (sUs) => rq.activeSince(sUs),
      onSample: (listener) => rq.addSampleListener(listener),
    };
  }

  heartbeatMs(): number {
    return this.beatMs;
  }

  tickEveryMs(): number {
    return this.tickMs;
  }

  loop(): LoopWatch | undefined {
    return this.watch;
  }

  stallStart(sUs: number, eUs: number, fallbackUs: number): number {
    return this.monitor?.startAfter(sUs, eUs, fallbackUs) ?? fallbackUs;
  }

  lastIdleWithin(sUs: number, eUs: number): number | undefined {
    return this.monitor?.lastIdleWithin(sUs, eUs);
  }

  runQueueWaitUs(sUs: number, eUs: number): Promise<number> {
    return this.monitor?.waitDuringSettled(sUs, eUs) ?? Promise.resolve(0);
  }

  sleptOutsideLoop(sUs: number, eUs: number): boolean {
    return this.monitor?.sleptOutsideLoop(sUs, eUs) ?? false;
  }

  mainThreadCpuUs(sUs: number, eUs: number): number | undefined {
    return this.monitor?.cpuDuring(sUs, eUs);
  }

  dispose(): void {
    this.monitor?.dispose();
    this.watch = undefined;
  }
}
