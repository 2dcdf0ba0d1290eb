import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { Fixture, LspClient } from './client';

const blocking = (name: string) =>
  `import * as fs from 'node:fs';\nexport async function ${name}(p: string) {\n  return fs.readFileSync(p);\n}\n`;

describe('workspace analysis', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  function start(files: Record<string, string>, transport: 'stdio' | 'ipc' = 'stdio') {
    const fx = new Fixture(files);
    const lsp = new LspClient(transport);
    cleanups.push(
      () => lsp.dispose(),
      () => fx.dispose(),
    );
    return { fx, lsp };
  }

  test('scans at start with work-done progress and publishes for files never opened', async () => {
    const { fx, lsp } = start({
      'src/a.ts': blocking('a'),
      'src/deep/b.js': blocking('b')
        .replace("import * as fs from 'node:fs';", "const fs = require('fs');")
        .replace(': string', ''),
      'src/clean.ts': 'export const x = 1;\n',
      'node_modules/dep/index.js': blocking('dep'),
    });
    await lsp.initialize([fx.uri()]);
    await lsp.waitForDiagnostics(fx.uri('src/a.ts'), (d) => d.length === 1);
    await lsp.waitForDiagnostics(fx.uri('src/deep/b.js'), (d) => d.length === 1);
    await lsp.waitForProgressEnd();
    assert.equal(lsp.progressTokens.length, 1, 'window/workDoneProgress/create once');
    const kinds = lsp.progress
      .filter((p) => p.token === lsp.progressTokens[0])
      .map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    assert.ok(kinds.includes('report'));
    assert.equal(lsp.diagnostics.get(fx.uri('node_modules/dep/index.js')), undefined);
    assert.equal(lsp.diagnostics.get(fx.uri('src/clean.ts')), undefined);
  });

  test('"openFiles" analyses only open documents (still following their imports)', async () => {
    const { fx, lsp } = start({
      'a.ts': blocking('a'),
      'helper.ts':
        "import * as fs from 'fs';\nexport function h() {\n  return fs.readFileSync('x');\n}\n",
      'open.ts': "import { h } from './helper';\nexport async function o() {\n  return h();\n}\n",
    });
    lsp.settings.loopLens = { analyzeWorkspace: 'openFiles' };
    await lsp.initialize([fx.uri()]);
    await lsp.open(
      fx.uri('open.ts'),
      "import { h } from './helper';\nexport async function o() {\n  return h();\n}\n",
    );
    const [d] = await lsp.waitForDiagnostics(
      fx.uri('open.ts'),
      (x) => x.length === 1,
      'chain through helper',
    );
    assert.match(String(d!.message), /fs\.readFileSync/);
    await lsp.waitForProgressEnd();
    assert.equal(lsp.diagnostics.get(fx.uri('a.ts')), undefined);
    // Switching to "all" scans the rest without a restart.
    await lsp.configure({ analyzeWorkspace: 'all' });
    await lsp.waitForDiagnostics(fx.uri('a.ts'), (x) => x.length === 1, 'after switching to all');
    await lsp.close(fx.uri('open.ts'));
    await lsp.configure({ analyzeWorkspace: 'openFiles' });
    await lsp.waitForDiagnostics(fx.uri('a.ts'), (x) => x.length === 0, 'closed files cleared');
  });

  test('the config file: ignore globs and severities of the project are honoured', async () => {
    const { fx, lsp } = start({
      '.looplensrc.json': JSON.stringify({
        ignore: ['generated/**'],
        severity: { 'sync-fs': 'error' },
      }),
      'generated/g.ts': blocking('g'),
      'src/s.ts': blocking('s'),
    });
    await lsp.initialize([fx.uri()]);
    const [d] = await lsp.waitForDiagnostics(fx.uri('src/s.ts'), (x) => x.length === 1);
    assert.equal(d!.severity, 1, 'sync-fs raised to error by the config file');
    await lsp.waitForProgressEnd();
    assert.equal(lsp.diagnostics.get(fx.uri('generated/g.ts')), undefined);
  });

  test('multi-root: every folder is scanned with its own config', async () => {
    const one = new Fixture({ 'one.ts': blocking('one') });
    const two = new Fixture({
      'two.ts': blocking('two'),
      'package.json': '{"loopLens":{"severity":{"sync-io":"off"}}}',
    });
    const lsp = new LspClient();
    cleanups.push(
      () => lsp.dispose(),
      () => one.dispose(),
      () => two.dispose(),
    );
    await lsp.initialize([one.uri(), two.uri()]);
    await lsp.waitForDiagnostics(one.uri('one.ts'), (x) => x.length === 1);
    await lsp.waitForProgressEnd();
    assert.equal(lsp.diagnostics.get(two.uri('two.ts')), undefined, 'sync-io off in folder two');
  });

  test('hover and code actions answer while a large scan is still running', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1500; i++) {
      files[`m/mod${i}.ts`] =
        `import * as fs from 'node:fs';\nexport function f${i}(p: string) {\n  const t = fs.statSync(p);\n  return [t.size, ${'1 + '.repeat(40)}1];\n}\nexport async function g${i}() {\n  return f${i}('x');\n}\n`;
    }
    const { fx, lsp } = start(files);
    await lsp.initialize([fx.uri()]);
    const uri = fx.uri('open.ts');
    await lsp.open(uri, blocking('open'));
    const [d] = await lsp.waitForDiagnostics(uri, (x) => x.length === 1);
    const scanRunning = () => !lsp.progress.some((p) => p.value.kind === 'end');
    assert.ok(scanRunning(), 'first diagnostics of the open file arrive before the scan ends');
    const hover = await lsp.hover(uri, 2, 12);
    const actions = await lsp.codeActions(uri, d!);
    assert.ok(hover && actions.length >= 2);
    assert.ok(scanRunning(), 'hover and code actions were answered during the scan');
    await lsp.waitForProgressEnd();
  });

  test('files changed on disk: created, edited helper (caller updates), deleted, config file', async () => {
    const helperClean = 'export function h() {\n  return 1;\n}\n';
    const { fx, lsp } = start({
      'helper.ts': helperClean,
      'caller.ts': "import { h } from './helper';\nexport async function c() {\n  return h();\n}\n",
    });
    await lsp.initialize([fx.uri()]);
    await lsp.waitForProgressEnd();
    fx.write('new.ts', blocking('n'));
    await lsp.filesChanged([{ uri: fx.uri('new.ts'), type: 1 }]);
    await lsp.waitForDiagnostics(fx.uri('new.ts'), (x) => x.length === 1, 'created file');
    fx.write(
      'helper.ts',
      "import { execSync } from 'child_process';\nexport function h() {\n  return execSync('ls');\n}\n",
    );
    await lsp.filesChanged([{ uri: fx.uri('helper.ts'), type: 2 }]);
    await lsp.waitForDiagnostics(
      fx.uri('caller.ts'),
      (x) => x.length === 1,
      'caller after helper changed',
    );
    fx.write('helper.ts', helperClean);
    await lsp.filesChanged([{ uri: fx.uri('helper.ts'), type: 2 }]);
    await lsp.waitForDiagnostics(fx.uri('caller.ts'), (x) => x.length === 0, 'caller clean again');
    fx.remove('new.ts');
    await lsp.filesChanged([{ uri: fx.uri('new.ts'), type: 3 }]);
    await lsp.waitForDiagnostics(fx.uri('new.ts'), (x) => x.length === 0, 'deleted file cleared');
    fx.write(
      '.looplensrc.json',
      JSON.stringify({ ignore: ['caller.ts'], severity: { 'sync-fs': 'off' } }),
    );
    fx.write('other.ts', blocking('o'));
    fx.write(
      'caller.ts',
      "import * as cp from 'child_process';\nexport async function c() {\n  return cp.execSync('ls');\n}\n",
    );
    fx.write(
      'third.ts',
      "import * as cp from 'child_process';\nexport async function t() {\n  return cp.execSync('ls');\n}\n",
    );
    await lsp.filesChanged([{ uri: fx.uri('.looplensrc.json'), type: 1 }]);
    await lsp.waitForDiagnostics(
      fx.uri('third.ts'),
      (x) => x.length === 1,
      'rescanned after config change',
    );
    await lsp.waitForProgressEnd(2);
    assert.equal(
      (lsp.diagnostics.get(fx.uri('other.ts')) ?? []).length,
      0,
      'sync-fs off by config',
    );
    assert.equal(
      (lsp.diagnostics.get(fx.uri('caller.ts')) ?? []).length,
      0,
      'caller.ts ignored by config',
    );
  });

  test('IPC transport (as VS Code starts it) works too', async () => {
    const { fx, lsp } = start({ 'a.ts': blocking('a') }, 'ipc');
    await lsp.initialize([fx.uri()]);
    await lsp.waitForDiagnostics(fx.uri('a.ts'), (x) => x.length === 1);
  });
});
