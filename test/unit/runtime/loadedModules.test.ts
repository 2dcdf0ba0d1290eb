import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Attributor } from '../../../src/runtime/attribution';
import { codeLinesOf, warmCodeLines } from '../../../src/runtime/codeLines';
import { isScriptFile, modulesSince } from '../../../src/runtime/loadedModules';
import { SourceMapResolver } from '../../../src/runtime/sourceMaps';

test('loaded modules: pages through require.cache in load order, from the start again when it shrank', () => {
  const req = createRequire(__filename);
  const keys = Object.keys(req.cache);
  assert.ok(keys.length > 3, 'this test process has loaded modules');
  const all = JSON.parse(modulesSince(req, 0, 10_000)) as { n: number; files: string[] };
  assert.equal(all.n, keys.length);
  assert.deepEqual(all.files, keys);
  const page = JSON.parse(modulesSince(req, 1, 2)) as { from: number; files: string[] };
  assert.deepEqual([page.from, page.files], [1, keys.slice(1, 3)]);
  // Entries were deleted (a reloader): counting from past the end starts over.
  const over = JSON.parse(modulesSince(req, keys.length + 5, 2)) as { from: number };
  assert.equal(over.from, 0);
  assert.deepEqual(JSON.parse(modulesSince(undefined, 0, 2)), { n: 0, from: 0, files: [] });
});

test('loaded modules: scripts are read ahead, data and native addons are not', () => {
  assert.equal(isScriptFile('/app/node_modules/lowdb/lib/main.js'), true);
  assert.equal(isScriptFile('C:\\app\\server.cjs'), true);
  assert.equal(isScriptFile('/app/db.json'), false);
  assert.equal(isScriptFile('/app/build/Release/addon.node'), false);
  assert.equal(isScriptFile('node:fs'), false);
});

test('code lines: the warm-up indexes a long text a slice (500 lines) at a time', async () => {
  let pauses = 0;
  const text = Array.from({ length: 4500 }, (_, i) => `f(${i}); // note(${i})`).join('\n');
  await warmCodeLines(text, async () => void pauses++);
  assert.equal(pauses, 9);
  // Every line's call of f, none of the comments' `note(`.
  const index = codeLinesOf(text).callIndex;
  assert.equal(index?.byName.get('f')?.length, 4500);
  assert.equal(index?.byName.has('note'), false);
});

test('attribution: a stack that cannot be mapped costs that stall its details, and is told once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loop-lens-attr-'));
  try {
    const app = join(dir, 'app.js');
    writeFileSync(app, 'function save() {\n  write();\n}\n');
    const warnings: string[] = [];
    class Broken extends SourceMapResolver {
      override original(): never {
        throw new Error('`line` must be greater than 0 (lines start at line 1)');
      }
    }
    const attributor = new Attributor(new Broken((w) => warnings.push(w)));
    const frames = [
      {
        functionName: 'save',
        url: pathToFileURL(app).href,
        line0: 1,
        col0: 2,
        isDefinition: false,
      },
    ];
    assert.deepEqual(await attributor.fromPaused(frames), { stack: [] });
    assert.deepEqual(await attributor.fromPaused(frames), { stack: [] });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /could not be worked out \(`line` must be greater than 0/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
