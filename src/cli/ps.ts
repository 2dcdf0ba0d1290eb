/**
 * `loop-lens ps`: the local Node.js processes `record --pid` / `--port` can attach to, with the
 * inspector port when one is open and belongs to that pid. `--json` for scripts.
 */
import type { Command } from 'commander';
import { listNodeProcesses } from '../runtime';
import type { ProcessTarget } from '../shared/protocol/runtime';

/** The table: PID, INSPECTOR (port or `-`), COMMAND; cut to the terminal width on a TTY. */
export function formatProcessTable(list: readonly ProcessTarget[], width?: number): string {
  const pidW = Math.max(3, ...list.map((p) => String(p.pid).length));
  const rows = [`${'PID'.padStart(pidW)}  INSPECTOR  COMMAND`];
  for (const p of list) {
    const port = p.inspectorPort !== undefined ? String(p.inspectorPort) : '-';
    const line = `${String(p.pid).padStart(pidW)}  ${port.padEnd(9)}  ${p.command}`;
    rows.push(width !== undefined && line.length > width ? line.slice(0, width - 1) + '…' : line);
  }
  return rows.join('\n');
}

/** Registers `ps` on the program. */
export function register(program: Command): void {
  program
    .command('ps')
    .description('list local Node.js processes and their inspector ports')
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
