/**
 * Syntactic value resolution inside one file: which module export, local function or regular
 * expression an expression denotes. Bindings are recorded during the walk and evaluated lazily
 * afterwards, so hoisted functions and later declarations resolve too.
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import type { ClassInfo } from './classes';
import { isInteropHelper, propertyName, stringOf, unwrap } from './syntax';

/** Read once: every `ts.X` access goes through a module getter. */
const SK = T.SyntaxKind;

/** What an expression stands for, as far as syntax can tell. */
export type Value =
  /** A module export path: `fs` + [`readFileSync`]; relative specifiers are project modules. */
  | { k: 'mod'; module: string; path: string[] }
  /** A function of this file; `method` when it was reached through a class or an instance. */
  | { k: 'fn'; fn: number; method?: true }
  | { k: 'obj'; node: ts.ObjectLiteralExpression; scope: Scope }
  /** A class of this file (index into the walker's classes), or an instance of it. */
  | { k: 'cls'; cls: number }
  | { k: 'inst'; cls: number }
  | { k: 'regex'; source: string; flags: string };

export type Binding =
  | { k: 'value'; value: Value }
  /** `const x = expr` or a destructured part of it (`path` picks the property). */
  | { k: 'expr'; expr: ts.Expression; scope: Scope; path: string[] }
  /** Several assignments (`this.db = null; … this.db = new Db()`): the first that resolves. */
  | { k: 'alts'; list: Binding[] }
  /** Parameters, catch variables, anything syntax cannot follow: shadows outer names. */
  | { k: 'opaque' };

/** A lexical scope (function-level; block scopes are folded into their function). */
export class Scope {
  readonly vars = new Map<string, Binding>();
  /** What `this` is in this scope: set by methods, `null` where a function hides it. */
  thisVal?: Value | null;
  constructor(readonly parent: Scope | undefined) {}

  lookup(name: string): Binding | undefined {
    const b = this.vars.get(name);
    return b ?? this.parent?.lookup(name);
  }

  thisValue(): Value | undefined {
    if (this.thisVal !== undefined) return this.thisVal ?? undefined;
    return this.parent?.thisValue();
  }
}

/** Names that stand for the fs module when nothing else tells (parameters, fields). */
export const fsNames = /^(fs|fse|fsExtra|gracefulFs)$/;

/** Path marker for `util.promisify(api)`. */
export const PROMISIFIED = '~promisified';

/** Normalises a module specifier: drops `node:`, maps `fs/promises` to `fs` + `promises`. */
export function moduleValue(spec: string, path: string[] = []): Value {
  let m = spec.startsWith('node:') ? spec.slice(5) : spec;
  const sub = /^(fs|dns|stream|timers|readline)\/promises$/.exec(m);
  const prefix: string[] = [];
  if (sub) {
    m = sub[1]!;
    prefix.push('promises');
  }
  return { k: 'mod', module: m, path: [...prefix, ...path] };
}

/** Evaluates expressions to values, with a per-binding memo and a cycle guard. */
export class Evaluator {
  private readonly memo = new Map<Binding, Value | undefined>();
  private readonly busy = new Set<Binding>();
  private readonly busyNodes = new Set<ts.Node>();
  private readonly bases = new Map<number, Value | undefined>();
  private readonly objectKeys = new Map<ts.Node, Map<string, ts.ObjectLiteralElementLike>>();

  constructor(
    private readonly fnOf: Map<ts.Node, number>,
    private readonly classes: readonly ClassInfo[] = [],
    private readonly classOf: ReadonlyMap<ts.Node, number> = new Map(),
  ) {}

  binding(b: Binding): Value | undefined {
    if (b.k === 'value') return b.value;
    if (b.k === 'opaque') return undefined;
    if (b.k === 'alts') {
      for (const x of b.list) {
        const v = this.binding(x);
        if (v) return v;
      }
      return undefined;
    }
    if (this.memo.has(b)) return this.memo.get(b);
    if (this.busy.has(b)) return undefined;
    this.busy.add(b);
    let v = this.eval(b.expr, b.scope);
    for (const p of b.path) v = v && this.member(v, p);
    this.busy.delete(b);
    this.memo.set(b, v);
    return v;
  }

