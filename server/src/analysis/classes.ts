/**
 * Classes as the walk sees them: each class of a file gets an index, its methods (instance and
 * static), the `this.x` properties whose value syntax or a declared type tells
 * (`constructor(private users: UsersService)`, `db = new Database()`, `this.fs = fs`), and its
 * `extends` expression. The evaluator (values.ts) resolves `this.m()`, `super.m()`, `X.m()` and
 * `new X().m()` through it; the summary keeps a plain copy so other files can follow
 * `import { X }` → `X.m()` and inheritance across files (linker.ts).
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import { isExported, typeBinding, type PendingExport } from './bindings';
import type { ClassSummary, FnSummary } from './summaryTypes';
import { keepsThis, propertyName, unwrap } from './syntax';
import { Scope, type Binding, type Value } from './values';

const SK = T.SyntaxKind;

export interface ClassInfo {
  name: string;
  methods: Map<string, number>;
  statics: Map<string, number>;
  props: Map<string, Binding>;
  staticProps: Map<string, Binding>;
  /** The `extends` expression, evaluated in `scope` (where the class is declared). */
  heritage?: ts.Expression;
  scope: Scope;
  /** The constructor's function index. */
  ctor?: number;
}

/** What the class walk needs from the walker. */
export interface ClassHost {
  readonly fns: FnSummary[];
  readonly fnOf: Map<ts.Node, number>;
  readonly classes: ClassInfo[];
  readonly classOf: Map<ts.Node, number>;
  readonly exportsPending: PendingExport[];
  visitChild(node: ts.Node, parent: ts.Node, fn: number, scope: Scope, worker: boolean): void;
}

/** Records a class declaration or expression and walks its members. */
export function walkClass(
  w: ClassHost,
  c: ts.ClassLikeDeclaration,
  fn: number,
  scope: Scope,
  worker: boolean,
): void {
  const name = c.name?.text ?? 'class';
  const cls = w.classes.length;
  const extendsClause = c.heritageClauses?.find((h) => h.token === SK.ExtendsKeyword);
  const info: ClassInfo = {
    name,
    methods: new Map(),
    statics: new Map(),
    props: new Map(),
    staticProps: new Map(),
    heritage: extendsClause?.types[0]?.expression,
    scope,
  };
  w.classes.push(info);
  w.classOf.set(c, cls);
  const self: Binding = { k: 'value', value: { k: 'cls', cls } };
  const inst = new Scope(scope);
  const stat = new Scope(scope);
  inst.thisVal = { k: 'inst', cls };
  stat.thisVal = { k: 'cls', cls };
  if (T.isClassDeclaration(c)) {
    if (c.name) scope.vars.set(name, self);
    if (isExported(c)) {
      const isDefault = c.modifiers?.some((m) => m.kind === SK.DefaultKeyword);
      const exported = isDefault ? 'default' : c.name?.text;
      if (exported) w.exportsPending.push({ name: exported, cls, scope });
    }
  } else if (c.name) {
    inst.vars.set(name, self);
    stat.vars.set(name, self);
  }
  classProps(c, info, inst, stat);
  for (const m of c.members) walkMember(w, c, m, info, isStatic(m) ? stat : inst, fn, worker);
  if (c.heritageClauses) {
    for (const h of c.heritageClauses) w.visitChild(h, c, fn, scope, worker);
  }
}

function walkMember(
  w: ClassHost,
  c: ts.ClassLikeDeclaration,
  m: ts.ClassElement,
  info: ClassInfo,
  scope: Scope,
  fn: number,
  worker: boolean,
): void {
  const key = m.name && propertyName(m.name);
  const table = isStatic(m) ? info.statics : info.methods;
  if (T.isPropertyDeclaration(m) && m.initializer) {
    (m as { parent: ts.Node }).parent = c;
    w.visitChild(m.initializer, m, fn, scope, worker);
    const idx = w.fnOf.get(unwrap(m.initializer));
    if (idx !== undefined && key) {
      table.set(key, idx);
      w.fns[idx]!.name = `${info.name}.${key}`;
    }
    return;
  }
  w.visitChild(m, c, fn, scope, worker);
  const idx = w.fnOf.get(m);
  if (idx === undefined) return;
  if (T.isConstructorDeclaration(m)) info.ctor = idx;
  const shown = T.isConstructorDeclaration(m) ? 'constructor' : (key ?? '?');
  w.fns[idx]!.name = `${info.name}.${shown}`;
  if (key && T.isMethodDeclaration(m)) table.set(key, idx);
  else if (key && T.isGetAccessorDeclaration(m)) table.set(`get:${key}`, idx);
  else if (key && T.isSetAccessorDeclaration(m)) table.set(`set:${key}`, idx);
}

function isStatic(m: ts.ClassElement): boolean {
  if (T.isClassStaticBlockDeclaration(m)) return true;
  const mods = T.canHaveModifiers(m) ? T.getModifiers(m) : undefined;
  return !!mods?.some((x) => x.kind === SK.StaticKeyword);
}

/** `fs: typeof fs`, `db = new Database()`, `constructor(private users: UsersService)`. */
function classProps(c: ts.ClassLikeDeclaration, info: ClassInfo, inst: Scope, stat: Scope): void {
  for (const m of c.members) {
    const key = m.name && propertyName(m.name);
    if (T.isPropertyDeclaration(m) && key) {
      const s = isStatic(m) ? stat : inst;
      const b: Binding | undefined = m.initializer
        ? { k: 'expr', expr: m.initializer, scope: s, path: [] }
        : m.type && typeBinding(m.type, s);
      if (b) (isStatic(m) ? info.staticProps : info.props).set(key, b);
    }
    if (T.isConstructorDeclaration(m)) {
      for (const p of m.parameters) {
        const b = p.type && typeBinding(p.type, inst);
        const isProp = T.canHaveModifiers(p) && !!T.getModifiers(p)?.length;
        if (b && isProp && T.isIdentifier(p.name)) info.props.set(p.name.text, b);
      }
    }
  }
}

/** The plain part of a class for the summary (methods by name; `base` is filled by the caller). */
export function classSummary(info: ClassInfo): ClassSummary {
  return {
    name: info.name,
    methods: Object.fromEntries(info.methods),
    statics: Object.fromEntries(info.statics),
  };
}

/**
 * What `this` is inside a function: an arrow, a class member (set by its scope) or a generator
 * given to a compiled-async helper keeps the outer `this` (undefined); an object literal's method
 * has the object; any other function hides it (null).
 */
export function thisIn(node: ts.SignatureDeclaration, scope: Scope): Value | null | undefined {
  if (T.isArrowFunction(node) || node.parent?.kind === SK.ClassDeclaration) return undefined;
  if (node.parent?.kind === SK.ClassExpression || T.isConstructorDeclaration(node)) {
    return undefined;
  }
  let p = node.parent;
  if (p && T.isPropertyAssignment(p) && T.isFunctionExpression(node)) p = p.parent;
  if (p && T.isObjectLiteralExpression(p)) return { k: 'obj', node: p, scope };
  if (T.isFunctionExpression(node) && p && T.isCallExpression(p) && keepsThis(p)) return undefined;
  return T.isFunctionDeclaration(node) || T.isFunctionExpression(node) ? null : undefined;
}
