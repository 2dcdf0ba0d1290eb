/**
 * "Blocked on what" for a local Linux target (docs/runtime.md "What a stall waited on"): a
 * JavaScript thread's looks during stalls (sampler.ts; the main thread here, each worker in
 * workerThreads.ts) and the threadpool's busy threads while the pool is saturated (pool.ts),
 * joined to the recording's stalls and metrics.
 */
import type { IDisposable } from '../../common/disposable';
import type { Metrics, Stall } from '../../shared/protocol/runtime';
import type { Liveness } from '../liveness';
import { poolSizeOf } from '../threads';
import { PoolWatch } from './pool';
import { WaitSampler } from './sampler';

export class BlockedOnWhat implements IDisposable {
  private readonly sampler: WaitSampler;
  private readonly pool: PoolWatch;
  private poolSize = 4;

  constructor(
    liveness: Pick<Liveness, 'runQueue' | 'readsSyscall'>,
    pid: number,
    /** Origin of stall times: the target's monotonic clock (µs) at the recording's start. */
    private readonly t0Us: number,
    note: (message: string) => void,
  ) {
    this.sampler = watchThreadWaits(liveness, pid, pid, note);
    this.pool = new PoolWatch(pid, () => this.poolSize);
    void poolSizeOf(pid).then((n) => (this.poolSize = n));
  }

  /** The stall with `waitingOn` when the main thread was looked at during it. */
  annotateStall(stall: Stall): Stall {
    return withWaitingOn(this.sampler, this.t0Us, stall);
  }

  annotateMetrics(m: Metrics): void {
    this.pool.annotate(m);
  }

  dispose(): void {
    this.sampler.dispose();
  }
}

/**
 * Looks at thread `tid` of `pid` while its loop may be blocked: the thread's /proc monitor
 * (its liveness) starts and stops the looks. One per JavaScript thread (main or worker).
 */
export function watchThreadWaits(
  liveness: Pick<Liveness, 'runQueue' | 'readsSyscall'>,
  pid: number,
  tid: number,
  note: (message: string) => void,
): WaitSampler {
  const sampler = new WaitSampler(pid, tid, note, liveness.readsSyscall);
  if (liveness.runQueue) liveness.runQueue.onSample = (idle) => sampler.onLoopSample(idle);
  return sampler;
}

/** `stall` with `waitingOn` when `sampler`'s thread was looked at during it (times from `t0Us`). */
export function withWaitingOn(sampler: WaitSampler, t0Us: number, stall: Stall): Stall {
  const s = t0Us + stall.startMs * 1000;
  const waitingOn = sampler.summary(s, s + stall.durationMs * 1000);
  return waitingOn ? { ...stall, waitingOn } : stall;
}
