/**
 * Finds the line inside a user function that called into the code that blocked (the profile
 * names the function, but only the leaf frame has line ticks). A light scanner: from the
 * function's first line it follows braces to the end of the body and returns the first line
 * that calls one of the callee names.
 *
 * The callee's name is matched first (instant, exact for the usual shapes); when it is not in
 * the text (an alias, a method of another name), the static engine of #2
 * (`findBlockingCallInFunction`, which resolves imports and aliases) is asked, loaded lazily
 * because it brings the TypeScript parser; a generic "well-known blocking call" is the last resort.
 */
import { codeLinesOf } from './codeLines';
import { bodyRange, callLinesIn, firstKnownIn } from './callLines';
import type { findBlockingCallInFunction as FindFn } from '../../server/src/analysis/findBlocking';

let staticEngine: Promise<typeof FindFn | undefined> | undefined;
/** The finder once loaded (`null`: it cannot load). */
let loadedFinder: typeof FindFn | null | undefined;

/** The static engine's finder, loaded on first use; `undefined` if it cannot load. */
export function loadStaticFinder(): Promise<typeof FindFn | undefined> {
  staticEngine ??= import('../../server/src/analysis/findBlocking.js').then(
    (m) => (loadedFinder = m.findBlockingCallInFunction),
    () => {
      loadedFinder = null;
      return undefined;
    },
  );
  return staticEngine;
}

/**
 * Loads the static engine soon, off any stall's path: loading it brings the TypeScript parser,
 * a few hundred ms to 2 s of the recorder's thread on a busy machine, which the first stall that
 * needed it used to wait for. A recorder calls this when it attaches.
 */
export function preloadStaticFinder(): void {
  if (staticEngine) return;
  setTimeout(() => {
    // Its first parse also warms the parser up (60 ms of a stall's time before).
    void loadStaticFinder().then((find) => find?.('function f() {}', 'warm.js', 1, 'f'));
  }, 0).unref();
}

/** Files larger than this are not parsed by the static engine for a stall (the parse is linear). */
const ENGINE_MAX_CHARS = 512 * 1024;

/**
 * Line of the call inside the function `fnName` that starts on `fnStartLine1` (the whole file for
 * module top-level code, `fnStartLine1` 0) that led to the frames inside it: by the callee's
 * name (the nearest inner frame's name first, then the next ones: a package's entry is often
 * reached through wrappers whose names the call does not show), else the static engine's answer
 * when it has one for this shape, else the first well-known blocking call. The static engine
 * (unless `useEngine` is false) never runs on a stall's path: it parses the whole file, 3-60 ms
 * a lookup (graceful-fs.js: 40-60 ms) on top of its load; it runs after the stall, one lookup at
 * a time, and its answer serves the next stalls of the same shape (`staticLookupsDone`).
 */
export async function findBlockingLine(
  sourceText: string,
  fileName: string,
  fnStartLine1: number,
  fnName: string,
  callees: readonly string[],
  useEngine = true,
  ran: ReadonlySet<number> = NONE,
): Promise<number | undefined> {
  // The same stall shape recurs: its answer is kept while the file's text stays the same.
  const shape = `${fnStartLine1}\0${fnName}\0${callees.join(',')}\0${[...ran].join(',')}`;
  const key = `${fileName}\0${shape}\0${useEngine}`;
  const known = answers.get(key);
  if (known && known.text === sourceText) return Promise.resolve(known.line);
  const byName = lookUpByName(sourceText, fnStartLine1, callees, ran);
  if (byName.final || !useEngine || sourceText.length > ENGINE_MAX_CHARS) {
    remember(key, sourceText, byName.line);
    return Promise.resolve(byName.line);
  }
  laterByEngine(key, () => {
    let line: number | undefined;
    try {
      const start = Math.max(1, fnStartLine1);
      line = loadedFinder?.(sourceText, fileName, start, fnName || undefined)?.line;
    } catch {
      line = undefined;
    }
    remember(key, sourceText, line ?? byName.line);
  });
  return Promise.resolve(byName.line);
}

const answers = new Map<string, { text: string; line: number | undefined }>();

function remember(key: string, text: string, line: number | undefined): void {
  if (answers.size >= 2000) answers.delete(answers.keys().next().value as string);
  answers.set(key, { text, line });
}

/** By the callees' names (`final`), else the first well-known blocking call. */
function lookUpByName(
  sourceText: string,
  fnStartLine1: number,
  callees: readonly string[],
  ran: ReadonlySet<number>,
): { line: number | undefined; final: boolean } {
  let hit: { line: number; byName: boolean } | undefined;
  for (const callee of callees.length ? callees : ['']) {
    const h = findCallLine(sourceText, fnStartLine1, callee ? [callee] : [], ran);
    hit ??= h;
    if (h?.byName) return { line: h.line, final: true };
  }
  return { line: hit?.line, final: false };
}

