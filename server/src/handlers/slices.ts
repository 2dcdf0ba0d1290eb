/**
 * Time slicing: long work runs in batches sized to hold the event loop about {@link SLICE_MS}
 * at a time, so requests (hover, code actions) and edits are served in between.
 */

/** Time one batch may hold the event loop. */
export const SLICE_MS = 10;

/**
 * Lets pending I/O (requests, notifications, timers) run. Two turns: a request read from the
 * connection while a batch ran is dispatched from a setImmediate of the connection's queued
 * after ours, so one turn would start the next batch before serving it.
 */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/**
 * Runs `work` over `files` in batches sized so each takes about {@link SLICE_MS}, yielding to
 * the event loop between batches.
 */
export async function inBatches(
  files: string[],
  cancelled: () => boolean,
  work: (batch: string[]) => Promise<void>,
): Promise<void> {
  // One file first: a file of an opened document's imports can take tens of milliseconds alone.
  let size = 1;
  for (let i = 0; i < files.length && !cancelled();) {
    const batch = files.slice(i, i + size);
    i += batch.length;
    const t = performance.now();
    await work(batch);
    const ms = Math.max(performance.now() - t, 0.5);
    // Grow at most 2× per step: one lucky fast batch must not make the next one hold the loop.
    size = Math.max(1, Math.min(200, size * 2, Math.round((size * SLICE_MS) / ms)));
    await yieldToLoop();
  }
}
