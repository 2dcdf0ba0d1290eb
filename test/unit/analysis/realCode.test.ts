/**
 * Real code no one here wrote: packages installed at pinned versions (package-lock.json) in
 * node_modules. Known sites: a sync call inside an async function, a chain through helpers in
 * another file, and start-up code that must stay quiet.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeProject } from '../../../server/src/analysis/index';

const nm = path.join(__dirname, '../../../node_modules');
const version = (pkg: string) =>
  (JSON.parse(fs.readFileSync(path.join(nm, pkg, 'package.json'), 'utf8')) as { version: string })
    .version;

test(
  'mocha 11.8.0: async handleRequires, collectFiles chain, start-up rc loading',
  { skip: version('mocha') !== '11.8.0' && 'other mocha version' },
  () => {
    const root = path.join(nm, 'mocha/lib');
    const r = analyzeProject({ roots: [root] });
    const at = (file: string, line: number) =>
      r.findings.filter((f) => f.file === path.join(root, file) && f.line === line);
    // `if (fs.existsSync(mod) || fs.existsSync(`${mod}.js`))` inside `async (requires) => …`
    const direct = at('cli/run-helpers.js', 105);
    assert.deepEqual(
      direct.map((f) => [f.rule, f.column, f.api]),
      [
        ['sync-fs', 9, 'fs.existsSync'],
        ['sync-fs', 31, 'fs.existsSync'],
      ],
    );
    assert.match(direct[0]!.message, /in async handleRequires/);
    // `const files = collectFiles(fileCollectParams)` in async singleRun → lookupFiles → existsSync
    const indirect = at('cli/run-helpers.js', 164)[0]!;
    assert.deepEqual(
      indirect.chain.map((s) => `${path.relative(root, s.file)}:${s.line} ${s.name}`),
      [
        'cli/run-helpers.js:164 collectFiles',
        'cli/collect-files.js:41 lookupFiles',
        'cli/lookup-files.js:76 fs.existsSync',
      ],
    );
    // `configData = fs.readFileSync(filepath, 'utf8')` in loadPkgRc: CLI start-up, not reported.
    assert.deepEqual(at('cli/options.js', 240), []);
    assert.equal(r.findings.filter((f) => f.file.endsWith('cli/options.js')).length, 0);
  },
);

test(
  'eslint 9.39.5: existsSync inside async execute() of the CLI',
  { skip: version('eslint') !== '9.39.5' && 'other eslint version' },
  () => {
    const root = path.join(nm, 'eslint/lib');
    const r = analyzeProject({ roots: [root] });
    const cli = r.findings.filter((f) => f.file === path.join(root, 'cli.js') && f.line === 449);
    assert.deepEqual(
      cli.map((f) => f.api),
      ['fs.existsSync'],
    );
    assert.match(cli[0]!.message, /in async execute/);
    // Top-level requires and start-up reads in eslint's own files are not findings.
    assert.ok(
      !r.findings.some((f) => f.rule === 'require-in-function' && f.file.endsWith('lib/api.js')),
    );
  },
);
