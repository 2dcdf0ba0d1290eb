/** Which code runs on the event loop: async code and callbacks yes; start-up and workers no. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { check, checkOne } from './helpers';

const head = "import fs from 'fs';\n";
/** `head` + `code`; the blocking call is on the line marked `// HERE`. */
function sitesOf(
  code: string,
  name = 'a.ts',
): { sites: string[]; want: string[]; message: string } {
  const text = head + code;
  const lines = text.split('\n');
  const want = lines.flatMap((l, i) => (l.includes('// HERE') ? [`${name}:${i + 1} sync-fs`] : []));
  const r = checkOne(text, name);
  return { sites: r.sites, want, message: r.findings[0]?.message ?? '' };
}

const contexts: [string, string, RegExp][] = [
  ['async function', "async function f() {\n  fs.readFileSync('x'); // HERE\n}", /in async f/],
  ['async arrow', "const f = async () => {\n  fs.readFileSync('x'); // HERE\n};", /in async f/],
  [
    'async method',
    "class S {\n  async handle() {\n    fs.readFileSync('x'); // HERE\n  }\n}",
    /in async S\.handle/,
  ],
  [
    'async object method',
    "export const api = {\n  async load() {\n    fs.readFileSync('x'); // HERE\n  },\n};",
    /async load/,
  ],
  ['async generator', "async function* g() {\n  yield fs.readFileSync('x'); // HERE\n}", /async g/],
  [
    'setTimeout callback',
    "setTimeout(() => {\n  fs.readFileSync('x'); // HERE\n}, 10);",
    /setTimeout callback/,
  ],
  [
    'setInterval callback',
    "setInterval(function tick() {\n  fs.statSync('x'); // HERE\n}, 10);",
    /setInterval callback/,
  ],
  ['setImmediate callback', "setImmediate(() => fs.readFileSync('x')); // HERE", /setImmediate/],
  [
    'process.nextTick callback',
    "process.nextTick(() => fs.readFileSync('x')); // HERE",
    /process\.nextTick/,
  ],
  [
    'queueMicrotask callback',
    "queueMicrotask(() => fs.readFileSync('x')); // HERE",
    /queueMicrotask/,
  ],
  [
    'then callback',
    "Promise.resolve().then(() => fs.readFileSync('x')); // HERE",
    /\.then callback/,
  ],
  ['catch callback', "Promise.resolve().catch(() => fs.readFileSync('x')); // HERE", /\.catch/],
  [
    'finally callback',
    "Promise.resolve().finally(() => fs.readFileSync('x')); // HERE",
    /\.finally/,
  ],
  [
    'emitter.on',
    "process.on('message', () => {\n  fs.readFileSync('x'); // HERE\n});",
    /'message' handler/,
  ],
  [
    'emitter.once',
    "process.once('SIGUSR2', () => fs.readFileSync('x')); // HERE",
    /'SIGUSR2' handler/,
  ],
  ['addListener', "process.addListener('message', () => fs.readFileSync('x')); // HERE", /handler/],
  [
    'prependListener',
    "process.prependListener('message', () => fs.readFileSync('x')); // HERE",
    /handler/,
  ],
  [
    'http.createServer',
    "import http from 'http';\nhttp.createServer((req, res) => {\n  res.end(fs.readFileSync('x')); // HERE\n}).listen(0);",
    /request handler/,
  ],
  [
    'net.createServer',
    "import net from 'net';\nnet.createServer((sock) => sock.end(fs.readFileSync('x'))).listen(0); // HERE",
    /request handler/,
  ],
  [
    'Express route',
    "import express from 'express';\nconst app = express();\napp.get('/a', (req, res) => {\n  res.send(fs.readFileSync('x')); // HERE\n});",
    /app\.get handler/,
  ],
  [
    'Express middleware',
    "import express from 'express';\nconst app = express();\napp.use((req, res, next) => {\n  fs.statSync('x'); // HERE\n  next();\n});",
    /app\.use handler/,
  ],
  [
    'Express router.post',
    "import { Router } from 'express';\nconst router = Router();\nrouter.post('/a', function save(req, res) {\n  fs.writeFileSync('x', req.body); // HERE\n});",
    /router\.post handler/,
  ],
  [
    'router.route().get',
    "import { Router } from 'express';\nconst r = Router();\nr.route('/a').get((req, res) => {\n  fs.statSync('x'); // HERE\n});",
    /handler/,
  ],
  [
    'Koa middleware',
    "import Koa from 'koa';\nconst app = new Koa();\napp.use((ctx) => {\n  ctx.body = fs.readFileSync('x'); // HERE\n});",
    /app\.use handler/,
  ],
  [
    'Fastify route shorthand',
    "import Fastify from 'fastify';\nconst f = Fastify();\nf.get('/a', (req, reply) => {\n  reply.send(fs.readFileSync('x')); // HERE\n});",
    /f\.get handler/,
  ],
  [
    'Fastify route options',
    "import Fastify from 'fastify';\nconst f = Fastify();\nf.route({ method: 'GET', url: '/', handler: (req, reply) => {\n  reply.send(fs.readFileSync('x')); // HERE\n} });",
    /handler/,
  ],
  [
    'Fastify hook',
    "import Fastify from 'fastify';\nconst f = Fastify();\nf.addHook('onRequest', (req, reply, done) => {\n  fs.statSync('x'); // HERE\n  done();\n});",
    /handler/,
  ],
  [
    'callback of an async Node API',
    "fs.readFile('a', (err, data) => {\n  fs.writeFileSync('b', data); // HERE\n});",
    /fs\.readFile callback/,
  ],
  [
    'forEach inside an async function',
    'async function f(xs: string[]) {\n  xs.forEach((x) => {\n    fs.readFileSync(x); // HERE\n  });\n}',
    /async f/,
  ],
  [
    'new Promise executor inside async',
    "async function f() {\n  return new Promise((resolve) => {\n    resolve(fs.readFileSync('x')); // HERE\n  });\n}",
    /async f/,
  ],
];
for (const [title, code, ctx] of contexts) {
  test(`context: ${title}`, () => {
    const r = sitesOf(code);
    assert.deepEqual(r.sites, r.want);
    assert.match(r.message, ctx);
  });
}

