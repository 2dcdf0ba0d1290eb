/**
 * A source text's lines, split once and shared: the call-line scanner (callSite.ts) reads them
 * with comments and strings blanked, the operation and package rules (blameDetails.ts) as they
 * are. Splitting lodash.js (17,000 lines) took 5-60 ms of a stall at load 7-10; the warm-up
 * (warmUp.ts) splits the files the profile has seen before a stall needs them, while there is
 * room, without evicting what stalls used.
 *
 * Each line's facts for the call-line scanner (the names it calls, its braces, whether it calls a
 * well-known blocking API) are worked out once, when first asked; the warm-up works them out for
 * every line ahead and indexes the file's call sites by name (`callIndex`), so that the first
 * stall of a stack finds the call line in a function by a lookup, not by reading its body.
 */

/** Texts kept split; the least recently used goes first. */
const MAX_TEXTS = 200;

/** Calls that block the loop when no callee name is known. */
const KNOWN_BLOCKING = /\b(\w+Sync|JSON\.parse|JSON\.stringify)\s*\(/;
/**
 * A call: a name (not the tail of a longer one, not the name of a function declaration that
 * starts the line: `function save(i) {` is no call of `save`, while a named function expression
 * passed on a call line, `xs.map(function each(x) {`, stands for that call), an optional type
 * argument list, `(`.
 */
const CALL =
  /(?<![\w$])(?<!^\s*(?:export\s+(?:default\s+)?)?(?:async\s+)?function\s*\*?\s*)([\w$]+)\s*(?:<[^>()]*>)?\s*\(/g;

/** The file's call sites, indexed once every line's facts are known (the warm-up's work). */
export interface CallIndex {
  /** Name → the 1-based lines that call it, ascending. */
  byName: Map<string, number[]>;
  /** 1-based lines that call a well-known blocking API, ascending. */
  known: number[];
}

const SCANNED = 1;
const OPENS = 2;
const ENDS_STATEMENT = 4;
const KNOWN = 8;
const NO_CALLS: readonly string[] = [];

/**
 * A text's lines; with comments and strings blanked, each computed when first asked. A line's
 * facts for the call-line scanner (0-based `i`) are kept compactly (a few bytes a line); the names
 * it calls only when a stall read them (the warm-up's index holds them otherwise).
 */
export class CodeLines {
  private readonly code: Array<string | undefined> = [];
  private readonly calls: Array<readonly string[] | undefined> = [];
  private flags: Uint8Array | undefined;
  private braceCounts: Int32Array | undefined;
  readonly length: number;
  /** Answers computed from this text, kept with it (callLines.ts: a function's lines). */
  readonly derived = new Map<string, unknown>();
  /** Set by the warm-up once every line is indexed; until then lookups read the lines. */
  callIndex: CallIndex | undefined;
  constructor(readonly lines: string[]) {
    this.length = lines.length;
  }
  at(i: number): string {
    return (this.code[i] ??= stripCommentsAndStrings(this.lines[i]));
  }
  /** `{` count minus `}` count. */
  braces(i: number): number {
    this.flagsAt(i);
    return this.braceCounts![i];
  }
  /** Has a `{`. */
  opens(i: number): boolean {
    return (this.flagsAt(i) & OPENS) !== 0;
  }
  /** Ends with `;` (an arrow function's expression body ends there). */
  endsStatement(i: number): boolean {
    return (this.flagsAt(i) & ENDS_STATEMENT) !== 0;
  }
  /** Calls a well-known blocking API (`…Sync(`, `JSON.parse(`, `JSON.stringify(`). */
  known(i: number): boolean {
    return (this.flagsAt(i) & KNOWN) !== 0;
  }
  /** Names the line calls, each once (kept: a stall read them). */
  callsAt(i: number): readonly string[] {
    return (this.calls[i] ??= this.scan(i));
  }
  private flagsAt(i: number): number {
    const f = this.flags?.[i] ?? 0;
    if (f & SCANNED) return f;
    this.scan(i);
    return this.flags![i];
  }
  /** Works out line `i`'s facts; returns the names it calls (kept by the caller if at all). */
  scan(i: number): readonly string[] {
    this.flags ??= new Uint8Array(this.length);
    this.braceCounts ??= new Int32Array(this.length);
    const code = this.code[i] ?? stripCommentsAndStrings(this.lines[i]);
    let braces = 0;
    let f = SCANNED;
    for (let k = code.indexOf('{'); k >= 0; k = code.indexOf('{', k + 1)) braces++;
    if (braces) f |= OPENS;
    for (let k = code.indexOf('}'); k >= 0; k = code.indexOf('}', k + 1)) braces--;
    if (/;\s*$/.test(code)) f |= ENDS_STATEMENT;
    let calls = NO_CALLS;
    if (code.includes('(')) {
      calls = [...new Set(Array.from(code.matchAll(CALL), (m) => m[1]))];
      if (calls.length && KNOWN_BLOCKING.test(code)) f |= KNOWN;
    }
    this.flags[i] = f;
    this.braceCounts[i] = braces;
    return calls;
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

/** `indexCallSites` false: the warm-up only blanks lines, as before the index (bench "old" runs). */
export const warmUpOptions = { indexCallSites: true };

/** Lines indexed per turn of the recorder's loop by the warm-up (~0.5-1 ms on a quiet machine, 1-2 ms at load 12). */
const WARM_SLICE = 500;

/**
 * Splits `sourceText` ahead of need when there is room, never evicting (warmUp.ts), works out
 * each line's facts (comments and strings blanked, calls, braces) a slice at a time, `pause`
 * between slices, and indexes the file's call sites (lodash.js, 17,000 lines: 8-10 ms in one go,
 * which a stall's scan of a function or a module's top level used to pay).
 */
export async function warmCodeLines(
  sourceText: string,
  pause: () => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  const index = warmUpOptions.indexCallSites;
  if (cache.size >= MAX_TEXTS && !cache.has(sourceText)) return;
  let c = cache.get(sourceText);
  if (!c) {
    c = new CodeLines(sourceText.split('\n'));
    cache.set(sourceText, c);
  }
  if (c.callIndex) return;
  const byName = new Map<string, number[]>();
  const known: number[] = [];
  for (let i = 0; i < c.length; i++) {
    if (!index) c.at(i);
    else {
      for (const name of c.scan(i)) {
        const at = byName.get(name);
        if (at) at.push(i + 1);
        else byName.set(name, [i + 1]);
      }
      if (c.known(i)) known.push(i + 1);
    }
    if (i % WARM_SLICE === WARM_SLICE - 1) await pause();
  }
  if (index) c.callIndex = { byName, known };
}

function stripCommentsAndStrings(line: string): string {
  return line
    .replace(/\/\/.*$/, '')
    .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
}
