import type { Command } from 'commander';

/**
 * Every subcommand module exports `register(program)`; add it here. Owners: check.ts (static),
 * record.ts and ps.ts (runtime).
 */
export function registerCommands(_program: Command): void {}
