/**
 * Calls into installed packages: a call whose callee is an export of a bare specifier
 * (`loadConfig(p)` after `import { loadConfig } from 'cfg-loader'`, `cfg.load()` after
 * `const cfg = require('cfg-loader')`) that the catalog does not know becomes an `import` call
 * site, which the linker follows into node_modules. Same for CommonJS re-exports of a package
 * (`module.exports = require('other')`, `exports.x = require('other').x`). Runs on a finished walk,
 * after the finalizer, so it only adds what that left unresolved.
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import { PackageResolver } from './deps/resolve';
import type { CallTarget, FileSummary } from './summaryTypes';
import { short, unwrap } from './syntax';
import { Evaluator, PROMISIFIED, type Value } from './values';
import type { Walker } from './walker';

const SK = T.SyntaxKind;

/** The package export a value denotes, when it is one the linker can follow. */
function packageTarget(v: Value | undefined): CallTarget | undefined {
  if (v?.k !== 'mod' || v.module === '<global>') return undefined;
  if (!PackageResolver.isPackageSpecifier(v.module) || v.path.includes(PROMISIFIED)) {
    return undefined;
  }
  return { kind: 'import', spec: v.module, path: v.path };
}

/** The identifier a callee starts from: `a` in `a.b.c`, `a['b']`, `(0, a.b)`, `a(x).b`. */
function rootName(e: ts.Expression): string | undefined {
  for (;;) {
    e = unwrap(e);
    if (T.isIdentifier(e)) return e.text;
    if (T.isPropertyAccessExpression(e) || T.isElementAccessExpression(e)) e = e.expression;
    else if (T.isCallExpression(e)) e = e.expression;
    else if (T.isBinaryExpression(e) && e.operatorToken.kind === SK.CommaToken) e = e.right;
    else return undefined;
  }
}

/** Adds call sites and exports that lead into installed packages to `summary`. */
export function addPackageCalls(w: Walker, summary: FileSummary): void {
  const ev = new Evaluator(w.fnOf, w.classes, w.classOf);
  const taken = new Set<string>();
  summary.fns.forEach((f, i) => {
    for (const c of f.calls) taken.add(`${i}:${c.line}:${c.column}`);
  });
  const touched = new Set<number>();
  for (const p of w.pending) {
    if (p.worker || !T.isCallExpression(p.node)) continue;
    const callee = p.node.expression;
    const root = rootName(callee);
    const b = root === undefined ? undefined : p.scope.lookup(root);
    // Only callees that start from a binding syntax can follow (or a global `require(…)`).
    if (root === undefined || (root === 'require' ? b : !b || b.k === 'opaque')) continue;
    const target = packageTarget(ev.eval(callee, p.scope));
    if (!target) continue;
    const span = w.span(callee);
    const key = `${p.fn}:${span.line}:${span.column}`;
    if (taken.has(key)) continue;
    taken.add(key);
    w.fns[p.fn]!.calls.push({ ...span, name: short(callee.getText(w.sf)), target });
    touched.add(p.fn);
  }
  for (const fn of touched) {
    w.fns[fn]!.calls.sort((a, b) => a.line - b.line || a.column - b.column);
  }
  packageExports(w, ev, summary);
}

function packageExports(w: Walker, ev: Evaluator, summary: FileSummary): void {
  for (const e of w.exportsPending) {
    if (!e.expr || e.from || Object.hasOwn(summary.exports, e.name)) continue;
    const t = packageTarget(ev.eval(e.expr, e.scope));
    if (t?.kind !== 'import') continue;
    if (e.name === '=' && t.path.length === 0) summary.stars.push(t.spec);
    else if (e.name !== '=') summary.exports[e.name] = t;
  }
}
