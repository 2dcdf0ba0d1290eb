/**
 * Class and object members: fields, default-exported classes, object literals, `this` in nested
 * functions, methods as handlers, accessors, and cycles. A receiver whose class is unknown stays
 * silent.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chainText, check } from './helpers';

test('fields: typed property, this.x = new X(), this.fs = fs (CommonJS and ESM JavaScript)', () => {
  const r = check({
    'repo.mjs': [
      "import zlib from 'zlib';",
      'export class Repo {',
      '  pack(b) { return zlib.gzipSync(b); }',
      '  size() { return 0; }',
      '}',
    ].join('\n'),
    'svc.mjs': [
      "import fs from 'node:fs';",
      "import { Repo } from './repo.mjs';",
      'export class Svc {',
      '  constructor() {',
      '    this.repo = null;',
      '    this.repo = new Repo();',
      '    this.fs = fs;',
      '  }',
      '  async a(b) { return this.repo.pack(b); }',
      "  async b() { return this.fs.readFileSync('x'); }",
      '  async c() { return this.repo.size(); }',
      '}',
    ].join('\n'),
    'typed.ts': [
      "import { Repo } from './repo.mjs';",
      'export class T {',
      '  private repo!: Repo;',
      '  async a(b: Buffer) { return this.repo.pack(b); }',
      '}',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['svc.mjs:10 sync-fs', 'svc.mjs:9 sync-zlib', 'typed.ts:4 sync-zlib']);
});

test('default-exported class, module.exports = class, module.exports = new X()', () => {
  const r = check({
    'd.ts':
      "import fs from 'fs';\nexport default class D {\n  read() { return fs.readFileSync('d'); }\n}",
    'c.js':
      "const fs = require('fs');\nmodule.exports = class C {\n  read() { return fs.statSync('c'); }\n};",
    'i.js':
      "const fs = require('fs');\nclass I { read() { return fs.lstatSync('i'); } }\nmodule.exports = new I();",
    'a.ts': [
      "import D from './d';",
      "import C = require('./c');",
      "import inst = require('./i');",
      'export async function h() {',
      '  new D().read();',
      '  new C().read();',
      '  inst.read();',
      '}',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['a.ts:5 sync-fs', 'a.ts:6 sync-fs', 'a.ts:7 sync-fs']);
});

test('object-literal methods and properties, and this inside them', () => {
  const r = check({
    'repo.js': [
      "const fs = require('fs');",
      'const repo = {',
      "  load() { return fs.readFileSync('r'); },",
      '  viaThis() { return this.load(); },',
      "  read: function () { return fs.statSync('s'); },",
      '  ok() { return 1; },',
      '};',
      'async function h() {',
      '  repo.load();',
      '  repo.viaThis();',
      '  repo.read();',
      '  repo.ok();',
      '}',
      'module.exports = { repo, h };',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['repo.js:10 sync-fs', 'repo.js:11 sync-fs', 'repo.js:9 sync-fs']);
});

test('a function expression hides this; an arrow keeps it', () => {
  const r = check({
    'a.js': [
      "const fs = require('fs');",
      'class A {',
      "  read() { return fs.readFileSync('a'); }",
      '  async h() {',
      '    const self = this;',
      '    [1].forEach(function () { this.read(); });',
      '    [1].forEach(() => this.read());',
      '    self.read();',
      '  }',
      '}',
      'module.exports = A;',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['a.js:7 sync-fs', 'a.js:8 sync-fs']);
});

test('async methods are event-loop context; a method passed as a handler is too', () => {
  const r = check({
    'a.js': [
      "const fs = require('fs');",
      "const express = require('express');",
      'class Routes {',
      '  constructor(app) {',
      "    app.get('/', this.index);",
      '    Promise.resolve().then(this.later);',
      '  }',
      "  index(req, res) { res.send(fs.readFileSync('i.html')); }",
      "  later() { fs.statSync('x'); }",
      "  sync() { fs.statSync('y'); }",
      '}',
      'module.exports = { Routes, app: express() };',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['a.js:8 sync-fs', 'a.js:9 sync-fs']);
});

test('self-referencing objects and classes terminate', () => {
  const r = check({
    'a.js': [
      "const fs = require('fs');",
      'const a = { b: a.b, c: a.d, d: a.c };',
      'const o = { m() { return this.n(); }, n() { return this.m(); }, p: o.p };',
      'class K extends K { x() { return super.x(); } }',
      'class L { constructor() { this.l = this.l || new L(); } y() { return this.l.y(); } }',
      'async function h() {',
      '  a.b(); a.c(); o.m(); o.p(); new K().x(); new L().y();',
      "  fs.statSync('still found');",
      '}',
      'module.exports = h;',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['a.js:8 sync-fs']);
  assert.deepEqual(r.notes, []);
});

test('a field named fs holds the fs module when nothing else tells (Next.js file-system cache)', () => {
  const r = check({
    'file-system-cache.js': [
      '"use strict";',
      'class FileSystemCache {',
      '    constructor(ctx){',
      '        this.fs = ctx.fs;',
      '        this.store = ctx.store;',
      '    }',
      '    loadTagsManifest() {',
      '        return JSON.parse(this.fs.readFileSync(this.tagsManifestPath, "utf8"));',
      '    }',
      '    async get(key) {',
      '        this.loadTagsManifest();',
      '        this.store.readFileSync(key);',
      '        return this.fs.existsSync(key);',
      '    }',
      '}',
      'exports.default = FileSystemCache;',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['file-system-cache.js:11 sync-fs', 'file-system-cache.js:13 sync-fs']);
  assert.equal(
    chainText(r.rel[0]!),
    'FileSystemCache.loadTagsManifest (file-system-cache.js:11) → fs.readFileSync (file-system-cache.js:8)',
  );
});

test('getters and setters: a property read or write runs the accessor (same file and across files)', () => {
  const r = check({
    'config.ts': [
      "import * as fs from 'fs';",
      'export class Config {',
      "  get raw() { return fs.readFileSync('config.json', 'utf8'); }",
      "  set path(p: string) { fs.writeFileSync('last', p); }",
      '  get name() { return "x"; }',
      '  port = 1;',
      '}',
    ].join('\n'),
    'svc.ts': [
      "import { Config } from './config';",
      'export class Svc {',
      '  constructor(private config: Config) {}',
      '  async a() { return this.config.raw.length; }',
      "  async b() { this.config.path = 'p'; }",
      '  async fine() { return this.config.name + this.config.port; }',
      '}',
    ].join('\n'),
    'obj.js': [
      "const fs = require('fs');",
      "const settings = { get data() { return fs.readFileSync('s'); }, plain: 1 };",
      'async function h() { return [settings.data, settings.plain]; }',
      'module.exports = h;',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['obj.js:3 sync-fs', 'svc.ts:4 sync-fs', 'svc.ts:5 sync-fs']);
  const a = r.rel.find((f) => f.file === 'svc.ts' && f.line === 4)!;
  assert.match(a.message, /^reading this\.config\.raw blocks the event loop in async Svc\.a/);
  assert.equal(chainText(a), 'Config.raw (svc.ts:4) → fs.readFileSync (config.ts:3)');
  const b = r.rel.find((f) => f.file === 'svc.ts' && f.line === 5)!;
  assert.match(b.message, /^setting this\.config\.path blocks/);
});

test('bind, call and apply: a bound method as a handler, f.call(this) and imported f.apply', () => {
  const r = check({
    'lib.js':
      "const fs = require('fs');\nexports.load = function load() { return fs.readFileSync('l'); };",
    'a.js': [
      "const fs = require('fs');",
      "const { load } = require('./lib');",
      'class Routes {',
      '  constructor(app) {',
      "    app.get('/', this.index.bind(this));",
      '  }',
      "  index(req, res) { res.send(fs.readFileSync('i.html')); }",
      "  read() { return fs.statSync('x'); }",
      '  async h() {',
      '    this.read.call(this);',
      '    load.apply(null, []);',
      '    this.read.bind(this);',
      '  }',
      '}',
      'module.exports = Routes;',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['a.js:10 sync-fs', 'a.js:11 sync-fs', 'a.js:7 sync-fs']);
});
