/**
 * Rehearsals of an edit's analysis on pieces of a text, to run while the server would otherwise
 * wait (the workspace scan summarises in its worker thread). The first edits of a session ran
 * the parser, the incremental parser and the summariser unoptimised (bench lsp: the first four
 * edits took 2-6× the median). A piece holds the event loop a few ms, so hovers still answer
 * between pieces. Pure: nothing the engine keeps is touched.
 */
import type { ts } from 'ts-morph';
import { summarize } from './summarize';

/** Characters per piece: some sixty lines, a few ms to parse and walk even unoptimised. */
export const PIECE_CHARS = 2500;

/**
 * Offsets that cut `text` into pieces of about `max` characters, each ending before a line that
 * starts in column 0 (a top-level statement, as far as lines tell), so most pieces parse as
 * whole statements. A statement longer than `max` is cut at a line anyway.
 */
export function pieceBounds(text: string, max = PIECE_CHARS): number[] {
  const bounds = [0];
  let start = 0;
  while (text.length - start > max) {
    // The last line start within `max` where something new begins at column 0 (not a blank
    // line, indentation or a closing brace); else the last line start; else `max` itself.
    let cut = -1;
    let anyLine = -1;
    for (let i = text.indexOf('\n', start); i !== -1 && i + 1 - start <= max;) {
      const next = text.charCodeAt(i + 1);
      if (next > 32 && next !== 125) cut = i + 1;
      anyLine = i + 1;
      i = text.indexOf('\n', i + 1);
    }
    if (cut === -1) cut = anyLine > start ? anyLine : start + max;
    bounds.push(cut);
    start = cut;
  }
  if (start < text.length || bounds.length === 1) bounds.push(text.length);
  return bounds;
}

/** A rehearsal's first half: the piece summarised from scratch; returns its tree. */
export function rehearseParse(file: string, piece: string): ts.SourceFile | undefined {
  let tree: ts.SourceFile | undefined;
  summarize(file, piece, { keepTree: (sf) => (tree = sf) });
  return tree;
}

/**
 * Its second half: the piece after a one-line edit in its middle, through the incremental
 * parser from `tree` (which this spoils), as an edit of the document would be. Returns the
 * number of functions the edited piece has (for tests: the work is real).
 */
export function rehearseEdit(file: string, piece: string, tree?: ts.SourceFile): number {
  const mid = piece.indexOf('\n', piece.length >> 1) + 1;
  const edited = `${piece.slice(0, mid)}void 0;\n${piece.slice(mid)}`;
  return summarize(file, edited, { previous: tree }).fns.length;
}

/** Both halves at once. */
export function rehearse(file: string, piece: string): number {
  return rehearseEdit(file, piece, rehearseParse(file, piece));
}
