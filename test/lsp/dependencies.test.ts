/**
 * The language server on a project with installed dependencies (test/fixtures/deps): findings
 * whose chain goes into node_modules, the chain in the hover, `loopLens.followDependencies`, and
 * packages analysed once per session, not per edit.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, MarkupContent } from 'vscode-languageserver-protocol/node';
import { LspClient } from './client';
import { installDepsFixture } from '../unit/analysis/depsFixture';

const messages = (d: Diagnostic[]) =>
  d.map((x) => `${x.range.start.line + 1} ${String(x.message)}`);

describe('installed dependencies in the language server', () => {
  let dir: string;
  let lsp: LspClient;
  let uri: string;
  let text: string;

  before(async () => {
    dir = installDepsFixture();
    lsp = new LspClient();
    await lsp.initialize([pathToFileURL(dir).toString()]);
    uri = pathToFileURL(join(dir, 'src', 'app.ts')).toString();
    text = readFileSync(join(dir, 'src', 'app.ts'), 'utf8');
    await lsp.open(uri, text);
  });
  after(async () => {
    await lsp?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const loadConfig = (d: Diagnostic[]) => d.find((x) => /^loadConfig\(\)/.test(String(x.message)));

  test('a finding going into a package, with each chain step as related information', async () => {
    const d = await lsp.waitForDiagnostics(uri, (x) => x.length === 6, 'six findings');
    const f = loadConfig(d);
    assert.ok(f, messages(d).join('\n'));
    assert.equal(f.range.start.line, 8);
    const steps = f.relatedInformation?.map((r) => {
      const file = fileURLToPath(r.location.uri).slice(dir.length + 1);
      return `${file}:${r.location.range.start.line + 1}`;
    });
    assert.deepEqual(steps, [
      'src/app.ts:9',
      'node_modules/cfg-loader/lib/index.js:12',
      'node_modules/cfg-loader/lib/index.js:7',
    ]);
  });

  test('the hover shows the chain into the package with links', async () => {
    const h = await lsp.hover(uri, 8, 16);
    const md = (h?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(md, /\*\*Chain:\*\*/);
    const links = [...md.matchAll(/\[([^\]`]+)\]\(file:[^)]+#L[^)]+\)/g)].map((m) => m[1]);
    assert.deepEqual(links, [
      'app.ts:9',
      'cfg-loader/lib/index.js:12',
      'cfg-loader/lib/index.js:7',
    ]);
  });

  test('an edit does not analyse the packages again (their summaries stay in memory)', async () => {
    // Change the package on disk without telling the server: a per-edit re-analysis would lose
    // the finding; the session's summary keeps it until the package is reloaded.
    const pkgFile = join(dir, 'node_modules', 'cfg-loader', 'lib', 'index.js');
    writeFileSync(pkgFile, readFileSync(pkgFile, 'utf8').replace('fs.readFileSync(p', 'String(p'));
    await lsp.change(uri, `// edited\n${text}`);
    const d = await lsp.waitForDiagnostics(
      uri,
      (x) => x.length === 6 && x.every((y) => y.range.start.line >= 9),
      'the findings one line lower after the edit',
    );
    assert.equal(loadConfig(d)?.range.start.line, 9, messages(d).join('\n'));
  });

  test('loopLens.followDependencies: false hides findings that go into packages, at once', async () => {
    await lsp.configure({ followDependencies: false });
    await lsp.waitForDiagnostics(uri, (x) => x.length === 0, 'no findings into packages');
    await lsp.configure({});
    await lsp.waitForDiagnostics(uri, (x) => x.length === 6, 'back with the default');
  });
});
