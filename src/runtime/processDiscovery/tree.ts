/**
 * The process tree from /proc (Linux): each process's parent from `/proc/<pid>/stat`, so a
 * launched target's descendants (cluster workers, forked and spawned children) can be found and
 * `loop-lens ps` can show a cluster primary with its workers.
 */
import { promises as fs } from 'node:fs';

/** The parent pid of `pid` (field 4 of /proc/<pid>/stat), if it can be read. */
export async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // "pid (comm) S ppid …": comm may contain spaces and parentheses, so split after the last ')'.
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
}

/** Every live descendant of `root` (children, their children, …), parents before children. */
export async function descendantsOf(root: number): Promise<Array<{ pid: number; ppid: number }>> {
  const entries = await fs.readdir('/proc').catch(() => [] as string[]);
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
  const parents = await Promise.all(pids.map((p) => parentOf(p)));
  const children = new Map<number, number[]>();
  pids.forEach((p, i) => {
    const pp = parents[i];
    if (pp === undefined) return;
    const list = children.get(pp);
    if (list) list.push(p);
    else children.set(pp, [p]);
  });
  const out: Array<{ pid: number; ppid: number }> = [];
  const queue = [root];
  while (queue.length > 0) {
    const p = queue.shift()!;
    for (const c of children.get(p) ?? []) {
      out.push({ pid: c, ppid: p });
      queue.push(c);
    }
  }
  return out;
}
