#!/usr/bin/env node
/**
 * The `loop-lens` command. Each subcommand lives in its own file and registers itself on the
 * program: check (static), record and ps (runtime). Exit codes: 0 ok, 1 findings, 2 usage/internal.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';

async function main(argv: string[]): Promise<number> {
  const program = new Command('loop-lens')
    .description('Find what blocks the Node.js event loop.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerCommands(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err: unknown) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`loop-lens: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 2;
  },
);
