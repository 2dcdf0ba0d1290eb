/**
 * What occupies libuv's threadpool of a local target: when more pool work is pending than the
 * pool has threads (or the pool was seen saturated), each thread other than the main one is
 * looked at once (observe.ts); the ones not idle (not in a futex or poll wait) are the pool's
 * busy threads, named by what they do (`read /tmp/a.fifo (S) ×2, running ×2`). Runs once per
 * metrics sample, and only then: a pool with work for every thread costs nothing to watch.
 */
import type { Metrics } from '../../shared/protocol/runtime';
import { POOL_WORK } from '../metricsPoller';
import { countLabels, observeThread } from './observe';

/** Pool work the target reports pending (fs requests, look-ups, zlib; not async crypto). */
export function pendingPoolWork(res: Record<string, number>): number {
  return Object.entries(res)
    .filter(([k]) => POOL_WORK.test(k))
    .reduce((n, [, v]) => n + v, 0);
}

export class PoolWatch {
  constructor(
    private readonly pid: number,
    private readonly poolSize: () => number,
  ) {}

  /**
   * Adds `threadpoolWaitingOn` (and marks the pool saturated when every pool thread is busy
   * while work waits) to a metrics sample of this target.
   */
  annotate(m: Metrics): void {
    const size = this.poolSize();
    const pending = pendingPoolWork(m.activeResources);
    if (!m.threadpoolSaturated && pending <= size) return;
    const busy: string[] = [];
    for (const t of m.threads ?? []) {
      if (t.tid === this.pid) continue;
      const o = observeThread(this.pid, t.tid);
      if (o && !o.idle) busy.push(o.label);
    }
    // A pool thread asleep in a read of a slow file or socket is as busy as a running one.
    if (busy.length >= size && pending > size) m.threadpoolSaturated = true;
    if (!m.threadpoolSaturated) return;
    const what = countLabels(busy);
    if (what) m.threadpoolWaitingOn = what;
  }
}
