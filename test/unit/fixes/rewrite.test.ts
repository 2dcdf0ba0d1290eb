import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeFixes } from '../../../server/src/fixes';
import { applyChecked, findingAt, fixesAt, rewriteOf, syntaxErrors } from './helpers';

/** Rewrites `text` at `needle` with its one rewrite fix and returns the result. */
function rewrite(text: string, needle: string, fileName = 'a.ts', rule = 'sync-fs') {
  const fix = rewriteOf(fixesAt(text, needle, fileName, rule));
  return { fix, out: applyChecked(text, fix, fileName) };
}

describe('fs sync → promises', () => {
  test('namespace import: fs.readFileSync → await fs.promises.readFile', () => {
    const text = [
      "import * as fs from 'node:fs';",
      '',
      'export async function load(p: string) {',
      "  const s = fs.readFileSync(p, 'utf8');",
      '  return s;',
      '}',
      '',
    ].join('\n');
    const { fix, out } = rewrite(text, 'fs.readFileSync');
    assert.equal(out, text.replace('fs.readFileSync(', 'await fs.promises.readFile('));
    assert.equal(fix.isPreferred, true);
    assert.match(fix.title, /await fs\.promises\.readFile/);
  });

  test('named import is replaced by the fs/promises import in the same style', () => {
    const text = [
      "import { readFileSync } from 'node:fs';",
      '',
      'export async function load(p: string) {',
      "  return JSON.parse(readFileSync(p, 'utf8'));",
      '}',
      '',
    ].join('\n');
    const { out } = rewrite(text, 'readFileSync(p');
    assert.equal(
      out,
      [
        "import { readFile } from 'node:fs/promises';",
        '',
        'export async function load(p: string) {',
        "  return JSON.parse(await readFile(p, 'utf8'));",
        '}',
        '',
      ].join('\n'),
    );
  });

  test('named import still used elsewhere is kept; bare fs habit is kept', () => {
    const text = [
      "import { readFileSync } from 'fs';",
      "const boot = readFileSync('x');",
      'export async function load(p: string) {',
      '  return readFileSync(p);',
      '}',
    ].join('\n');
    const { out } = rewrite(text, 'readFileSync(p');
    assert.equal(
      out,
      [
        "import { readFileSync } from 'fs';",
        "import { readFile } from 'fs/promises';",
        "const boot = readFileSync('x');",
        'export async function load(p: string) {',
        '  return await readFile(p);',
        '}',
      ].join('\n'),
    );
  });

  test('an existing fs/promises import is reused (name added to it)', () => {
    const text = [
      "import { writeFile } from 'node:fs/promises';",
      "import * as fs from 'node:fs';",
      'export async function save(p: string) {',
      '  fs.mkdirSync(p, { recursive: true });',
      "  await writeFile(p + '/x', 'y');",
      '}',
    ].join('\n');
    const { out } = rewrite(text, 'fs.mkdirSync');
    assert.equal(
      out,
      [
        "import { writeFile, mkdir } from 'node:fs/promises';",
        "import * as fs from 'node:fs';",
        'export async function save(p: string) {',
        '  await mkdir(p, { recursive: true });',
        "  await writeFile(p + '/x', 'y');",
        '}',
      ].join('\n'),
    );
  });

  test('CommonJS destructured require → require of fs/promises', () => {
    const text = [
      "'use strict';",
      "const { readFileSync } = require('fs');",
      '',
      'async function load(p) {',
      "  return readFileSync(p, 'utf8');",
      '}',
      'module.exports = { load };',
    ].join('\n');
    const { out } = rewrite(text, 'readFileSync(p', 'a.js');
    assert.equal(
      out,
      [
        "'use strict';",
        "const { readFile } = require('fs/promises');",
        '',
        'async function load(p) {',
        "  return await readFile(p, 'utf8');",
        '}',
        'module.exports = { load };',
      ].join('\n'),
    );
  });

  test('CommonJS namespace require and a member use on the result get parentheses', () => {
    const text = [
      'const fs = require("fs")',
      'async function size(p) {',
      '  return fs.readFileSync(p).length',
      '}',
    ].join('\n');
    const { out } = rewrite(text, 'fs.readFileSync', 'a.js');
    assert.equal(
      out,
      text.replace('fs.readFileSync(p).length', '(await fs.promises.readFile(p)).length'),
    );
  });

  test('inline require(...).xSync', () => {
    const text = "async function f(p) {\n  require('fs').writeFileSync(p, 'x');\n}\n";
    const { out } = rewrite(text, "require('fs').writeFileSync", 'a.js');
    assert.equal(
      out,
      "async function f(p) {\n  await require('fs').promises.writeFile(p, 'x');\n}\n",
    );
  });

  test('statSync with throwIfNoEntry is offered but not preferred', () => {
    const text =
      "import fs from 'fs';\nasync function f(p: string) {\n  return fs.statSync(p, { throwIfNoEntry: false });\n}\n";
    const { fix } = rewrite(text, 'fs.statSync');
    assert.equal(fix.isPreferred, false);
  });

  test('existsSync and openSync have no faithful rewrite', () => {
    const text =
      "import fs from 'fs';\nasync function f(p: string) {\n  if (fs.existsSync(p)) return fs.openSync(p, 'r');\n}\n";
    assert.equal(fixesAt(text, 'fs.existsSync').filter((f) => f.kind === 'rewrite').length, 0);
    assert.equal(fixesAt(text, 'fs.openSync').filter((f) => f.kind === 'rewrite').length, 0);
  });

  test('a name clash prevents adding an import', () => {
    const text = [
      "import { readFileSync, readFile } from 'fs';",
      'export async function f(p: string) {',
      '  readFile(p, () => {});',
      '  return readFileSync(p);',
      '}',
    ].join('\n');
    assert.equal(fixesAt(text, 'readFileSync(p').filter((f) => f.kind === 'rewrite').length, 0);
  });

  test('fs-extra: await fse.readJson-style direct promise API', () => {
    const text =
      "import fse from 'fs-extra';\nexport async function f(p: string) {\n  return fse.readFileSync(p);\n}\n";
    const { out } = rewrite(text, 'fse.readFileSync');
    assert.equal(out, text.replace('fse.readFileSync(p)', 'await fse.readFile(p)'));
  });
});

