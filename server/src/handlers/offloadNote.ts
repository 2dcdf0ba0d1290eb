/**
 * The hover's word on "Run in a worker thread": why the quick fix is offered for this finding
 * (what was checked), or why it is not (a method that uses `this`, a module that starts a
 * server when it loads, a caller that is not async…), so a person can judge the move.
 */
import { readFileSync } from 'node:fs';
import type { Finding } from '../analysis/types';
import { offloadCheck, type ModuleReader } from '../fixes/offload';

/** An imported helper's module, from the disk (undefined when there is no such file). */
export const fromDisk: ModuleReader = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** A note per finding, or undefined where the offload does not apply at all. */
export function offloadNote(
  text: string,
  file: string,
  read: ModuleReader = fromDisk,
): (f: Finding) => string | undefined {
  return (f) => {
    const r = offloadCheck(text, file, f, read);
    if (!r) return undefined;
    return 'reason' in r
      ? `**Quick fix "Run in a worker thread" is offered:** ${r.reason}`
      : `**Quick fix "Run in a worker thread" is not offered:** ${r.refused}.`;
  };
}
