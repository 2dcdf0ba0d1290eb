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
import type { findBlockingCallInFunction as FindFn } from '../../server/src/analysis/findBlocking';

let staticEngine: Promise<typeof FindFn | undefined> | undefined;

/** The static engine's finder, loaded on first use; `undefined` if it cannot load. */
export function loadStaticFinder(): Promise<typeof FindFn | undefined> {
  staticEngine ??= import('../../server/src/analysis/findBlocking.js').then(
    (m) => m.findBlockingCallInFunction,
    () => undefined,
  );
  return staticEngine;
}

/**
 * Line of the blocking call inside the function `fnName` that starts on `fnStartLine1`:
 * callee by name, else the static engine (unless `useEngine` is false: it costs a parse, and
 * loading it the first time blocks the recorder for a few hundred ms), else the first
 * well-known blocking call.
 */
export async function findBlockingLine(
  sourceText: string,
  fileName: string,
  fnStartLine1: number,
  fnName: string,
  callee: string,
  useEngine = true,
): Promise<number | undefined> {
  const hit = findCallLine(sourceText, fnStartLine1, callee ? [callee] : []);
  if (hit?.byName || !useEngine) return hit?.line;
  const find = await loadStaticFinder();
  let viaEngine: number | undefined;
  try {
    viaEngine = find?.(sourceText, fileName, fnStartLine1, fnName || undefined)?.line;
  } catch {
    viaEngine = undefined;
  }
  return viaEngine ?? hit?.line;
}

/** Calls that block the loop when no callee name is known. */
const KNOWN_BLOCKING = /\b(\w+Sync|JSON\.parse|JSON\.stringify)\s*\(/;

function stripCommentsAndStrings(line: string): string {
  return line
    .replace(/\/\/.*$/, '')
    .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * 1-based line of the first call to one of `callees` (plain names such as `readFileSync`) in
 * the function that starts on `fnStartLine1`; with no match, the first well-known blocking call;
 * `undefined` if neither is found.
 */
export function findCallLine(
  sourceText: string,
  fnStartLine1: number,
  callees: string[],
): { line: number; byName: boolean } | undefined {
  const lines = sourceText.split('\n');
  const names = callees.filter((n) => /^[\w$]+$/.test(n));
  const byName = names.length
    ? new RegExp(`(^|[^\\w$])(${names.map(escapeRe).join('|')})\\s*(<[^>()]*>)?\\s*\\(`)
    : undefined;
  let depth = 0;
  let opened = false;
  let firstKnown: number | undefined;
  const end = Math.min(lines.length, fnStartLine1 - 1 + 2000);
  for (let i = Math.max(0, fnStartLine1 - 1); i < end; i++) {
    const code = stripCommentsAndStrings(lines[i]);
    if (byName?.test(code)) return { line: i + 1, byName: true };
    if (firstKnown === undefined && KNOWN_BLOCKING.test(code)) firstKnown = i + 1;
    for (const ch of code) {
      if (ch === '{') {
        depth++;
        opened = true;
      } else if (ch === '}') depth--;
    }
    if (opened && depth <= 0) break;
    // An arrow function with an expression body ends at the end of its statement.
    if (!opened && /;\s*$/.test(code) && i > fnStartLine1 - 1) break;
  }
  return firstKnown === undefined ? undefined : { line: firstKnown, byName: false };
}
