import type { Command } from 'commander';
import { register as registerCheck } from './check';
import { register as registerPs } from './ps';
import { register as registerRecord } from './record';

/**
 * Every subcommand module exports `register(program)`; add it here. Owners: check.ts (static),
 * record.ts and ps.ts (runtime).
 */
export function registerCommands(program: Command): void {
  registerCheck(program);
  registerRecord(program);
  registerPs(program);
}
