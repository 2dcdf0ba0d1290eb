/**
 * Exports as compilers write them in CommonJS output: tsc's `__exportStar(require('./x'), exports)`
 * and `Object.defineProperty(exports, 'x', { enumerable: true, get: function () { return y; } })`,
 * Babel's `Object.keys(_x).forEach(… Object.defineProperty(exports, key, { get … _x[key] }))`,
 * SWC's `_export(exports, { x: function() { return x; } })` and `_export_star`, esbuild's
 * `__export(target, { x: () => x })` and `__reExport(target, require('./x'))`. Plain
 * `exports.x = x` (after tsc's `exports.x = void 0`) is an ordinary assignment (bindings.ts).
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import type { ModuleRecord } from './bindings';
import { helperName, isInteropHelper, isRelative, propertyName, stringOf, unwrap } from './syntax';
import type { Scope } from './values';

const stars = new Set(['__exportStar', '_export_star', '_exportStar', '__reExport']);
const exportMaps = new Set(['__export', '_export']);

/** Callee names this module looks at (the walker skips every other call cheaply). */
export const compiledNames: readonly string[] = [...stars, ...exportMaps, 'defineProperty'];

/** Records the exports a compiled-module helper call makes. */
export function compiledExport(rec: ModuleRecord, call: ts.CallExpression, scope: Scope): void {
  const name = helperName(call.expression);
  if (!name) return;
  const args = call.arguments;
  if (stars.has(name)) {
    const spec = requireSpec(name === '__reExport' ? args[1] : args[0], scope);
    if (spec !== undefined && isRelative(spec)) rec.stars.push(spec);
  } else if (exportMaps.has(name) && args.length === 2) {
    const map = args[1] && unwrap(args[1]);
    if (!map || !T.isObjectLiteralExpression(map)) return;
    for (const p of map.properties) {
      const key = p.name && propertyName(p.name);
      const expr = T.isPropertyAssignment(p)
        ? returned(p.initializer)
        : T.isGetAccessorDeclaration(p)
          ? returnOf(p.body)
          : undefined;
      if (key && expr) rec.exportsPending.push({ name: key, expr, scope });
    }
  } else if (name === 'defineProperty' && isExportsDefine(call)) {
    definedExport(rec, call, scope);
  }
}

/** `Object.defineProperty(exports | module.exports, name, { get | value })`. */
function isExportsDefine(call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  const target = call.arguments[0] && unwrap(call.arguments[0]);
  if (!T.isPropertyAccessExpression(callee) || !target) return false;
  if (!T.isIdentifier(callee.expression) || callee.expression.text !== 'Object') return false;
  if (T.isIdentifier(target)) return target.text === 'exports';
  return (
    T.isPropertyAccessExpression(target) &&
    target.name.text === 'exports' &&
    T.isIdentifier(target.expression) &&
    target.expression.text === 'module'
  );
}

function definedExport(rec: ModuleRecord, call: ts.CallExpression, scope: Scope): void {
  const [, nameArg, descArg] = call.arguments;
  const desc = descArg && unwrap(descArg);
  if (!nameArg || !desc || !T.isObjectLiteralExpression(desc)) return;
  let expr: ts.Expression | undefined;
  for (const p of desc.properties) {
    const key = p.name && propertyName(p.name);
    if (key === 'get' && T.isPropertyAssignment(p)) expr = returned(p.initializer);
    else if (key === 'get' && T.isMethodDeclaration(p)) expr = returnOf(p.body);
    else if (key === 'value' && T.isPropertyAssignment(p)) expr = p.initializer;
  }
  if (!expr) return;
  const name = stringOf(nameArg);
  if (name !== undefined) {
    if (name !== '__esModule') rec.exportsPending.push({ name, expr, scope });
    return;
  }
  // Babel's `export *`: `get: function () { return _x[key]; }` for every key of `_x`.
  const e = unwrap(expr);
  if (T.isElementAccessExpression(e) && T.isIdentifier(e.expression)) {
    const spec = requireSpec(e.expression, scope);
    if (spec !== undefined && isRelative(spec)) rec.stars.push(spec);
  }
}

/** The expression a getter function returns: `() => x`, `function () { return x; }`. */
function returned(init: ts.Expression): ts.Expression | undefined {
  const f = unwrap(init);
  if (T.isArrowFunction(f)) return T.isBlock(f.body) ? returnOf(f.body) : f.body;
  if (T.isFunctionExpression(f)) return returnOf(f.body);
  return undefined;
}

function returnOf(body: ts.Block | undefined): ts.Expression | undefined {
  const first = body?.statements.length === 1 ? body.statements[0] : undefined;
  return first && T.isReturnStatement(first) ? first.expression : undefined;
}

/** The specifier of `require('x')`, an interop helper around it, or a variable bound to either. */
function requireSpec(arg: ts.Expression | undefined, scope: Scope, depth = 0): string | undefined {
  if (!arg || depth > 3) return undefined;
  const e = unwrap(arg);
  if (T.isIdentifier(e)) {
    const b = scope.lookup(e.text);
    return b?.k === 'expr' && !b.path.length ? requireSpec(b.expr, b.scope, depth + 1) : undefined;
  }
  if (!T.isCallExpression(e)) return undefined;
  if (isInteropHelper(e.expression)) return requireSpec(e.arguments[0], scope, depth + 1);
  const c = unwrap(e.expression);
  return T.isIdentifier(c) && c.text === 'require' ? stringOf(e.arguments[0]) : undefined;
}
