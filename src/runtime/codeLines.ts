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

/** Splits `sourceText` ahead of need when there is room, never evicting (warmUp.ts). */
export function warmCodeLines(sourceText: string): void {
  if (cache.size < MAX_TEXTS && !cache.has(sourceText)) {
    cache.set(sourceText, new CodeLines(sourceText.split('\n')));
  }
}

function stripCommentsAndStrings(line: string): string {
  return line
    .replace(/\/\/.*$/, '')
    .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
}
