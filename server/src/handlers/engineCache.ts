/**
 * The language server's side of the on-disk summary cache (`analysis/summaryCache.ts`): which
 * cache this build uses, the buffers to store once the event loop has summarised them, and how
 * many summaries came from it (reported when the scan ends).
 */
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FileEntry } from '../analysis/fileEntry';
import { engineId, pruneOtherEngines, SummaryCache } from '../analysis/summaryCache';
import type { FileSummary } from '../analysis/summaryTypes';
import type { ExtraBlockingApi } from '../analysis/types';

/** Where summaries go unless the client names a folder (`initializationOptions.summaryCacheDir`). */
export const defaultCacheRoot = path.join(tmpdir(), 'loop-lens', 'summaries');

/** Caches of other builds unused for this long are removed (each build has its own). */
const OTHER_BUILDS_KEPT_MS = 7 * 24 * 3600_000;

/** The cache root from the initialization options: a folder, or `false` for none. */
export function cacheRootFrom(options: unknown): string | undefined {
  const dir = (options as { summaryCacheDir?: unknown } | null | undefined)?.summaryCacheDir;
  if (dir === false) return undefined;
  return typeof dir === 'string' && dir ? dir : defaultCacheRoot;
}

export class EngineCache {
  readonly cache: SummaryCache | undefined;
  readonly where: { root: string; engine: string } | undefined;
  /** Summaries the worker took from the cache. */
  private workerHits = 0;
  private workerTotal = 0;
  private workerBad = 0;
  /** Buffers (file → text) summarised on the event loop, stored after their analysis. */
  private readonly toStore = new Map<string, string>();

  /** `bundleDir` holds the summarising bundles; without them (tests from source) no cache. */
  constructor(root: string | undefined, bundleDir: string) {
    const engine = root
      ? engineId([
          path.join(bundleDir, 'serverCore.js'),
          path.join(bundleDir, 'summaryWorkerCore.js'),
        ])
      : undefined;
    this.where = root && engine ? { root, engine } : undefined;
    this.cache = this.where ? new SummaryCache(this.where.root, this.where.engine) : undefined;
    const { where } = this;
    // Off the start's path: after the first diagnostics are out.
    if (where) {
      setTimeout(
        () => pruneOtherEngines(where.root, where.engine, OTHER_BUILDS_KEPT_MS),
        30_000,
      ).unref();
    }
  }

  /** The cached entry of an opened buffer's text; on a miss it is stored after its analysis. */
  bufferEntry(
    file: string,
    text: string,
    extra: readonly ExtraBlockingApi[] | undefined,
  ): FileEntry | undefined {
    if (!this.cache) return undefined;
    const hit = this.cache.forText(file, text, extra);
    if (!hit) this.toStore.set(file, text);
    return hit;
  }

  /** After an analysis: stores the summaries of buffers that missed. */
  stored(
    summaryOf: (file: string) => FileSummary | undefined,
    extraOf: (file: string) => readonly ExtraBlockingApi[] | undefined,
  ): void {
    if (!this.cache) return;
    for (const [file, text] of this.toStore) {
      const summary = summaryOf(file);
      if (summary) this.cache.put(file, text, undefined, extraOf(file), { summary });
    }
    this.toStore.clear();
  }

  /** A buffer changed before its analysis stored it: its summary is of another text. */
  forget(file: string): void {
    this.toStore.delete(file);
  }

  /** Counts a worker answer. */
  fromWorker(total: number, cached: number, bad: number): void {
    this.workerTotal += total;
    this.workerHits += cached;
    this.workerBad += bad;
  }

  /** `N of M summaries from the cache`, or '' without a cache. */
  report(): string {
    if (!this.cache) return '';
    const { hits, misses } = this.cache.stats;
    const bad = this.cache.stats.bad + this.workerBad;
    const total = hits + misses + this.workerTotal;
    const reused = hits + this.workerHits;
    return `${reused} of ${total} summaries from the cache${bad ? ` (${bad} unreadable cache files ignored)` : ''}`;
  }
}
