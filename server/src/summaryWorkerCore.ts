/**
 * The summary worker thread (`dist/summaryWorkerCore.js`, loaded by `summaryWorker.ts`): reads files and
 * summarises them, so a workspace scan's parsing (hundreds of milliseconds for one large file)
 * never holds the server's event loop. Requests and answers are plain data.
 */
import { parentPort } from 'node:worker_threads';
import { readSource } from './analysis/files';
import { summarizeEntry } from './analysis/fileEntry';
import { TypeResolver } from './analysis/typeCheck';
import type { SummaryRequest, SummaryResponse } from './handlers/summaryWorkerClient';

let types: TypeResolver | undefined;

parentPort?.on('message', ({ id, files }: SummaryRequest) => {
  const entries = files.map(({ file, extra }) =>
    summarizeEntry(file, readSource(file), {
      extra,
      types: () => (types ??= new TypeResolver()),
    }),
  );
  const answer: SummaryResponse = { id, entries };
  parentPort!.postMessage(answer);
});
