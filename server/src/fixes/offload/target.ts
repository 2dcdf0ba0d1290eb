/**
 * The function a flagged call runs, when it is written in the same file: a top-level function
 * declaration, a function or arrow bound to a top-level `const`, or a method of a top-level
 * class called through `this`, the class or an instance. Read from syntax and the engine's name
 * for the callee (`hash`, `Hasher.compute`).
 */
import { ts } from 'ts-morph';
import type { SourceText } from '../source';

/** A function the offload can run in a worker. */
export type Offloadable =
  ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration;

/** A function of the calling file, and how it is written there. */
export interface LocalTarget {
  kind: 'function' | 'const' | 'method';
  fn: Offloadable;
  /** The name the worker module declares it under. */
  name: string;
  /** How messages name it: `hash`, `Hasher.compute`. */
  display: string;
  /** What leaves the calling file: the declaration, the `const` statement or the class member. */
  node: ts.Node;
  /** Declared with `export` (the calling file then re-exports it from the worker module). */
  exported: boolean;
  cls?: ts.ClassDeclaration;
}

/** The same-file function `call` runs, why it cannot move, or undefined when it is not local. */
export function localTarget(
  src: SourceText,
  call: ts.CallExpression,
  chainName: string,
): LocalTarget | { refused: string } | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return byName(src, callee.text);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return undefined;
  const dot = chainName.lastIndexOf('.');
  const clsName = chainName.slice(0, dot);
  const method = chainName.slice(dot + 1);
  if (dot < 0 || callee.name.text !== method) return undefined;
  const cls = src.sf.statements.find(
    (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === clsName,
  );
  const fn = cls?.members.find(
    (m): m is ts.MethodDeclaration =>
      ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === method && !!m.body,
  );
  if (!cls || !fn) return undefined;
  if (!plainReceiver(callee.expression)) {
    return {
      refused: `the call's receiver \`${callee.expression.getText(src.sf)}\` would no longer be evaluated`,
    };
  }
  return { kind: 'method', fn, name: method, display: chainName, node: fn, exported: false, cls };
}

function byName(src: SourceText, name: string): LocalTarget | { refused: string } | undefined {
  for (const st of src.sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name?.text === name && st.body) {
      return { kind: 'function', fn: st, name, display: name, node: st, exported: isExported(st) };
    }
    if (!ts.isVariableStatement(st)) continue;
    const decls = st.declarationList.declarations;
    const decl = decls.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
    if (!decl) continue;
    if (!(st.declarationList.flags & ts.NodeFlags.Const)) {
      return { refused: `\`${name}\` is not a \`const\`: it could be reassigned` };
    }
    if (decls.length !== 1) {
      return { refused: `\`${name}\` is declared in one statement with other variables` };
    }
    let init = decl.initializer;
    while (init && (ts.isParenthesizedExpression(init) || ts.isSatisfiesExpression(init))) {
      init = init.expression;
    }
    if (!init || !(ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
      return { refused: `\`${name}\` is not bound to a function written here` };
    }
    return { kind: 'const', fn: init, name, display: name, node: st, exported: isExported(st) };
  }
  return undefined;
}

/** `this`, a name or a chain of property names: dropping it drops no side effect. */
function plainReceiver(e: ts.Expression): boolean {
  if (e.kind === ts.SyntaxKind.ThisKeyword || ts.isIdentifier(e)) return true;
  return ts.isPropertyAccessExpression(e) && plainReceiver(e.expression);
}

function isExported(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/** Whether the node carries `export default`. */
export function isDefaultExport(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
  );
}

/**
 * The worker module's text of the function: its doc comment and its code as a plain
 * declaration (no `export`; a method becomes `function name(…) {…}`, moved to column 0).
 */
export function workerDeclaration(src: SourceText, t: LocalTarget): { doc: string; code: string } {
  const text = src.text;
  const doc = text.slice(t.node.getStart(src.sf, true), t.node.getStart(src.sf)).trim();
  if (t.kind === 'method') {
    const fn = t.fn as ts.MethodDeclaration;
    const indent = /[ \t]*$/.exec(text.slice(0, t.node.getStart(src.sf, true)))?.[0] ?? '';
    const code = `function ${text.slice(fn.name.getStart(src.sf), fn.getEnd())}`;
    return { doc: dedent(doc, indent), code: dedent(code, indent) };
  }
  const code = text.slice(t.node.getStart(src.sf), t.node.getEnd()).replace(/^export\s+/, '');
  return { doc, code };
}

function dedent(s: string, indent: string): string {
  if (!indent) return s;
  return s
    .split('\n')
    .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
    .join('\n');
}
