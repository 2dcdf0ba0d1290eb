/** Every catalog rule, called directly inside an async function (line 3 of the file). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { catalog, ruleIds } from '../../../server/src/analysis/index';
import { checkOne } from './helpers';

/** `import` line, then an async function whose second line is `call`. */
function inAsync(imports: string, call: string, name = 'a.ts') {
  return checkOne(`${imports}\nexport async function handler(input: any) {\n  ${call};\n}\n`, name);
}

const cases: [string, string, string, string][] = [
  // [title, import line, call, expected rule]
  ['fs.readFileSync', "import * as fs from 'fs';", "fs.readFileSync('/etc/hosts')", 'sync-fs'],
  ['node:fs existsSync', "import fs from 'node:fs';", "fs.existsSync('/x')", 'sync-fs'],
  ['fs-extra readJsonSync', "import fse from 'fs-extra';", "fse.readJsonSync('/x')", 'sync-fs'],
  ['fs-extra copySync', "const fse = require('fs-extra');", "fse.copySync('/a', '/b')", 'sync-fs'],
  ['graceful-fs', "const gfs = require('graceful-fs');", "gfs.statSync('/x')", 'sync-fs'],
  [
    'child_process.execSync',
    "import { execSync } from 'child_process';",
    "execSync('ls')",
    'sync-child-process',
  ],
  [
    'execFileSync',
    "import cp from 'node:child_process';",
    "cp.execFileSync('ls')",
    'sync-child-process',
  ],
  ['spawnSync', "const cp = require('child_process');", "cp.spawnSync('ls')", 'sync-child-process'],
  ['zlib.gzipSync', "import zlib from 'zlib';", 'zlib.gzipSync(input)', 'sync-zlib'],
  [
    'zlib.brotliDecompressSync',
    "import * as zlib from 'node:zlib';",
    'zlib.brotliDecompressSync(input)',
    'sync-zlib',
  ],
  [
    'crypto.pbkdf2Sync',
    "import crypto from 'crypto';",
    "crypto.pbkdf2Sync(input, 's', 1e5, 64, 'sha512')",
    'sync-crypto',
  ],
  [
    'scryptSync',
    "import { scryptSync } from 'node:crypto';",
    "scryptSync(input, 's', 64)",
    'sync-crypto',
  ],
  [
    'generateKeyPairSync',
    "import crypto from 'crypto';",
    "crypto.generateKeyPairSync('rsa', {})",
    'sync-crypto',
  ],
  [
    'generateKeySync',
    "import crypto from 'crypto';",
    "crypto.generateKeySync('hmac', { length: 64 })",
    'sync-crypto',
  ],
  [
    'generatePrimeSync',
    "import crypto from 'crypto';",
    'crypto.generatePrimeSync(2048)',
    'sync-crypto',
  ],
  ['checkPrimeSync', "import crypto from 'crypto';", 'crypto.checkPrimeSync(input)', 'sync-crypto'],
  [
    'hkdfSync',
    "import crypto from 'crypto';",
    "crypto.hkdfSync('sha512', input, 's', 'i', 64)",
    'sync-crypto',
  ],
  ['randomFillSync', "import crypto from 'crypto';", 'crypto.randomFillSync(input)', 'sync-crypto'],
  [
    'crypto.sign without callback',
    "import crypto from 'crypto';",
    "crypto.sign('sha256', input, 'k')",
    'sync-crypto',
  ],
  [
    'crypto.verify without callback',
    "import crypto from 'crypto';",
    "crypto.verify('sha256', input, 'k', input)",
    'sync-crypto',
  ],
  [
    'randomBytes without callback',
    "import crypto from 'crypto';",
    'crypto.randomBytes(32)',
    'sync-random',
  ],
  [
    'randomInt without callback',
    "import { randomInt } from 'crypto';",
    'randomInt(10)',
    'sync-random',
  ],
  ['Atomics.wait', '// no import', 'Atomics.wait(input, 0, 0, 100)', 'atomics-wait'],
  ['require in a function', '// no import', "require('./plugin')", 'require-in-function'],
  [
    'better-sqlite3 statement.run',
    "import Database from 'better-sqlite3';",
    "new Database('db').prepare('x').run()",
    'blocking-library',
  ],
  [
    'bcrypt.hashSync',
    "import bcrypt from 'bcrypt';",
    'bcrypt.hashSync(input, 10)',
    'blocking-library',
  ],
  [
    'bcryptjs.compareSync',
    "const bcrypt = require('bcryptjs');",
    "bcrypt.compareSync(input, 'h')",
    'blocking-library',
  ],
  [
    'bcryptjs.genSaltSync',
    "import { genSaltSync } from 'bcryptjs';",
    'genSaltSync(10)',
    'blocking-library',
  ],
  ['glob.sync', "const glob = require('glob');", "glob.sync('**/*.js')", 'blocking-library'],
  ['globSync', "import { globSync } from 'glob';", "globSync('**/*.js')", 'blocking-library'],
  ['fast-glob .sync', "import fg from 'fast-glob';", "fg.sync('**/*.js')", 'blocking-library'],
  ['execa.sync', "import execa from 'execa';", "execa.sync('ls')", 'blocking-library'],
  ['execaSync', "import { execaSync } from 'execa';", "execaSync('ls')", 'blocking-library'],
  [
    'execa commandSync',
    "import { commandSync } from 'execa';",
    "commandSync('ls')",
    'blocking-library',
  ],
  [
    'sync-request',
    "import request from 'sync-request';",
    "request('GET', input)",
    'blocking-library',
  ],
  ['deasync', "import deasync from 'deasync';", 'deasync(input)()', 'blocking-library'],
  [
    'deasync.loopWhile',
    "const deasync = require('deasync');",
    'deasync.loopWhile(() => !input)',
    'blocking-library',
  ],
  ['which.sync', "import which from 'which';", "which.sync('node')", 'blocking-library'],
  ['resolve.sync', "const resolve = require('resolve');", "resolve.sync('x')", 'blocking-library'],
  ['busy-wait', 'const end = Date.now() + 100;', 'while (Date.now() < end) {}', 'busy-wait'],
  ['redos literal on input', '// no import', '/^(a+)+$/.test(input)', 'redos'],
  ['redos const RegExp on input', "const re = new RegExp('(x+x+)+y');", 'input.match(re)', 'redos'],
  [
    'threadpool fan-out',
    "import { promises as fsp } from 'fs';",
    'await Promise.all(input.map((f: string) => fsp.readFile(f)))',
    'threadpool-fanout',
  ],
];

