/**
 * The import walk of a document opened at start (handlers/importPrefetch.ts): which specifiers
 * it finds without parsing, which files it sends to the worker level by level, and how the
 * event loop takes over a file the worker has not begun.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  coreToSpare,
  ImportPrefetch,
  importSpecifiers,
} from '../../../server/src/handlers/importPrefetch';

test('relative imports, re-exports, require and import() are found; packages are not', () => {
  const text = [
    "import { a } from './a';",
    "import * as fs from 'node:fs';",
    "export * from '../b';",
    "const c = require('./c.js');",
    "const d = await import('./d');",
    "import './a';",
    '// import { x } from "./commented";',
  ].join('\n');
  assert.deepEqual(importSpecifiers(text), ['./a', '../b', './c.js', './d']);
});

/** A fake host over an import graph; the "worker" loads a batch when `release` is called. */
function fakeHost(graph: Record<string, string[]>) {
  const loaded = new Set<string>();
  const sent: string[][] = [];
  const waiting: (() => void)[] = [];
  const host = {
    resolve: (_from: string, spec: string) => (spec.startsWith('./') ? spec.slice(2) : undefined),
    importsOf: (f: string) => graph[f] ?? [],
    isLoaded: (f: string) => loaded.has(f),
    inWorker: (files: string[], claims: SharedArrayBuffer) => {
      sent.push(files);
      const slots = new Int32Array(claims);
      return new Promise<boolean>((resolve) =>
        waiting.push(() => {
          files.forEach((f, i) => {
            if (Atomics.compareExchange(slots, i, 0, 1) === 0) loaded.add(f);
          });
          resolve(true);
        }),
      );
    },
  };
  const release = async () => {
    while (!waiting.length) await Promise.resolve();
    waiting.shift()!();
  };
  return { host, loaded, sent, release };
}

test('the walk sends each level once, and the event loop can take a file first', async () => {
  const { host, loaded, sent, release } = fakeHost({ a: ['b', 'c'], b: ['c', 'd'] });
  const walk = new ImportPrefetch(host);
  const done = walk.start('root', "import './a';\nimport './x';", true);
  assert.deepEqual(sent, [['a', 'x']], 'the first level at once, from the text');
  const x = walk.inFlight('x');
  assert.ok(x && x.claim(), 'the event loop takes x before the worker begins it');
  assert.equal(x.claim(), false, 'once');
  await release();
  assert.ok(loaded.has('a') && !loaded.has('x'), 'the worker left x to the event loop');
  await Promise.resolve();
  await release();
  assert.deepEqual(sent[1], ['b', 'c'], 'the next level from the summaries');
  await release();
  await done;
  assert.deepEqual(sent[2], ['d']);
  assert.equal(walk.inFlight('d'), undefined, 'nothing left in flight');
});

test('a worker that cannot run ends the walk', async () => {
  const sent: string[][] = [];
  const walk = new ImportPrefetch({
    resolve: (_f, s) => s.slice(2),
    importsOf: () => ['z'],
    isLoaded: () => false,
    inWorker: (files) => {
      sent.push(files);
      return Promise.resolve(false);
    },
  });
  await walk.start('root', "import './a';", true);
  assert.deepEqual(sent, [['a']]);
  assert.equal(walk.inFlight('a'), undefined);
});

test('no core to spare: no walk (the event loop loads the imports as before)', async () => {
  const { host, sent } = fakeHost({});
  await new ImportPrefetch(host).start('root', "import './a';", false);
  assert.deepEqual(sent, []);
});

test('LOOP_LENS_IMPORT_WALK decides over the load average', () => {
  assert.equal(coreToSpare('on'), true);
  assert.equal(coreToSpare('off'), false);
});
