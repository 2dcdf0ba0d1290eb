/**
 * Whether a module of the workspace is safe to load in a worker thread: when it loads, it only
 * imports modules and declares functions, classes, types and constants. Anything else at its
 * top level (a server's `listen`, a top-level `await`, a call whose effects syntax cannot
 * see) may run again in the worker, so the offload is not offered. Conservative by design.
 */
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { ts } from 'ts-morph';
import { isRequireCall, SourceText } from '../source';

/** Reads a workspace file (an open buffer or the disk), or undefined when it does not exist. */
export type ModuleReader = (path: string) => string | undefined;

const BUILTINS = new Set(builtinModules);
/** Constructors without side effects, for module-level constants. */
const INERT_NEW = new Set(
  'Map Set WeakMap WeakSet Array Object Error RegExp TextEncoder TextDecoder'.split(' '),
);
/** Calls without side effects, for module-level constants. */
const INERT_CALLS = new Set(['Object.freeze', 'Symbol', 'Symbol.for']);

/** The file a relative specifier names (`./lib`, `./lib.js` written for `lib.ts`). */
export function resolveModule(
  from: string,
  specifier: string,
  read: ModuleReader,
): { path: string; text: string } | undefined {
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.[cm]?js$/, '');
  const swapped = /\.[cm]?js$/.test(base)
    ? [stem + '.ts', stem + '.tsx', base.replace(/js$/, 'ts')]
    : [];
  const tries = [base, ...swapped, ...['.ts', '.tsx', '.js', '.mjs', '.cjs'].map((e) => base + e)];
  tries.push(`${base}/index.ts`, `${base}/index.js`);
  for (const path of tries) {
    const text = /\.[cm]?[jt]sx?$/.test(path) ? read(path) : undefined;
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

/** Why loading `src` in a worker may do more than declare things, or undefined when it is safe. */
export function loadProblem(
  src: SourceText,
  read: ModuleReader,
  seen = new Set<string>(),
): string | undefined {
  if (seen.has(src.fileName)) return undefined;
  seen.add(src.fileName);
  const where = (n: ts.Node): string =>
    `line ${src.sf.getLineAndCharacterOfPosition(n.getStart(src.sf)).line + 1}`;
  const importProblem = (spec: string, n: ts.Node): string | undefined => {
    if (spec.startsWith('node:') || BUILTINS.has(spec)) return undefined;
    if (!spec.startsWith('.')) {
      return `it imports the package \`${spec}\` (${where(n)}), whose start-up Loop Lens does not check`;
    }
    const dep = resolveModule(src.fileName, spec, read);
    if (!dep) return `it imports \`${spec}\` (${where(n)}), which Loop Lens cannot read`;
    if (seen.size > 8) return `it imports more modules than Loop Lens checks (${where(n)})`;
    const inner = loadProblem(new SourceText(dep.text, dep.path), read, seen);
    return inner
      ? `it imports \`${spec}\`, and ${inner.replace(/^it /, 'that module ')}`
      : undefined;
  };
  for (const st of src.sf.statements) {
    if (ts.isImportDeclaration(st) || (ts.isExportDeclaration(st) && st.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(st) ? st.importClause?.isTypeOnly : st.isTypeOnly;
      const spec = (st.moduleSpecifier as ts.StringLiteral).text;
      const p = typeOnly ? undefined : importProblem(spec, st);
      if (p) return p;
      continue;
    }
    if (declarationOnly(st)) continue;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer;
        if (init && isRequireCall(init)) {
          const p = importProblem((init.arguments[0] as ts.StringLiteral).text, st);
          if (p) return p;
        } else if (init && !inert(init)) {
          return runs(src, init, where(init));
        }
      }
      continue;
    }
    if (ts.isExportAssignment(st) && inert(st.expression)) continue;
    if (
      ts.isExpressionStatement(st) &&
      (ts.isStringLiteral(st.expression) || exportsAssignment(st.expression))
    ) {
      continue;
    }
    return runs(src, st, where(st));
  }
  return undefined;
}

function runs(src: SourceText, n: ts.Node, where: string): string {
  const text = n.getText(src.sf).replace(/\s+/g, ' ');
  return `it runs \`${text.length > 40 ? `${text.slice(0, 40)}…` : text}\` when it loads (${where}), which a worker would run again`;
}

function declarationOnly(st: ts.Statement): boolean {
  if (
    ts.isFunctionDeclaration(st) ||
    ts.isInterfaceDeclaration(st) ||
    ts.isTypeAliasDeclaration(st)
  ) {
    return true;
  }
  if (ts.isEnumDeclaration(st) || ts.isEmptyStatement(st)) return true;
  if (ts.isExportDeclaration(st)) return true; // `export { a, b }` of local names
  if (ts.isClassDeclaration(st)) return inertClass(st);
  if (ts.isModuleDeclaration(st)) {
    return (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
  }
  return false;
}

function inertClass(c: ts.ClassLikeDeclaration): boolean {
  if (ts.canHaveDecorators(c) && ts.getDecorators(c)?.length) return false;
  return c.members.every(
    (m) =>
      !ts.isClassStaticBlockDeclaration(m) &&
      !(ts.isPropertyDeclaration(m) && m.initializer && !inert(m.initializer)) &&
      !(ts.canHaveDecorators(m) && ts.getDecorators(m)?.length),
  );
}

/** `module.exports = …`, `exports.x = …`, `module.exports.x = …` of an inert value. */
function exportsAssignment(e: ts.Expression): boolean {
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const target = e.left.getText();
  return /^(module\.exports|exports)(\.[\w$]+)?$/.test(target) && inert(e.right);
}

/** A value whose evaluation has no effect: literals, functions, names, plain objects of those. */
export function inert(e: ts.Expression): boolean {
  if (ts.isIdentifier(e) || ts.isLiteralExpression(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
    return true;
  }
  switch (e.kind) {
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
      return true;
  }
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return true;
  if (ts.isClassExpression(e)) return inertClass(e);
  if (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isTypeOfExpression(e)
  ) {
    return inert(e.expression);
  }
  if (ts.isPrefixUnaryExpression(e)) return inert(e.operand);
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    const assigns = k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
    return !assigns && inert(e.left) && inert(e.right);
  }
  if (ts.isConditionalExpression(e)) return [e.condition, e.whenTrue, e.whenFalse].every(inert);
  if (ts.isTemplateExpression(e)) return e.templateSpans.every((s) => inert(s.expression));
  if (ts.isArrayLiteralExpression(e)) {
    return e.elements.every((x) => inert(ts.isSpreadElement(x) ? x.expression : x));
  }
  if (ts.isObjectLiteralExpression(e)) return e.properties.every(inertProperty);
  if (ts.isPropertyAccessExpression(e)) return inert(e.expression);
  if (ts.isNewExpression(e) || ts.isCallExpression(e)) {
    const name = e.expression.getText();
    const known = ts.isNewExpression(e) ? INERT_NEW.has(name) : INERT_CALLS.has(name);
    return known && (e.arguments ?? []).every((a) => inert(a));
  }
  return false;
}

function inertProperty(p: ts.ObjectLiteralElementLike): boolean {
  if (p.name && ts.isComputedPropertyName(p.name) && !inert(p.name.expression)) return false;
  if (ts.isPropertyAssignment(p)) return inert(p.initializer);
  if (ts.isSpreadAssignment(p)) return inert(p.expression);
  return true; // shorthand, methods, accessors
}
