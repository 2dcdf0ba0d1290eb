import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { codes, serverOnFixture } from './client';

const loadTs = [
  "import * as fs from 'node:fs';",
  '',
  'export async function load(p: string) {',
  "  const text = fs.readFileSync(p, 'utf8');",
  '  return text.length;',
  '}',
  '',
].join('\n');

const helperClean = [
  "import { readFileSync } from 'node:fs';",
  '',
  'export function loadTemplate(name: string): string {',
  '  return `<h1>${name}</h1>`;',
  '}',
  '',
  'export function boot(): string {',
  "  return readFileSync('boot.txt', 'utf8');",
  '}',
  '',
].join('\n');
const helperBlocking = helperClean.replace(
  '  return `<h1>${name}</h1>`;',
  "  return readFileSync(`tpl/${name}.html`, 'utf8');",
);
const serveTs = [
  "import { loadTemplate } from './helper';",
  '',
  'export async function serve(name: string) {',
  '  return render(name);',
  '}',
  '',
  'function render(name: string) {',
  '  return loadTemplate(name);',
  '}',
  '',
].join('\n');

describe('diagnostics', () => {
  const s = serverOnFixture({ 'load.ts': loadTs, 'helper.ts': helperClean, 'serve.ts': serveTs });

  test('on open: one warning at the call, with rule link and engine message', async () => {
    await s.lsp.open(s.fx.uri('load.ts'), loadTs);
    const [d] = await s.lsp.waitForDiagnostics(s.fx.uri('load.ts'), (x) => x.length > 0);
    assert.ok(d);
    assert.equal(d.source, 'loop-lens');
    assert.equal(d.code, 'sync-fs');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.deepEqual(d.range.start, { line: 3, character: 15 });
    assert.match(d.codeDescription!.href, /^file:.*\/docs\/rules\/sync-fs\.md$/);
    assert.ok(
      existsSync(fileURLToPath(d.codeDescription!.href)),
      'the rule page ships with the server',
    );
    assert.match(String(d.message), /fs\.readFileSync blocks the event loop/);
  });

  test('after edits: removing the call clears the warning, adding it back restores it', async () => {
    const uri = s.fx.uri('load.ts');
    await s.lsp.open(uri, loadTs);
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 1);
    await s.lsp.change(
      uri,
      loadTs.replace("fs.readFileSync(p, 'utf8')", "await fs.promises.readFile(p, 'utf8')"),
    );
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 0, 'cleared diagnostics');
    await s.lsp.change(
      uri,
      loadTs.replace(
        '  return text.length;',
        '  fs.writeFileSync(p, text);\n  return text.length;',
      ),
    );
    const d = await s.lsp.waitForDiagnostics(uri, (x) => x.length === 2, 'two diagnostics');
    assert.deepEqual(codes(d), ['sync-fs', 'sync-fs']);
    assert.deepEqual(
      d.map((x) => x.range.start.line),
      [3, 4],
    );
  });

  test('across files: a blocking call added to a sync helper warns its async caller elsewhere', async () => {
    const serve = s.fx.uri('serve.ts');
    const helper = s.fx.uri('helper.ts');
    // serve.ts is never opened: its diagnostics come from the workspace analysis.
    await s.lsp.waitForProgressEnd();
    assert.deepEqual(s.lsp.diagnostics.get(serve) ?? [], []);
    await s.lsp.open(helper, helperClean);
    await s.lsp.change(helper, helperBlocking);
    const [d] = await s.lsp.waitForDiagnostics(serve, (x) => x.length === 1, 'caller warning');
    assert.ok(d);
    assert.equal(d.range.start.line, 3, 'flagged at render(name) inside async serve');
    assert.match(String(d.message), /fs\.readFileSync/);
    const steps = d.relatedInformation!.map((r) => [
      r.location.uri.split('/').pop(),
      r.location.range.start.line,
    ]);
    assert.deepEqual(steps, [
      ['serve.ts', 3],
      ['serve.ts', 7],
      ['helper.ts', 3],
    ]);
    // The helper itself is sync and only called from async code elsewhere: no warning there.
    await s.lsp.change(helper, helperClean);
    await s.lsp.waitForDiagnostics(serve, (x) => x.length === 0, 'caller warning gone');
  });
});

describe('ignore comments and broken files', () => {
  const s = serverOnFixture();

  test('loop-lens-ignore-next-line and loop-lens-ignore-file silence their rule only', async () => {
    const uri = s.fx.uri('ignored.ts');
    const text = [
      "import * as fs from 'node:fs';",
      "import { execSync } from 'node:child_process';",
      'export async function f(p: string) {',
      '  // loop-lens-ignore-next-line sync-fs',
      '  fs.readFileSync(p);',
      "  execSync('ls');",
      '  fs.statSync(p);',
      '}',
    ].join('\n');
    await s.lsp.open(uri, text);
    let d = await s.lsp.waitForDiagnostics(uri, (x) => x.length === 2);
    assert.deepEqual(
      d.map((x) => [x.code, x.range.start.line]),
      [
        ['sync-child-process', 5],
        ['sync-fs', 6],
      ],
    );
    await s.lsp.change(uri, `// loop-lens-ignore-file sync-child-process\n${text}`);
    d = await s.lsp.waitForDiagnostics(uri, (x) => x.length === 1);
    assert.deepEqual(codes(d), ['sync-fs']);
  });

  test('a file with syntax errors never crashes the server; it is analysed as far as it parses', async () => {
    const uri = s.fx.uri('broken.ts');
    const good =
      "import * as fs from 'fs';\nexport async function a() {\n  return fs.readFileSync('x');\n}\n";
    // Two findings before the syntax error: the recovered text's single one is a new set.
    const more = "export async function c() {\n  return fs.readFileSync('z');\n}\n";
    await s.lsp.open(
      uri,
      `${good}${more}export async function b( {\n  const = ;\n  fs.readFileSync('y'\n`,
    );
    await s.lsp.waitForDiagnostics(
      uri,
      (x) => x.length === 2 && x.some((d) => d.range.start.line === 2),
      'the parseable part',
    );
    await s.lsp.change(uri, '}}}} ((( <<< "unterminated\n\u0000\u0001 @@@ class {');
    await s.lsp.change(uri, good);
    const d = await s.lsp.waitForDiagnostics(uri, (x) => x.length === 1, 'recovered');
    assert.equal(d[0]!.range.start.line, 2);
    assert.equal(s.lsp.child.exitCode, null, 'server still running');
    const hover = await s.lsp.hover(uri, 2, 12);
    assert.ok(hover, 'hover still answers');
  });
});
