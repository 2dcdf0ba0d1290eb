/**
 * Getters and setters: a property read (`this.config.port`) or write (`this.path = p`) runs the
 * accessor's code, so it is a call site when the receiver's class (or object literal) has one.
 * The walk records reads and writes whose receiver is `this`, `this.field`, a name or a `new`
 * expression; they are resolved like method calls (`get:config` / `set:path` in the class tables,
 * so accessors of classes in other files resolve too), and only when the receiver's class is known.
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import type { CallSite, CallTarget, Span } from './summaryTypes';
import { isRelative, short, unwrap } from './syntax';
import type { Evaluator, Scope } from './values';

const SK = T.SyntaxKind;

export interface Access {
  node: ts.PropertyAccessExpression;
  fn: number;
  scope: Scope;
  set: boolean;
}

/** What the accessor pass needs from the walker. */
interface AccessHost {
  readonly accesses: Access[];
  readonly sf: ts.SourceFile;
  span(node: ts.Node, end?: ts.Node): Span;
  readonly fns: { calls: CallSite[] }[];
}

/** Records `recv.name` unless it is called (a method call) or its receiver is anything else. */
export function noteAccess(
  w: AccessHost,
  node: ts.PropertyAccessExpression,
  fn: number,
  scope: Scope,
  worker: boolean,
): void {
  if (worker) return;
  const p = node.parent;
  if (p && (T.isCallExpression(p) || T.isNewExpression(p)) && p.expression === node) return;
  const recv = node.expression;
  const kind = recv.kind;
  const thisField = T.isPropertyAccessExpression(recv) && recv.expression.kind === SK.ThisKeyword;
  if (
    kind !== SK.ThisKeyword &&
    kind !== SK.Identifier &&
    kind !== SK.NewExpression &&
    !thisField
  ) {
    return;
  }
  const set =
    !!p &&
    T.isBinaryExpression(p) &&
    p.left === node &&
    p.operatorToken.kind >= SK.FirstAssignment &&
    p.operatorToken.kind <= SK.LastAssignment;
  w.accesses.push({ node, fn, scope, set });
}

/** Turns recorded accesses whose receiver has a matching accessor into call sites. */
export function resolveAccesses(w: AccessHost, ev: Evaluator): void {
  for (const a of w.accesses) {
    const recv = ev.eval(a.node.expression, a.scope);
    if (!recv || (recv.k === 'mod' && (!isRelative(recv.module) || !recv.path.includes('()')))) {
      continue;
    }
    const key = `${a.set ? 'set' : 'get'}:${a.node.name.text}`;
    const v = ev.member(recv, key);
    let target: CallTarget | undefined;
    if (v?.k === 'fn') target = { kind: 'fn', fn: v.fn };
    else if (v?.k === 'mod') target = { kind: 'import', spec: v.module, path: v.path };
    if (!target) continue;
    const name = short(unwrap(a.node).getText(w.sf));
    const site: CallSite = { ...w.span(a.node), name, target, method: true };
    site.access = a.set ? 'set' : 'get';
    w.fns[a.fn]!.calls.push(site);
  }
}
