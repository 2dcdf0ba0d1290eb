/**
 * Entry of the summary worker thread (`dist/summaryWorker.js`): runs the worker itself
 * (`dist/summaryWorkerCore.js`, from `summaryWorkerCore.ts`) through a V8 code cache, as the
 * server does, so the thread is ready before the first files it is sent. A thread that ran
 * without a cache writes one after its first answer (a terminated thread has no `exit` event).
 */
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { loadCached } from './codeCache';

import { mark } from './trace';

mark('worker-load');
const { used, save } = loadCached(join(__dirname, 'summaryWorkerCore.js'));
mark('worker-loaded');
// After the core's own listener: the functions that summarised the first files are compiled.
if (!used) parentPort?.once('message', () => setImmediate(save));
