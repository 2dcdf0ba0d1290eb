/**
 * The summary worker thread (`dist/summaryWorkerCore.js`, loaded by `summaryWorker.ts`): reads files and
 * summarises them, so a workspace scan's parsing (hundreds of milliseconds for one large file)
 * never holds the server's event loop. Requests and answers are plain data. With a summary
 * cache named in the request, files unchanged since a previous start come from it. It also
 * lists a scan's folders (on webpack's package tree the listing held the event loop 60-140 ms).
 */
import { parentPort } from 'node:worker_threads';
import { ignoreMatcher, listSourceFiles } from './analysis/files';
import { diskEntry } from './analysis/summaryCache';
import { DeferredCache } from './startup/deferredCache';
import { TypeResolver } from './analysis/typeCheck';
import { mark } from './trace';
import type { SummaryRequest, SummaryResponse } from './handlers/summaryWorkerClient';

let types: TypeResolver | undefined;
let cache: { key: string; cache: DeferredCache } | undefined;

/** The cache a request names (one kept: a server names the same one every time). */
function cacheFor(where: SummaryRequest['cache']): DeferredCache | undefined {
  if (!where) return undefined;
  const key = `${where.root}\0${where.engine}`;
  if (cache?.key !== key) cache = { key, cache: new DeferredCache(where.root, where.engine) };
  return cache.cache;
}

parentPort?.on('message', (request: SummaryRequest) => {
  const { id, files, cache: where, claims, flush, list } = request;
  mark('worker-request');
  if (flush) cache?.cache.flush();
  const listed = list && listSourceFiles([list.root], ignoreMatcher(list.dir, list.ignore), []);
  const c = cacheFor(where);
  const { hits = 0, bad = 0 } = c?.stats ?? {};
  const slots = claims ? new Int32Array(claims) : undefined;
  const entries: SummaryResponse['entries'] = files.map(() => null);
  let done = 0;
  // With claims, from the end: the event loop takes files from the start.
  for (let k = 0; k < files.length; k++) {
    const i = slots ? files.length - 1 - k : k;
    if (slots && Atomics.compareExchange(slots, i, 0, 1) !== 0) continue;
    const { file, extra } = files[i];
    entries[i] = diskEntry(file, c, { extra, types: () => (types ??= new TypeResolver()) });
    done++;
  }
  const answer: SummaryResponse = {
    id,
    entries,
    done,
    listed,
    cached: (c?.stats.hits ?? 0) - hits,
    bad: (c?.stats.bad ?? 0) - bad,
  };
  mark('worker-answer');
  parentPort!.postMessage(answer);
  // The cache files after the answer, once the requests already waiting are answered too.
  if (c) setImmediate(() => c.flush());
});