describe('where await is legal', () => {
  test('no rewrite inside a sync function declaration', () => {
    const text =
      "import fs from 'fs';\nexport function f(p: string) {\n  return fs.readFileSync(p);\n}\n";
    const fixes = fixesAt(text, 'fs.readFileSync');
    assert.deepEqual(
      fixes.map((f) => f.kind),
      ['ignore', 'ignore'],
    );
  });

  test('top level of an ES module: await is legal', () => {
    const text =
      "import fs from 'node:fs';\nconst cfg = fs.readFileSync('c.json', 'utf8');\nexport { cfg };\n";
    const { out } = rewrite(text, 'fs.readFileSync', 'a.mjs');
    assert.match(out, /const cfg = await fs\.promises\.readFile\('c\.json', 'utf8'\);/);
  });

  test('top level of a CommonJS file: no rewrite', () => {
    const text =
      "const fs = require('fs');\nconst cfg = fs.readFileSync('c.json');\nmodule.exports = cfg;\n";
    assert.equal(
      fixesAt(text, 'fs.readFileSync', 'a.js').filter((f) => f.kind === 'rewrite').length,
      0,
    );
  });

  test('sync route callback: make it async and await (not preferred)', () => {
    const text = [
      "import fs from 'node:fs';",
      "app.get('/', (req, res) => {",
      "  res.send(fs.readFileSync('index.html'));",
      '});',
    ].join('\n');
    const { fix, out } = rewrite(text, 'fs.readFileSync');
    assert.equal(fix.isPreferred, false);
    assert.match(fix.title, /Make the callback async/);
    assert.equal(
      out,
      [
        "import fs from 'node:fs';",
        "app.get('/', async (req, res) => {",
        "  res.send(await fs.promises.readFile('index.html'));",
        '});',
      ].join('\n'),
    );
  });

  test('function-expression timer callback becomes async function', () => {
    const text =
      "const fs = require('fs');\nsetTimeout(function () {\n  fs.unlinkSync('/tmp/x');\n}, 10);\n";
    const { out } = rewrite(text, 'fs.unlinkSync', 'a.js');
    assert.equal(
      out,
      "const fs = require('fs');\nsetTimeout(async function () {\n  await fs.promises.unlink('/tmp/x');\n}, 10);\n",
    );
  });

  test('an exit listener is never made async (it must finish synchronously)', () => {
    const text = "const fs = require('fs');\nprocess.on('exit', () => fs.rmSync('/tmp/x'));\n";
    assert.equal(fixesAt(text, 'fs.rmSync', 'a.js').filter((f) => f.kind === 'rewrite').length, 0);
  });

  test('array callbacks are not made async (map would return promises)', () => {
    const text =
      "import fs from 'fs';\nexport async function f(ps: string[]) {\n  return ps.map((p) => fs.readFileSync(p));\n}\n";
    assert.equal(fixesAt(text, 'fs.readFileSync').filter((f) => f.kind === 'rewrite').length, 0);
  });

  test('parameter defaults and class fields never get await', () => {
    const text = [
      "import fs from 'fs';",
      'class A {',
      "  data = fs.readFileSync('x');",
      "  async m(d = fs.readFileSync('y')) { return d; }",
      '}',
    ].join('\n');
    assert.equal(
      fixesAt(text, "fs.readFileSync('x')").filter((f) => f.kind === 'rewrite').length,
      0,
    );
    assert.equal(
      fixesAt(text, "fs.readFileSync('y')").filter((f) => f.kind === 'rewrite').length,
      0,
    );
  });
});

