/** How a blocking API is reached syntactically: every import, require and alias form. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeProject } from '../../../server/src/analysis/index';
import { checkOne } from './helpers';

/** The call is on line 3, inside `async function handler`. */
function at3(imports: string, call: string, name = 'a.ts') {
  return checkOne(`${imports}\nexport async function handler(input: any) {\n  ${call};\n}\n`, name)
    .sites;
}
const hit = ['a.ts:3 sync-fs'];
const hitJs = ['a.js:3 sync-fs'];

const positive: [string, string, string, string?][] = [
  ['ESM named import', "import { readFileSync } from 'fs';", "readFileSync('x')"],
  ['ESM renamed import', "import { readFileSync as rf } from 'fs';", "rf('x')"],
  ['ESM default import', "import fs from 'fs';", "fs.readFileSync('x')"],
  ['ESM namespace import', "import * as fs from 'fs';", "fs.readFileSync('x')"],
  ['node: prefix', "import { statSync } from 'node:fs';", "statSync('x')"],
  ['TS import = require', "import fs = require('fs');", "fs.readFileSync('x')"],
  ['CJS plain require', "const fs = require('fs');", "fs.readFileSync('x')", 'a.js'],
  [
    'CJS destructured require',
    "const { readFileSync } = require('fs');",
    "readFileSync('x')",
    'a.js',
  ],
  [
    'CJS renamed destructuring',
    "const { readFileSync: read } = require('node:fs');",
    "read('x')",
    'a.js',
  ],
  ['CJS inline require', '// inline', "require('fs').readFileSync('x')", 'a.js'],
  ['alias of a member', "import fs from 'fs'; const read = fs.readFileSync;", "read('x')"],
  ['destructured alias', "import fs from 'fs'; const { readFileSync: r } = fs;", "r('x')"],
  ['element access', "import fs from 'fs';", "fs['readFileSync']('x')"],
  [
    'element access alias',
    "import fs from 'fs'; const m = 'readFileSync';",
    "fs['readFileSync'](m)",
  ],
  ['alias chain', "import fs from 'fs'; const a = fs; const b = a;", "b.writeFileSync('x', '')"],
  [
    'parameter typed typeof fs',
    "import * as nodeFs from 'fs';\nexport async function h2(f: typeof nodeFs) { f.readFileSync('x'); }",
    '0',
  ],
  [
    'parameter typed typeof import(fs)',
    "export async function h2(f: typeof import('fs')) { f.readFileSync('x'); }",
    '0',
  ],
  [
    'injected fs parameter (no types)',
    "export async function h2(fs) { fs.readFileSync('x'); }",
    '0',
    'a.js',
  ],
  ['ESM default import in a .mjs file', "import fs from 'fs';", "fs.readFileSync('x')", 'a.mjs'],
  ['await import()', "const fs = await import('node:fs');", "fs.readFileSync('x')", 'a.mjs'],
];

for (const [title, imports, call, file] of positive) {
  test(`resolution: ${title}`, () => {
    const name = file ?? 'a.ts';
    const sites = at3(imports, call, name);
    if (call === '0') {
      assert.deepEqual(sites, [`${name}:${imports.split('\n').length} sync-fs`]);
    } else if (title === 'CJS inline require') {
      // An inline require inside a function is also a lazy synchronous load.
      assert.deepEqual(sites, ['a.js:3 require-in-function', 'a.js:3 sync-fs']);
    } else {
      assert.deepEqual(
        sites,
        name === 'a.ts' ? hit : name === 'a.js' ? hitJs : [`${name}:3 sync-fs`],
      );
    }
  });
}

const negative: [string, string, string, string?][] = [
  [
    "user's own readFileSync",
    'function readFileSync(p: string) { return p; }',
    "readFileSync('x')",
  ],
  ["user's own *Sync helper", 'const loadSync = (p: string) => p;', "loadSync('x')"],
  [
    'an object method named readFileSync',
    'const cache = { readFileSync: (p: string) => p };',
    "cache.readFileSync('x')",
  ],
  [
    'shadowing parameter',
    "import fs from 'fs';\nexport async function h2(fs: any) { fs.readFileSync('x'); }",
    '0',
  ],
  ['fs.promises', "import fs from 'fs';", "await fs.promises.readFile('x')"],
  ['fs/promises named', "import { readFile } from 'fs/promises';", "await readFile('x')"],
  [
    'node:fs/promises default',
    "import fsp from 'node:fs/promises';",
    "await fsp.writeFile('x', '')",
  ],
  ['callback API', "import fs from 'fs';", "fs.readFile('x', () => {})"],
  [
    'an unrelated module with a *Sync export',
    "import { parseSync } from 'my-parser';",
    "parseSync('x')",
  ],
  [
    'type-only import',
    "import type * as fs from 'fs'; declare const f: any;",
    "f.readFileSync('x')",
  ],
];
for (const [title, imports, call, file] of negative) {
  test(`resolution negative: ${title}`, () => {
    assert.deepEqual(at3(imports, call, file ?? 'a.ts'), []);
  });
}

test('resolution: class properties typed as fs and assigned in the constructor', () => {
  const r = checkOne(
    [
      "import * as nodeFs from 'fs';",
      "import Database from 'better-sqlite3';",
      'export class Repo {',
      '  private db = new Database(":memory:");',
      '  private cache: any;',
      "  constructor(private readonly fs: typeof nodeFs, private io: typeof import('node:fs')) {",
      "    this.cache = require('zlib');",
      '  }',
      '  async load(id: string) {',
      "    this.fs.readFileSync('x');",
      "    this.io.statSync('y');",
      "    this.db.prepare('select 1').get(id);",
      "    this.cache.gzipSync('z');",
      '  }',
      '}',
    ].join('\n'),
  );
  assert.deepEqual(r.sites, [
    'a.ts:10 sync-fs',
    'a.ts:11 sync-fs',
    'a.ts:12 blocking-library',
    'a.ts:13 sync-zlib',
  ]);
});

test('resolution: an object whose type says it is fs (type checker, TS file with @types/node)', () => {
  const dir = path.join(__dirname, '../../fixtures/analysis/typed');
  const sites = (useTypeChecker: boolean) =>
    analyzeProject({ roots: [dir], useTypeChecker }).findings.map(
      (f) => `${path.basename(f.file)}:${f.line} ${f.api}`,
    );
  assert.deepEqual(sites(true), [
    'handler.ts:12 fs.readFileSync',
    'handler.ts:13 child_process.execSync',
  ]);
  // Without the checker (or without node_modules) syntax cannot tell: nothing is claimed.
  assert.deepEqual(sites(false), []);
});
