/**
 * The summary worker thread (`dist/summaryWorkerCore.js`, loaded by `summaryWorker.ts`): reads files and
 * summarises them, so a workspace scan's parsing (hundreds of milliseconds for one large file)
 * never holds the server's event loop. Requests and answers are plain data. With a summary
 * cache named in the request, files unchanged since a previous start come from it.
 */
import { parentPort } from 'node:worker_threads';
import { diskEntry, SummaryCache } from './analysis/summaryCache';
import { TypeResolver } from './analysis/typeCheck';
import type { SummaryRequest, SummaryResponse } from './handlers/summaryWorkerClient';

let types: TypeResolver | undefined;
let cache: { key: string; cache: SummaryCache } | undefined;

/** The cache a request names (one kept: a server names the same one every time). */
function cacheFor(where: SummaryRequest['cache']): SummaryCache | undefined {
  if (!where) return undefined;
  const key = `${where.root}\0${where.engine}`;
  if (cache?.key !== key) cache = { key, cache: new SummaryCache(where.root, where.engine) };
  return cache.cache;
}

parentPort?.on('message', ({ id, files, cache: where }: SummaryRequest) => {
  const c = cacheFor(where);
  const { hits = 0, bad = 0 } = c?.stats ?? {};
  const entries = files.map(({ file, extra }) =>
    diskEntry(file, c, { extra, types: () => (types ??= new TypeResolver()) }),
  );
  const answer: SummaryResponse = {
    id,
    entries,
    cached: (c?.stats.hits ?? 0) - hits,
    bad: (c?.stats.bad ?? 0) - bad,
  };
  parentPort!.postMessage(answer);
});
