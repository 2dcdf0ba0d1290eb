/**
 * The imported-helper form of the offload: `import { hash } from './lib'` (or a `require`) and
 * a flagged call `hash(x)`. The function stays in its module; the worker module imports it from
 * there, so that module must be safe to load in a worker (see moduleSafety) and the function
 * self-contained within it.
 */
import { ts } from 'ts-morph';
import { collectBindings, type ModuleBinding } from '../bindings';
import { SourceText } from '../source';
import { loadProblem, resolveModule, type ModuleReader } from './moduleSafety';
import type { Offloadable } from './target';

/** A helper exported by another module of the workspace. */
export interface ImportedTarget {
  /** The calling file's binding of the helper. */
  binding: ModuleBinding;
  /** The helper's module, parsed. */
  module: SourceText;
  fn: Offloadable;
  /** Top-level names of that module the helper may read (functions and constants). */
  moduleNames: Set<string>;
}

/** The helper `call` runs, why it cannot move, or undefined when the callee is not imported. */
export function importedTarget(
  src: SourceText,
  call: ts.CallExpression,
  read: ModuleReader | undefined,
): ImportedTarget | { refused: string } | undefined {
  const callee = call.expression;
  if (!ts.isIdentifier(callee)) return undefined;
  const binding = collectBindings(src).find((b) => b.local === callee.text);
  if (!binding) return undefined;
  const spec = binding.site.specifier;
  const name = callee.text;
  if (!spec.startsWith('.')) {
    return {
      refused: `\`${name}\` comes from the package \`${spec}\`; the fix moves only the workspace's own code`,
    };
  }
  if (binding.kind !== 'named' || !binding.exportName) {
    return { refused: `\`${name}\` is a whole module (\`${spec}\`), not one of its functions` };
  }
  const found = read ? resolveModule(src.fileName, spec, read) : undefined;
  if (!found || !read) return { refused: `Loop Lens cannot read \`${spec}\`` };
  const module = new SourceText(found.text, found.path);
  const fn = exportedFunction(module, binding.exportName);
  if (!fn) {
    return {
      refused: `\`${spec}\` does not export \`${binding.exportName}\` as a function written there`,
    };
  }
  const problem = loadProblem(module, read);
  if (problem) {
    return { refused: `the worker would have to load \`${spec}\`, and ${problem}` };
  }
  return { binding, module, fn, moduleNames: constantNames(module) };
}

/** The function a module exports as `name` (ESM `export`, `export { }`, or CommonJS `exports`). */
function exportedFunction(m: SourceText, name: string): Offloadable | undefined {
  const locals = new Map<string, Offloadable>();
  let local: string | undefined;
  const exported = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((x) => x.kind === ts.SyntaxKind.ExportKeyword);
  for (const st of m.sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && st.body) {
      locals.set(st.name.text, st);
      if (exported(st) && st.name.text === name) local = name;
    } else if (ts.isVariableStatement(st) && st.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer;
        if (!ts.isIdentifier(d.name) || !init) continue;
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
          locals.set(d.name.text, init);
          if (exported(st) && d.name.text === name) local = name;
        }
      }
    } else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause) {
      if (!ts.isNamedExports(st.exportClause)) continue;
      const el = st.exportClause.elements.find((e) => e.name.text === name);
      if (el) local = (el.propertyName ?? el.name).text;
    } else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression)) {
      const r = cjsExport(st.expression, name);
      if (r && typeof r !== 'string') return r;
      if (r) local = r;
    }
  }
  return local ? locals.get(local) : undefined;
}

/**
 * `exports.name = f`, `module.exports.name = f`, `module.exports = { name: f }` or `{ name }`:
 * the local name exported, or the function itself when written in place.
 */
function cjsExport(e: ts.BinaryExpression, name: string): string | Offloadable | undefined {
  if (e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const target = e.left.getText();
  let value: ts.Expression | undefined;
  if (target === `exports.${name}` || target === `module.exports.${name}`) value = e.right;
  else if (target === 'module.exports' && ts.isObjectLiteralExpression(e.right)) {
    for (const p of e.right.properties) {
      if (!p.name || !ts.isIdentifier(p.name) || p.name.text !== name) continue;
      if (ts.isShorthandPropertyAssignment(p)) return name;
      if (ts.isPropertyAssignment(p)) value = p.initializer;
    }
  }
  if (!value) return undefined;
  if (ts.isIdentifier(value)) return value.text;
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  return undefined;
}

/** Top-level functions and `const`s of a module: a helper may read them in the worker too. */
function constantNames(m: SourceText): Set<string> {
  const out = new Set<string>();
  for (const st of m.sf.statements) {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) {
      out.add(st.name.text);
    }
    if (ts.isVariableStatement(st) && st.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) out.add(d.name.text);
      }
    }
  }
  return out;
}
