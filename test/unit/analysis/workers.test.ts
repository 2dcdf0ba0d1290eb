/**
 * A file started with `new Worker(<form>)` runs in a worker thread: its blocking calls are not
 * reported. Each form names the worker file the way real code does; the same file is reported
 * when the main file only mentions the path without starting a worker.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { check } from './helpers';

const cjsWorker =
  "const fs = require('fs');\nconst { parentPort } = require('worker_threads');\n" +
  "parentPort.on('message', (m) => parentPort.postMessage(fs.readFileSync(m)));\n";
const esmWorker =
  "import fs from 'node:fs';\nimport { parentPort } from 'node:worker_threads';\n" +
  'async function run(m) {\n  return fs.readFileSync(m);\n}\n' +
  "parentPort.on('message', (m) => void run(m));\n";

interface Form {
  title: string;
  main: string;
  imports: string;
  /** The argument to `new Worker`; `decl` goes before it in the same function. */
  arg: string;
  decl?: string;
  worker: string;
}

const cjs = "const { Worker } = require('worker_threads');\nconst path = require('path');\n";
const esm = "import { Worker } from 'node:worker_threads';\nimport * as path from 'node:path';\n";

const forms: Form[] = [
  {
    title: 'a relative string literal',
    main: 'main.js',
    imports: cjs,
    arg: "'./w.js'",
    worker: 'w.js',
  },
  { title: 'a literal without ./', main: 'main.js', imports: cjs, arg: "'w.js'", worker: 'w.js' },
  {
    title: 'path.join(__dirname, x)',
    main: 'main.js',
    imports: cjs,
    arg: "path.join(__dirname, 'w.js')",
    worker: 'w.js',
  },
  {
    title: 'path.resolve(__dirname, x) without extension, ESM node:path',
    main: 'main.ts',
    imports: esm,
    arg: "path.resolve(__dirname, 'w')",
    worker: 'w.mjs',
  },
  {
    title: "join from 'node:path' with a subfolder and ..",
    main: 'src/main.ts',
    imports: "import { Worker } from 'worker_threads';\nimport { join } from 'node:path';\n",
    arg: "join(__dirname, '..', 'workers', 'w.cjs')",
    worker: 'workers/w.cjs',
  },
  {
    title: 'nested path.join',
    main: 'main.js',
    imports:
      "const { Worker } = require('node:worker_threads');\nconst p = require('node:path');\n",
    arg: "p.join(p.join(__dirname, 'workers'), 'w.js')",
    worker: 'workers/w.js',
  },
  {
    title: 'pathToFileURL(path.join(__dirname, x))',
    main: 'main.js',
    imports: cjs + "const { pathToFileURL } = require('node:url');\n",
    arg: "pathToFileURL(path.join(__dirname, './w.js'))",
    worker: 'w.js',
  },
  {
    title: 'url.pathToFileURL(path.resolve(...)).href',
    main: 'main.js',
    imports: cjs + "const url = require('url');\n",
    arg: "url.pathToFileURL(path.resolve(__dirname, 'w.js')).href",
    worker: 'w.js',
  },
  {
    title: 'new URL(x, import.meta.url)',
    main: 'main.mjs',
    imports: esm,
    arg: "new URL('./w.mjs', import.meta.url)",
    worker: 'w.mjs',
  },
  {
    title: 'fileURLToPath(new URL(x, import.meta.url)) to a .ts worker',
    main: 'main.ts',
    imports: esm + "import { fileURLToPath } from 'node:url';\n",
    arg: "fileURLToPath(new URL('./w.js', import.meta.url))",
    worker: 'w.ts',
  },
  {
    title: 'require.resolve(x) without extension',
    main: 'main.js',
    imports: cjs,
    arg: "require.resolve('./w')",
    worker: 'w.js',
  },
  {
    title: 'a const holding pathToFileURL(path.join(...))',
    main: 'main.js',
    imports: cjs + "const { pathToFileURL } = require('node:url');\n",
    decl: "const workerURL = pathToFileURL(path.join(__dirname, './w.js'));",
    arg: 'workerURL',
    worker: 'w.js',
  },
  {
    title: 'path.join on an ESM __dirname built from import.meta.url',
    main: 'main.mjs',
    imports:
      esm +
      "import { fileURLToPath } from 'node:url';\n" +
      'const here = path.dirname(fileURLToPath(import.meta.url));\n',
    decl: "const file = path.join(here, 'w.mjs');",
    arg: 'file',
    worker: 'w.mjs',
  },
];

/** The project: `main` starts (or, with `start` false, only names) the worker in an async function. */
function project(f: Form, start: boolean): Record<string, string> {
  const use = start ? `new Worker(${f.arg})` : `console.log(${f.arg})`;
  const body = `${f.decl ? `  ${f.decl}\n` : ''}  return ${use};\n`;
  const worker = /\.(ts|mjs)$/.test(f.worker) ? esmWorker : cjsWorker;
  return { [f.main]: `${f.imports}export async function f() {\n${body}}\n`, [f.worker]: worker };
}

for (const f of forms) {
  test(`new Worker(${f.title}) marks ${f.worker} as worker code`, () => {
    const started = check(project(f, true));
    assert.deepEqual(started.sites, []);
    const named = check(project(f, false));
    const line = /\.(ts|mjs)$/.test(f.worker) ? 4 : 3;
    assert.deepEqual(named.sites, [`${f.worker}:${line} sync-fs`]);
  });
}

test('a path the syntax cannot pin down leaves the file reported', () => {
  const f: Form = {
    title: 'cwd-relative',
    main: 'main.js',
    imports: cjs,
    arg: "path.join(process.cwd(), 'w.js')",
    worker: 'w.js',
  };
  assert.deepEqual(check(project(f, true)).sites, ['w.js:3 sync-fs']);
});
