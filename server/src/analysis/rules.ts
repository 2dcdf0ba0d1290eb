/**
 * Rule ids of the static engine and their defaults. `docs/rules/<id>.md` documents each one.
 */
import type { Category, Severity } from './types';

/** Every rule id the engine can report. */
export const ruleIds = [
  'sync-fs',
  'sync-child-process',
  'sync-zlib',
  'sync-crypto',
  'sync-random',
  'blocking-library',
  'atomics-wait',
  'require-in-function',
  'busy-wait',
  'redos',
  'threadpool-fanout',
  'custom-blocking',
  'json-io',
] as const;

export type RuleId = (typeof ruleIds)[number];

/** Category and default severity of each rule. */
export const ruleDefaults: Record<RuleId, { category: Category; severity: Severity }> = {
  'sync-fs': { category: 'sync-io', severity: 'warning' },
  'sync-child-process': { category: 'sync-io', severity: 'warning' },
  'sync-zlib': { category: 'cpu', severity: 'warning' },
  'sync-crypto': { category: 'cpu', severity: 'warning' },
  'sync-random': { category: 'cpu', severity: 'info' },
  'blocking-library': { category: 'sync-io', severity: 'warning' },
  'atomics-wait': { category: 'cpu', severity: 'warning' },
  'require-in-function': { category: 'sync-io', severity: 'info' },
  'busy-wait': { category: 'cpu', severity: 'warning' },
  redos: { category: 'cpu', severity: 'warning' },
  'threadpool-fanout': { category: 'threadpool', severity: 'info' },
  'custom-blocking': { category: 'sync-io', severity: 'warning' },
  'json-io': { category: 'cpu', severity: 'info' },
};
