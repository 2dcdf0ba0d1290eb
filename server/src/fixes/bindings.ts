/**
 * What each top-level import or `require` of a file binds, read from syntax alone: enough to
 * know that `readFileSync(...)` came from `node:fs`, or `cp.execSync` from `child_process`.
 */
import { ts } from 'ts-morph';
import { isRequireCall, type SourceText } from './source';

/** A statement that imports a module: where names can be added or removed. */
export interface ImportSite {
  statement: ts.Statement;
  style: 'esm' | 'cjs';
  /** The module as written (`node:fs`). */
  specifier: string;
  /** The editable `{ a, b as c }` list or `{ a, b: c }` pattern, when the statement has one. */
  list?: ts.NamedImports | ts.ObjectBindingPattern;
  /** `import type` lists cannot receive value names. */
  typeOnly: boolean;
}

/** One local name bound by an import site. */
export interface ModuleBinding {
  /** Module without the `node:` prefix (`fs`, `fs/promises`, `child_process`). */
  module: string;
  /** `namespace` also covers default imports and `const fs = require('fs')`. */
  kind: 'namespace' | 'named';
  /** The export a named binding refers to. */
  exportName?: string;
  local: string;
  site: ImportSite;
}

/** Strips the `node:` prefix so `node:fs` and `fs` compare equal. */
export function normalizeModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

/** Every binding made by the file's top-level imports and requires. */
export function collectBindings(src: SourceText): ModuleBinding[] {
  const out: ModuleBinding[] = [];
  for (const st of src.sf.statements) {
    if (ts.isImportDeclaration(st)) collectImport(st, out);
    else if (ts.isImportEqualsDeclaration(st)) collectImportEquals(st, out);
    else if (ts.isVariableStatement(st)) collectRequires(st, out);
  }
  return out;
}

function collectImport(st: ts.ImportDeclaration, out: ModuleBinding[]): void {
  if (!ts.isStringLiteral(st.moduleSpecifier) || !st.importClause) return;
  const clause = st.importClause;
  const specifier = st.moduleSpecifier.text;
  const module = normalizeModule(specifier);
  const bindings = clause.namedBindings;
  const typeOnly = clause.isTypeOnly;
  const site: ImportSite = { statement: st, style: 'esm', specifier, typeOnly };
  if (bindings && ts.isNamedImports(bindings)) site.list = bindings;
  if (typeOnly) return; // type-only imports bind no runtime value
  if (clause.name) out.push({ module, kind: 'namespace', local: clause.name.text, site });
  if (bindings && ts.isNamespaceImport(bindings)) {
    out.push({ module, kind: 'namespace', local: bindings.name.text, site });
  } else if (bindings) {
    for (const el of bindings.elements) {
      if (el.isTypeOnly) continue;
      const exportName = (el.propertyName ?? el.name).text;
      out.push({ module, kind: 'named', exportName, local: el.name.text, site });
    }
  }
}

function collectImportEquals(st: ts.ImportEqualsDeclaration, out: ModuleBinding[]): void {
  const ref = st.moduleReference;
  if (!ts.isExternalModuleReference(ref) || !ts.isStringLiteral(ref.expression)) return;
  const specifier = ref.expression.text;
  const site: ImportSite = { statement: st, style: 'cjs', specifier, typeOnly: st.isTypeOnly };
  out.push({ module: normalizeModule(specifier), kind: 'namespace', local: st.name.text, site });
}

function collectRequires(st: ts.VariableStatement, out: ModuleBinding[]): void {
  // Only single-declaration statements are edited as import sites; others are still resolved.
  const single = st.declarationList.declarations.length === 1;
  for (const decl of st.declarationList.declarations) {
    const init = decl.initializer;
    if (!init || !isRequireCall(init)) continue;
    const specifier = (init.arguments[0] as ts.StringLiteralLike).text;
    const module = normalizeModule(specifier);
    const site: ImportSite = { statement: st, style: 'cjs', specifier, typeOnly: false };
    if (ts.isIdentifier(decl.name)) {
      out.push({ module, kind: 'namespace', local: decl.name.text, site });
    } else if (ts.isObjectBindingPattern(decl.name)) {
      if (single) site.list = decl.name;
      for (const el of decl.name.elements) {
        if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
        const prop = el.propertyName;
        const exportName = prop && ts.isIdentifier(prop) ? prop.text : el.name.text;
        out.push({ module, kind: 'named', exportName, local: el.name.text, site });
      }
    }
  }
}

/** What a call's callee refers to, when syntax can tell. */
export interface ResolvedCallee {
  module: string;
  /** The export called, e.g. `readFileSync`. */
  name: string;
  /** `member`: `fs.readFileSync(...)`; `named`: `readFileSync(...)`. */
  via: 'member' | 'named';
  /** The named binding a `named` call goes through. */
  binding?: ModuleBinding;
  /** The callee's name node (the identifier, or the member name). */
  nameNode: ts.Identifier;
}

/** Resolves `x(...)`, `ns.x(...)` and `require('m').x(...)` against the file's bindings. */
export function resolveCallee(
  call: ts.CallExpression,
  bindings: ModuleBinding[],
): ResolvedCallee | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) {
    const b = bindings.find((x) => x.local === callee.text && x.kind === 'named');
    if (!b?.exportName) return undefined;
    return { module: b.module, name: b.exportName, via: 'named', binding: b, nameNode: callee };
  }
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return undefined;
  const obj = callee.expression;
  const name = callee.name.text;
  if (isRequireCall(obj)) {
    const module = normalizeModule((obj.arguments[0] as ts.StringLiteralLike).text);
    return { module, name, via: 'member', nameNode: callee.name };
  }
  if (!ts.isIdentifier(obj)) return undefined;
  const b = bindings.find((x) => x.local === obj.text);
  if (!b) return undefined;
  if (b.kind === 'namespace') {
    return { module: b.module, name, via: 'member', nameNode: callee.name };
  }
  // `import { promises } from 'fs'` then `promises.x` is not a sync call; nothing else resolves.
  return undefined;
}

/** Identifier texts used anywhere in the file as a value name (not as a member or key). */
export function usedNames(src: SourceText): Map<string, ts.Identifier[]> {
  const names = new Map<string, ts.Identifier[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !isMemberName(node)) {
      const list = names.get(node.text) ?? [];
      list.push(node);
      names.set(node.text, list);
    }
    node.forEachChild(visit);
  };
  visit(src.sf);
  return names;
}

/** Whether an identifier names a property or an import's original name, not a local. */
export function isMemberName(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return true;
  if (ts.isPropertyAssignment(p) && p.name === id) return true;
  if ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === id) return true;
  // `{ a: b }` destructuring and `a as b` import renames: the key side is not a local name.
  if (ts.isBindingElement(p) && p.propertyName === id) return true;
  if (ts.isImportSpecifier(p) && p.propertyName === id) return true;
  return false;
}
