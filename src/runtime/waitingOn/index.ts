/**
 * "Blocked on what" for a local Linux target (docs/runtime.md "What a stall waited on"): the
 * main thread's looks during stalls (sampler.ts) and the threadpool's busy threads while the
 * pool is saturated (pool.ts), joined to the recording's stalls and metrics.
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
    this.sampler = new WaitSampler(pid, pid, note, liveness.readsSyscall);
    this.pool = new PoolWatch(pid, () => this.poolSize);
    void poolSizeOf(pid).then((n) => (this.poolSize = n));
    if (liveness.runQueue) liveness.runQueue.onSample = (idle) => this.sampler.onLoopSample(idle);
  }

  /** The stall with `waitingOn` when the main thread was looked at during it. */
  annotateStall(stall: Stall): Stall {
    const s = this.t0Us + stall.startMs * 1000;
    const waitingOn = this.sampler.summary(s, s + stall.durationMs * 1000);
    return waitingOn ? { ...stall, waitingOn } : stall;
  }

  annotateMetrics(m: Metrics): void {
    this.pool.annotate(m);
  }

  dispose(): void {
    this.sampler.dispose();
  }
}
