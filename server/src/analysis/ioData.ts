/**
 * `json-io`: `JSON.parse` / `JSON.stringify` of data that came from I/O in the same function (a
 * file read, a fetch body, a request body gathered from `'data'` events). The parse is CPU work
 * proportional to the document, on the main thread. Syntax only: the argument, or the variable it
 * names, is the result of a read, `await x.text()`, `Buffer.concat(chunks)` / `.toString()` of
 * one, or a variable a `'data'` handler appends to (`body += chunk`, `chunks.push(chunk)`).
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import type { PatternContext } from './callPatterns';
import { calleeName } from './callbacks';
import { keyOf } from './lookup';
import { ruleDefaults } from './rules';
import type { ApiHit } from './summaryTypes';
import { helperName, short, stringOf, unwrap } from './syntax';
import type { Binding, Scope } from './values';
import type { CallbackUse, PendingCall } from './walker';

const SK = T.SyntaxKind;
const fsLike = new Set(['fs', 'fs-extra', 'graceful-fs']);
const reads = new Set(['readFile', 'readFileSync', 'promises.readFile', 'readJson', 'readJSON']);
const dataEvents = new Set(['on', 'once', 'addListener', 'prependListener']);

/** What the rule needs from the walk: which variables `'data'` handlers feed. */
export interface IoFeeds {
  readonly callbacks: ReadonlyMap<number, CallbackUse>;
  readonly ioFed: Set<Binding>;
}

/** `body += chunk` / `chunks.push(chunk)` inside a `.on('data', …)` handler. */
export function noteIoFeed(w: IoFeeds, node: ts.Node, fn: number, scope: Scope): void {
  let name: string | undefined;
  if (T.isBinaryExpression(node) && node.operatorToken.kind === SK.PlusEqualsToken) {
    const left = unwrap(node.left);
    if (T.isIdentifier(left)) name = left.text;
  } else if (T.isCallExpression(node) && calleeName(node) === 'push') {
    const recv = unwrap((node.expression as ts.PropertyAccessExpression).expression ?? node);
    if (T.isIdentifier(recv)) name = recv.text;
  }
  if (!name) return;
  const use = w.callbacks.get(fn);
  if (!use || use.index < 1 || !dataEvents.has(calleeName(use.call) ?? '')) return;
  if (stringOf(use.call.arguments?.[0]) !== 'data') return;
  const b = scope.lookup(name);
  if (b) w.ioFed.add(b);
}

export const jsonIoWhy =
  'parsing or serializing a document that came from a file or a request body takes CPU time in proportion to its size, on the main thread (tens of milliseconds for a few megabytes)';

/** A `json-io` hit for `JSON.parse(io)` / `JSON.stringify(io)`. */
export function jsonOnIo(c: PatternContext & { w: IoFeeds }, p: PendingCall): void {
  const node = p.node;
  const first = node.expression;
  // Cheap gate first: this runs for every call.
  if (first.kind !== SK.PropertyAccessExpression || p.worker || !T.isCallExpression(node)) return;
  const name = (first as ts.PropertyAccessExpression).name.text;
  if (name !== 'parse' && name !== 'stringify') return;
  const callee = unwrap(node.expression);
  if (!T.isPropertyAccessExpression(callee) || !T.isIdentifier(callee.expression)) return;
  const method = callee.name.text;
  if (callee.expression.text !== 'JSON' || (method !== 'parse' && method !== 'stringify')) return;
  const arg = node.arguments[0];
  if (!arg || p.scope.lookup('JSON') || !isIoData(c, arg, p.scope, 0)) return;
  const hit: ApiHit = {
    rule: 'json-io',
    ...ruleDefaults['json-io'],
    api: `JSON.${method}`,
    why: jsonIoWhy,
    replacement:
      'a streaming parser (stream-json) or a worker thread for large documents, or a size limit on the input',
    local: true,
  };
  c.push(p, { kind: 'api', hit }, short(callee.getText(c.w.sf)));
}

function isIoData(
  c: PatternContext & { w: IoFeeds },
  expr: ts.Expression,
  scope: Scope,
  depth: number,
): boolean {
  if (depth > 4) return false;
  const awaited = T.isAwaitExpression(skipParens(expr));
  const e = unwrap(expr);
  if (T.isIdentifier(e)) {
    const b = scope.lookup(e.text);
    if (!b) return false;
    if (c.w.ioFed.has(b)) return true;
    return b.k === 'expr' && !b.path.length && isIoData(c, b.expr, b.scope, depth + 1);
  }
  if (!T.isCallExpression(e)) return false;
  const name = helperName(e.expression);
  const recv = T.isPropertyAccessExpression(unwrap(e.expression))
    ? (unwrap(e.expression) as ts.PropertyAccessExpression).expression
    : undefined;
  if (name === 'toString' && recv) return isIoData(c, recv, scope, depth + 1);
  if (name === 'text' && recv && awaited && e.arguments.length === 0) return true;
  if ((name === 'concat' || name === 'parse') && e.arguments[0]) {
    const owner = recv && unwrap(recv);
    const ok = owner && T.isIdentifier(owner) && (owner.text === 'Buffer' || owner.text === 'JSON');
    if (ok) return isIoData(c, e.arguments[0], scope, depth + 1);
  }
  const v = c.ev.eval(e.expression, scope);
  return v?.k === 'mod' && fsLike.has(v.module) && reads.has(keyOf(v.path));
}

function skipParens(e: ts.Expression): ts.Expression {
  while (T.isParenthesizedExpression(e) || T.isAsExpression(e)) e = e.expression;
  return e;
}
