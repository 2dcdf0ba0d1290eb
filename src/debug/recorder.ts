/**
 * The one place the debug adapter and the runtime UI reach the runtime engine: recording with
 * cancellation, and the local process list for the picker.
 */
import { listNodeProcesses, startRecording } from '../runtime';
import type { ProcessTarget } from '../shared/protocol/runtime';
import type { RecorderFactory } from './stallDebugSession';

/**
 * Starts a recording; an abort rejects at once and stops the session if it connects later, so a
 * cancelled attach never leaves a profiler running in the target.
 */
export const recorderFactory: RecorderFactory = (opts, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('cancelled'));
    const onAbort = () => reject(new Error('cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    startRecording(opts).then(
      (session) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) void session.stop().catch(() => undefined);
        else resolve(session);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });

/** Local Node.js processes with their inspector state. */
export function listProcesses(): Promise<ProcessTarget[]> {
  return listNodeProcesses();
}
