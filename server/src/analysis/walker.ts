/**
 * One pass over a file's raw TypeScript AST (no ts-morph wrappers: they cost ~3× the walk).
 * Records functions, scopes and bindings, call expressions, exports and pattern hits; `finalize.ts`
 * resolves them into a FileSummary once every declaration is known.
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import type { FnSummary, Span } from './summaryTypes';
import {
  Scope,
  type Binding,
  isRelative,
  moduleValue,
  propertyName,
  stringOf,
  unwrap,
  short,
} from './values';
import { busyWaitHit, isBusyWait } from './patterns';
import { calleeName, routeOptionKeys } from './callbacks';

/** Read once: every `ts.X` access goes through a module getter. */
const SK = T.SyntaxKind;

/** A call or `new` expression waiting for resolution. */
export interface PendingCall {
  node: ts.CallExpression | ts.NewExpression;
  fn: number;
  scope: Scope;
  worker: boolean;
}

/** An export waiting for resolution: `name` = `expr` evaluated in `scope`. */
export interface PendingExport {
  name: string;
  expr?: ts.Expression;
  fn?: number;
  scope: Scope;
  /** `export { a } from './x'`: a re-export. */
  from?: { spec: string; path: string[] };
}

/** Function node → how it was passed: as argument `index` of `call`, or called in place. */
export interface CallbackUse {
  call: ts.CallExpression | ts.NewExpression;
  index: number;
}

type FnNode = ts.SignatureDeclaration & { body?: ts.Node };

export class Walker {
  readonly fns: FnSummary[] = [];
  readonly fnNodes: FnNode[] = [];
  readonly fnOf = new Map<ts.Node, number>();
  readonly pending: PendingCall[] = [];
  readonly exportsPending: PendingExport[] = [];
  readonly stars: string[] = [];
  readonly imports = new Set<string>();
  readonly callbacks = new Map<number, CallbackUse>();
  readonly top = new Scope(undefined);

  constructor(readonly sf: ts.SourceFile) {
    this.fns.push({
      name: '(top level)',
      line: 1,
      column: 1,
      parent: -1,
      isAsync: false,
      calls: [],
    });
    this.fnNodes.push(sf as unknown as FnNode);
  }

  run(): void {
    for (const s of this.sf.statements) this.visitChild(s, this.sf, 0, this.top, false);
  }

