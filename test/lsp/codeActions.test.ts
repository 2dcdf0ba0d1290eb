import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import { applyTextEdits, serverOnFixture } from './client';

/** Applies a code action's edit to `text` (the edit must target `uri` only). */
function apply(text: string, uri: string, action: CodeAction): string {
  const changes = action.edit?.changes ?? {};
  assert.deepEqual(Object.keys(changes), [uri]);
  return applyTextEdits(text, changes[uri]!);
}

describe('code actions', () => {
  const s = serverOnFixture();

  /** Opens a file, waits for its one diagnostic and returns it with the offered actions. */
  async function actionsFor(rel: string, text: string, languageId = 'typescript') {
    const uri = s.fx.uri(rel);
    await s.lsp.open(uri, text, languageId);
    const [d] = await s.lsp.waitForDiagnostics(uri, (x) => x.length === 1);
    const actions = await s.lsp.codeActions(uri, d as Diagnostic);
    return { uri, actions };
  }

  test('fs.readFileSync → await readFile from node:fs/promises; applying it clears the warning', async () => {
    const text = [
      "import { readFileSync } from 'node:fs';",
      '',
      'export async function handler(path: string) {',
      "  const body = readFileSync(path, 'utf8');",
      '  return body.trim();',
      '}',
      '',
    ].join('\n');
    const { uri, actions } = await actionsFor('read.ts', text);
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]),
      [
        ['Replace with `await readFile(…)`', 'quickfix', true],
        ['Ignore sync-fs on this line', 'quickfix', false],
        ['Ignore sync-fs in this file', 'quickfix', false],
      ],
    );
    const fixed = apply(text, uri, actions[0]!);
    assert.equal(
      fixed,
      [
        "import { readFile } from 'node:fs/promises';",
        '',
        'export async function handler(path: string) {',
        "  const body = await readFile(path, 'utf8');",
        '  return body.trim();',
        '}',
        '',
      ].join('\n'),
    );
    await s.lsp.change(uri, fixed);
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 0, 'no warning after the fix');
  });

  test('execSync in CommonJS → (await promisify(exec)(cmd)).stdout with require imports', async () => {
    const text = [
      "const { execSync } = require('child_process');",
      '',
      'async function version() {',
      "  return execSync('git describe').toString();",
      '}',
      'module.exports = { version };',
      '',
    ].join('\n');
    const { uri, actions } = await actionsFor('exec.js', text, 'javascript');
    const rewrite = actions.find((a) => a.title.startsWith('Replace'))!;
    assert.equal(
      rewrite.isPreferred,
      undefined,
      'exec returns strings, execSync a Buffer: not preferred',
    );
    const fixed = apply(text, uri, rewrite);
    assert.equal(
      fixed,
      [
        "const { exec } = require('child_process');",
        "const { promisify } = require('util');",
        '',
        'async function version() {',
        "  return (await promisify(exec)('git describe')).stdout.toString();",
        '}',
        'module.exports = { version };',
        '',
      ].join('\n'),
    );
    await s.lsp.change(uri, fixed);
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 0, 'no warning after the fix');
  });

  test('ignore this line and ignore in this file both silence the diagnostic', async () => {
    const text =
      "import * as zlib from 'node:zlib';\nexport async function z(b: Buffer) {\n  return zlib.gzipSync(b);\n}\n";
    const { uri, actions } = await actionsFor('zip.ts', text);
    const line = actions.find((a) => a.title === 'Ignore sync-zlib on this line')!;
    const withLine = apply(text, uri, line);
    assert.equal(
      withLine,
      text.replace('  return zlib', '  // loop-lens-ignore-next-line sync-zlib\n  return zlib'),
    );
    await s.lsp.change(uri, withLine);
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 0, 'silenced by line comment');
    await s.lsp.change(uri, text);
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 1);
    const file = actions.find((a) => a.title === 'Ignore sync-zlib in this file')!;
    const withFile = apply(text, uri, file);
    assert.ok(withFile.startsWith('// loop-lens-ignore-file sync-zlib\n'));
    await s.lsp.change(uri, withFile);
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 0, 'silenced by file comment');
  });

  test('a sync route callback is offered "make the callback async"', async () => {
    const text = [
      "import * as crypto from 'node:crypto';",
      "app.post('/login', (req, res) => {",
      "  res.send(crypto.pbkdf2Sync(req.body.pw, 'salt', 100000, 64, 'sha512'));",
      '});',
      '',
    ].join('\n');
    const { uri, actions } = await actionsFor('route.ts', text);
    const make = actions.find((a) => a.title.startsWith('Make the callback async'))!;
    assert.ok(make, actions.map((a) => a.title).join(' | '));
    assert.equal(
      apply(text, uri, make),
      [
        "import * as crypto from 'node:crypto';",
        "import { promisify } from 'node:util';",
        "app.post('/login', async (req, res) => {",
        "  res.send(await promisify(crypto.pbkdf2)(req.body.pw, 'salt', 100000, 64, 'sha512'));",
        '});',
        '',
      ].join('\n'),
    );
  });
});
