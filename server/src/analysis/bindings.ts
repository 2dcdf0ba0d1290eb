/**
 * What a file declares and exports, recorded while the walker passes (walker.ts): imports and
 * re-exports, variable, parameter and class-property bindings (with destructuring and `typeof`
 * annotations), and CommonJS export assignments. Resolved later by `finalize.ts`.
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import type { ClassInfo } from './classes';
import { isRelative, propertyName, stringOf, unwrap } from './syntax';
import { type Binding, fsNames, moduleValue, type Scope } from './values';

const SK = T.SyntaxKind;

/** An export waiting for resolution: `name` = `expr` evaluated in `scope`. */
export interface PendingExport {
  name: string;
  expr?: ts.Expression;
  fn?: number;
  /** `export class X`: a class of this file. */
  cls?: number;
  scope: Scope;
  /** `export { a } from './x'`: a re-export. */
  from?: { spec: string; path: string[] };
}

/** Where the walker keeps what a file imports and exports. */
export interface ModuleRecord {
  /** Relative module specifiers this file loads (dependency tracking). */
  readonly imports: Set<string>;
  /** `export * from './x'` specifiers. */
  readonly stars: string[];
  readonly exportsPending: PendingExport[];
  /** Classes of this file, for `this.x = …` in their methods. */
  readonly classes: ClassInfo[];
}

/** `import x, { a as b } from 'm'`, `import * as ns from 'm'`. */
export function importDecl(rec: ModuleRecord, d: ts.ImportDeclaration, scope: Scope): void {
  const spec = stringOf(d.moduleSpecifier);
  const clause = d.importClause;
  if (spec === undefined) return;
  if (isRelative(spec)) rec.imports.add(spec);
  // Type-only imports are bound too: only type positions can use them (`svc: UsersService`,
  // `typeof fs`), where they name the class or module.
  if (!clause) return;
  if (clause.name) {
    scope.vars.set(clause.name.text, { k: 'value', value: moduleValue(spec, ['default']) });
  }
  const nb = clause.namedBindings;
  if (nb && T.isNamespaceImport(nb)) {
    scope.vars.set(nb.name.text, { k: 'value', value: moduleValue(spec) });
  } else if (nb) {
    for (const el of nb.elements) {
      const imported = (el.propertyName ?? el.name).text;
      scope.vars.set(el.name.text, { k: 'value', value: moduleValue(spec, [imported]) });
    }
  }
}

/** `import fs = require('fs')`. */
export function importEquals(rec: ModuleRecord, d: ts.ImportEqualsDeclaration, scope: Scope): void {
  const ref = d.moduleReference;
  if (!T.isExternalModuleReference(ref)) return;
  const spec = stringOf(ref.expression);
  if (spec === undefined) return;
  if (isRelative(spec)) rec.imports.add(spec);
  scope.vars.set(d.name.text, { k: 'value', value: moduleValue(spec) });
}

/** `export { a, b as c }`, `export { a } from './x'`, `export * from './x'`. */
export function exportDecl(rec: ModuleRecord, d: ts.ExportDeclaration, scope: Scope): void {
  if (d.isTypeOnly) return;
  const spec = stringOf(d.moduleSpecifier);
  if (spec !== undefined && isRelative(spec)) rec.imports.add(spec);
  const clause = d.exportClause;
  if (!clause) {
    if (spec !== undefined) rec.stars.push(spec);
    return;
  }
  if (T.isNamespaceExport(clause)) {
    if (spec !== undefined) {
      rec.exportsPending.push({ name: clause.name.text, scope, from: { spec, path: [] } });
    }
    return;
  }
  for (const el of clause.elements) {
    const local = (el.propertyName ?? el.name).text;
    const name = el.name.text;
    if (spec !== undefined) {
      rec.exportsPending.push({ name, scope, from: { spec, path: [local] } });
    } else rec.exportsPending.push({ name, scope, expr: el.propertyName ?? el.name });
  }
}

