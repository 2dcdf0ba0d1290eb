/**
 * Where a function's body ends and which of its lines call a name, from a text's line facts
 * (codeLines.ts): a lookup in the file's call-site index when the warm-up has built it, else a
 * read of the body's lines (each line's facts then kept for the next stall).
 */
import type { CodeLines } from './codeLines';

/** How the call-line lookups were answered so far (tests check the warm-up index is used). */
export const callLineLookups = { indexed: 0, read: 0 };

/** A function's lines, 1-based and inclusive; `closes`: `last` holds the brace ending its body. */
export interface BodyRange {
  first: number;
  last: number;
  closes: boolean;
}

/**
 * The lines of the function that starts on `fnStartLine1` (1-based), up to `maxLines`: braces
 * are followed to the end of the body; an arrow function with an expression body ends at the
 * end of its statement. Kept with the text (every stall of a shape asks again).
 */
export function bodyRange(c: CodeLines, fnStartLine1: number, maxLines: number): BodyRange {
  const key = `body:${fnStartLine1}:${maxLines}`;
  const known = c.derived.get(key) as BodyRange | undefined;
  if (known) return known;
  const r = scanBody(c, fnStartLine1, maxLines);
  if (c.derived.size < 2000) c.derived.set(key, r);
  return r;
}

function scanBody(c: CodeLines, fnStartLine1: number, maxLines: number): BodyRange {
  const start = Math.max(0, fnStartLine1 - 1);
  const end = Math.min(c.length, fnStartLine1 - 1 + maxLines);
  let depth = 0;
  let opened = false;
  for (let i = start; i < end; i++) {
    depth += c.braces(i);
    opened ||= c.opens(i);
    if (opened && depth <= 0) return { first: start + 1, last: i + 1, closes: true };
    if (!opened && c.endsStatement(i) && i > fnStartLine1 - 1) {
      return { first: start + 1, last: i + 1, closes: false };
    }
  }
  return { first: start + 1, last: end, closes: false };
}

/** The lines in `first..last` (1-based) that call one of `names`, ascending. */
export function callLinesIn(
  c: CodeLines,
  names: readonly string[],
  first: number,
  last: number,
): number[] {
  const index = c.callIndex;
  if (index) {
    callLineLookups.indexed++;
    const hits = new Set<number>();
    for (const n of names) {
      const at = index.byName.get(n) ?? [];
      for (let k = lowerBound(at, first); k < at.length && at[k] <= last; k++) hits.add(at[k]);
    }
    return [...hits].sort((a, b) => a - b);
  }
  callLineLookups.read++;
  const wanted = new Set(names);
  const hits: number[] = [];
  for (let i = first - 1; i < last; i++) {
    if (wanted.size && c.callsAt(i).some((n) => wanted.has(n))) hits.push(i + 1);
  }
  return hits;
}

/** The first line in `first..last` (1-based) that calls a well-known blocking API. */
export function firstKnownIn(c: CodeLines, first: number, last: number): number | undefined {
  const known = c.callIndex?.known;
  if (known) {
    const k = lowerBound(known, first);
    return k < known.length && known[k] <= last ? known[k] : undefined;
  }
  for (let i = first - 1; i < last; i++) if (c.known(i)) return i + 1;
  return undefined;
}

/** First index of `xs` (ascending) holding a value ≥ `v`. */
function lowerBound(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