describe('objects the engine typed (injected dependencies)', () => {
  test('deps.fs.readFileSync → await deps.fs.promises.readFile, not preferred', () => {
    const text = [
      "import type * as fs from 'node:fs';",
      'export async function h(deps: { fs: typeof fs }, key: string) {',
      "  return deps.fs.readFileSync(key, 'utf8');",
      '}',
    ].join('\n');
    const fixes = computeFixes({
      text,
      fileName: 'a.ts',
      finding: { ...findingAt(text, 'deps.fs.readFileSync'), api: 'fs.readFileSync' },
    });
    const fix = rewriteOf(fixes);
    assert.equal(fix.isPreferred, false);
    assert.equal(
      applyChecked(text, fix),
      text.replace('deps.fs.readFileSync(', 'await deps.fs.promises.readFile('),
    );
  });

  test('an unknown object with a Sync-named method gets no rewrite', () => {
    const text =
      'export async function h(db: { querySync(q: string): void }) {\n  db.querySync("x");\n}\n';
    assert.equal(fixesAt(text, 'db.querySync').filter((f) => f.kind === 'rewrite').length, 0);
  });
});

describe('child_process, zlib, crypto, bcrypt', () => {
  test('execSync with a used result → (await promisify(exec)(cmd)).stdout, util import added', () => {
    const text = [
      "import { execSync } from 'node:child_process';",
      '',
      'export async function rev() {',
      "  return execSync('git rev-parse HEAD').toString().trim();",
      '}',
    ].join('\n');
    const { fix, out } = rewrite(text, 'execSync(', 'a.ts', 'sync-child-process');
    assert.equal(fix.isPreferred, false);
    assert.equal(
      out,
      [
        "import { exec } from 'node:child_process';",
        "import { promisify } from 'node:util';",
        '',
        'export async function rev() {',
        "  return (await promisify(exec)('git rev-parse HEAD')).stdout.toString().trim();",
        '}',
      ].join('\n'),
    );
  });

  test('execFileSync as a statement, namespace require, existing util namespace', () => {
    const text = [
      "const cp = require('child_process');",
      "const util = require('util');",
      'async function build() {',
      "  cp.execFileSync('make', ['all']);",
      '}',
    ].join('\n');
    const { out } = rewrite(text, 'cp.execFileSync', 'a.js', 'sync-child-process');
    assert.equal(
      out,
      text.replace("cp.execFileSync('make'", "await util.promisify(cp.execFile)('make'"),
    );
  });

  test('zlib.gzipSync → await promisify(zlib.gzip)', () => {
    const text =
      "import zlib from 'node:zlib';\nimport { promisify } from 'node:util';\nexport async function z(b: Buffer) {\n  return zlib.gzipSync(b);\n}\n";
    const { fix, out } = rewrite(text, 'zlib.gzipSync', 'a.ts', 'sync-zlib');
    assert.equal(fix.isPreferred, true);
    assert.equal(out, text.replace('zlib.gzipSync(b)', 'await promisify(zlib.gzip)(b)'));
  });

  test('named pbkdf2Sync → pbkdf2 in the same import, util added', () => {
    const text = [
      "import { pbkdf2Sync, randomBytes } from 'crypto';",
      'export async function hash(pw: string) {',
      '  const salt = randomBytes(16);',
      "  return pbkdf2Sync(pw, salt, 100000, 64, 'sha512');",
      '}',
    ].join('\n');
    const { out } = rewrite(text, 'pbkdf2Sync(pw', 'a.ts', 'sync-crypto');
    assert.equal(
      out,
      [
        "import { randomBytes, pbkdf2 } from 'crypto';",
        "import { promisify } from 'util';",
        'export async function hash(pw: string) {',
        '  const salt = randomBytes(16);',
        "  return await promisify(pbkdf2)(pw, salt, 100000, 64, 'sha512');",
        '}',
      ].join('\n'),
    );
  });

  test('crypto.randomBytes without callback → await promisify(crypto.randomBytes)', () => {
    const text =
      "const crypto = require('node:crypto');\nconst { promisify } = require('node:util');\nasync function t() {\n  return crypto.randomBytes(32).toString('hex');\n}\n";
    const { out } = rewrite(text, 'crypto.randomBytes', 'a.js', 'sync-random');
    assert.equal(
      out,
      text.replace(
        "crypto.randomBytes(32).toString('hex')",
        "(await promisify(crypto.randomBytes)(32)).toString('hex')",
      ),
    );
  });

  test('bcrypt.hashSync and compareSync → await bcrypt.hash / compare', () => {
    const text =
      "import bcrypt from 'bcrypt';\nexport async function check(pw: string, h: string) {\n  return bcrypt.compareSync(pw, h) && bcrypt.hashSync(pw, 10);\n}\n";
    const a = rewrite(text, 'bcrypt.compareSync', 'a.ts', 'blocking-library');
    assert.equal(a.out, text.replace('bcrypt.compareSync(', 'await bcrypt.compare('));
    const b = rewrite(text, 'bcrypt.hashSync', 'a.ts', 'blocking-library');
    assert.equal(b.out, text.replace('bcrypt.hashSync(', 'await bcrypt.hash('));
    assert.equal(b.fix.isPreferred, true);
  });

  test('bcryptjs named hashSync in CommonJS', () => {
    const text =
      "const { hashSync } = require('bcryptjs');\nasync function h(pw) {\n  return hashSync(pw, 10);\n}\n";
    const { out } = rewrite(text, 'hashSync(pw', 'a.js', 'blocking-library');
    assert.equal(
      out,
      "const { hash } = require('bcryptjs');\nasync function h(pw) {\n  return await hash(pw, 10);\n}\n",
    );
  });
});

describe('helpers', () => {
  test('the parse check catches await outside async functions', () => {
    assert.notDeepEqual(syntaxErrors('function f() { await g(); }', 'a.ts'), []);
    assert.deepEqual(syntaxErrors('async function f() { await g(); }', 'a.ts'), []);
  });
});
