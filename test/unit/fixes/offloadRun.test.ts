/**
 * "Run in a worker thread" for real: each fixture runs once as written and once rewritten (and,
 * for TypeScript, compiled with tsc). Same result; while the job runs, the original holds the
 * event loop (a 1 ms timer never fires) and the rewrite leaves it free (the timer fires, and the
 * longest event-loop delay is shorter than the original's, both measured in the same test).
 * Forms: a function declaration here; arrows, function expressions, methods and imported
 * helpers in offloadForms.ts.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  applyOffload,
  compile,
  longestDelays,
  runHandler,
  transpile,
  writeProject,
  tsText,
  type OffloadCase,
} from './offloadHarness';
import { cjsText, esmJsText, formCases } from './offloadForms';

const cases: (OffloadCase & { name: string; main: string })[] = [
  {
    name: 'TypeScript, ESM (node16), Piscina',
    file: 'a.ts',
    text: tsText,
    type: 'module',
    tsModule: 'node16',
    options: { library: 'piscina', moduleKind: 'esm' },
    callee: 'hashPassword',
    main: 'out/a.js',
  },
  {
    name: 'TypeScript, CommonJS, worker_threads',
    file: 'a.ts',
    text: tsText,
    type: 'commonjs',
    tsModule: 'commonjs',
    options: { library: 'worker_threads', moduleKind: 'cjs' },
    callee: 'hashPassword',
    main: 'out/a.js',
  },
  {
    name: 'TypeScript, CommonJS, Piscina',
    file: 'a.ts',
    text: tsText,
    type: 'commonjs',
    tsModule: 'commonjs',
    options: { library: 'piscina', moduleKind: 'cjs' },
    callee: 'hashPassword',
    main: 'out/a.js',
  },
  {
    name: 'JavaScript, CommonJS, Piscina',
    file: 'a.js',
    text: cjsText,
    type: 'commonjs',
    options: { library: 'piscina', moduleKind: 'cjs' },
    callee: 'hashPassword',
    main: 'a.js',
  },
  {
    name: 'JavaScript, ESM (.mjs), worker_threads',
    file: 'a.mjs',
    text: esmJsText,
    type: 'commonjs',
    options: { library: 'worker_threads', moduleKind: 'cjs' },
    callee: 'hashPassword',
    main: 'a.mjs',
  },
];

describe('offload to a worker thread, run for real', () => {
  for (const c of [...cases, ...formCases]) {
    test(c.name, (t) => {
      const dir = writeProject(c);
      try {
        const isTs = c.file.endsWith('.ts');
        const mainName = c.main.replace(/^out\//, '');
        const asWritten = join(transpile(dir, c), mainName);
        const before = runHandler(asWritten, 'secret');
        assert.equal(before.ticks, 0, 'as written, the job holds the event loop');
        applyOffload(dir, c);
        const main = join(isTs ? compile(dir, c) : dir, mainName);
        const after = runHandler(main, 'secret');
        assert.deepEqual(after.result, before.result, 'the worker computes the same result');
        assert.ok(
          after.ticks >= 2 && after.samples >= 2,
          `another timer fired ${after.ticks} times during the job (loop delay max ${after.maxDelayMs.toFixed(1)} ms)`,
        );
        const { written, offloaded, shown } = longestDelays(asWritten, main, before, after);
        t.diagnostic(
          `longest loop delay as written vs offloaded (ms): ${shown}; timer ticks during the job ${before.ticks} vs ${after.ticks}`,
        );
        assert.ok(offloaded < written, `longest loop delay as written vs offloaded (ms): ${shown}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
