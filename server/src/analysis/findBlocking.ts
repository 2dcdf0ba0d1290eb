/**
 * Runtime attribution: given where a profiled function starts, find the blocking call inside it.
 */
import { summarize } from './summarize';
import type { CallSite, FnSummary } from './summaryTypes';

/**
 * In the function defined at `fnStartLine1` (1-based, as V8 reports the function's start; the
 * name disambiguates several functions on one line), the first call to a catalog API. Calls in
 * callbacks it runs in place (forEach, map) count; nested functions that run later do not.
 */
export function findBlockingCallInFunction(
  sourceText: string,
  fileName: string,
  fnStartLine1: number,
  fnName?: string,
): { line: number; column: number; api: string } | undefined {
  let summary;
  try {
    summary = summarize(fileName, sourceText);
  } catch {
    return undefined;
  }
  const fns = summary.fns;
  const onLine = fns.filter((f, i) => i > 0 && f.line === fnStartLine1);
  const named = (f: FnSummary) => !!fnName && (f.name === fnName || f.name.endsWith(`.${fnName}`));
  const fn = onLine.find(named) ?? onLine[0] ?? (fnStartLine1 <= 1 ? fns[0] : undefined);
  if (!fn) return undefined;
  const direct = (f: FnSummary, depth: number): CallSite | undefined => {
    for (const c of f.calls) {
      if (c.target.kind === 'api') return c;
      if (c.inline && c.target.kind === 'fn' && depth < 5) {
        const inner = direct(fns[c.target.fn]!, depth + 1);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  const hit = direct(fn, 0);
  if (!hit || hit.target.kind !== 'api') return undefined;
  return { line: hit.line, column: hit.column, api: hit.target.hit.api };
}
