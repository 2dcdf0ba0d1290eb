/**
 * A summary cache whose writes wait until {@link DeferredCache.flush}. On a first start every
 * summary made is written to the cache, and creating those files cost as much as summarising
 * (a CPU profile of the worker on the bench's 1,000-file project: 630 ms in `put`, 610 ms in
 * `summarize`, most of the former in `open`): the worker answers first and writes afterwards.
 */
import { SummaryCache } from '../analysis/summaryCache';

export class DeferredCache extends SummaryCache {
  private readonly writes: (() => void)[] = [];

  override put(...args: Parameters<SummaryCache['put']>): void {
    this.writes.push(() => super.put(...args));
  }

  /** Writes what {@link put} kept. */
  flush(): void {
    for (const write of this.writes.splice(0)) write();
  }
}
