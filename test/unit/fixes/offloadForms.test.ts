/**
 * Which forms "Run in a worker thread" handles besides a function declaration, and why it
 * refuses the others: arrows and function expressions bound to a `const`, methods that use
 * neither `this` nor `super`, and helpers imported from a module that is safe to load in a
 * worker. Each refusal names its reason (the hover shows it).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { offloadCheck } from '../../../server/src/fixes/offload';
import { offloadNote } from '../../../server/src/handlers/offloadNote';
import type { Finding } from '../../../server/src/analysis/types';
import { cpuFinding } from './helpers';

const crypto = "import { pbkdf2Sync } from 'node:crypto';\n";
const body = "pbkdf2Sync(p, 's', 1000, 64, 'sha512').toString('hex')";

/** `offered: …` or `refused: …` for the call `call` (engine name `name`) in `text`. */
function verdict(text: string, call: string, name?: string, files: Record<string, string> = {}) {
  const read = (path: string): string | undefined => files[path.replace(/^.*\//, '')];
  const r = offloadCheck(text, '/w/a.ts', cpuFinding(text, call, name), read);
  assert.ok(r, 'a CPU finding through a function gets a verdict');
  return 'reason' in r ? `offered: ${r.reason}` : `refused: ${r.refused}`;
}

const handler = (call: string): string =>
  `\nexport async function handler(p: string) {\n  return ${call};\n}\n`;

describe('offload forms: const-bound functions', () => {
  test('an expression-bodied arrow is offered', () => {
    const text = `${crypto}const hash = (p: string): string =>\n  ${body};\n${handler('hash(p)')}`;
    assert.match(verdict(text, 'hash(p)'), /^offered: `hash` is self-contained/);
  });
  test('an exported function expression is offered and stays exported', () => {
    const text = `${crypto}export const hash = function (p: string) {\n  return ${body};\n};\n${handler('hash(p)')}`;
    assert.match(verdict(text, 'hash(p)'), /^offered: .*It stays exported: this file re-exports/);
  });
  test('refused: a `let` could be reassigned', () => {
    const text = `${crypto}let hash = (p: string) => ${body};\n${handler('hash(p)')}`;
    assert.match(verdict(text, 'hash(p)'), /^refused: `hash` is not a `const`/);
  });
  test('refused: an arrow that changes its argument (expression body)', () => {
    const text = `const sortAll = (xs: number[]) => xs.sort();\n${handler('sortAll(x)').replace('p: string', 'x: number[]')}`;
    assert.match(verdict(text, 'sortAll(x)'), /changes its argument `xs`/);
  });
});

describe('offload forms: methods', () => {
  const cls = (method: string, extra = ''): string =>
    `${crypto}class Hasher {\n  ${method}\n\n  async run(p: string) {\n    return this.compute(p);\n  }\n}\n${extra}`;
  test('a method without `this` called through `this` is offered', () => {
    const text = cls(`compute(p: string): string {\n    return ${body};\n  }`);
    assert.match(
      verdict(text, 'this.compute(p)', 'Hasher.compute'),
      /^offered: `Hasher.compute` is self-contained: .*uses neither `this` nor `super`.*moves out of its class/,
    );
  });
  test('refused, with the reason the hover gives: a method that uses `this`', () => {
    const text = cls(`compute(p: string): string {\n    return this.salt + ${body};\n  }`);
    assert.match(
      verdict(text, 'this.compute(p)', 'Hasher.compute'),
      /^refused: `Hasher.compute` uses `this` or `super`: the object it belongs to stays on the main thread/,
    );
  });
  test('refused: the class is exported (unless the method is private), or the method is used elsewhere', () => {
    const m = `compute(p: string): string {\n    return ${body};\n  }`;
    const exported = cls(m, 'export { Hasher };\n');
    assert.match(verdict(exported, 'this.compute(p)', 'Hasher.compute'), /`Hasher` is exported/);
    const priv = cls(`private ${m}`, 'export { Hasher };\n');
    assert.match(verdict(priv, 'this.compute(p)', 'Hasher.compute'), /^offered/);
    const twice = cls(m, 'export const f = (h: Hasher) => h.compute("x");\n');
    assert.match(verdict(twice, 'this.compute(p)', 'Hasher.compute'), /used elsewhere/);
  });
  test('refused: a receiver with side effects would no longer run', () => {
    const text = `${crypto}class H {\n  static compute(p: string) {\n    return ${body};\n  }\n}\nconst make = () => H;\n${handler('make().compute(p)')}`;
    assert.match(verdict(text, 'make().compute(p)', 'H.compute'), /receiver `make\(\)`/);
  });
});

describe('offload forms: names the rewrite declares', () => {
  test('refused: the pool name is taken', () => {
    const text = `${crypto}const hashPool = 1;\nconst hash = (p: string) => ${body};\n${handler('hash(p) + hashPool')}`;
    assert.match(verdict(text, 'hash(p)'), /already uses the name `hashPool`/);
  });
});

describe('offload forms: imported helpers', () => {
  const main = `import { hash } from './lib.js';\n${handler('hash(p)')}`;
  const lib = (top: string): Record<string, string> => ({
    'lib.ts': `${crypto}import { SALT } from './salt.js';\n${top}export function hash(p: string): string {\n  return SALT + ${body};\n}\n`,
    'salt.ts': "export const SALT = 'pepper';\n",
  });
  test('a helper of a module that only declares things is offered; it stays in place', () => {
    assert.match(
      verdict(main, 'hash(p)', undefined, lib('')),
      /^offered: .*the worker imports it from `.\/lib.js`/,
    );
  });
  test('refused: the module starts a server when it loads', () => {
    const files = lib("import { createServer } from 'node:http';\ncreateServer().listen(3000);\n");
    assert.match(
      verdict(main, 'hash(p)', undefined, files),
      /^refused: the worker would have to load `.\/lib.js`, and it runs `createServer\(\).listen\(3000\);` when it loads \(line 4\)/,
    );
  });
  test('refused: a module it imports awaits I/O at its top level', () => {
    const files = {
      ...lib(''),
      'salt.ts':
        "import { readFile } from 'node:fs/promises';\nexport const SALT = await readFile('salt');\n",
    };
    assert.match(
      verdict(main, 'hash(p)', undefined, files),
      /it imports `.\/salt.js`, and that module runs `await readFile/,
    );
  });
  test('refused: a package, or a module Loop Lens cannot read', () => {
    const pkg = `import { hash } from 'bcryptjs';\n${handler('hash(p)')}`;
    assert.match(verdict(pkg, 'hash(p)'), /comes from the package `bcryptjs`/);
    assert.match(verdict(main, 'hash(p)'), /cannot read `.\/lib.js`/);
  });
});

describe('offload forms: the caller must be async', () => {
  test('a sync caller is not made async: its callers would get a Promise', () => {
    const text = `${crypto}const hash = (p: string) => ${body};\nexport function login(p: string) {\n  return hash(p);\n}\n`;
    assert.match(
      verdict(text, 'hash(p)'),
      /in `login`, which is not async: making it async would hand its own callers a Promise/,
    );
  });
  test('a call at the top level of a module is not offered (no top-level await added)', () => {
    const text = `${crypto}const hash = (p: string) => ${body};\nexport const h = hash('x');\n`;
    assert.match(verdict(text, "hash('x')"), /runs once, when the module loads/);
  });
  test('the hover note says why the fix is not offered', () => {
    const text = `${crypto}class H {\n  n = 1;\n  compute(p: string) {\n    return this.n + ${body};\n  }\n  async run(p: string) {\n    return this.compute(p);\n  }\n}\n`;
    const f = { ...cpuFinding(text, 'this.compute(p)', 'H.compute'), file: 'a.ts' } as Finding;
    const note = offloadNote(text, '/w/a.ts')(f);
    assert.match(
      note ?? '',
      /^\*\*Quick fix "Run in a worker thread" is not offered:\*\* `H.compute` uses `this`/,
    );
  });
});
