/**
 * Call-site patterns that need resolved values but no cross-file knowledge: super-linear regular
 * expressions run on variable input (ReDoS) and unbounded threadpool fan-out.
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import { isThreadpoolApi, keyOf } from './lookup';
import { redosHit } from './patterns';
import { ruleDefaults } from './rules';
import type { ApiHit, CallTarget } from './summaryTypes';
import { short, unwrap } from './syntax';
import type { Evaluator, Value } from './values';
import type { PendingCall, Walker } from './walker';

const regexUsers = new Set(['match', 'matchAll', 'replace', 'replaceAll', 'split', 'search']);
const promiseCombinators = new Set(['all', 'allSettled', 'any', 'race']);

/** What the patterns need from the finalizer. */
export interface PatternContext {
  readonly w: Walker;
  readonly ev: Evaluator;
  readonly values: ReadonlyMap<PendingCall, Value | undefined>;
  push(p: PendingCall, target: CallTarget, name?: string): void;
}

/** `re.test(input)`, `input.replace(re, …)` with a super-linear `re` and non-constant input. */
export function regexUse(c: PatternContext, p: PendingCall, callee: ts.Expression): void {
  if (!T.isPropertyAccessExpression(callee)) return;
  const name = callee.name.text;
  const args = p.node.arguments ?? T.factory.createNodeArray();
  let re: Value | undefined;
  let input: ts.Expression | undefined;
  if (name === 'test' || name === 'exec') {
    re = c.ev.eval(callee.expression, p.scope);
    input = args[0];
  } else if (regexUsers.has(name) && args[0]) {
    re = c.ev.eval(args[0], p.scope);
    input = callee.expression;
  }
  if (re?.k !== 'regex' || !input || isConstant(unwrap(input))) return;
  const hit = redosHit(re.source, re.flags);
  if (hit) c.push(p, { kind: 'api', hit }, `${short(callee.getText(c.w.sf))}`);
}

/** `Promise.all(xs.map(x => fs.promises.readFile(x)))`: unbounded threadpool work. */
export function fanout(c: PatternContext, p: PendingCall): void {
  const node = p.node;
  if (!T.isCallExpression(node) || p.worker) return;
  const callee = unwrap(node.expression);
  if (
    !T.isPropertyAccessExpression(callee) ||
    !promiseCombinators.has(callee.name.text) ||
    !T.isIdentifier(callee.expression) ||
    callee.expression.text !== 'Promise'
  ) {
    return;
  }
  const arg = node.arguments[0] && unwrap(node.arguments[0]);
  if (!arg || !T.isCallExpression(arg)) return;
  const mapper = mapperOf(arg);
  const cb = mapper && c.w.fnOf.get(unwrap(mapper));
  if (cb === undefined) return;
  for (const q of c.w.pending) {
    const v = c.values.get(q);
    if (q.fn !== cb || v?.k !== 'mod' || !isThreadpoolApi(v.module, v.path)) continue;
    const api = `${v.module}.${keyOf(v.path)}`;
    const hit: ApiHit = {
      rule: 'threadpool-fanout',
      ...ruleDefaults['threadpool-fanout'],
      api,
      why: `one ${api} per element queues unbounded work on libuv's 4-thread pool, so every other file, DNS, crypto and zlib call waits behind it`,
      replacement: 'limit the concurrency (a small worker pool or p-limit), or process in batches',
    };
    c.push(p, { kind: 'api', hit }, short(node.expression.getText(c.w.sf)));
    return;
  }
}

/** The callback of `xs.map(cb)` / `Array.from(xs, cb)`, unless the list is a short literal. */
function mapperOf(call: ts.CallExpression): ts.Expression | undefined {
  const callee = unwrap(call.expression);
  if (!T.isPropertyAccessExpression(callee)) return undefined;
  const name = callee.name.text;
  if (name === 'map' || name === 'flatMap') {
    const list = unwrap(callee.expression);
    if (T.isArrayLiteralExpression(list) && list.elements.length <= 8) return undefined;
    return call.arguments[0];
  }
  if (name === 'from' && T.isIdentifier(callee.expression) && callee.expression.text === 'Array') {
    return call.arguments[1];
  }
  return undefined;
}

function isConstant(e: ts.Expression): boolean {
  return T.isStringLiteral(e) || T.isNoSubstitutionTemplateLiteral(e) || T.isNumericLiteral(e);
}
