/**
 * `loop-lens ps`: the local Node.js processes `record --pid` / `--port` can attach to, with the
 * inspector port when one is open and belongs to that pid. `--json` for scripts.
 */
import type { Command } from 'commander';
import { listNodeProcesses } from '../runtime';
import type { ProcessTarget } from '../shared/protocol/runtime';

/**
 * The processes as trees: each one whose parent is listed too (a cluster primary's workers, a
 * forked child) comes right after it, with its depth.
 */
export function processTree(
  list: readonly ProcessTarget[],
): Array<{ p: ProcessTarget; depth: number }> {
  const pids = new Set(list.map((p) => p.pid));
  const out: Array<{ p: ProcessTarget; depth: number }> = [];
  const visit = (p: ProcessTarget, depth: number): void => {
    out.push({ p, depth });
    for (const c of list) if (c.ppid === p.pid && c.pid !== p.pid) visit(c, depth + 1);
  };
  for (const p of list) if (p.ppid === undefined || !pids.has(p.ppid)) visit(p, 0);
  return out;
}

/**
 * The table: PID, INSPECTOR (port or `-`), COMMAND, children indented under their parent; cut
 * to the terminal width on a TTY.
 */
export function formatProcessTable(list: readonly ProcessTarget[], width?: number): string {
  const pidW = Math.max(3, ...list.map((p) => String(p.pid).length));
  const rows = [`${'PID'.padStart(pidW)}  INSPECTOR  COMMAND`];
  for (const { p, depth } of processTree(list)) {
    const port = p.inspectorPort !== undefined ? String(p.inspectorPort) : '-';
    const branch = depth > 0 ? `${'   '.repeat(depth - 1)}└─ ` : '';
    const line = `${String(p.pid).padStart(pidW)}  ${port.padEnd(9)}  ${branch}${p.command}`;
    rows.push(width !== undefined && line.length > width ? line.slice(0, width - 1) + '…' : line);
  }
  return rows.join('\n');
}

/** Registers `ps` on the program. */
export function register(program: Command): void {
  program
    .command('ps')
    .description('list local Node.js processes (as trees) and their inspector ports')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { json?: boolean }) => {
      let list: ProcessTarget[];
      try {
        list = await listNodeProcesses();
      } catch (err) {
        process.stderr.write(`loop-lens ps: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
        return;
      }
      list = list.filter((p) => p.pid !== process.pid);
      if (opts.json) {
        process.stdout.write(JSON.stringify(list, null, 2) + '\n');
      } else if (list.length === 0) {
        process.stdout.write('No Node.js processes found.\n');
      } else {
        const width = process.stdout.isTTY ? process.stdout.columns : undefined;
        process.stdout.write(formatProcessTable(list, width) + '\n');
      }
      process.exitCode = 0;
    });
}
