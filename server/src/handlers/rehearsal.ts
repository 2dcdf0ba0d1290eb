/**
 * While the workspace scan runs in its worker thread, the event loop mostly waits: it rehearses
 * the open documents' edit path there, one piece per worker request (`analysis/rehearsal.ts`),
 * so the first real edits run optimised code.
 */
import { pieceBounds, rehearse } from '../analysis/rehearsal';
import { mark } from '../trace';

/** Pieces per session at most (~40 are a 5,500-line file). */
const MAX_PIECES = 64;

export class Rehearsal {
  private queue: { file: string; piece: string }[] | undefined;
  /** Pieces rehearsed so far. */
  done = 0;

  /** `documents` lists the open documents' files and texts when the first step runs. */
  constructor(private readonly documents: () => { file: string; text: string }[]) {}

  /** Rehearses the next piece; false when none is left. Never throws (a bad piece is skipped). */
  step(): boolean {
    this.queue ??= this.plan();
    const next = this.queue.shift();
    if (!next) return false;
    try {
      rehearse(next.file, next.piece);
    } catch {
      // Only a rehearsal: the real analysis of this text reports its own errors.
    }
    this.done++;
    if (!this.queue.length) mark('rehearsed');
    return true;
  }

  private plan(): { file: string; piece: string }[] {
    const out: { file: string; piece: string }[] = [];
    for (const { file, text } of this.documents()) {
      const b = pieceBounds(text);
      for (let i = 1; i < b.length && out.length < MAX_PIECES; i++) {
        out.push({ file, piece: text.slice(b[i - 1], b[i]) });
      }
    }
    return out;
  }
}
