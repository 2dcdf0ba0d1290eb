import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { serverOnFixture } from './client';

const helper =
  "import * as fs from 'node:fs';\nexport function read() {\n  return fs.readFileSync('x');\n}\n";
const main = [
  "import * as fs from 'node:fs';",
  "import * as zlib from 'node:zlib';",
  "import { read } from './helper';",
  'export async function main(files: string[]) {',
  "  fs.writeFileSync('a', 'b');",
  "  zlib.gzipSync('x');",
  '  read();',
  '  return Promise.all(files.map((f) => fs.promises.readFile(f)));',
  '}',
  '',
].join('\n');

const byCode = (d: Diagnostic[]) =>
  Object.fromEntries(d.map((x) => [`${x.code}@${x.range.start.line}`, x.severity]));

describe('settings (workspace/configuration, applied without reload)', () => {
  const s = serverOnFixture({ 'helper.ts': helper, 'main.ts': main });
  let uri: string;
  before(async () => {
    uri = s.fx.uri('main.ts');
    await s.lsp.open(uri, main);
  });

  test('defaults: sync-io and cpu are warnings, threadpool is information', async () => {
    const d = await s.lsp.waitForDiagnostics(uri, (x) => x.length === 4);
    assert.deepEqual(byCode(d), {
      'sync-fs@4': DiagnosticSeverity.Warning,
      'sync-zlib@5': DiagnosticSeverity.Warning,
      'sync-fs@6': DiagnosticSeverity.Warning,
      'threadpool-fanout@7': DiagnosticSeverity.Information,
    });
  });

  test('severity per category changes live: error, hint, off', async () => {
    await s.lsp.configure({ severity: { syncIo: 'error', cpu: 'hint', threadpool: 'off' } });
    const d = await s.lsp.waitForDiagnostics(uri, (x) => x.length === 3, 'new severities');
    assert.deepEqual(byCode(d), {
      'sync-fs@4': DiagnosticSeverity.Error,
      'sync-zlib@5': DiagnosticSeverity.Hint,
      'sync-fs@6': DiagnosticSeverity.Error,
    });
  });

  test('followCalls off hides indirect findings; threadpool.enable off hides fan-out', async () => {
    await s.lsp.configure({ followCalls: false, threadpool: { enable: false } });
    const d = await s.lsp.waitForDiagnostics(uri, (x) => x.length === 2, 'direct findings only');
    assert.deepEqual(Object.keys(byCode(d)), ['sync-fs@4', 'sync-zlib@5']);
  });

  test('enable: false clears everything; a bad value falls back to the default', async () => {
    await s.lsp.configure({ enable: false });
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 0, 'disabled');
    await s.lsp.configure({ enable: 'yes please', severity: { syncIo: 'loud' } });
    const d = await s.lsp.waitForDiagnostics(uri, (x) => x.length === 4, 'defaults again');
    assert.equal(byCode(d)['sync-fs@4'], DiagnosticSeverity.Warning);
  });

  test('loopLens.ignore and files.exclude hide matching files, also open ones', async () => {
    await s.lsp.configure({ ignore: ['main.ts'] });
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 0, 'ignored by loopLens.ignore');
    await s.lsp.configure({}, { exclude: { 'main.ts': true, '**/*.log': false } });
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 0, 'ignored by files.exclude');
    await s.lsp.configure({}, { exclude: { 'main.ts': false } });
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 4, 'back');
  });
});