/** Static lookups waiting to run after the stalls that asked for them, by shape. */
const pending = new Map<string, () => void>();
let draining: Promise<void> | undefined;

function laterByEngine(key: string, run: () => void): void {
  if (pending.has(key) || pending.size >= 200) return;
  pending.set(key, run);
  draining ??= drain();
}

async function drain(): Promise<void> {
  await loadStaticFinder();
  while (pending.size) {
    // One lookup per turn of the recorder's loop: what it has to do meanwhile goes first.
    await new Promise<void>((r) => setImmediate(r));
    const [key, run] = pending.entries().next().value as [string, () => void];
    run();
    pending.delete(key);
  }
  draining = undefined;
}

/** Resolves once the static lookups asked for so far have answered (tests wait on it). */
export function staticLookupsDone(): Promise<void> {
  return draining ?? Promise.resolve();
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const NONE: ReadonlySet<number> = new Set();

/**
 * 1-based line of the first call to one of `callees` (plain names such as `readFileSync`) in
 * the function that starts on `fnStartLine1` (0: module top-level code, the whole file), the
 * first among the lines in `ran` (where the profile saw the function's own code run in the
 * stall: `cpuUsage()` before a loop and in its condition, the loop's line) when any is; with no
 * match, the first well-known blocking call; `undefined` if neither is found. Comments and
 * strings do not count. A file the warm-up indexed answers from its call-site index
 * (callLines.ts), else the function's lines are read.
 */
export function findCallLine(
  sourceText: string,
  fnStartLine1: number,
  callees: string[],
  ran: ReadonlySet<number> = NONE,
): { line: number; byName: boolean } | undefined {
  // V8 names a method by its owner too (`db.write`, `Writer.write`); the call shows the last part.
  const names = callees
    .map((n) => n.slice(n.lastIndexOf('.') + 1))
    .filter((n) => /^[\w$]+$/.test(n));
  const c = codeLinesOf(sourceText);
  const { first, last } =
    fnStartLine1 > 0
      ? bodyRange(c, fnStartLine1, 2000)
      : { first: 1, last: Math.min(c.length, 20_000) };
  if (first > last) return undefined;
  const byName = callLinesIn(c, names, first, last);
  const inRan = ran.size ? byName.find((l) => ran.has(l)) : undefined;
  if (byName.length) return { line: inRan ?? byName[0], byName: true };
  const known = firstKnownIn(c, first, last);
  return known === undefined ? undefined : { line: known, byName: false };
}

/**
 * Lines where V8 books the entry and the exit of the function that starts on `fnStartLine1`
 * (1-based): its first line (the prologue, and every resumption of an async function or
 * generator), and its last statement when that is a `return`, else its closing brace (the
 * implicit return, where an async function also books part of each `await`). Measured on
 * Node 20 at 1 ms sampling: an async function looping over `await` books 5-15 % of its ticks on
 * its last `return` and ~6 % on its first line, none on the straight-line statements between.
 * A single-line function yields just that line.
 */
export function functionEdgeLines(sourceText: string, fnStartLine1: number): Set<number> {
  const c = codeLinesOf(sourceText);
  const edges = new Set<number>([fnStartLine1]);
  const body = bodyRange(c, fnStartLine1, 5000);
  if (!body.closes) return edges;
  // `}` alone: the last statement before it, when a `return`, is where V8 books the exit.
  let last = body.last - 1;
  while (last > fnStartLine1 && !c.at(last - 1).trim()) last--;
  const braceAlone = /^}\s*[;),]*$/.test(c.at(body.last - 1).trim());
  const returns = last > fnStartLine1 && /^\s*return\b/.test(c.at(last - 1));
  edges.add(braceAlone && returns ? last : body.last);
  return edges;
}

/**
 * 1-based line of `require('<name>')` (or of a file inside it, `require('<name>/x')`, or an
 * `import` from it) in the file: a stall in module loading is blamed on the require of the package
 * that was loading, not on the first `require(` of the file.
 */
export function findRequireLine(sourceText: string, name: string): number | undefined {
  const spec = escapeRe(name);
  const re = new RegExp(`(require\\s*\\(|from|import\\s*\\()\\s*['"\`]${spec}(/[^'"\`]*)?['"\`]`);
  const i = codeLinesOf(sourceText).lines.findIndex((l) => re.test(l));
  return i >= 0 ? i + 1 : undefined;
}
