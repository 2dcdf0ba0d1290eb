/**
 * "Run in a worker thread" for real: each fixture runs once as written and once rewritten (and,
 * for TypeScript, compiled with tsc). Same result; while the job runs, the original holds the
 * event loop (a 1 ms timer never fires) and the rewrite leaves it free (the timer fires).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  applyOffload,
  compile,
  runHandler,
  transpile,
  writeProject,
  tsText,
  type OffloadCase,
} from './offloadHarness';

const cjsText = [
  "const { pbkdf2Sync } = require('node:crypto');",
  '',
  'function hashPassword(password, salt, rounds) {',
  "  return pbkdf2Sync(password, salt, rounds, 64, 'sha512').toString('hex');",
  '}',
  '',
  'async function handler(password) {',
  "  return 'h:' + hashPassword(password, 'pepper', 150000).slice(0, 16);",
  '}',
  '',
  'module.exports = { handler };',
  '',
].join('\n');

const esmJsText = cjsText
  .replace(
    "const { pbkdf2Sync } = require('node:crypto');",
    "import { pbkdf2Sync } from 'node:crypto';",
  )
  .replace('async function handler', 'export async function handler')
  .replace('module.exports = { handler };\n', '');

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
  for (const c of cases) {
    test(c.name, () => {
      const dir = writeProject(c);
      try {
        const isTs = c.file.endsWith('.ts');
        const before = runHandler(
          join(isTs ? transpile(dir, c) : dir, c.main.replace(/^out\//, '')),
          'secret',
        );
        assert.equal(before.ticks, 0, 'as written, the job holds the event loop');
        applyOffload(dir, c);
        const main = join(isTs ? compile(dir, c) : dir, c.main.replace(/^out\//, ''));
        const after = runHandler(main, 'secret');
        assert.deepEqual(after.result, before.result, 'the worker computes the same result');
        assert.ok(
          after.ticks >= 2 && after.samples >= 2,
          `another timer fired ${after.ticks} times during the job (loop delay max ${after.maxDelayMs.toFixed(1)} ms)`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