  span(node: ts.Node, end: ts.Node = node): Span {
    const a = this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf));
    const b = this.sf.getLineAndCharacterOfPosition(end.getEnd());
    return {
      line: a.line + 1,
      column: a.character + 1,
      endLine: b.line + 1,
      endColumn: b.character + 1,
    };
  }

  /**
   * The parser runs without `setParentNodes` (a whole extra tree pass); the walk sets `parent`
   * on the way down, which is all the upward looks (callback position, names) need.
   */
  private visitChild(
    node: ts.Node,
    parent: ts.Node,
    fn: number,
    scope: Scope,
    worker: boolean,
  ): void {
    setParent(node, parent);
    this.visit(node, fn, scope, worker);
  }

  private visit(node: ts.Node, fn: number, scope: Scope, worker: boolean): void {
    switch (node.kind) {
      case SK.ImportDeclaration:
        return this.importDecl(node as ts.ImportDeclaration, scope);
      case SK.ImportEqualsDeclaration:
        return this.importEquals(node as ts.ImportEqualsDeclaration, scope);
      case SK.ExportDeclaration:
        return this.exportDecl(node as ts.ExportDeclaration, scope);
      case SK.ExportAssignment: {
        const e = node as ts.ExportAssignment;
        this.exportsPending.push({
          name: e.isExportEquals ? '=' : 'default',
          expr: e.expression,
          scope,
        });
        break;
      }
      case SK.VariableDeclaration:
        this.variable(node as ts.VariableDeclaration, scope);
        break;
      case SK.ClassDeclaration:
      case SK.ClassExpression:
        return this.classLike(node as ts.ClassLikeDeclaration, fn, scope, worker);
      case SK.FunctionDeclaration:
      case SK.FunctionExpression:
      case SK.ArrowFunction:
      case SK.MethodDeclaration:
      case SK.GetAccessor:
      case SK.SetAccessor:
      case SK.Constructor:
        this.func(node as FnNode, fn, scope, worker);
        return;
      case SK.CallExpression:
        this.noteRequire(node as ts.CallExpression);
        this.pending.push({ node: node as ts.CallExpression, fn, scope, worker });
        break;
      case SK.NewExpression:
        this.pending.push({ node: node as ts.CallExpression, fn, scope, worker });
        break;
      case SK.BinaryExpression:
        this.assignment(node as ts.BinaryExpression, scope);
        break;
      case SK.IfStatement:
        return this.ifStatement(node as ts.IfStatement, fn, scope, worker);
      case SK.CatchClause: {
        const v = (node as ts.CatchClause).variableDeclaration;
        if (v) this.bindPattern(v.name, scope, { k: 'opaque' });
        break;
      }
      case SK.WhileStatement:
      case SK.DoStatement:
      case SK.ForStatement:
        if (isBusyWait(node as ts.IterationStatement, this.sf)) this.busyWait(node, fn, worker);
        break;
      case SK.InterfaceDeclaration:
      case SK.TypeAliasDeclaration:
        return;
    }
    T.forEachChild(node, (c) => this.visitChild(c, node, fn, scope, worker));
  }

  /** `require('./x')` and `import('./x')` are imports too (for dependency tracking). */
  private noteRequire(call: ts.CallExpression): void {
    const c = call.expression;
    const isLoad = c.kind === SK.ImportKeyword || (T.isIdentifier(c) && c.text === 'require');
    const spec = isLoad ? stringOf(call.arguments[0]) : undefined;
    if (spec !== undefined && isRelative(spec)) this.imports.add(spec);
  }

  private busyWait(node: ts.Node, fn: number, worker: boolean): void {
    if (worker) return;
    const loop = node as ts.WhileStatement;
    const end = T.isForStatement(node) ? node.condition : loop.expression;
    const s = this.span(node, end ?? node);
    this.fns[fn]!.calls.push({
      ...s,
      endColumn: s.endColumn + 1,
      name: 'busy-wait loop',
      target: { kind: 'api', hit: busyWaitHit },
    });
  }

  private importDecl(d: ts.ImportDeclaration, scope: Scope): void {
    const spec = stringOf(d.moduleSpecifier);
    const clause = d.importClause;
    if (spec === undefined) return;
    if (isRelative(spec)) this.imports.add(spec);
    if (!clause || clause.isTypeOnly) return;
    if (clause.name) {
      scope.vars.set(clause.name.text, { k: 'value', value: moduleValue(spec, ['default']) });
    }
    const nb = clause.namedBindings;
    if (nb && T.isNamespaceImport(nb)) {
      scope.vars.set(nb.name.text, { k: 'value', value: moduleValue(spec) });
    } else if (nb) {
      for (const el of nb.elements) {
        if (el.isTypeOnly) continue;
        const imported = (el.propertyName ?? el.name).text;
        scope.vars.set(el.name.text, { k: 'value', value: moduleValue(spec, [imported]) });
      }
    }
  }

  private importEquals(d: ts.ImportEqualsDeclaration, scope: Scope): void {
    const ref = d.moduleReference;
    if (!T.isExternalModuleReference(ref)) return;
    const spec = stringOf(ref.expression);
    if (spec === undefined) return;
    if (isRelative(spec)) this.imports.add(spec);
    scope.vars.set(d.name.text, { k: 'value', value: moduleValue(spec) });
  }

  private exportDecl(d: ts.ExportDeclaration, scope: Scope): void {
    if (d.isTypeOnly) return;
    const spec = stringOf(d.moduleSpecifier);
    if (spec !== undefined && isRelative(spec)) this.imports.add(spec);
    const clause = d.exportClause;
    if (!clause) {
      if (spec !== undefined) this.stars.push(spec);
      return;
    }
    if (T.isNamespaceExport(clause)) {
      if (spec !== undefined) {
        this.exportsPending.push({ name: clause.name.text, scope, from: { spec, path: [] } });
      }
      return;
    }
    for (const el of clause.elements) {
      const local = (el.propertyName ?? el.name).text;
      const name = el.name.text;
      if (spec !== undefined) {
        this.exportsPending.push({ name, scope, from: { spec, path: [local] } });
      } else this.exportsPending.push({ name, scope, expr: el.propertyName ?? el.name });
    }
  }

  private variable(d: ts.VariableDeclaration, scope: Scope): void {
    if (d.initializer) {
      this.bindPattern(d.name, scope, { k: 'expr', expr: d.initializer, scope, path: [] });
    } else {
      this.bindPattern(d.name, scope, { k: 'opaque' });
    }
    if (T.isIdentifier(d.name) && isExported(d.parent?.parent)) {
      this.exportsPending.push({ name: d.name.text, expr: d.name, scope });
    }
  }

  /** Binds every name of a (destructuring) pattern; `{ a: b }` takes property `a` of the value. */
  bindPattern(name: ts.BindingName, scope: Scope, b: Binding): void {
    if (T.isIdentifier(name)) {
      scope.vars.set(name.text, b);
      return;
    }
    for (const el of name.elements) {
      if (T.isOmittedExpression(el)) continue;
      let sub: Binding = { k: 'opaque' };
      if (b.k === 'expr' && T.isObjectBindingPattern(name) && !el.dotDotDotToken) {
        const key = el.propertyName
          ? propertyName(el.propertyName)
          : T.isIdentifier(el.name)
            ? el.name.text
            : undefined;
        if (key !== undefined) sub = { ...b, path: [...b.path, key] };
      }
      this.bindPattern(el.name, scope, sub);
    }
  }

  private classLike(c: ts.ClassLikeDeclaration, fn: number, scope: Scope, worker: boolean): void {
    const cls = c.name?.text ?? 'class';
    if (c.name && T.isClassDeclaration(c)) scope.vars.set(cls, { k: 'opaque' });
    const methods = new Map<string, number>();
    const inner = new Scope(scope);
    inner.classMethods = methods;
    inner.classProps = new Map();
    this.classProps(c, inner);
    for (const m of c.members) {
      if (T.isPropertyDeclaration(m) && m.initializer) {
        const init = unwrap(m.initializer);
        setParent(m, c);
        this.visitChild(m.initializer, m, fn, inner, worker);
        const idx = this.fnOf.get(init);
        const key = propertyName(m.name);
        if (idx !== undefined && key) {
          methods.set(key, idx);
          this.fns[idx]!.name = `${cls}.${key}`;
        }
        continue;
      }
      this.visitChild(m, c, fn, inner, worker);
      const idx = this.fnOf.get(m);
      const key = m.name && propertyName(m.name);
      if (idx !== undefined) {
        const shown = T.isConstructorDeclaration(m) ? 'constructor' : (key ?? '?');
        this.fns[idx]!.name = `${cls}.${shown}`;
        if (key) methods.set(key, idx);
      }
    }
    if (c.heritageClauses) {
      for (const h of c.heritageClauses) this.visitChild(h, c, fn, scope, worker);
    }
  }

  /** `fs: typeof fs`, `db = new Database()`, `constructor(private fs: typeof import('fs'))`. */
  private classProps(c: ts.ClassLikeDeclaration, inner: Scope): void {
    const props = inner.classProps!;
    const typed = (t: ts.TypeNode | undefined) => (t ? this.typeBinding(t, inner) : undefined);
    for (const m of c.members) {
      const key = m.name && propertyName(m.name);
      if (T.isPropertyDeclaration(m) && key) {
        const b: Binding | undefined = m.initializer
          ? { k: 'expr', expr: m.initializer, scope: inner, path: [] }
          : typed(m.type);
        if (b) props.set(key, b);
      }
      if (T.isConstructorDeclaration(m)) {
        for (const p of m.parameters) {
          const b = typed(p.type);
          const isProp = T.canHaveModifiers(p) && !!T.getModifiers(p)?.length;
          if (b && isProp && T.isIdentifier(p.name)) props.set(p.name.text, b);
        }
      }
    }
  }

  /** A binding for a `typeof x` / `typeof import('m')` type annotation. */
  private typeBinding(t: ts.TypeNode, scope: Scope): Binding | undefined {
    if (T.isTypeQueryNode(t) && T.isIdentifier(t.exprName)) {
      return {
        k: 'expr',
        expr: t.exprName as ts.Identifier,
        scope: scope.parent ?? scope,
        path: [],
      };
    }
    if (T.isImportTypeNode(t) && t.isTypeOf && T.isLiteralTypeNode(t.argument)) {
      const spec = stringOf(t.argument.literal);
      if (spec !== undefined) return { k: 'value', value: moduleValue(spec) };
    }
    return undefined;
  }

  private func(node: FnNode, parent: number, scope: Scope, worker: boolean): void {
    const idx = this.fns.length;
    const at = this.span(node);
    const isAsync = hasAsync(node);
    this.fns.push({
      name: fnName(node, this.sf),
      line: at.line,
      column: at.column,
      parent,
      isAsync,
      calls: [],
    });
    if (worker) this.fns[idx]!.worker = true;
    this.fnNodes.push(node);
    this.fnOf.set(node, idx);
    if (T.isFunctionDeclaration(node)) {
      if (node.name) scope.vars.set(node.name.text, { k: 'value', value: { k: 'fn', fn: idx } });
      if (isExported(node)) {
        const isDefault = node.modifiers?.some((m) => m.kind === SK.DefaultKeyword);
        const name = isDefault ? 'default' : node.name?.text;
        if (name) this.exportsPending.push({ name, fn: idx, scope });
      }
    }
    this.noteCallbackUse(node, idx);
    if (isRouteOption(node)) this.fns[idx]!.eventLoop = 'route handler';
    const inner = new Scope(scope);
    if (T.isFunctionExpression(node) && node.name) {
      inner.vars.set(node.name.text, { k: 'value', value: { k: 'fn', fn: idx } });
    }
    for (const p of node.parameters) this.param(p, inner);
    if (node.body) this.visitChild(node.body, node, idx, inner, worker);
  }

  /** Records that a function literal is an argument of a call (or the callee of an IIFE). */
  private noteCallbackUse(node: ts.Node, idx: number): void {
    let child: ts.Node = node;
    let parent = node.parent;
    while (parent && T.isParenthesizedExpression(parent)) {
      child = parent;
      parent = parent.parent;
    }
    if (!parent || !(T.isCallExpression(parent) || T.isNewExpression(parent))) return;
    const index = parent.arguments ? parent.arguments.indexOf(child as ts.Expression) : -1;
    if (index >= 0 || parent.expression === child) this.callbacks.set(idx, { call: parent, index });
  }

  /** Parameters shadow outer names, except ones typed or named as an injected `fs`. */
  private param(p: ts.ParameterDeclaration, scope: Scope): void {
    const t = p.type;
    const typed = t && this.typeBinding(t, scope);
    if (typed) return this.bindPattern(p.name, scope, typed);
    if (!t && T.isIdentifier(p.name) && /^(fs|fse|fsExtra|gracefulFs)$/.test(p.name.text)) {
      scope.vars.set(p.name.text, { k: 'value', value: moduleValue('fs') });
      return;
    }
    this.bindPattern(p.name, scope, { k: 'opaque' });
  }

  /** `module.exports = x`, `exports.a = x`, `module.exports.a = x`. */
  private assignment(b: ts.BinaryExpression, scope: Scope): void {
    if (b.operatorToken.kind !== SK.EqualsToken) return;
    const left = unwrap(b.left);
    if (!T.isPropertyAccessExpression(left)) return;
    const obj = unwrap(left.expression);
    const name = left.name.text;
    if (obj.kind === SK.ThisKeyword) {
      scope.thisProps()?.set(name, { k: 'expr', expr: b.right, scope, path: [] });
    } else if (T.isIdentifier(obj) && obj.text === 'module' && name === 'exports') {
      this.exportsPending.push({ name: '=', expr: b.right, scope });
    } else if (T.isIdentifier(obj) && obj.text === 'exports') {
      this.exportsPending.push({ name, expr: b.right, scope });
    } else if (
      T.isPropertyAccessExpression(obj) &&
      obj.name.text === 'exports' &&
      T.isIdentifier(obj.expression) &&
      obj.expression.text === 'module'
    ) {
      this.exportsPending.push({ name, expr: b.right, scope });
    }
  }

  /** `if (!isMainThread) { … }` runs in a worker thread: its calls are not event-loop findings. */
  private ifStatement(s: ts.IfStatement, fn: number, scope: Scope, worker: boolean): void {
    const cond = unwrap(s.expression);
    const isMain = (e: ts.Expression) => /(^|\.)isMainThread$/.test(unwrap(e).getText(this.sf));
    const negated =
      T.isPrefixUnaryExpression(cond) &&
      cond.operator === SK.ExclamationToken &&
      isMain(cond.operand);
    const positive = !negated && isMain(cond);
    this.visitChild(s.expression, s, fn, scope, worker);
    this.visitChild(s.thenStatement, s, fn, scope, worker || negated);
    if (s.elseStatement) this.visitChild(s.elseStatement, s, fn, scope, worker || positive);
  }
}

