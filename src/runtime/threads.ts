/**
 * Threads of a local Linux process from /proc/<pid>/task/<tid>/stat (the `ps -T` view): state
 * R running, S sleeping, D uninterruptible I/O. Node names every thread `node`, so the libuv
 * pool is recognised by state, not name: saturation = at least `poolSize` threads other than the
 * main one running or in I/O while work is queued.
 */
import { promises as fs } from 'node:fs';
import type { ThreadInfo } from '../shared/protocol/runtime';

export async function readThreads(pid: number): Promise<ThreadInfo[] | undefined> {
  let tids: string[];
  try {
    tids = await fs.readdir(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const out = await Promise.all(
    tids.map(async (t): Promise<ThreadInfo | undefined> => {
      const stat = await fs.readFile(`/proc/${pid}/task/${t}/stat`, 'utf8').catch(() => '');
      // "tid (comm) S ...": comm may contain spaces and parentheses, so split at the last ')'.
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      if (open < 0 || close < 0) return undefined;
      const state = stat.slice(close + 2, close + 3);
      return { tid: Number(t), name: stat.slice(open + 1, close), state };
    }),
  );
  return out.filter((x): x is ThreadInfo => x !== undefined).sort((a, b) => a.tid - b.tid);
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
