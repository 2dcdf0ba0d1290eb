/**
 * Which file a `new Worker(arg)` starts, read from the syntax of `arg` alone. The answer is a
 * specifier relative to the file that starts the worker; the linker tries the usual extensions.
 */
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import { keyOf } from './lookup';
import { stringOf, unwrap } from './syntax';
import type { Evaluator, Scope } from './values';

/** Deep enough for `const u = pathToFileURL(p)` on `const p = path.join(dir, …)`. */
const maxDepth = 8;

/**
 * The specifier of the worker file `arg` names: a string literal, `path.join/resolve(__dirname,
 * …)`, `pathToFileURL(…)`, `fileURLToPath(…)`, `new URL('./w.js', import.meta.url)`,
 * `require.resolve('./w')`, or a variable initialised with one of those.
 */
export function workerSpec(arg: ts.Expression, scope: Scope, ev: Evaluator): string | undefined {
  const lit = stringOf(unwrap(arg));
  if (lit !== undefined) return relative(lit);
  const rel = new SpecReader(ev).located(arg, scope, 0);
  return rel === undefined || rel === '.' ? undefined : relative(rel);
}

function relative(spec: string): string {
  return spec.startsWith('.') || spec.startsWith('/') ? spec : `./${spec}`;
}

class SpecReader {
  constructor(private readonly ev: Evaluator) {}

  /** The path `e` denotes relative to the file's folder ('.' for the folder itself). */
  located(arg: ts.Expression, scope: Scope, depth: number): string | undefined {
    const e = unwrap(arg);
    if (depth > maxDepth) return undefined;
    if (T.isIdentifier(e)) return this.identifier(e, scope, depth);
    if (isImportMeta(e, 'dirname')) return '.';
    if (T.isPropertyAccessExpression(e) && e.name.text === 'href') {
      return this.located(e.expression, scope, depth + 1);
    }
    if (T.isNewExpression(e)) return this.url(e, scope);
    if (!T.isCallExpression(e)) return undefined;
    const [first, ...rest] = e.arguments;
    if (!first) return undefined;
    if (this.isRequireResolve(e.expression, scope)) {
      const spec = stringOf(unwrap(first));
      return spec !== undefined && spec.startsWith('.') ? spec : undefined;
    }
    switch (this.calleeKey(e.expression, scope)) {
      case 'url.pathToFileURL':
      case 'url.fileURLToPath':
        return this.located(first, scope, depth + 1);
      case 'path.join':
      case 'path.resolve':
        return this.joined(first, rest, scope, depth);
      case 'path.dirname':
        return this.isOwnFile(first, scope) ? '.' : undefined;
    }
    return undefined;
  }

  /** `__dirname`, or a variable holding a path (`const workerURL = pathToFileURL(…)`). */
  private identifier(e: ts.Identifier, scope: Scope, depth: number): string | undefined {
    const b = scope.lookup(e.text);
    if (!b) return e.text === '__dirname' ? '.' : undefined;
    if (b.k !== 'expr' || b.path.length > 0) return undefined;
    return this.located(b.expr, b.scope, depth + 1);
  }

  /** `path.join(<folder or path>, 'a', 'w.js')`: every later part must be a literal. */
  private joined(
    first: ts.Expression,
    rest: readonly ts.Expression[],
    scope: Scope,
    depth: number,
  ): string | undefined {
    const base = this.located(first, scope, depth + 1);
    const parts = rest.map((a) => stringOf(unwrap(a)));
    if (base === undefined || parts.some((p) => p === undefined)) return undefined;
    return path.posix.join(base, ...(parts as string[]));
  }

  /** `new URL('./w.js', import.meta.url)`. */
  private url(e: ts.NewExpression, scope: Scope): string | undefined {
    const [spec, base] = e.arguments ?? [];
    const ctor = unwrap(e.expression);
    const isUrl =
      (T.isIdentifier(ctor) && ctor.text === 'URL' && !scope.lookup('URL')) ||
      this.calleeKey(ctor, scope) === 'url.URL';
    if (!isUrl || !base || !isImportMeta(unwrap(base), 'url')) return undefined;
    const s = spec && stringOf(unwrap(spec));
    return s === undefined ? undefined : path.posix.join('.', s);
  }

  /** `__filename`, `import.meta.filename`, `fileURLToPath(import.meta.url)`. */
  private isOwnFile(arg: ts.Expression, scope: Scope): boolean {
    const e = unwrap(arg);
    if (T.isIdentifier(e)) {
      const b = scope.lookup(e.text);
      if (!b) return e.text === '__filename';
      return b.k === 'expr' && b.path.length === 0 && this.isOwnFile(b.expr, b.scope);
    }
    if (isImportMeta(e, 'filename')) return true;
    const a = T.isCallExpression(e) ? e.arguments[0] : undefined;
    return (
      !!a &&
      T.isCallExpression(e) &&
      this.calleeKey(e.expression, scope) === 'url.fileURLToPath' &&
      isImportMeta(unwrap(a), 'url')
    );
  }

  private isRequireResolve(callee: ts.Expression, scope: Scope): boolean {
    const c = unwrap(callee);
    return (
      T.isPropertyAccessExpression(c) &&
      c.name.text === 'resolve' &&
      T.isIdentifier(c.expression) &&
      c.expression.text === 'require' &&
      !scope.lookup('require')
    );
  }

  /** `path.join` for `path.join`, `join` from 'node:path', `require('path').join`, …. */
  private calleeKey(callee: ts.Expression, scope: Scope): string | undefined {
    const v = this.ev.eval(callee, scope);
    return v?.k === 'mod' ? `${v.module}.${keyOf(v.path)}` : undefined;
  }
}

/** `import.meta.<name>`. */
function isImportMeta(e: ts.Expression, name: string): boolean {
  return T.isPropertyAccessExpression(e) && T.isMetaProperty(e.expression) && e.name.text === name;
}