  /** The value of `v.name`. */
  member(v: Value, name: string, depth = 0): Value | undefined {
    if (v.k === 'mod') return { k: 'mod', module: v.module, path: [...v.path, name] };
    if (v.k === 'obj') return this.objectProperty(v.node, v.scope, name);
    if (v.k === 'cls' && name === '()') return { k: 'inst', cls: v.cls };
    // `f.call(this, x)` and `f.apply(this, args)` call f.
    if (v.k === 'fn' && (name === 'call' || name === 'apply')) return v;
    if (v.k === 'cls' || v.k === 'inst') {
      return this.classMember(v.cls, v.k === 'inst', name, depth);
    }
    return undefined;
  }

  /** A method or property of a class of this file, its own or inherited (`extends`). */
  private classMember(cls: number, inst: boolean, name: string, depth: number): Value | undefined {
    const c = this.classes[cls];
    if (!c || depth > 20) return undefined;
    const fn = (inst ? c.methods : c.statics).get(name);
    if (fn !== undefined) return { k: 'fn', fn, method: true };
    const prop = (inst ? c.props : c.staticProps).get(name);
    // A field named like the fs module holds it (`this.fs = ctx.fs`, as parameters named fs do).
    if (prop) return this.binding(prop) ?? (fsNames.test(name) ? moduleValue('fs') : undefined);
    const base = this.baseOf(cls, inst);
    return base && this.member(base, name, depth + 1);
  }

  /** The base class of a class of this file (an instance of it for `inst`). */
  baseOf(cls: number, inst: boolean): Value | undefined {
    const key = inst ? cls : -1 - cls;
    if (this.bases.has(key)) return this.bases.get(key);
    this.bases.set(key, undefined); // `class A extends A`
    const c = this.classes[cls];
    const b = c?.heritage && this.eval(c.heritage, c.scope);
    const v = !b || (b.k !== 'cls' && b.k !== 'mod') ? undefined : inst ? this.member(b, '()') : b;
    this.bases.set(key, v);
    return v;
  }

  eval(e: ts.Expression, scope: Scope): Value | undefined {
    e = unwrap(e);
    if (T.isIdentifier(e)) return this.identifier(e.text, scope);
    if (e.kind === SK.ThisKeyword) return scope.thisValue();
    if (e.kind === SK.SuperKeyword) return this.superValue(scope);
    if (T.isPropertyAccessExpression(e)) {
      const base = this.eval(e.expression, scope);
      return base && this.member(base, e.name.text);
    }
    if (T.isElementAccessExpression(e)) {
      const key = stringOf(e.argumentExpression);
      const base = key === undefined ? undefined : this.eval(e.expression, scope);
      return base && key !== undefined ? this.member(base, key) : undefined;
    }
    if (T.isCallExpression(e)) return this.call(e, scope);
    if (T.isNewExpression(e)) {
      const ctor = unwrap(e.expression);
      if (T.isIdentifier(ctor) && ctor.text === 'RegExp' && !scope.lookup('RegExp')) {
        return regexFromArgs(e.arguments ?? T.factory.createNodeArray());
      }
      const c = this.eval(ctor, scope);
      return c?.k === 'mod' || c?.k === 'cls' ? this.member(c, '()') : undefined;
    }
    if (T.isFunctionExpression(e) || T.isArrowFunction(e)) {
      const fn = this.fnOf.get(e);
      return fn === undefined ? undefined : { k: 'fn', fn };
    }
    if (T.isClassExpression(e)) {
      const cls = this.classOf.get(e);
      return cls === undefined ? undefined : { k: 'cls', cls };
    }
    if (T.isObjectLiteralExpression(e)) return { k: 'obj', node: e, scope };
    if (T.isRegularExpressionLiteral(e)) return regexValue(e.text);
    if (T.isBinaryExpression(e) && e.operatorToken.kind === SK.BarBarToken) {
      return this.eval(e.left, scope) ?? this.eval(e.right, scope);
    }
    return undefined;
  }

  private identifier(name: string, scope: Scope): Value | undefined {
    const b = scope.lookup(name);
    if (b) return this.binding(b);
    // Unbound names are globals.
    if (name === 'Atomics') return { k: 'mod', module: '<global>', path: ['Atomics'] };
    return undefined;
  }

