/** Blocking reached through the project's own sync helpers, across files, in ESM and CommonJS. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chainText, check } from './helpers';

test('ESM: async serve → render → loadTemplate → fs.readFileSync across two files', () => {
  const r = check({
    'server.ts': [
      "import { render } from './render';",
      'export async function serve(name: string) {',
      '  return render(name);',
      '}',
    ].join('\n'),
    'render.ts': [
      "import { loadTemplate } from './tpl.js';",
      'export function render(name: string) {',
      '  return loadTemplate(name).toUpperCase();',
      '}',
    ].join('\n'),
    'tpl.ts': [
      "import { readFileSync } from 'node:fs';",
      '',
      'export function loadTemplate(name: string) {',
      '  // read per request',
      '  return readFileSync(`/tpl/${name}`, "utf8");',
      '}',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['server.ts:3 sync-fs']);
  const f = r.rel[0]!;
  assert.equal(
    chainText(f),
    'render (server.ts:3) → loadTemplate (render.ts:3) → fs.readFileSync (tpl.ts:5)',
  );
  assert.equal(f.api, 'fs.readFileSync');
  assert.match(
    f.message,
    /^render\(\) blocks the event loop in async serve: it reaches fs\.readFileSync \(tpl\.ts:5\)/,
  );
});

test('CommonJS: module.exports object, exports.x, module.exports = fn, destructured require', () => {
  const r = check({
    'app.js': [
      "const express = require('express');",
      "const hash = require('./hash');",
      "const { readConfig } = require('./config');",
      "const legacy = require('./legacy');",
      'const app = express();',
      "app.post('/login', (req, res) => {",
      '  res.json({ h: hash.hashPassword(req.body.pw), c: readConfig(), l: legacy() });',
      '});',
    ].join('\n'),
    'hash.js': [
      "const crypto = require('crypto');",
      'function hashPassword(pw) {',
      "  return crypto.pbkdf2Sync(pw, 'salt', 100000, 64, 'sha512');",
      '}',
      'module.exports = { hashPassword };',
    ].join('\n'),
    'config.js': [
      "const fs = require('fs');",
      "exports.readConfig = () => JSON.parse(fs.readFileSync('c.json', 'utf8'));",
    ].join('\n'),
    'legacy.js': [
      "const cp = require('child_process');",
      "module.exports = function legacy() { return cp.execSync('ls'); };",
    ].join('\n'),
  });
  assert.deepEqual(r.sites, [
    'app.js:7 sync-child-process',
    'app.js:7 sync-crypto',
    'app.js:7 sync-fs',
  ]);
  const byRule = Object.fromEntries(r.rel.map((f) => [f.rule, chainText(f)]));
  assert.equal(
    byRule['sync-crypto'],
    'hash.hashPassword (app.js:7) → crypto.pbkdf2Sync (hash.js:3)',
  );
  assert.equal(byRule['sync-fs'], 'readConfig (app.js:7) → fs.readFileSync (config.js:2)');
  assert.equal(
    byRule['sync-child-process'],
    'legacy (app.js:7) → child_process.execSync (legacy.js:2)',
  );
});

test('ESM: default export, namespace import, re-export, export * and renamed export', () => {
  const r = check({
    'main.ts': [
      "import load from './load';",
      "import * as util from './util';",
      "import { zip } from './index';",
      'export async function main() {',
      '  load();',
      '  util.save();',
      '  zip();',
      '}',
    ].join('\n'),
    'load.ts': "import fs from 'fs';\nexport default function () { return fs.readFileSync('a'); }",
    'util.ts':
      "import fs from 'fs';\nfunction writeIt() { fs.writeFileSync('a', ''); }\nexport { writeIt as save };",
    'index.ts': "export * from './deep/zip';",
    'deep/zip.ts': "import zlib from 'zlib';\nexport const zip = () => zlib.gzipSync('x');",
  });
  assert.deepEqual(r.sites, ['main.ts:5 sync-fs', 'main.ts:6 sync-fs', 'main.ts:7 sync-zlib']);
  assert.equal(
    chainText(r.rel.find((f) => f.line === 7)!),
    'zip (main.ts:7) → zlib.gzipSync (deep/zip.ts:2)',
  );
});

test('any depth of helpers in one file, the chain lists every call', () => {
  const r = check({
    'a.ts': [
      "import fs from 'fs';",
      'function d() { return fs.statSync("x"); }',
      'function c() { return d(); }',
      'function b() { return c(); }',
      'export async function a() {',
      '  return b();',
      '}',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['a.ts:6 sync-fs']);
  assert.equal(chainText(r.rel[0]!), 'b (a.ts:6) → c (a.ts:4) → d (a.ts:3) → fs.statSync (a.ts:2)');
});

test('await on a sync function does not make it async', () => {
  const r = check({
    'a.ts':
      "import fs from 'fs';\nfunction load() { return fs.readFileSync('x'); }\nexport async function h() {\n  return await load();\n}",
  });
  assert.deepEqual(r.sites, ['a.ts:4 sync-fs']);
});

test('calling an async helper is not a finding at the call site (the helper reports itself)', () => {
  const r = check({
    'a.ts':
      "import fs from 'fs';\nasync function load() {\n  return fs.readFileSync('x');\n}\nexport async function h() {\n  return load();\n}",
  });
  assert.deepEqual(r.sites, ['a.ts:3 sync-fs']);
});

test('recursion and cycles terminate and still find the blocking call', () => {
  const r = check({
    'a.ts': [
      "import fs from 'fs';",
      "import { odd } from './b';",
      'export function even(n: number): boolean { return n === 0 ? fs.existsSync("x") : odd(n - 1); }',
      'function self(n: number): number { return n ? self(n - 1) : 0; }',
      'export async function h() {',
      '  self(3);',
      '  return odd(5);',
      '}',
    ].join('\n'),
    'b.ts':
      "import { even } from './a';\nexport function odd(n: number): boolean { return n === 0 ? false : even(n - 1); }",
  });
  assert.deepEqual(r.sites, ['a.ts:7 sync-fs']);
  assert.equal(chainText(r.rel[0]!), 'odd (a.ts:7) → even (b.ts:2) → fs.existsSync (a.ts:3)');
});

test('a blocking helper passed as a callback in event-loop context', () => {
  const r = check({
    'a.ts': [
      "import fs from 'fs';",
      "import express from 'express';",
      'function sendIndex(req: any, res: any) { res.send(fs.readFileSync("index.html")); }',
      'function loadOne(f: string) { return fs.readFileSync(f); }',
      'function tick() { fs.statSync("x"); }',
      'const app = express();',
      "app.get('/', sendIndex);",
      'setInterval(tick, 1000);',
      'export async function all(files: string[]) {',
      '  return files.map(loadOne);',
      '}',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['a.ts:10 sync-fs', 'a.ts:3 sync-fs', 'a.ts:5 sync-fs']);
  assert.match(r.rel.find((f) => f.line === 3)!.message, /app\.get handler/);
});

test('an imported handler registered as a route is an event-loop context in its own file', () => {
  const r = check({
    'routes.js':
      "const fs = require('fs');\nexports.index = function (req, res) {\n  res.end(fs.readFileSync('i.html'));\n};",
    'app.js':
      "const http = require('http');\nconst { index } = require('./routes');\nhttp.createServer(index).listen(0);",
  });
  assert.deepEqual(r.sites, ['routes.js:3 sync-fs']);
});

test('class methods through this.method()', () => {
  const r = check({
    'a.ts': [
      "import fs from 'fs';",
      'export class Store {',
      '  private read() { return fs.readFileSync("db.json", "utf8"); }',
      '  async get() {',
      '    return JSON.parse(this.read());',
      '  }',
      '}',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['a.ts:5 sync-fs']);
  assert.equal(chainText(r.rel[0]!), 'Store.read (a.ts:5) → fs.readFileSync (a.ts:3)');
});

test('a sync callback run in place inside a helper counts for the helper', () => {
  const r = check({
    'a.ts': [
      "import fs from 'fs';",
      'function loadAll(files: string[]) {',
      '  return files.map((f) => fs.readFileSync(f));',
      '}',
      'export async function h(files: string[]) {',
      '  return loadAll(files);',
      '}',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['a.ts:6 sync-fs']);
  assert.equal(chainText(r.rel[0]!), 'loadAll (a.ts:6) → fs.readFileSync (a.ts:3)');
});

test('followCalls: false reports only direct calls', () => {
  const files = {
    'a.ts':
      "import fs from 'fs';\nfunction load() { return fs.readFileSync('x'); }\nexport async function h() {\n  load();\n  fs.statSync('y');\n}",
  };
  assert.deepEqual(check(files).sites, ['a.ts:4 sync-fs', 'a.ts:5 sync-fs']);
  assert.deepEqual(check(files, { followCalls: false }).sites, ['a.ts:5 sync-fs']);
});

test('an exported alias of a blocking API is blocking for importers', () => {
  const r = check({
    'io.js': "const fs = require('fs');\nexports.read = fs.readFileSync;",
    'a.js':
      "const { read } = require('./io');\nasync function h() {\n  return read('x');\n}\nmodule.exports = h;",
  });
  assert.deepEqual(r.sites, ['a.js:3 sync-fs']);
});