/** `fastify.route({ handler: (req, reply) => … })` and `{ handler(req, reply) { … } }`. */
function isRouteOption(node: ts.Node): boolean {
  const prop = T.isMethodDeclaration(node) ? node : node.parent;
  if (!prop || !(T.isPropertyAssignment(prop) || T.isMethodDeclaration(prop))) return false;
  const key = propertyName(prop.name);
  const obj = prop.parent;
  const call = obj?.parent;
  if (!key || !routeOptionKeys.has(key) || !obj || !T.isObjectLiteralExpression(obj)) return false;
  return !!call && T.isCallExpression(call) && calleeName(call) === 'route';
}

function setParent(node: ts.Node, parent: ts.Node): void {
  (node as { parent: ts.Node }).parent = parent;
}

function hasAsync(node: ts.Node): boolean {
  const mods = T.canHaveModifiers(node) ? T.getModifiers(node) : undefined;
  return !!mods?.some((m) => m.kind === SK.AsyncKeyword);
}

function isExported(node: ts.Node | undefined): boolean {
  if (!node || !T.canHaveModifiers(node)) return false;
  return !!T.getModifiers(node)?.some((m) => m.kind === SK.ExportKeyword);
}

/** A readable name for a function: its own name, the variable or property it is assigned to. */
function fnName(node: FnNode, sf: ts.SourceFile): string {
  if (node.name && (T.isIdentifier(node.name) || T.isStringLiteral(node.name))) {
    return node.name.text;
  }
  let p = node.parent;
  while (p && T.isParenthesizedExpression(p)) p = p.parent;
  if (p && T.isVariableDeclaration(p) && T.isIdentifier(p.name)) return p.name.text;
  if (p && T.isPropertyAssignment(p)) return propertyName(p.name) ?? '(anonymous)';
  if (p && T.isBinaryExpression(p)) {
    return p.left.getText(sf).replace(/^module\.exports\.|^exports\./, '');
  }
  if (p && (T.isCallExpression(p) || T.isNewExpression(p)) && unwrap(p.expression) === node) {
    return '(immediately invoked function)';
  }
  if (p && (T.isCallExpression(p) || T.isNewExpression(p))) {
    return `${short(p.expression.getText(sf))} callback`;
  }
  return '(anonymous)';
}