  private call(e: ts.CallExpression, scope: Scope): Value | undefined {
    const callee = unwrap(e.expression);
    const arg0 = e.arguments[0];
    if (T.isIdentifier(callee) && callee.text === 'require' && !scope.lookup('require')) {
      const spec = stringOf(arg0);
      return spec === undefined ? undefined : moduleValue(spec);
    }
    if (callee.kind === SK.ImportKeyword) {
      const spec = stringOf(arg0);
      return spec === undefined ? undefined : moduleValue(spec);
    }
    if (T.isIdentifier(callee) && callee.text === 'RegExp' && !scope.lookup('RegExp')) {
      return regexFromArgs(e.arguments);
    }
    if (arg0 && isInteropHelper(callee)) return this.eval(arg0, scope);
    const c = this.eval(callee, scope);
    // `this.handler.bind(this)` is the handler.
    if (T.isPropertyAccessExpression(callee) && callee.name.text === 'bind') {
      const f = this.eval(callee.expression, scope);
      if (f?.k === 'fn' || (f?.k === 'mod' && f.path.length)) return f;
    }
    if (c?.k !== 'mod') return undefined;
    // It returns a promise-returning function: no longer the sync form (`randomBytes(16)` without
    // a callback), still queued on the threadpool (marked `~promisified` for that rule).
    if (c.module === 'util' && c.path.length === 1 && c.path[0] === 'promisify' && arg0) {
      const f = this.eval(arg0, scope);
      return f?.k === 'mod' ? { ...f, path: [...f.path, PROMISIFIED] } : undefined;
    }
    return { ...c, path: [...c.path, '()'] };
  }

  /** `super` in a method: the base class (static method) or an instance of it. */
  private superValue(scope: Scope): Value | undefined {
    const t = scope.thisValue();
    if (t?.k !== 'cls' && t?.k !== 'inst') return undefined;
    return this.baseOf(t.cls, t.k === 'inst');
  }

  /** Runs `f` unless `node` is already being evaluated (`{ a: this.a }`): a cycle is unknown. */
  private guarded(node: ts.Node, f: () => Value | undefined): Value | undefined {
    if (this.busyNodes.has(node)) return undefined;
    this.busyNodes.add(node);
    try {
      return f();
    } finally {
      this.busyNodes.delete(node);
    }
  }

  private objectProperty(
    node: ts.ObjectLiteralExpression,
    scope: Scope,
    name: string,
  ): Value | undefined {
    const p = this.keysOf(node).get(name);
    if (!p) return undefined;
    if (T.isPropertyAssignment(p)) return this.guarded(p, () => this.eval(p.initializer, scope));
    if (T.isShorthandPropertyAssignment(p)) return this.identifier(p.name.text, scope);
    const fn = T.isMethodDeclaration(p) || T.isAccessor(p) ? this.fnOf.get(p) : undefined;
    if (fn === undefined) return undefined;
    return T.isAccessor(p) ? { k: 'fn', fn, method: true } : { k: 'fn', fn };
  }

  /** An object literal's members by name (the first wins); accessors as `get:x` / `set:x`. */
  private keysOf(node: ts.ObjectLiteralExpression): Map<string, ts.ObjectLiteralElementLike> {
    let keys = this.objectKeys.get(node);
    if (keys) return keys;
    keys = new Map();
    for (const p of node.properties) {
      let key = p.name && propertyName(p.name);
      if (key === undefined) continue;
      if (T.isGetAccessorDeclaration(p)) key = `get:${key}`;
      else if (T.isSetAccessorDeclaration(p)) key = `set:${key}`;
      if (!keys.has(key)) keys.set(key, p);
    }
    this.objectKeys.set(node, keys);
    return keys;
  }
}

function regexValue(text: string): Value | undefined {
  const end = text.lastIndexOf('/');
  if (end <= 0) return undefined;
  return { k: 'regex', source: text.slice(1, end), flags: text.slice(end + 1) };
}

function regexFromArgs(args: ts.NodeArray<ts.Expression>): Value | undefined {
  const source = stringOf(args[0]);
  if (source === undefined) return undefined;
  const flags = args[1] ? stringOf(args[1]) : '';
  return flags === undefined ? undefined : { k: 'regex', source, flags };
}