/** `const x = …` (and `export const x = …`), with destructuring. */
export function variable(rec: ModuleRecord, d: ts.VariableDeclaration, scope: Scope): void {
  if (d.initializer) {
    bindPattern(d.name, scope, { k: 'expr', expr: d.initializer, scope, path: [] });
  } else {
    bindPattern(d.name, scope, { k: 'opaque' });
  }
  if (T.isIdentifier(d.name) && isExported(d.parent?.parent)) {
    rec.exportsPending.push({ name: d.name.text, expr: d.name, scope });
  }
}

/** Binds every name of a (destructuring) pattern; `{ a: b }` takes property `a` of the value. */
export function bindPattern(name: ts.BindingName, scope: Scope, b: Binding): void {
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
    bindPattern(el.name, scope, sub);
  }
}

/**
 * A binding for a type annotation that names a value: `typeof x`, `typeof import('m')`, or a
 * class (`UsersService`, `Repo<User>`), which stands for an instance of it. Interfaces and type
 * aliases are not bound, so they resolve to nothing.
 */
export function typeBinding(t: ts.TypeNode, scope: Scope): Binding | undefined {
  if (T.isTypeReferenceNode(t) && T.isIdentifier(t.typeName)) {
    return { k: 'expr', expr: t.typeName, scope: scope.parent ?? scope, path: ['()'] };
  }
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

/** Parameters shadow outer names, except ones typed or named as an injected `fs`. */
export function param(p: ts.ParameterDeclaration, scope: Scope): void {
  const t = p.type;
  const typed = t && typeBinding(t, scope);
  if (typed) return bindPattern(p.name, scope, typed);
  if (!t && T.isIdentifier(p.name) && fsNames.test(p.name.text)) {
    scope.vars.set(p.name.text, { k: 'value', value: moduleValue('fs') });
    return;
  }
  bindPattern(p.name, scope, { k: 'opaque' });
}

/** `module.exports = x`, `exports.a = x`, `module.exports.a = x`. */
export function assignment(rec: ModuleRecord, b: ts.BinaryExpression, scope: Scope): void {
  if (b.operatorToken.kind !== SK.EqualsToken) return;
  const left = unwrap(b.left);
  if (!T.isPropertyAccessExpression(left)) return;
  const obj = unwrap(left.expression);
  const name = left.name.text;
  if (obj.kind === SK.ThisKeyword) {
    thisAssignment(rec, scope, name, { k: 'expr', expr: b.right, scope, path: [] });
  } else if (T.isIdentifier(obj) && obj.text === 'module' && name === 'exports') {
    rec.exportsPending.push({ name: '=', expr: b.right, scope });
  } else if (T.isIdentifier(obj) && obj.text === 'exports') {
    rec.exportsPending.push({ name, expr: b.right, scope });
  } else if (
    T.isPropertyAccessExpression(obj) &&
    obj.name.text === 'exports' &&
    T.isIdentifier(obj.expression) &&
    obj.expression.text === 'module'
  ) {
    rec.exportsPending.push({ name, expr: b.right, scope });
  }
}

/** `this.x = v` in a method: one more value `this.x` may hold (the first that resolves wins). */
function thisAssignment(rec: ModuleRecord, scope: Scope, name: string, b: Binding): void {
  const t = scope.thisValue();
  if (t?.k !== 'inst' && t?.k !== 'cls') return;
  const c = rec.classes[t.cls];
  const props = t.k === 'inst' ? c?.props : c?.staticProps;
  const old = props?.get(name);
  if (!props) return;
  if (!old) props.set(name, b);
  else if (old.k === 'alts') old.list.push(b);
  else props.set(name, { k: 'alts', list: [old, b] });
}

/** Whether a declaration carries `export`. */
export function isExported(node: ts.Node | undefined): boolean {
  if (!node || !T.canHaveModifiers(node)) return false;
  return !!T.getModifiers(node)?.some((m) => m.kind === SK.ExportKeyword);
}

/** `require('./x')` and `import('./x')` are imports too (for dependency tracking). */
export function noteRequire(rec: ModuleRecord, call: ts.CallExpression): void {
  const c = call.expression;
  const isLoad = c.kind === SK.ImportKeyword || (T.isIdentifier(c) && c.text === 'require');
  const spec = isLoad ? stringOf(call.arguments[0]) : undefined;
  if (spec !== undefined && isRelative(spec)) rec.imports.add(spec);
}
