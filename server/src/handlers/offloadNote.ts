/**
 * The hover's word on "Run in a worker thread": why the quick fix is offered for this finding
 * (what was checked), so a person can judge the move before applying it.
 */
import type { Finding } from '../analysis/types';
import { offloadCheck } from '../fixes/offload';

/** A note per finding, or undefined where the offload is not offered. */
export function offloadNote(text: string, file: string): (f: Finding) => string | undefined {
  return (f) => {
    const r = offloadCheck(text, file, f);
    return r && 'reason' in r
      ? `**Quick fix "Run in a worker thread" is offered:** ${r.reason}`
      : undefined;
  };
}
