/**
 * Which thread an evaluate runs in: Node's `threadId` (0 on the main thread) and, on Linux, the
 * kernel's task id (`/proc/thread-self`), so the recorder can watch a worker's loop in
 * /proc/<pid>/task/<tid> as it watches the main thread's. Self-contained (remote.ts): it runs in
 * the target.
 */
export function threadOfTarget(req: (id: 'worker_threads' | 'fs') => unknown): string {
  const wt = req('worker_threads') as { threadId: number };
  let tid = 0;
  try {
    const fs = req('fs') as { readlinkSync(p: string): string };
    // "<pid>/task/<tid>": the task of the thread that runs this call.
    tid = Number(fs.readlinkSync('/proc/thread-self').split('/')[2]) || 0;
  } catch {
    // Not Linux, or no procfs: liveness by ticks.
  }
  return JSON.stringify({ threadId: wt.threadId, tid, pid: process.pid });
}
