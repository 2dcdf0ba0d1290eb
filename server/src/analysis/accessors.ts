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
  /** Names of the getters and setters this file declares. */
  readonly accessorNames: Set<string>;
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
  // Kinds, not `T.isX` calls: this runs for every property access of every file.
  const p = node.parent as ts.Node | undefined;
  const pk = p?.kind;
  const callee = pk === SK.CallExpression || pk === SK.NewExpression;
  if (callee && (p as ts.CallExpression).expression === node) return;
  const recv = node.expression;
  const kind = recv.kind;
  const thisField =
    kind === SK.PropertyAccessExpression &&
    (recv as ts.PropertyAccessExpression).expression.kind === SK.ThisKeyword;
  if (
    kind !== SK.ThisKeyword &&
    kind !== SK.Identifier &&
    kind !== SK.NewExpression &&
    !thisField
  ) {
    return;
  }
  let set = false;
  if (pk === SK.BinaryExpression && (p as ts.BinaryExpression).left === node) {
    const op = (p as ts.BinaryExpression).operatorToken.kind;
    set = op >= SK.FirstAssignment && op <= SK.LastAssignment;
  }
  w.accesses.push({ node, fn, scope, set });
}

/** Turns recorded accesses whose receiver has a matching accessor into call sites. */
export function resolveAccesses(w: AccessHost, ev: Evaluator): void {
  for (const a of w.accesses) {
    // `this.x` and `name.x` can only reach an accessor of this file; `this.field.x` and
    // `new X().x` may reach one of a class from another file.
    const k = a.node.expression.kind;
    const local = k === SK.ThisKeyword || k === SK.Identifier;
    if (local && !w.accessorNames.has(a.node.name.text)) continue;
    const recv = ev.eval(a.node.expression, a.scope);
    if (!recv || (recv.k === 'mod' && (!isRelative(recv.module) || !recv.path.includes('()')))) {
      continue;
    }
    const key = `${a.set ? 'set' : 'get'}:${a.node.name.text}`;
    const v = ev.member(recv, key);
    let target: CallTarget | undefined;
    if (v?.k === 'fn') target = { kind: 'fn', fn: v.fn };
    // An instance of a class from another file (`this.config.raw`); not an inherited accessor of
    // an imported base class (`this.x` in `class A extends B`): every field read would be a site.
    else if (v?.k === 'mod' && recv.k === 'mod' && recv.path[recv.path.length - 1] === '()') {
      target = { kind: 'import', spec: v.module, path: v.path };
    }
    if (!target) continue;
    const name = short(unwrap(a.node).getText(w.sf));
    const site: CallSite = { ...w.span(a.node), name, target, method: true };
    site.access = a.set ? 'set' : 'get';
    w.fns[a.fn]!.calls.push(site);
  }
}
