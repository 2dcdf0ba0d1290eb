/**
 * One pass over a file's raw TypeScript AST (no ts-morph wrappers: they cost ~3× the walk).
 * Records functions, scopes, call expressions and pattern hits, and (through `bindings.ts`)
 * imports, exports and bindings; `finalize.ts` resolves them into a FileSummary once every
 * declaration is known.
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import type { FnSummary, Span } from './summaryTypes';
import { type Binding, Scope } from './values';
import { helperName, propertyName, short, unwrap } from './syntax';
import { type ClassHost, type ClassInfo, thisIn, walkClass } from './classes';
import { noteParamTypes, type ParamTypes } from './paramTypes';
import { noteIoFeed } from './ioData';
import { type Access, noteAccess } from './accessors';
import {
  type ModuleRecord,
  type PendingExport,
  assignment,
  bindPattern,
  exportDecl,
  importDecl,
  importEquals,
  isExported,
  noteRequire,
  param,
  variable,
} from './bindings';
import { busyWaitHit, isBusyWait } from './patterns';
import { compiledExport, compiledNames } from './compiled';
import { isRouteOption } from './callbacks';

export type { PendingExport } from './bindings';

/** Read once: every `ts.X` access goes through a module getter. */
const SK = T.SyntaxKind;
/** Calls the compiled-output, decorator-metadata and 'data'-handler hooks look at. */
const callHooks = new Set([...compiledNames, '__decorate', '_ts_decorate', 'push']);

/** A call or `new` expression waiting for resolution. */
export interface PendingCall {
  node: ts.CallExpression | ts.NewExpression;
  fn: number;
  scope: Scope;
  worker: boolean;
}

/** Function node → how it was passed: as argument `index` of `call`, or called in place. */
export interface CallbackUse {
  call: ts.CallExpression | ts.NewExpression;
  index: number;
}

type FnNode = ts.SignatureDeclaration & { body?: ts.Node };

export class Walker implements ModuleRecord, ClassHost {
  readonly fns: FnSummary[] = [];
  readonly fnNodes: FnNode[] = [];
  readonly fnOf = new Map<ts.Node, number>();
  readonly pending: PendingCall[] = [];
  readonly exportsPending: PendingExport[] = [];
  readonly stars: string[] = [];
  readonly imports = new Set<string>();
  readonly callbacks = new Map<number, CallbackUse>();
  readonly classes: ClassInfo[] = [];
  readonly classOf = new Map<ts.Node, number>();
  /** Constructor scopes (by function index), for parameter types known only after the class. */
  readonly ctorScopes = new Map<number, Scope>();
  /** `__decorate([__metadata('design:paramtypes', [A, B])], X)`: X's constructor types. */
  readonly paramTypes: ParamTypes[] = [];
  /** Variables `'data'` handlers append to (`json-io`). */
  readonly ioFed = new Set<Binding>();
  /** Property reads and writes that may run a getter or setter. */
  readonly accesses: Access[] = [];
  readonly accessorNames = new Set<string>();
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
  visitChild(node: ts.Node, parent: ts.Node, fn: number, scope: Scope, worker: boolean): void {
    setParent(node, parent);
    this.visit(node, fn, scope, worker);
  }

  private visit(node: ts.Node, fn: number, scope: Scope, worker: boolean): void {
    switch (node.kind) {
      case SK.ImportDeclaration:
        return importDecl(this, node as ts.ImportDeclaration, scope);
      case SK.ImportEqualsDeclaration:
        return importEquals(this, node as ts.ImportEqualsDeclaration, scope);
      case SK.ExportDeclaration:
        return exportDecl(this, node as ts.ExportDeclaration, scope);
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
        variable(this, node as ts.VariableDeclaration, scope);
        break;
      case SK.ClassDeclaration:
      case SK.ClassExpression:
        return walkClass(this, node as ts.ClassLikeDeclaration, fn, scope, worker);
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
        noteRequire(this, node as ts.CallExpression);
        if (callHooks.has(helperName((node as ts.CallExpression).expression) ?? '')) {
          compiledExport(this, node as ts.CallExpression, scope);
          noteParamTypes(this, node as ts.CallExpression, scope);
          noteIoFeed(this, node, fn, scope);
        }
        this.pending.push({ node: node as ts.CallExpression, fn, scope, worker });
        break;
      case SK.NewExpression:
        this.pending.push({ node: node as ts.CallExpression, fn, scope, worker });
        break;
      case SK.PropertyAccessExpression:
        noteAccess(this, node as ts.PropertyAccessExpression, fn, scope, worker);
        break;
      case SK.BinaryExpression:
        assignment(this, node as ts.BinaryExpression, scope);
        noteIoFeed(this, node, fn, scope);
        break;
      case SK.IfStatement:
        return this.ifStatement(node as ts.IfStatement, fn, scope, worker);
      case SK.CatchClause: {
        const v = (node as ts.CatchClause).variableDeclaration;
        if (v) bindPattern(v.name, scope, { k: 'opaque' });
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
    if (node.kind === SK.GetAccessor || node.kind === SK.SetAccessor) {
      const key = node.name && propertyName(node.name as ts.PropertyName);
      if (key) this.accessorNames.add(key);
    }
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
    if (T.isConstructorDeclaration(node)) this.ctorScopes.set(idx, inner);
    if (T.isFunctionExpression(node) && node.name) {
      inner.vars.set(node.name.text, { k: 'value', value: { k: 'fn', fn: idx } });
    }
    inner.thisVal = thisIn(node, scope);
    for (const p of node.parameters) param(p, inner);
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

function setParent(node: ts.Node, parent: ts.Node): void {
  (node as { parent: ts.Node }).parent = parent;
}

function hasAsync(node: ts.Node): boolean {
  const mods = T.canHaveModifiers(node) ? T.getModifiers(node) : undefined;
  return !!mods?.some((m) => m.kind === SK.AsyncKeyword);
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
