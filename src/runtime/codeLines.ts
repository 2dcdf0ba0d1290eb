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
 * A call: a name (not the tail of a longer one, not a function declaration's), an optional type
 * argument list, `(`.
 */
const CALL = /(?<![\w$])(?<!\bfunction\s*\*?\s*)([\w$]+)\s*(?:<[^>()]*>)?\s*\(/g;

/** What the call-line scanner needs of one line (comments and strings blanked). */
export interface LineFacts {
  /** Names called on the line, each once. */
  calls: readonly string[];
  /** `{` count minus `}` count. */
  braces: number;
  /** Has a `{`. */
  opens: boolean;
  /** Ends with `;` (an arrow function's expression body ends there). */
  endsStatement: boolean;
  /** Calls a well-known blocking API (`…Sync(`, `JSON.parse(`, `JSON.stringify(`). */
  known: boolean;
}

/** The file's call sites, indexed once every line's facts are known (the warm-up's work). */
export interface CallIndex {
  /** Name → the 1-based lines that call it, ascending. */
  byName: Map<string, number[]>;
  /** 1-based lines that call a well-known blocking API, ascending. */
  known: number[];
}

/** A text's lines; with comments and strings blanked, each computed when first asked. */
export class CodeLines {
  private readonly code: Array<string | undefined> = [];
  private readonly facts: Array<LineFacts | undefined> = [];
  readonly length: number;
  /** Answers computed from this text, kept with it (callSite.ts: a function's edge lines). */
  readonly derived = new Map<string, unknown>();
  /** Set by the warm-up once every line is indexed; until then lookups read the lines. */
  callIndex: CallIndex | undefined;
  constructor(readonly lines: string[]) {
    this.length = lines.length;
  }
  at(i: number): string {
    return (this.code[i] ??= stripCommentsAndStrings(this.lines[i]));
  }
  /** The facts of the 0-based line `i`. */
  factsAt(i: number): LineFacts {
    return (this.facts[i] ??= factsOf(this.at(i)));
  }
}

function factsOf(code: string): LineFacts {
  let braces = 0;
  let opens = false;
  for (let k = code.indexOf('{'); k >= 0; k = code.indexOf('{', k + 1)) {
    braces++;
    opens = true;
  }
  for (let k = code.indexOf('}'); k >= 0; k = code.indexOf('}', k + 1)) braces--;
  const calls = new Set<string>();
  if (code.includes('(')) for (const m of code.matchAll(CALL)) calls.add(m[1]);
  return {
    calls: [...calls],
    braces,
    opens,
    endsStatement: /;\s*$/.test(code),
    known: calls.size > 0 && KNOWN_BLOCKING.test(code),
  };
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

/** Lines indexed per turn of the recorder's loop by the warm-up (~0.5-1 ms on a quiet machine). */
const WARM_SLICE = 1000;

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
      const f = c.factsAt(i);
      for (const name of f.calls) {
        const at = byName.get(name);
        if (at) at.push(i + 1);
        else byName.set(name, [i + 1]);
      }
      if (f.known) known.push(i + 1);
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
