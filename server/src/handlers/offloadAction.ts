/**
 * The "Run in a worker thread" code action: the offload rewrite of `fixes/offload` as one
 * WorkspaceEdit that creates the worker module, edits the calling file and, for Piscina, adds
 * the dependency to the nearest package.json. The module system the file runs under comes from
 * that package.json (`type`) and, for TypeScript, the nearest tsconfig.json (`module`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic,
  type TextDocuments,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { OffloadLibrarySetting } from '../../../src/shared/configKeys';
import type { Finding } from '../analysis/types';
import { offloadFix, withPiscina, type ModuleReader, type OffloadOptions } from '../fixes/offload';
import { fromDisk } from './offloadNote';

/** The code action for one finding, or undefined when the offload is not offered there. */
export function offloadAction(
  doc: TextDocument,
  file: string,
  finding: Finding,
  diagnostic: Diagnostic | undefined,
  library: OffloadLibrarySetting,
  documents: TextDocuments<TextDocument>,
): CodeAction | undefined {
  const options: OffloadOptions = { library, moduleKind: moduleKindOf(file, doc.getText()) };
  // An imported helper's module: its open buffer, else the file on disk.
  const read: ModuleReader = (path) =>
    documents.get(pathToFileURL(path).toString())?.getText() ?? fromDisk(path);
  const fix = offloadFix(doc.getText(), file, finding, options, read);
  if (!fix) return undefined;
  const workerUri = pathToFileURL(join(dirname(file), fix.workerFile)).toString();
  const edit: WorkspaceEdit = {
    documentChanges: [
      { kind: 'create', uri: workerUri, options: { overwrite: false, ignoreIfExists: false } },
      {
        textDocument: { uri: workerUri, version: null },
        edits: [{ range: at0, newText: fix.workerText }],
      },
      { textDocument: { uri: doc.uri, version: doc.version }, edits: fix.edits },
    ],
  };
  const pkg = fix.dependency ? packageJsonEdit(file, documents) : undefined;
  if (pkg) edit.documentChanges!.push(pkg);
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
    edit,
  };
}

const at0 = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** `piscina` added to the nearest package.json (its open buffer when it is open). */
function packageJsonEdit(
  file: string,
  documents: TextDocuments<TextDocument>,
): { textDocument: { uri: string; version: number | null }; edits: typeof edits } | undefined {
  const path = nearest(dirname(file), 'package.json');
  if (!path) return undefined;
  const uri = pathToFileURL(path).toString();
  const open = documents.get(uri);
  const text = open?.getText() ?? readFileSync(path, 'utf8');
  const next = withPiscina(text);
  if (next === undefined) return undefined;
  const lines = text.split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
  const edits = [{ range: { start: at0.start, end }, newText: next }];
  return { textDocument: { uri, version: open?.version ?? null }, edits };
}

/**
 * ESM or CommonJS at run time: `.mjs`/`.cjs` decide; TypeScript follows tsconfig `module`
 * (ES module kinds → ESM, `commonjs` → CommonJS, `node16`/`nodenext` → package.json `type`);
 * JavaScript follows package.json `type`, or its own syntax when there is no `type`.
 */
export function moduleKindOf(file: string, text: string): 'esm' | 'cjs' {
  if (/\.m[jt]s$/i.test(file)) return 'esm';
  if (/\.c[jt]s$/i.test(file)) return 'cjs';
  const pkgPath = nearest(dirname(file), 'package.json');
  const type = pkgPath ? readJson(pkgPath)?.type : undefined;
  const byPackage = type === 'module' ? 'esm' : type === 'commonjs' ? 'cjs' : undefined;
  if (/\.tsx?$/i.test(file)) {
    const tsconfig = nearest(dirname(file), 'tsconfig.json');
    const options = tsconfig ? readJson(tsconfig)?.compilerOptions : undefined;
    const module = String(
      (options as { module?: unknown } | undefined)?.module ?? '',
    ).toLowerCase();
    if (/^(es\d+|esnext|preserve)$/.test(module)) return 'esm';
    if (/^(commonjs|umd|amd)$/.test(module)) return 'cjs';
    return byPackage ?? 'cjs';
  }
  if (byPackage) return byPackage;
  return /^\s*(import|export)\s/m.test(text) ? 'esm' : 'cjs';
}

/** The file `name` in `dir` or the closest folder above it. */
function nearest(dir: string, name: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const p = join(d, name);
    if (existsSync(p)) return p;
    if (dirname(d) === d) return undefined;
  }
}

/** A JSON file with comments allowed (tsconfig), or undefined when unreadable. */
function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const r = ts.parseConfigFileTextToJson(path, readFileSync(path, 'utf8'));
    return r.config as Record<string, unknown> | undefined;
  } catch {
    return undefined;
  }
}
