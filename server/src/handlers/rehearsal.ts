/**
 * While the workspace scan runs in its worker thread, the event loop mostly waits: it rehearses
 * the open documents' edit path there, half a piece per worker request (`analysis/rehearsal.ts`),
 * so the first real edits run optimised code.
 */
import type { ts } from 'ts-morph';
import { pieceBounds, rehearseEdit, rehearseParse } from '../analysis/rehearsal';
import { mark } from '../trace';

/** Pieces per session at most (~60 are a 5,500-line file). */
const MAX_PIECES = 48;

export class Rehearsal {
  private queue: { file: string; piece: string }[] | undefined;
  /** The parsed tree of the first queued piece, for its edit half (null: parsed, no tree). */
  private tree: ts.SourceFile | null | undefined;

  /** `documents` lists the open documents' files and texts when the first step runs. */
  constructor(private readonly documents: () => { file: string; text: string }[]) {}

  /**
   * One half of the next piece's rehearsal (its parse, or its edit); false when none is left.
   * Never throws (a bad piece is skipped).
   */
  step(): boolean {
    this.queue ??= this.plan();
    const next = this.queue[0];
    if (!next) return false;
    try {
      if (this.tree === undefined) this.tree = rehearseParse(next.file, next.piece) ?? null;
      else {
        rehearseEdit(next.file, next.piece, this.tree ?? undefined);
        this.tree = undefined;
      }
    } catch {
      // Only a rehearsal: the real analysis of this text reports its own errors.
      this.tree = undefined;
    }
    if (this.tree === undefined && this.queue.shift() && !this.queue.length) mark('rehearsed');
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