for (const [title, imports, call, rule] of cases) {
  test(`catalog: ${title} → ${rule}`, () => {
    const r = inAsync(imports, call);
    assert.deepEqual(r.sites, [`a.ts:3 ${rule}`]);
    const f = r.findings[0]!;
    assert.ok(f.why.length > 10 && f.replacement.length > 5, 'says why and what to use');
    assert.match(
      f.message,
      rule === 'threadpool-fanout'
        ? /can saturate the libuv threadpool in async handler/
        : /blocks the event loop in async handler/,
    );
  });
}

test('catalog: low-severity rules are info, the rest warnings', () => {
  assert.equal(
    inAsync("import crypto from 'crypto';", 'crypto.randomBytes(8)').findings[0]!.severity,
    'info',
  );
  assert.equal(inAsync('//', "require('x')").findings[0]!.severity, 'info');
  const fan = inAsync(
    "import fsp from 'fs/promises';",
    'Promise.all(input.map((f: string) => fsp.stat(f)))',
  );
  assert.equal(fan.findings[0]!.severity, 'info');
  assert.equal(fan.findings[0]!.category, 'threadpool');
  assert.equal(
    inAsync("import fs from 'fs';", "fs.readFileSync('x')").findings[0]!.severity,
    'warning',
  );
});

test('catalog: messages name the API, why and the replacement', () => {
  const f = inAsync("import * as fs from 'fs';", "fs.readFileSync('/etc/hosts')").findings[0]!;
  assert.equal(f.api, 'fs.readFileSync');
  assert.equal(f.category, 'sync-io');
  assert.match(f.message, /^fs\.readFileSync blocks the event loop/);
  assert.match(f.replacement, /fs\.promises\.readFile/);
  assert.deepEqual([f.line, f.column, f.endLine, f.endColumn], [3, 3, 3, 18]);
});

const negatives: [string, string, string][] = [
  [
    'crypto.sign with a callback',
    "import crypto from 'crypto';",
    "crypto.sign('sha256', input, 'k', (e, s) => s)",
  ],
  [
    'randomBytes with a callback',
    "import crypto from 'crypto';",
    'crypto.randomBytes(32, (e, b) => b)',
  ],
  [
    'async pbkdf2',
    "import crypto from 'crypto';",
    "crypto.pbkdf2(input, 's', 1, 64, 'sha512', () => {})",
  ],
  ['fs.promises', "import fs from 'fs';", "await fs.promises.readFile('/x')"],
  ['fs/promises', "import { readFile } from 'fs/promises';", "await readFile('/x')"],
  ['callback fs API', "import fs from 'fs';", "fs.readFile('/x', () => {})"],
  ['bcrypt async', "import bcrypt from 'bcrypt';", 'await bcrypt.hash(input, 10)'],
  ['safe regex on input', '//', '/^[a-z]+$/.test(input)'],
  ['bad regex on a constant', '//', "/^(a+)+$/.test('aaaa')"],
  [
    'small fixed Promise.all',
    "import fsp from 'fs/promises';",
    "await Promise.all(['a', 'b'].map((f) => fsp.readFile(f)))",
  ],
  [
    'Promise.all without threadpool work',
    '//',
    'await Promise.all(input.map((x: any) => x.save()))',
  ],
  [
    'a loop that awaits',
    '//',
    'while (Date.now() < input) { await new Promise((r) => setTimeout(r, 5)); }',
  ],
  [
    'better-sqlite3 prepare only',
    "import Database from 'better-sqlite3';",
    "new Database('db').prepare('x')",
  ],
];
for (const [title, imports, call] of negatives) {
  test(`catalog negative: ${title}`, () => {
    assert.deepEqual(inAsync(imports, call).sites, []);
  });
}

test('catalog: rule ids are exported and every catalog entry uses one', () => {
  for (const e of catalog) assert.ok((ruleIds as readonly string[]).includes(e.rule), e.id);
  assert.ok(ruleIds.length >= 12);
});

test('busy-wait: a time-sliced work loop is not a spin', () => {
  const r = inAsync(
    'const q: any[] = [];',
    'const t = Date.now(); while (q.length && Date.now() - t < 100) { q.shift()(); }',
  );
  assert.deepEqual(r.sites, []);
});

test('catalog: util.promisify(randomBytes) is not the sync form; promisified fs still fans out', () => {
  const r = inAsync(
    "import { randomBytes, scrypt } from 'crypto'; import { promisify } from 'util'; import fs from 'fs';\nconst rb = promisify(randomBytes); const sc = promisify(scrypt); const read = promisify(fs.readFile);",
    'await rb(16); await sc(input, "s", 64); await Promise.all(input.map((f: string) => read(f)))',
  );
  assert.deepEqual(r.sites, ['a.ts:4 threadpool-fanout']);
});
