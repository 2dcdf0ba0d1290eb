/**
 * A source text's lines, split once and shared: the call-line scanner (callSite.ts) reads them
 * with comments and strings blanked, the operation and package rules (blameDetails.ts) as they
 * are. Splitting lodash.js (17,000 lines) took 5-60 ms of a stall at load 7-10; the warm-up
 * (warmUp.ts) splits the files the profile has seen before a stall needs them, while there is
 * room, without evicting what stalls used.
 */

/** Texts kept split; the least recently used goes first. */
const MAX_TEXTS = 200;

/** A text's lines; with comments and strings blanked, each computed when first asked. */
export class CodeLines {
  private readonly code: Array<string | undefined> = [];
  readonly length: number;
  /** Answers computed from this text, kept with it (callSite.ts: a function's edge lines). */
  readonly derived = new Map<string, unknown>();
  constructor(readonly lines: string[]) {
    this.length = lines.length;
  }
  at(i: number): string {
    return (this.code[i] ??= stripCommentsAndStrings(this.lines[i]));
  }
}

const cache = new Map<string, CodeLines>();

/** The lines of `sourceText` (cached by text: a file read again with the same text hits). */
export function codeLinesOf(sourceText: string): CodeLines {
  let c = cache.get(sourceText);
  if (c) {
    // Most recently used last: a stall's files stay while others come and go.
    cache.delete(sourceText);
  } else {
    c = new CodeLines(sourceText.split('\n'));
    if (cache.size >= MAX_TEXTS) cache.delete(cache.keys().next().value as string);
  }
  cache.set(sourceText, c);
  return c;
}

/** Lines blanked per turn of the recorder's loop by the warm-up (~0.5 ms on a quiet machine). */
const WARM_SLICE = 1000;

/**
 * Splits `sourceText` ahead of need when there is room, never evicting (warmUp.ts), and blanks
 * its comments and strings a slice at a time, `pause` between slices (lodash.js, 17,000 lines:
 * 8-10 ms in one go, which a stall's scan of a function or a module's top level used to pay).
 */
export async function warmCodeLines(
  sourceText: string,
  pause: () => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  if (cache.size >= MAX_TEXTS && !cache.has(sourceText)) return;
  let c = cache.get(sourceText);
  if (!c) {
    c = new CodeLines(sourceText.split('\n'));
    cache.set(sourceText, c);
  }
  for (let i = 0; i < c.length; i++) {
    c.at(i);
    if (i % WARM_SLICE === WARM_SLICE - 1) await pause();
  }
}

function stripCommentsAndStrings(line: string): string {
  return line
    .replace(/\/\/.*$/, '')
    .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
}
