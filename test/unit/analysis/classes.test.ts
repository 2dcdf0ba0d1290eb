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
