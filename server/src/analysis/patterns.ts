/**
 * Pattern rules that are not a single API: busy-wait loops, super-linear regular expressions,
 * and the suppression comments.
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import { analyse } from 'scslre';
import { ruleDefaults } from './rules';
import type { ApiHit } from './summaryTypes';

const clockCalls = /^(Date\.now|performance\.now|process\.hrtime(\.bigint)?|hrtime(\.bigint)?)$/;

/** Whether `loop` spins on the clock (`while (Date.now() < end) {}`) without yielding. */
export function isBusyWait(loop: ts.IterationStatement, sf: ts.SourceFile): boolean {
  const condition = T.isForStatement(loop)
    ? loop.condition
    : T.isWhileStatement(loop) || T.isDoStatement(loop)
      ? loop.expression
      : undefined;
  if (!condition || !readsClock(condition, sf)) return false;
  return !escapes(loop.statement) && !doesWork(loop.statement, sf);
}

function readsClock(n: ts.Node, sf: ts.SourceFile): boolean {
  if (T.isCallExpression(n) && clockCalls.test(n.expression.getText(sf))) return true;
  if (T.isNewExpression(n) && n.expression.getText(sf) === 'Date') return true;
  return T.forEachChild(n, (c) => readsClock(c, sf) || undefined) ?? false;
}

/** A body that calls functions (other than the clock and Math) is time-sliced work, not a spin. */
function doesWork(n: ts.Node, sf: ts.SourceFile): boolean {
  if (T.isCallExpression(n)) {
    const callee = n.expression.getText(sf);
    if (!clockCalls.test(callee) && !callee.startsWith('Math.')) return true;
  }
  if (T.isFunctionLike(n)) return false;
  return T.forEachChild(n, (c) => doesWork(c, sf) || undefined) ?? false;
}

/** A body that awaits, yields, breaks, returns or throws is a loop with an exit, not a spin. */
function escapes(n: ts.Node): boolean {
  if (
    T.isAwaitExpression(n) ||
    T.isYieldExpression(n) ||
    T.isBreakStatement(n) ||
    T.isReturnStatement(n) ||
    T.isThrowStatement(n)
  ) {
    return true;
  }
  if (T.isFunctionLike(n)) return false;
  return T.forEachChild(n, (c) => escapes(c) || undefined) ?? false;
}

export const busyWaitHit: ApiHit = {
  rule: 'busy-wait',
  ...ruleDefaults['busy-wait'],
  api: 'busy-wait loop',
  why: 'the loop spins the CPU until the clock passes a deadline, and nothing else runs meanwhile',
  replacement: "await a timer (setTimeout from 'timers/promises')",
};

const redosCache = new Map<string, { exponential: boolean } | undefined>();

/** A hit when `/source/flags` backtracks super-linearly (scslre, as eslint-plugin-regexp uses). */
export function redosHit(source: string, flags: string): ApiHit | undefined {
  const key = `/${source}/${flags}`;
  let r = redosCache.get(key);
  if (!redosCache.has(key)) {
    r = undefined;
    try {
      const reports = analyse({ source, flags }, { maxReports: 1 }).reports;
      if (reports[0]) r = { exponential: reports[0].exponential };
    } catch {
      // Not a valid regular expression: not ours to report.
    }
    redosCache.set(key, r);
  }
  if (!r) return undefined;
  const shown = key.length > 60 ? `${key.slice(0, 57)}...` : key;
  return {
    rule: 'redos',
    ...ruleDefaults.redos,
    api: shown,
    why: `the pattern backtracks ${r.exponential ? 'exponentially' : 'polynomially'} on crafted input, so one request can hold the CPU for seconds`,
    replacement:
      'remove the nested or overlapping quantifiers, bound the input length, or use a linear-time engine (re2)',
  };
}

/** Suppression comments of one file. */
export interface Suppressions {
  /** Line (1-based) of the code a `loop-lens-ignore-next-line` comment silences → rules (`*` = all). */
  lines: Map<number, string[]>;
  file?: string[];
}

const directive = /loop-lens-ignore-(next-line|file)\b([^\n*]*)/g;

/** Finds `// loop-lens-ignore-next-line [rule…]` and `// loop-lens-ignore-file [rule…]`. */
export function scanSuppressions(text: string, sf: ts.SourceFile): Suppressions {
  const out: Suppressions = { lines: new Map() };
  if (!text.includes('loop-lens-ignore-')) return out;
  for (const m of text.matchAll(directive)) {
    const rules = parseRules(m[2] ?? '');
    if (m[1] === 'file') {
      out.file = mergeRules(out.file, rules);
    } else {
      const line = sf.getLineAndCharacterOfPosition(m.index ?? 0).line + 2;
      out.lines.set(line, mergeRules(out.lines.get(line), rules));
    }
  }
  return out;
}

function parseRules(rest: string): string[] {
  const before = rest.split('--')[0] ?? '';
  const ids = before.split(/[\s,]+/).filter((s) => /^[a-z][a-z0-9-]*$/.test(s));
  return ids.length ? ids : ['*'];
}

function mergeRules(a: string[] | undefined, b: string[]): string[] {
  if (!a) return b;
  if (a.includes('*') || b.includes('*')) return ['*'];
  return [...new Set([...a, ...b])];
}

/** Whether a rule list silences `rule`. */
export function silences(list: readonly string[] | undefined, rule: string): boolean {
  return !!list && (list.includes('*') || list.includes(rule));
}
