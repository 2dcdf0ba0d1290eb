/**
 * Small syntax helpers shared by the walk and the evaluator: what an expression is once the
 * wrappers a compiler or a person adds are stripped, literal strings, property names, and the
 * helper functions compilers emit (tsc, Babel, SWC, esbuild) that hide a module or an async body.
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';

/** Read once: every `ts.X` access goes through a module getter. */
const SK = T.SyntaxKind;

/**
 * Strips parentheses, `as`, `!`, `satisfies`, `await` (await on a module value is the value) and
 * the comma of compiled calls: `(0, fs_1.readFileSync)` is `fs_1.readFileSync`.
 */
export function unwrap(e: ts.Expression): ts.Expression {
  for (;;) {
    if (
      T.isParenthesizedExpression(e) ||
      T.isAsExpression(e) ||
      T.isNonNullExpression(e) ||
      T.isSatisfiesExpression(e) ||
      T.isTypeAssertionExpression(e) ||
      T.isAwaitExpression(e)
    ) {
      e = e.expression;
    } else if (T.isBinaryExpression(e) && e.operatorToken.kind === SK.CommaToken) {
      e = e.right;
    } else {
      return e;
    }
  }
}

/** The string of a literal or a no-substitution template, else undefined. */
export function stringOf(e: ts.Node | undefined): string | undefined {
  if (!e) return undefined;
  if (T.isStringLiteral(e) || T.isNoSubstitutionTemplateLiteral(e)) return e.text;
  return undefined;
}

export function propertyName(n: ts.PropertyName): string | undefined {
  if (T.isIdentifier(n) || T.isPrivateIdentifier(n)) return n.text;
  if (T.isStringLiteral(n) || T.isNumericLiteral(n)) return n.text;
  return undefined;
}

/** Callee text on one line, at most 40 characters. */
export function short(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

export function isRelative(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/');
}

/**
 * The last name of a callee: `__importDefault` of `tslib_1.__importDefault`; SWC's helper
 * modules are called as `_interop_require_default._(…)`, so a trailing `_` or `default` is skipped.
 */
export function helperName(callee: ts.Expression): string | undefined {
  const c = unwrap(callee);
  if (T.isIdentifier(c)) return c.text;
  if (!T.isPropertyAccessExpression(c)) return undefined;
  const n = c.name.text;
  return n === '_' || n === 'default' ? helperName(c.expression) : n;
}

/** Interop helpers that return (a view of) the module they are given. */
const interop = new Set([
  '__importDefault',
  '__importStar',
  '__toESM',
  '__toCommonJS',
  '_interopRequireDefault',
  '_interopRequireWildcard',
  '_interop_require_default',
  '_interop_require_wildcard',
  'interopRequireDefault',
  'interopRequireWildcard',
  '_interopNamespace',
  '_interopDefault',
  '_interopDefaultLegacy',
  '_interopNamespaceDefault',
]);

/** `__importDefault(require('fs'))` and the like: the argument is the module. */
export function isInteropHelper(callee: ts.Expression): boolean {
  const n = helperName(callee);
  return n !== undefined && interop.has(n);
}

/** Helpers that run a generator as an async function (the generator is an async body). */
const asyncHelpers = new Set([
  '__awaiter',
  '__async',
  '_asyncToGenerator',
  '_async_to_generator',
  'asyncToGenerator',
]);

/**
 * Helpers whose function argument runs with the caller's `this`: tsc's and esbuild's take it as
 * an argument, SWC calls the result with `.call(this)`; Babel captures `_this` instead.
 */
const thisPreserving = new Set([...asyncHelpers, '__generator', '_ts_generator']);

/** `__awaiter(this, …, function* () {…})`, `_asyncToGenerator(function* () {…})`. */
export function isAsyncHelper(call: ts.CallExpression | ts.NewExpression): boolean {
  const n = helperName(call.expression);
  return n !== undefined && asyncHelpers.has(n);
}

export function keepsThis(call: ts.CallExpression | ts.NewExpression): boolean {
  const n = helperName(call.expression);
  return n !== undefined && thisPreserving.has(n);
}

/** `regeneratorRuntime.mark(fn)` / `_regeneratorRuntime().mark(fn)` passed to an async helper. */
export function isRegeneratorMark(call: ts.CallExpression | ts.NewExpression): boolean {
  const n = helperName(call.expression);
  if (n !== 'mark' && n !== 'm') return false;
  let p = call.parent;
  while (p && T.isParenthesizedExpression(p)) p = p.parent;
  return !!p && T.isCallExpression(p) && isAsyncHelper(p);
}
