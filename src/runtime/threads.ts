/**
 * Threads of a local Linux process from /proc/<pid>/task/<tid>/stat (the `ps -T` view): state
 * R running, S sleeping, D uninterruptible I/O. Node names every thread `node`, so the libuv
 * pool is recognised by state, not name: saturation = at least `poolSize` threads other than the
 * main one running or in I/O while work is queued.
 */
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import type { ThreadInfo } from '../shared/protocol/runtime';

/**
 * Synchronously: procfs answers from memory in microseconds, where the promise API costs a
 * pool round trip per open, read and close of each thread's file. Measured on an idle target
 * (8 threads, read once a second): the promise version was most of the recorder's own idle
 * CPU in watch mode (npm run bench -- fleet).
 */
export function readThreads(pid: number): ThreadInfo[] | undefined {
  let tids: string[];
  try {
    // loop-lens-ignore-next-line sync-fs -- procfs, answered from memory
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const out: ThreadInfo[] = [];
  for (const t of tids) {
    let stat: string;
    try {
      // loop-lens-ignore-next-line sync-fs -- procfs, answered from memory
      stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // "tid (comm) S ...": comm may contain spaces and parentheses, so split at the last ')'.
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    if (open < 0 || close < 0) continue;
    out.push({
      tid: Number(t),
      name: stat.slice(open + 1, close),
      state: stat.slice(close + 2, close + 3),
    });
  }
  return out.sort((a, b) => a.tid - b.tid);
}

/** libuv's pool size as the target sees it (UV_THREADPOOL_SIZE, default 4). */
export async function poolSizeOf(pid: number): Promise<number> {
  const env = await fs.readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
  const m = /(?:^|\0)UV_THREADPOOL_SIZE=(\d+)/.exec(env);
  return m ? Math.max(1, Math.min(1024, Number(m[1]))) : 4;
}

/**
 * All pool threads busy while work waits. `queued` is what the target reports as pending
 * (fs requests and other async resources); crypto jobs are not counted there, so a busy pool
 * seen in two snapshots in a row also counts.
 */
export function isThreadpoolSaturated(
  threads: ThreadInfo[],
  pid: number,
  poolSize: number,
  queued: number,
  busyBefore: boolean,
): { saturated: boolean; busy: boolean } {
  const busy =
    threads.filter((t) => t.tid !== pid && (t.state === 'R' || t.state === 'D')).length >= poolSize;
  return { saturated: busy && (queued > poolSize || busyBefore), busy };
}
