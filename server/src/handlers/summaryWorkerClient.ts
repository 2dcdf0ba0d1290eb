/**
 * The server's side of the summary worker thread (see `summaryWorker.ts`): started on first use,
 * one request at a time per caller. When the worker cannot run (no bundle beside the server, a
 * crash), `summarize` answers undefined and the caller summarises on the event loop instead.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { FileEntry } from '../analysis/fileEntry';
import type { ExtraBlockingApi } from '../analysis/types';
import type { ILogger } from '../../../src/common/logger';

export interface SummaryRequest {
  id: number;
  files: { file: string; extra?: readonly ExtraBlockingApi[] }[];
  /** The on-disk summary cache to use (`SummaryCache` root and engine), if any. */
  cache?: { root: string; engine: string };
  /**
   * One slot per file, shared with the event loop, which may take some of these files itself:
   * the worker then goes from the last file to the first and summarises a file only when it
   * turns its slot from 0 to 1 (the event loop writes 2 into the slots it takes).
   */
  claims?: SharedArrayBuffer;
  /** Write the cache files the worker still keeps (it writes them after its answers) first. */
  flush?: boolean;
  /** List the source files of a folder (`listSourceFiles`, with the config's ignore globs). */
  list?: { root: string; dir: string; ignore?: string[] };
}

export interface SummaryResponse {
  id: number;
  /** In the order of the request; null for files the event loop claimed. */
  entries: (FileEntry | null)[];
  /** How many files the worker summarised (fewer than asked when some were claimed). */
  done?: number;
  /** The files of `list`. */
  listed?: string[];
  /** How many entries came from the summary cache. */
  cached?: number;
  /** How many cache files could not be decoded (ignored, and written again). */
  bad?: number;
}

export class SummaryWorkerClient {
  private worker: Worker | undefined;
  private broken = false;
  private nextId = 0;
  private readonly pending = new Map<number, (answer: SummaryResponse | undefined) => void>();

  constructor(
    private readonly script: string,
    private readonly log: ILogger,
  ) {}

  /** Entries of `files` (in order), summarised in the worker; undefined when it cannot run. */
  async summarize(
    files: SummaryRequest['files'],
    cache?: SummaryRequest['cache'],
  ): Promise<(FileEntry | null)[] | undefined> {
    return (await this.request(files, cache))?.entries;
  }

  /** As {@link summarize}, with the worker's whole answer. */
  request(
    files: SummaryRequest['files'],
    cache?: SummaryRequest['cache'],
    more: Pick<SummaryRequest, 'claims' | 'flush' | 'list'> = {},
  ): Promise<SummaryResponse | undefined> {
    const worker = this.start();
    if (!worker) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ id, files, cache, ...more } satisfies SummaryRequest);
    });
  }

  /** Starts the thread now (it loads its bundle while the server does other work). */
  warmUp(): void {
    this.start();
  }

  private start(): Worker | undefined {
    if (this.worker || this.broken) return this.worker;
    if (!existsSync(this.script)) {
      this.broken = true;
      return undefined;
    }
    try {
      const worker = new Worker(this.script);
      worker.unref();
      worker.on('message', (m: SummaryResponse) => {
        const done = this.pending.get(m.id);
        this.pending.delete(m.id);
        done?.(m);
      });
      worker.on('error', (e) => {
        this.log.error('lsp.worker', 'summary worker failed (scanning on the event loop):', e);
        this.stop();
      });
      worker.on('exit', () => this.stop());
      this.worker = worker;
    } catch (e) {
      this.log.error('lsp.worker', 'summary worker did not start:', e);
      this.broken = true;
    }
    return this.worker;
  }

  /** No more worker: what is pending is answered undefined (its callers do the work). */
  private stop(): void {
    this.broken = true;
    const worker = this.worker;
    this.worker = undefined;
    for (const done of this.pending.values()) done(undefined);
    this.pending.clear();
    void worker?.terminate().catch(() => undefined);
  }

  dispose(): void {
    this.stop();
  }

  /**
   * Ends the worker once it has written the cache files it kept (a server's shutdown; waits
   * at most `maxMs` for that, then ends it anyway).
   */
  async close(maxMs = 2000): Promise<void> {
    if (this.worker) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs)));
      await Promise.race([this.request([], undefined, { flush: true }), late]);
      clearTimeout(timer);
    }
    this.stop();
  }
}
