import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Attributor } from '../../../src/runtime/attribution';
import { ProfileStore } from '../../../src/runtime/profileStore';
import { SourceMapResolver } from '../../../src/runtime/sourceMaps';
import { FileWarmer, MAX_FILE_BYTES } from '../../../src/runtime/warmUp';
import { waitFor } from '../../waitFor';

/**
 * The warm-up's timers never keep a process alive (a recorder's CLI exits when it is done):
 * the test's own wait does.
 */
async function warmed(w: FileWarmer): Promise<void> {
  let settled = false;
  void w.done().then(() => (settled = true));
  await waitFor(() => settled, 'the warm-up to finish');
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'loop-lens-warm-'));
}

test('warm-up: reads each file once, skips missing and oversized files', async () => {
  const dir = tempDir();
  try {
    const a = join(dir, 'a.js');
    const big = join(dir, 'big.js');
    writeFileSync(a, 'module.exports = 1;\n');
    writeFileSync(big, '');
    truncateSync(big, MAX_FILE_BYTES + 1);
    const loaded: string[] = [];
    const w = new FileWarmer({
      load: async (f) => void loaded.push(f),
      busy: () => false,
    });
    w.add([a, join(dir, 'missing.js'), big]);
    w.add([a]);
    await warmed(w);
    assert.deepEqual(loaded, [a]);
    assert.equal(w.stats().files, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('warm-up: reads nothing while a stall is being attributed', async () => {
  const dir = tempDir();
  try {
    const a = join(dir, 'a.js');
    writeFileSync(a, 'x();\n');
    const loaded: string[] = [];
    let busy = true;
    let asked = 0;
    const w = new FileWarmer({
      load: async (f) => void loaded.push(f),
      busy: () => (asked++, busy),
    });
    w.add([a]);
    await waitFor(() => asked >= 3, 'the warm-up to find the attributor busy three times');
    assert.deepEqual(loaded, []);
    busy = false;
    await warmed(w);
    assert.deepEqual(loaded, [a]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('warm-up: the profile scripts and their package.json are read before a stall asks', async () => {
  const dir = tempDir();
  try {
    const pkg = join(dir, 'node_modules', 'lib');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{"name":"lib","version":"1.2.3"}');
    const libFile = join(pkg, 'index.js');
    const appFile = join(dir, 'app.js');
    writeFileSync(libFile, 'exports.work = () => JSON.stringify({});\n');
    writeFileSync(appFile, 'require("lib").work();\n');
    const cf = (functionName: string, file: string) => ({
      functionName,
      scriptId: '1',
      url: pathToFileURL(file).href,
      lineNumber: 0,
      columnNumber: 0,
    });
    const store = new ProfileStore();
    store.append({
      nodes: [
        { id: 1, callFrame: cf('(root)', ''), children: [2] },
        { id: 2, callFrame: { ...cf('', ''), url: 'node:internal/main' }, children: [3] },
        { id: 3, callFrame: cf('', appFile), children: [4] },
        { id: 4, callFrame: cf('work', libFile), children: [] },
      ],
      startTime: 0,
      endTime: 1000,
      samples: [4],
      timeDeltas: [1000],
    });
    const resolver = new SourceMapResolver();
    const attributor = new Attributor(resolver);
    attributor.warmFrom(store);
    await warmed(attributor.warmer);
    assert.equal(attributor.warmer.stats().files, 2);
    // Gone from disk: what a stall gets now is what the warm-up read.
    rmSync(dir, { recursive: true, force: true });
    assert.equal(await resolver.text(appFile), 'require("lib").work();\n');
    const ref = await attributor.packages.of(libFile);
    assert.deepEqual([ref?.name, ref?.version], ['lib', '1.2.3']);
    // Nodes already seen are not queued again.
    attributor.warmFrom(store);
    await warmed(attributor.warmer);
    assert.equal(attributor.warmer.stats().files, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
