/**
 * Method calls resolved to their definitions: through `this`, fields, static methods, instances,
 * typed parameters, inheritance and object literals, across files, in TypeScript and plain
 * JavaScript (ESM and CommonJS). A method of the same name on another class, or a call on a
 * receiver whose class is unknown, is not reported.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chainText, check } from './helpers';

const usersServiceTs = [
  "import * as fs from 'fs';",
  'export class UsersService {',
  "  findAll() { return JSON.parse(fs.readFileSync('users.json', 'utf8')); }",
  "  static loadSeed() { return fs.readFileSync('seed.json', 'utf8'); }",
  '  count() { return 1; }',
  '}',
].join('\n');

test('the NestJS-style controller: field from a parameter property, static, local instance', () => {
  const r = check({
    'users.service.ts': usersServiceTs,
    'users.controller.ts': [
      "import { UsersService } from './users.service';",
      'export class UsersController {',
      '  constructor(private readonly users: UsersService) {}',
      '  async list() { return this.users.findAll(); }',
      '  async seed() { return UsersService.loadSeed(); }',
      '  async local() { const s = new UsersService(); return s.findAll(); }',
      '  async fine() { return this.users.count(); }',
      '}',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, [
    'users.controller.ts:4 sync-fs',
    'users.controller.ts:5 sync-fs',
    'users.controller.ts:6 sync-fs',
  ]);
  const [list, seed, local] = r.rel.sort((a, b) => a.line - b.line);
  assert.equal(
    chainText(list!),
    'UsersService.findAll (users.controller.ts:4) → fs.readFileSync (users.service.ts:3)',
  );
  assert.match(
    list!.message,
    /^this\.users\.findAll\(\) blocks the event loop in async UsersController\.list: .* via UsersService\.findAll → fs\.readFileSync/,
  );
  assert.equal(
    chainText(seed!),
    'UsersService.loadSeed (users.controller.ts:5) → fs.readFileSync (users.service.ts:4)',
  );
  assert.match(chainText(local!), /^UsersService\.findAll \(users\.controller\.ts:6\)/);
});

test('a same-named method on a class that does not block is not reported', () => {
  const r = check({
    'users.service.ts': usersServiceTs,
    'cache.ts':
      'export class Cache {\n  findAll() { return []; }\n  static loadSeed() { return ""; }\n}',
    'a.ts': [
      "import { Cache } from './cache';",
      'export class A {',
      '  constructor(private cache: Cache, private other: { findAll(): unknown }) {}',
      '  async x() { return this.cache.findAll(); }',
      '  async y() { return Cache.loadSeed(); }',
      '  async z() { return new Cache().findAll(); }',
      '  async w() { return this.other.findAll(); }',
      '}',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, []);
});

test('a receiver whose class is unknown is not reported', () => {
  const r = check({
    'users.service.ts': usersServiceTs,
    'a.ts': [
      "import './users.service';",
      'export async function h(svc: any, repo: IRepo) {',
      '  await svc.findAll();',
      '  return repo.findAll();',
      '}',
      'interface IRepo { findAll(): unknown }',
    ].join('\n'),
    'b.js': [
      'class Ctl {',
      '  constructor(users) { this.users = users; }',
      '  async list() { return this.users.findAll(); }',
      '}',
      'module.exports = Ctl;',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, []);
});

test('this.m() inherited from a base class in another file, and super.m()', () => {
  const r = check({
    'base.ts': [
      "import { execSync } from 'child_process';",
      'export class Base {',
      "  protected git() { return execSync('git status'); }",
      "  run() { return 'ok'; }",
      '}',
    ].join('\n'),
    'mid.ts': "import { Base } from './base';\nexport class Mid extends Base {}",
    'child.ts': [
      "import { Mid } from './mid';",
      'export class Child extends Mid {',
      '  async status() { return this.git(); }',
      '  async fine() { return this.run(); }',
      '  git() { return super.git(); }',
      '}',
    ].join('\n'),
  });
  // `this.git()` is Child.git (an override) which reaches Base.git through super.
  assert.deepEqual(r.sites, ['child.ts:3 sync-child-process']);
  assert.equal(
    chainText(r.rel[0]!),
    'Child.git (child.ts:3) → Base.git (child.ts:5) → child_process.execSync (base.ts:3)',
  );
});

test('inherited method across files without an override', () => {
  const r = check({
    'base.js': [
      "const fs = require('fs');",
      'class Store {',
      "  load() { return fs.readFileSync('db.json'); }",
      '}',
      'module.exports = { Store };',
    ].join('\n'),
    'users.js': [
      "const { Store } = require('./base');",
      'class Users extends Store {',
      '  async all() { return this.load(); }',
      '}',
      'module.exports = Users;',
    ].join('\n'),
    'app.js': [
      "const Users = require('./users');",
      'async function h() { return new Users().load(); }',
      'module.exports = h;',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['app.js:2 sync-fs', 'users.js:3 sync-fs']);
  assert.match(chainText(r.rel.find((f) => f.file === 'app.js')!), /^Store\.load \(app\.js:2\)/);
});

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

test('a typed parameter and a module-level instance used from other files', () => {
  const r = check({
    'users.service.ts': usersServiceTs + '\nexport const users = new UsersService();',
    'instance.js':
      "const { UsersService } = require('./users.service');\nexports.svc = new UsersService();",
    'a.ts': [
      "import { UsersService, users } from './users.service';",
      "import { svc } from './instance';",
      'export const h = async (s: UsersService) => s.findAll();',
      'export async function g() { return users.findAll(); }',
      'export async function k() { return svc.findAll(); }',
      'export async function fine() { return users.count(); }',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['a.ts:3 sync-fs', 'a.ts:4 sync-fs', 'a.ts:5 sync-fs']);
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

test('a type-only import types a parameter and a field', () => {
  const r = check({
    'users.service.ts': usersServiceTs,
    'a.ts': [
      "import type { UsersService } from './users.service';",
      "import { type UsersService as U } from './users.service';",
      'export const h = async (s: UsersService) => s.findAll();',
      'export class C {',
      '  constructor(private u: U) {}',
      '  async k() { return this.u.findAll(); }',
      '}',
    ].join('\n'),
  });
  assert.deepEqual(r.sites, ['a.ts:3 sync-fs', 'a.ts:6 sync-fs']);
});
