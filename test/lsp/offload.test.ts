/**
 * "Run in a worker thread" over LSP: the hover says why it is offered, the code action comes
 * with the diagnostic, and its WorkspaceEdit (new worker module, edited caller, package.json)
 * applied to disk gives a project that tsc compiles and Node runs with the same result while
 * the event loop stays free. For a function declaration, an exported arrow and a method.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type {
  CodeAction,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import {
  compile,
  longestDelays,
  runHandler,
  transpile,
  tsText,
  writeProject,
  type OffloadCase,
} from '../unit/fixes/offloadHarness';
import { arrowTs, methodTs } from '../unit/fixes/offloadForms';
import { applyTextEdits, LspClient } from './client';

const text = tsText;

const project: OffloadCase = {
  file: 'a.ts',
  text,
  type: 'module',
  tsModule: 'node16',
  options: { library: 'piscina', moduleKind: 'esm' },
  callee: 'hashPassword',
};

/** Applies a WorkspaceEdit to disk as an editor would: create, then edit each document. */
function applyToDisk(edit: WorkspaceEdit): void {
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      assert.equal(change.kind, 'create');
      const path = fileURLToPath(change.uri);
      assert.ok(!existsSync(path), `${path} does not exist yet`);
      writeFileSync(path, '');
      continue;
    }
    const e = change as TextDocumentEdit;
    const path = fileURLToPath(e.textDocument.uri);
    const edits = e.edits.filter((x): x is TextEdit => 'newText' in x);
    writeFileSync(path, applyTextEdits(readFileSync(path, 'utf8'), edits));
  }
}

/** A project on disk (ESM, tsconfig `node16`) with a language server on it. */
function serverOn(c: OffloadCase): { dir: () => string; lsp: () => LspClient } {
  let dir = '';
  let lsp: LspClient | undefined;
  before(async () => {
    dir = writeProject(c);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'node16', strict: true, outDir: 'out' } }),
    );
    lsp = new LspClient();
    await lsp.initialize([pathToFileURL(dir).toString()]);
  });
  after(async () => {
    await lsp?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir: () => dir, lsp: () => lsp! };
}

/** Opens the document, waits for its finding and returns the offload action offered on it. */
async function offloadActionOn(lsp: LspClient, uri: string, text: string): Promise<CodeAction> {
  await lsp.open(uri, text);
  const [d] = await lsp.waitForDiagnostics(uri, (x) => x.some((y) => y.code === 'sync-crypto'));
  assert.ok(d);
  const actions: CodeAction[] = await lsp.codeActions(uri, d);
  const offload = actions.find((a) => /worker thread/.test(a.title));
  assert.ok(offload?.edit, `actions: ${actions.map((a) => a.title).join(' | ')}`);
  return offload;
}

describe('offload quick fix over LSP: an exported arrow and a method', () => {
  const arrow: OffloadCase = { ...project, file: 'arrow.ts', text: arrowTs };
  const server = serverOn({ ...arrow, extra: { 'method.ts': methodTs } });

  test('offered for both, applied one after the other, compiled and run', async () => {
    const dir = server.dir();
    const lsp = server.lsp();
    const method: OffloadCase = { ...project, file: 'method.ts', text: methodTs };
    const expected = [arrow, method].map((c) =>
      runHandler(join(transpile(dir, c), c.file.replace(/ts$/, 'js')), 'secret'),
    );
    const arrowUri = pathToFileURL(join(dir, 'arrow.ts')).toString();
    const a = await offloadActionOn(lsp, arrowUri, arrowTs);
    assert.equal(a.title, 'Run `hashPassword` in a worker thread (Piscina pool)');
    applyToDisk(a.edit!);
    const methodUri = pathToFileURL(join(dir, 'method.ts')).toString();
    const m = await offloadActionOn(lsp, methodUri, methodTs);
    assert.equal(m.title, 'Run `digest` in a worker thread (Piscina pool)');
    applyToDisk(m.edit!);

    assert.match(
      readFileSync(join(dir, 'arrow.ts'), 'utf8'),
      /export \{ hashPassword \} from '.\/hashPassword.worker.js'/,
    );
    const rewritten = readFileSync(join(dir, 'method.ts'), 'utf8');
    assert.match(rewritten, /await digestPool\.run\(\[password, this\.salt, 150000\]\)/);
    assert.ok(!/digest\(password: string/.test(rewritten), 'the method left its class');
    const out = compile(dir, project);
    [arrow, method].forEach((c, i) => {
      const main = join(out, c.file.replace(/ts$/, 'js'));
      const after = runHandler(main, 'secret');
      assert.deepEqual(after.result, expected[i]!.result, `${c.file}: same result`);
      const ticks = `${c.file}: another timer fired ${after.ticks} times during the job`;
      assert.ok(after.ticks >= 2, ticks);
      const asWritten = join(dir, 'plain', c.file.replace(/ts$/, 'js'));
      const d = longestDelays(asWritten, main, expected[i]!, after);
      assert.ok(d.offloaded < d.written, `${c.file}: longest loop delay (ms) ${d.shown}`);
    });
  });
});

describe('offload quick fix over LSP', () => {
  const server = serverOn(project);

  test('offered with its reason, applied, compiled and run', async () => {
    const dir = server.dir();
    const lsp = server.lsp();
    const uri = pathToFileURL(join(dir, 'a.ts')).toString();
    const expected = runHandler(join(transpile(dir, project), 'a.js'), 'secret');
    const offload = await offloadActionOn(lsp, uri, text);
    const d = offload.diagnostics![0]!;
    const hover = await lsp.hover(uri, d.range.start.line, d.range.start.character + 1);
    const md = (hover?.contents as { value: string }).value;
    assert.match(md, /Run in a worker thread" is offered:\*\* `hashPassword` is self-contained/);

    applyToDisk(offload.edit!);
    assert.ok(existsSync(join(dir, 'hashPassword.worker.ts')));
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    assert.ok(pkg.dependencies?.piscina, 'package.json lists piscina');

    const after = runHandler(join(compile(dir, project), 'a.js'), 'secret');
    assert.deepEqual(after.result, expected.result);
    assert.equal(expected.ticks, 0, 'as written, the job holds the event loop');
    assert.ok(after.ticks >= 2, `another timer fired ${after.ticks} times during the job`);
  });
});
