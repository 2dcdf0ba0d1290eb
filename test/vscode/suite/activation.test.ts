import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extensionId, openFixture, waitFor } from './helpers';

describe('activation', () => {
  it('is installed with the manifest the package declares', () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is known to VS Code`);
    const manifest = ext.packageJSON as { main: string; activationEvents: string[] };
    assert.equal(manifest.main, './dist/extension.js');
    assert.ok(!manifest.activationEvents.includes('*'), 'does not activate on startup (*)');
    assert.ok(manifest.activationEvents.includes('onLanguage:typescript'));
  });

  it('runs from the packaged .vsix: bundles in, sources and node_modules out', function () {
    if (process.env.LOOP_LENS_PACKAGED !== '1') this.skip(); // LOOP_LENS_TEST_UNPACKED=1 run
    const dir = vscode.extensions.getExtension(extensionId)!.extensionPath;
    assert.ok(existsSync(join(dir, 'dist', 'extension.js')), 'dist/extension.js is packaged');
    for (const absent of ['src', 'node_modules', 'test', 'tsconfig.json']) {
      assert.ok(!existsSync(join(dir, absent)), `${absent} is not packaged`);
    }
    assert.deepEqual(
      readdirSync(join(dir, 'dist')).filter((f) => f.endsWith('.map')),
      [],
      'no source maps',
    );
  });

  it('activates when a TypeScript file of the workspace opens', async () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext);
    // Lazy: nothing has opened a JS/TS file or a Loop Lens view yet, so it is not active.
    assert.equal(ext.isActive, false, 'not active before a JS/TS file opens');
    const editor = await openFixture('src/handler.ts');
    assert.equal(editor.document.languageId, 'typescript');
    await waitFor(() => ext.isActive, 'the extension to activate');
  });

  it('contributes its settings with their defaults', () => {
    const config = vscode.workspace.getConfiguration('loopLens');
    assert.equal(config.get('enable'), true);
    assert.equal(config.get('severity.syncIo'), 'warning');
    assert.equal(config.get('analyzeWorkspace'), 'all');
    assert.equal(config.get('trace.server'), 'off');
    assert.deepEqual(config.get('ignore'), []);
  });
});
