/**
 * Parsing and position helpers shared by the rewrites: one TypeScript syntax tree per request
 * (no program, no checker: a fix must be computed in a few milliseconds on any file).
 */
import { ts } from 'ts-morph';
import type { FixEdit, FixPosition } from './types';

/** A parsed file plus the helpers every rewrite needs. */
export class SourceText {
  readonly sf: ts.SourceFile;

  constructor(
    readonly text: string,
    readonly fileName: string,
  ) {
    this.sf = ts.createSourceFile(
      fileName,
      text,
      ts.ScriptTarget.Latest,
      true,
      scriptKind(fileName),
    );
  }

  /** 0-based LSP position of a character offset. */
  position(offset: number): FixPosition {
    const { line, character } = this.sf.getLineAndCharacterOfPosition(offset);
    return { line, character };
  }

  /** Character offset of a 1-based line and column (a finding's coordinates). */
  offsetOf(line: number, column: number): number {
    const lines = this.sf.getLineStarts();
    const l = Math.min(Math.max(line - 1, 0), lines.length - 1);
    return Math.min((lines[l] ?? 0) + Math.max(column - 1, 0), this.text.length);
  }

  /** An edit replacing `[start, end)` with `newText`. */
  edit(start: number, end: number, newText: string): FixEdit {
    return { range: { start: this.position(start), end: this.position(end) }, newText };
  }

  /** The text of the line holding `offset`, without its line break. */
  lineTextAt(offset: number): { start: number; text: string } {
    const start = this.sf.getLineStarts()[this.sf.getLineAndCharacterOfPosition(offset).line] ?? 0;
    const nl = this.text.indexOf('\n', start);
    const end = nl < 0 ? this.text.length : nl;
    return { start, text: this.text.slice(start, end).replace(/\r$/, '') };
  }

  /** True when the file uses ES module syntax (or its extension forces ESM). */
  get isEsm(): boolean {
    if (/\.(mjs|mts)$/i.test(this.fileName)) return true;
    if (/\.(cjs|cts)$/i.test(this.fileName)) return false;
    const hasEsm = this.sf.statements.some(
      (s) =>
        ts.isImportDeclaration(s) ||
        ts.isExportDeclaration(s) ||
        ts.isExportAssignment(s) ||
        hasExportModifier(s),
    );
    if (hasEsm) return true;
    if (usesRequire(this.sf)) return false;
    // No module syntax at all: TypeScript files are written as ESM, plain .js runs as CommonJS.
    return /\.(ts|tsx)$/i.test(this.fileName);
  }

  /**
   * The call a finding points at: the one spanning exactly `[start, end)` (or whose callee does),
   * else the innermost call whose callee covers `start`.
   */
  callAt(start: number, end = -1): ts.CallExpression | undefined {
    let best: ts.CallExpression | undefined;
    let exact: ts.CallExpression | undefined;
    const visit = (node: ts.Node): void => {
      if (start < node.getStart(this.sf) || start > node.getEnd()) return;
      if (ts.isCallExpression(node) && calleeCovers(node, start, this.sf)) {
        best = node;
        const ends = [node.getEnd(), node.expression.getEnd()];
        if (!exact && node.getStart(this.sf) === start && ends.includes(end)) exact = node;
      }
      node.forEachChild(visit);
    };
    visit(this.sf);
    return exact ?? best;
  }
}

function calleeCovers(call: ts.CallExpression, offset: number, sf: ts.SourceFile): boolean {
  const callee = call.expression;
  if (offset === call.getStart(sf)) return true;
  // A finding may point at the member name (`fs.readFileSync` → `readFileSync`).
  return offset >= callee.getStart(sf) && offset <= callee.getEnd();
}

function hasExportModifier(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

function usesRequire(sf: ts.SourceFile): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isRequireCall(node)) found = true;
    else node.forEachChild(visit);
  };
  visit(sf);
  return found;
}

/** `require('x')` with a string literal argument. */
export function isRequireCall(node: ts.Node): node is ts.CallExpression {
  return (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments.length === 1 &&
    ts.isStringLiteralLike(node.arguments[0]!)
  );
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.tsx$/i.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/i.test(fileName)) return ts.ScriptKind.TS;
  if (/\.jsx$/i.test(fileName)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** Functions whose body is a scope for `await`. */
export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

/** The nearest function around `node`, or undefined at module top level. */
export function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (
      ts.isFunctionDeclaration(n) ||
      ts.isFunctionExpression(n) ||
      ts.isArrowFunction(n) ||
      ts.isMethodDeclaration(n) ||
      ts.isConstructorDeclaration(n) ||
      ts.isGetAccessorDeclaration(n) ||
      ts.isSetAccessorDeclaration(n)
    ) {
      return n;
    }
    // A class field initializer or static block is its own scope where `await` is not allowed.
    if (ts.isPropertyDeclaration(n) || ts.isClassStaticBlockDeclaration(n)) return undefined;
  }
  return undefined;
}

/** True when `node` sits in a class field initializer or static block (no `await` there). */
function inClassInitializer(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isPropertyDeclaration(n) || ts.isClassStaticBlockDeclaration(n)) return true;
    if (ts.isFunctionLike(n)) return false;
  }
  return false;
}

/** True when the function is `async` (any flavour). */
export function isAsync(fn: FunctionLike): boolean {
  return (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** True when `node` sits inside a parameter list (defaults cannot `await`). */
function inParameters(node: ts.Node, fn: FunctionLike): boolean {
  for (let n: ts.Node | undefined = node; n && n !== fn; n = n.parent) {
    if (ts.isParameter(n) && n.parent === fn) return true;
  }
  return false;
}

/**
 * Whether `await` may be written at `node`: inside an async function body, or at the top level
 * of an ES module. Never in parameters or class field initializers.
 */
export function awaitIsLegal(src: SourceText, node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  if (fn) return isAsync(fn) && !inParameters(node, fn);
  if (inClassInitializer(node)) return false;
  return src.isEsm;
}