const notContexts: [string, string][] = [
  ['module top level', "const cfg = fs.readFileSync('config.json');\nexport default cfg;"],
  [
    'a sync function called only from top level',
    "function loadConfig() {\n  return fs.readFileSync('c');\n}\nexport const cfg = loadConfig();",
  ],
  ['a sync function nobody calls', "export function helper() {\n  return fs.readFileSync('c');\n}"],
  ['forEach at top level', "['a', 'b'].forEach((f) => fs.readFileSync(f));"],
  ['a top-level IIFE', "(() => {\n  fs.readFileSync('x');\n})();"],
  [
    'a sync callback to a sync array method at top level',
    "export const all = ['a'].map((f) => fs.readFileSync(f));",
  ],
  [
    'setTimeout that only schedules (the callback is async-safe)',
    "setTimeout(() => fs.promises.readFile('x'), 5);",
  ],
  [
    'code under !isMainThread',
    "import { isMainThread, parentPort } from 'worker_threads';\nif (!isMainThread) {\n  parentPort!.on('message', (m) => parentPort!.postMessage(fs.readFileSync(m)));\n}",
  ],
  [
    'else branch of if (isMainThread)',
    "import { isMainThread } from 'worker_threads';\nif (isMainThread) {\n  console.log('main');\n} else {\n  setTimeout(() => fs.readFileSync('x'), 1);\n}",
  ],
];
for (const [title, code] of notContexts) {
  test(`not an event-loop context: ${title}`, () => {
    assert.deepEqual(sitesOf(code).sites, []);
  });
}

test('a file started with new Worker is worker code: not reported', () => {
  const r = check({
    'main.js':
      "const { Worker } = require('worker_threads');\nconst path = require('path');\nnew Worker(path.join(__dirname, 'hash-worker.js'));\nnew Worker('./other.js');\n",
    'hash-worker.js':
      "const { parentPort } = require('worker_threads');\nconst crypto = require('crypto');\nparentPort.on('message', (pw) => parentPort.postMessage(crypto.pbkdf2Sync(pw, 's', 1e5, 64, 'sha512')));\n",
    'other.js': "const fs = require('fs');\nsetTimeout(() => fs.readFileSync('x'), 1);\n",
    'not-a-worker.js': "const fs = require('fs');\nsetTimeout(() => fs.readFileSync('x'), 1);\n",
  });
  assert.deepEqual(r.sites, ['not-a-worker.js:2 sync-fs']);
});

test('new Worker(new URL(..., import.meta.url)) marks the worker file', () => {
  const r = check({
    'main.mjs':
      "import { Worker } from 'node:worker_threads';\nnew Worker(new URL('./w.mjs', import.meta.url));\n",
    'w.mjs': "import fs from 'fs';\nprocess.on('message', () => fs.readFileSync('x'));\n",
  });
  assert.deepEqual(r.sites, []);
});
