/**
 * "Run in a worker thread": for a CPU finding whose blocking work is a self-contained function
 * of the same file, move the function into a worker module and await it from a Piscina pool or
 * a plain `worker_threads` worker. Pure: text in, text out; the code-action handler turns the
 * result into a WorkspaceEdit (a new file, the calling file's edits, package.json).
 */
import type { Finding } from '../../analysis/types';
import { SourceText } from '../source';
import type { FixEdit } from '../types';
import { planOffload } from './check';
import { offloadText, type OffloadOptions } from './generate';
import type { ModuleReader } from './moduleSafety';

export type { OffloadOptions } from './generate';
export type { ModuleReader } from './moduleSafety';
export { withPiscina } from './packageJson';

/** The offload rewrite of one finding. */
export interface OffloadFix {
  title: string;
  /** Why it is offered (for the hover). */
  reason: string;
  /** Edits of the calling file. */
  edits: FixEdit[];
  /** The worker module to create next to the calling file. */
  workerFile: string;
  workerText: string;
  /** The package the rewrite needs in package.json, if any. */
  dependency?: 'piscina';
}

/** The part of a finding the offload needs. */
export type OffloadFinding = Pick<
  Finding,
  'line' | 'column' | 'endLine' | 'endColumn' | 'category' | 'chain'
>;

/**
 * Whether the finding's call can move to a worker: `{ reason }` when it can, `{ refused }`
 * when it cannot (and why), undefined when the finding is not a CPU call of a function at all.
 */
export function offloadCheck(
  text: string,
  fileName: string,
  finding: OffloadFinding,
  read?: ModuleReader,
): { reason: string } | { refused: string } | undefined {
  const r = plan(new SourceText(text, fileName), finding, read);
  if (!r) return undefined;
  return 'refused' in r ? r : { reason: r.reason };
}

/** The rewrite, or undefined when the finding's call cannot move to a worker. */
export function offloadFix(
  text: string,
  fileName: string,
  finding: OffloadFinding,
  options: OffloadOptions,
  read?: ModuleReader,
): OffloadFix | undefined {
  const src = new SourceText(text, fileName);
  const p = plan(src, finding, read);
  if (!p || 'refused' in p) return undefined;
  const out = offloadText(src, p, options);
  return {
    title: `Run \`${p.name}\` in a worker thread (${options.library === 'piscina' ? 'Piscina pool' : 'worker_threads'})`,
    reason: p.reason,
    ...out,
    ...(options.library === 'piscina' ? { dependency: 'piscina' as const } : {}),
  };
}

function plan(
  src: SourceText,
  f: OffloadFinding,
  read: ModuleReader | undefined,
): ReturnType<typeof planOffload> | undefined {
  const first = f.chain[0];
  if (f.category !== 'cpu' || f.chain.length < 2 || !first) return undefined;
  const start = src.offsetOf(f.line, f.column);
  const end = src.offsetOf(f.endLine, f.endColumn);
  return planOffload(src, start, end, first.name, read);
}
