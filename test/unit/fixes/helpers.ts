/**
 * Test helpers for the quick-fix rewrites: a finding at the first occurrence of a snippet, and a
 * parse check of the rewritten text with TypeScript's own parser.
 */
import assert from 'node:assert/strict';
import { ts } from 'ts-morph';
import { applyEdits, computeFixes, type Fix, type FixFinding } from '../../../server/src/fixes';
import type { OffloadFinding } from '../../../server/src/fixes/offload';

/** A direct finding whose call starts at the first occurrence of `needle` in `text`. */
export function findingAt(text: string, needle: string, rule = 'sync-fs'): FixFinding {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `snippet not in text: ${needle}`);
  const before = text.slice(0, offset).split('\n');
  const line = before.length;
  const column = before[before.length - 1]!.length + 1;
  return {
    line,
    column,
    endLine: line,
    endColumn: column + needle.length,
    rule,
    api: needle,
    chain: [],
  };
}

/** All fixes for the call at `needle`. */
export function fixesAt(text: string, needle: string, fileName = 'a.ts', rule = 'sync-fs'): Fix[] {
  return computeFixes({ text, fileName, finding: findingAt(text, needle, rule) });
}

/** Applies a fix and asserts the result has no syntax errors; returns the new text. */
export function applyChecked(text: string, fix: Fix, fileName = 'a.ts'): string {
  const out = applyEdits(text, fix.edits);
  const errors = syntaxErrors(out, fileName);
  assert.deepEqual(errors, [], `syntax errors after "${fix.title}":\n${out}`);
  return out;
}

/**
 * Syntax and grammar diagnostics of a text (codes 1xxx: parse errors, and grammar errors such
 * as `await` outside an async function, which only the checker reports).
 */
export function syntaxErrors(text: string, fileName: string): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    allowJs: true,
    checkJs: true,
    noLib: true,
    noResolve: true,
    types: [],
  };
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const host = ts.createCompilerHost(options);
  host.getSourceFile = (name) => (name === fileName ? sf : undefined);
  host.fileExists = (name) => name === fileName;
  const program = ts.createProgram([fileName], options, host);
  const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
  return diags
    .filter((d) => d.code < 2000)
    .map((d) => `${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** The single rewrite fix (asserts there is exactly one). */
export function rewriteOf(fixes: Fix[]): Fix {
  const rewrites = fixes.filter((f) => f.kind === 'rewrite');
  assert.equal(
    rewrites.length,
    1,
    `expected one rewrite, got: ${fixes.map((f) => f.title).join(' | ')}`,
  );
  return rewrites[0]!;
}

/**
 * An indirect CPU finding on the call starting at `call` (as the engine reports it: over the
 * callee), through the function the engine names `name` (`work`, `Hasher.compute`).
 */
export function cpuFinding(text: string, call: string, name = call.split('(')[0]!): OffloadFinding {
  const f = findingAt(text, call);
  return {
    ...f,
    endColumn: f.column + call.lastIndexOf('('),
    category: 'cpu',
    chain: [
      { file: 'a.ts', line: f.line, column: f.column, name },
      { file: 'a.ts', line: 1, column: 1, name: 'crypto.pbkdf2Sync' },
    ],
  };
}
