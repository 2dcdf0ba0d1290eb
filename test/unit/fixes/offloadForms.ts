/**
 * Fixture projects for the forms "Run in a worker thread" handles besides a plain function
 * declaration: a function or arrow bound to a `const`, a method that uses neither `this` nor
 * `super`, and a helper imported from another module of the workspace. Each in TypeScript and
 * JavaScript, ESM and CommonJS; each handler hashes a password with the same slow pbkdf2.
 */
import { tsText, type OffloadCase } from './offloadHarness';

const pbkdf2 = "pbkdf2Sync(password, salt, rounds, 64, 'sha512').toString('hex')";

/** JavaScript, CommonJS: a function declaration (the first form the fix handled). */
export const cjsText = [
  "const { pbkdf2Sync } = require('node:crypto');",
  '',
  'function hashPassword(password, salt, rounds) {',
  `  return ${pbkdf2};`,
  '}',
  '',
  'async function handler(password) {',
  "  return 'h:' + hashPassword(password, 'pepper', 150000).slice(0, 16);",
  '}',
  '',
  'module.exports = { handler };',
  '',
].join('\n');

/** The same in JavaScript, ESM. */
export const esmJsText = cjsText
  .replace(
    "const { pbkdf2Sync } = require('node:crypto');",
    "import { pbkdf2Sync } from 'node:crypto';",
  )
  .replace('async function handler', 'export async function handler')
  .replace('module.exports = { handler };\n', '');

const lines = (text: string): string[] => text.split('\n');
/** `tsText` as lines: import, blank, doc, function (3 lines), blank, handler (4 lines), end. */
const ts = lines(tsText);
/** `cjsText` as lines: require, blank, function (3 lines), blank, handler (3), blank, exports. */
const cjs = lines(cjsText);

/** TypeScript, ESM: an exported, expression-bodied arrow (the file re-exports it). */
export const arrowTs = [
  ...ts.slice(0, 3),
  'export const hashPassword = (password: string, salt: string, rounds: number): string =>',
  `  ${pbkdf2};`,
  ...ts.slice(6),
].join('\n');

/** JavaScript, CommonJS: a function expression bound to a `const`. */
export const functionExpressionCjs = [
  ...cjs.slice(0, 2),
  'const hashPassword = function (password, salt, rounds) {',
  cjs[3],
  '};',
  ...cjs.slice(5),
].join('\n');

/** TypeScript, CommonJS: `this.digest(…)` from an async method; `digest` never uses `this`. */
export const methodTs = [
  "import { pbkdf2Sync } from 'node:crypto';",
  '',
  'class LoginService {',
  '  constructor(private readonly salt: string) {}',
  '',
  '  async login(password: string): Promise<string> {',
  '    const hash = this.digest(password, this.salt, 150000);',
  '    return hash.slice(0, 16);',
  '  }',
  '',
  '  /** A slow, salted hash. */',
  '  private digest(password: string, salt: string, rounds: number): string {',
  `    return ${pbkdf2};`,
  '  }',
  '}',
  '',
  'export async function handler(password: string): Promise<string> {',
  "  return new LoginService('pepper').login(password);",
  '}',
  '',
].join('\n');

/** JavaScript, ESM: a static method called through its class. */
export const staticMethodEsm = [
  "import { pbkdf2Sync } from 'node:crypto';",
  '',
  'class Passwords {',
  '  static hash(password, salt, rounds) {',
  `    return ${pbkdf2};`,
  '  }',
  '}',
  '',
  'export async function handler(password) {',
  "  return 'h:' + Passwords.hash(password, 'pepper', 150000).slice(0, 16);",
  '}',
  '',
].join('\n');

/** TypeScript, ESM: the helper lives in ./passwords.ts, which only declares things. */
export const importedTs = {
  main: [
    "import { hashPassword, SALT } from './passwords.js';",
    '',
    ...ts.slice(7).map((l) => l.replace("'pepper'", 'SALT')),
  ].join('\n'),
  helper: [
    ts[0],
    '',
    "export const SALT = 'pepper';",
    'const KEY_LENGTH = 64;',
    '',
    ts[2],
    `export ${ts[3]}`,
    ts[4]!.replace('64', 'KEY_LENGTH'),
    ts[5],
    '',
  ].join('\n'),
};

/** JavaScript, CommonJS: the helper lives in ./passwords.js (`module.exports = { … }`). */
export const importedCjs = {
  main: ["const { hashPassword } = require('./passwords');", ...cjs.slice(5)].join('\n'),
  helper: ["'use strict';", ...cjs.slice(0, 6), 'module.exports = { hashPassword };', ''].join(
    '\n',
  ),
};

/** The forms as run cases: each is rewritten, compiled (TypeScript) and run. */
export const formCases: (OffloadCase & { name: string; main: string })[] = [
  {
    name: 'exported arrow, TypeScript, ESM (node16), worker_threads',
    file: 'a.ts',
    text: arrowTs,
    type: 'module',
    tsModule: 'node16',
    options: { library: 'worker_threads', moduleKind: 'esm' },
    callee: 'hashPassword',
    main: 'out/a.js',
  },
  {
    name: 'function expression, JavaScript, CommonJS, worker_threads',
    file: 'a.js',
    text: functionExpressionCjs,
    type: 'commonjs',
    options: { library: 'worker_threads', moduleKind: 'cjs' },
    callee: 'hashPassword',
    main: 'a.js',
  },
  {
    name: 'method called on this, TypeScript, CommonJS, Piscina',
    file: 'a.ts',
    text: methodTs,
    type: 'commonjs',
    tsModule: 'commonjs',
    options: { library: 'piscina', moduleKind: 'cjs' },
    callee: 'LoginService.digest',
    main: 'out/a.js',
  },
  {
    name: 'static method, JavaScript, ESM, Piscina',
    file: 'a.js',
    text: staticMethodEsm,
    type: 'module',
    options: { library: 'piscina', moduleKind: 'esm' },
    callee: 'Passwords.hash',
    main: 'a.js',
  },
  {
    name: 'imported helper, TypeScript, ESM (node16), Piscina',
    file: 'a.ts',
    text: importedTs.main,
    extra: { 'passwords.ts': importedTs.helper },
    type: 'module',
    tsModule: 'node16',
    options: { library: 'piscina', moduleKind: 'esm' },
    callee: 'hashPassword',
    main: 'out/a.js',
  },
  {
    name: 'imported helper, JavaScript, CommonJS, Piscina',
    file: 'a.js',
    text: importedCjs.main,
    extra: { 'passwords.js': importedCjs.helper },
    type: 'commonjs',
    options: { library: 'piscina', moduleKind: 'cjs' },
    callee: 'hashPassword',
    main: 'a.js',
  },
];
