/**
 * The type checker, asked only for what syntax cannot settle: a `*Sync` method called on an
 * object the walk could not resolve (`deps.fs.readFileSync()` where `deps: { fs: typeof fs }`).
 * A program is built lazily, only for TypeScript files that have such calls, and reused across
 * edits (`oldProgram`), so the common case never pays for it. Without `@types/node` (a checkout
 * before `npm install`) the checker cannot tell either, and the call stays unreported.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import { lookupApi } from './lookup';
import type { FileSummary } from './summaryTypes';

/** `@types/node/<module>.d.ts` → module name for the catalog. */
const nodeTypes =
  /[\\/]@types[\\/]node[\\/](?:ts[\d.]+[\\/])?(fs|child_process|zlib|crypto)(?:[\\/]promises)?\.d\.ts$/;

const baseOptions: ts.CompilerOptions = {
  allowJs: true,
  noEmit: true,
  skipLibCheck: true,
  // Only declarations from @types/node matter here; the default lib is not needed.
  noLib: true,
  target: T.ScriptTarget.ES2022,
  module: T.ModuleKind.Node16,
  moduleResolution: T.ModuleResolutionKind.Node16,
};

/** The nearest `node_modules/@types` holding `node`, looking up from `dir`. */
function nodeTypeRoot(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const root = path.join(d, 'node_modules', '@types');
    if (fs.existsSync(path.join(root, 'node', 'package.json'))) return root;
    if (path.dirname(d) === d) return undefined;
  }
}

export class TypeResolver {
  private program: ts.Program | undefined;

  /** Adds catalog hits to `summary` for its unresolved candidates the checker can place. */
  settle(summary: FileSummary, text: string): void {
    const cands = summary.candidates;
    if (!cands?.length || !/\.[cm]?tsx?$/i.test(summary.file)) return;
    const sf = this.sourceFile(summary.file, text);
    if (!sf || !this.program) return;
    const checker = this.program.getTypeChecker();
    for (const c of cands) {
      const node = findName(sf, c.pos);
      const decl = node && checker.getSymbolAtLocation(node)?.declarations?.[0];
      const m = decl && nodeTypes.exec(decl.getSourceFile().fileName);
      if (!m) continue;
      const hit = lookupApi(m[1]!, [c.name], {
        argCount: c.argCount,
        lastIsFunction: () => c.lastIsFunction,
      });
      if (!hit) continue;
      const { pos: _p, argCount: _a, lastIsFunction: _l, fn, ...site } = c;
      summary.fns[fn]!.calls.push({ ...site, target: { kind: 'api', hit } });
      summary.fns[fn]!.calls.sort((a, b) => a.line - b.line || a.column - b.column);
    }
  }

  private sourceFile(file: string, text: string): ts.SourceFile | undefined {
    const typeRoot = nodeTypeRoot(path.dirname(file));
    if (!typeRoot) return undefined; // no types installed: syntax is all there is
    const options = { ...baseOptions, typeRoots: [typeRoot], types: ['node'] };
    const host = T.createCompilerHost(options);
    const original = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, onError, shouldCreate) =>
      path.resolve(name) === file
        ? T.createSourceFile(name, text, lang, true)
        : original(name, lang, onError, shouldCreate);
    try {
      this.program = T.createProgram({
        rootNames: [file],
        options,
        host,
        oldProgram: this.program,
      });
    } catch {
      return undefined;
    }
    return this.program.getSourceFile(file);
  }
}

/** The identifier starting at `pos` (the method name of a candidate call). */
function findName(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  const visit = (n: ts.Node): ts.Node | undefined => {
    if (pos < n.getStart(sf) || pos >= n.getEnd()) return undefined;
    if (T.isIdentifier(n) && n.getStart(sf) === pos) return n;
    return T.forEachChild(n, visit);
  };
  return visit(sf);
}
