/**
 * Following calls into installed packages (test/fixtures/deps, installed into a temp folder):
 * CommonJS `main`, ESM `exports` and `imports` maps, sub-paths, a nested dependency, startup-only
 * blocking (quiet), the package summary cache and its invalidation.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeProject, type AnalysisResult } from '../../../server/src/analysis/index';
import { Dependencies } from '../../../server/src/analysis/deps/dependencies';
import { PackageResolver } from '../../../server/src/analysis/deps/resolve';
import type { LoopLensConfig } from '../../../server/src/analysis/types';
import { cacheDir, installDepsFixture } from './depsFixture';

function run(dir: string, config?: LoopLensConfig): AnalysisResult {
  return analyzeProject({ roots: [path.join(dir, 'src')], config });
}

/** `src/app.ts:9 fs.readFileSync` per finding, sorted. */
function sites(dir: string, r: AnalysisResult): string[] {
  return r.findings.map((f) => `${path.relative(dir, f.file)}:${f.line} ${f.api}`).sort();
}

/** The chain as `name (file:line) → …`, paths relative to the project. */
function chain(dir: string, r: AnalysisResult, line: number, api: string): string {
  const f = r.findings.find((x) => x.line === line && x.api === api);
  assert.ok(f, `no ${api} finding at line ${line}: ${sites(dir, r).join(', ')}`);
  return f.chain.map((s) => `${s.name} (${path.relative(dir, s.file)}:${s.line})`).join(' → ');
}

describe('installed dependencies', () => {
  const dir = installDepsFixture();
  const r = run(dir);

  test('calls into packages are reported at the project call site, never inside packages', () => {
    assert.ok(r.findings.every((f) => f.file.startsWith(path.join(dir, 'src'))));
    const app = sites(dir, r).filter((x) => x.startsWith('src/app.ts'));
    assert.deepEqual(app, [
      'src/app.ts:10 fs.statSync',
      'src/app.ts:11 fs.lstatSync',
      'src/app.ts:12 child_process.execSync',
      'src/app.ts:12 fs.existsSync',
      'src/app.ts:12 fs.readFileSync',
      'src/app.ts:9 fs.readFileSync',
    ]);
    assert.deepEqual(r.notes, []);
  });

  test('CommonJS main: the chain goes through the package helper to the blocking call', () => {
    assert.equal(
      chain(dir, r, 9, 'fs.readFileSync'),
      'loadConfig (src/app.ts:9) → readText (node_modules/cfg-loader/lib/index.js:12) → ' +
        'fs.readFileSync (node_modules/cfg-loader/lib/index.js:7)',
    );
    const f = r.findings.find((x) => x.line === 9)!;
    assert.match(f.message, /in async handler: package cfg-loader reaches fs\.readFileSync/);
    assert.match(f.message, /cfg-loader\/lib\/index\.js:7/);
  });

  test("ESM exports map: the import condition, not types or main; a package's async function", () => {
    assert.equal(
      chain(dir, r, 10, 'fs.statSync'),
      'readAll (src/app.ts:10) → fs.statSync (node_modules/esm-pkg/dist/index.mjs:5)',
    );
  });

  test('sub-path exports, patterns and the package imports map (#internal)', () => {
    assert.match(chain(dir, r, 12, 'fs.existsSync'), /esm-pkg\/dist\/sync\.mjs:2/);
    assert.match(chain(dir, r, 12, 'child_process.execSync'), /esm-pkg\/dist\/utils\/slug\.mjs:3/);
    assert.match(chain(dir, r, 11, 'fs.lstatSync'), /esm-pkg\/dist\/stat\.mjs:3/);
  });

  test("a package's own nested dependency is followed too", () => {
    assert.equal(
      chain(dir, r, 12, 'fs.readFileSync'),
      'parseYaml (src/app.ts:12) → yaml.parseFile (node_modules/cfg-loader/lib/index.js:16) → ' +
        'fs.readFileSync (node_modules/cfg-loader/node_modules/yaml-lite/index.js:4)',
    );
  });

  test('blocking only at a package startup, or reached only from startup code, is quiet', () => {
    const quiet = r.findings.filter((f) => /version|cached|atStartup/.test(f.message));
    assert.deepEqual(quiet, []);
    assert.ok(!r.findings.some((f) => f.line === 17), 'atStartup is sync code, not event loop');
  });

  test('followDependencies: false follows nothing into node_modules', () => {
    const off = run(dir, { followDependencies: false });
    assert.deepEqual(off.findings, []);
    assert.deepEqual(off.dependencies, { packages: 0, files: 0, cached: 0 });
  });

  test('pointed at a package, check reports inside it', () => {
    const pkg = analyzeProject({ roots: [path.join(dir, 'node_modules', 'esm-pkg')] });
    assert.deepEqual(
      pkg.findings.map((f) => `${path.basename(f.file)}:${f.line} ${f.api}`),
      ['index.mjs:5 fs.statSync'],
    );
  });

  test('tsc-compiled package: __exportStar, __importDefault, (0, f)()', () => {
    assert.deepEqual(
      sites(dir, r)
        .filter((s) => s.startsWith('src/compiled.js'))
        .slice(0, 2),
      ['src/compiled.js:5 fs.readFileSync', 'src/compiled.js:6 fs.readFileSync'],
    );
  });
  test('a class exported from a package: new Store().load()', () => {
    assert.ok(sites(dir, r).includes('src/compiled.js:8 fs.readFileSync'));
  });
});

describe('package resolution', () => {
  const dir = installDepsFixture();
  const from = path.join(dir, 'src', 'app.ts');
  const nm = path.join(dir, 'node_modules');
  const resolver = new PackageResolver();

  test('main without an extension finds the .js beside the .d.ts; exports skips types', () => {
    assert.equal(resolver.bare(from, 'tsc-lib'), path.join(nm, 'tsc-lib', 'dist', 'index.js'));
    assert.equal(resolver.bare(from, 'esm-pkg'), path.join(nm, 'esm-pkg', 'dist', 'index.mjs'));
  });

  test('built-ins, missing packages, unexported JSON and bad specifiers resolve to nothing', () => {
    for (const spec of ['fs', 'node:fs', 'fs/promises', 'not-installed', 'esm-pkg/package.json']) {
      assert.equal(resolver.bare(from, spec), undefined, spec);
    }
    assert.equal(resolver.bare(from, '@scope'), undefined);
    assert.equal(resolver.bare(from, '../x'), undefined);
  });

  test('a package file that vanishes after resolution is a note, not a crash', () => {
    const deps = new Dependencies({ cache: false });
    const file = deps.bare(from, 'startup-pkg')!;
    fs.rmSync(file);
    assert.equal(deps.summary(file), undefined);
    assert.deepEqual(
      deps.notes().map((n) => [n.kind, n.reason]),
      [['error', 'cannot read: ENOENT']],
    );
  });
});

describe('package summary cache', () => {
  test('a second run takes every package file from the cache, with the same findings', () => {
    const dir = installDepsFixture();
    // A second install of yaml-lite@0.1.0 (top level, besides the one nested in cfg-loader), also
    // reached: each copy keeps its own cache entry.
    const nested = path.join(dir, 'node_modules', 'cfg-loader', 'node_modules', 'yaml-lite');
    fs.cpSync(nested, path.join(dir, 'node_modules', 'yaml-lite'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'src', 'twice.js'),
      "const y = require('yaml-lite');\nexports.h = async (p) => y.parseFile(p);\n",
    );
    const first = run(dir);
    assert.ok(sites(dir, first).includes('src/twice.js:2 fs.readFileSync'));
    assert.equal(first.dependencies!.cached, 0);
    assert.ok(
      fs.readdirSync(cacheDir(dir)).some((f) => /^cfg-loader@1\.2\.3-\w{8}\.json$/.test(f)),
    );
    const second = run(dir);
    assert.equal(second.dependencies!.files, first.dependencies!.files);
    assert.equal(second.dependencies!.cached, first.dependencies!.files);
    assert.deepEqual(second.findings, first.findings);
  });

  test('an edited package file is analysed again; the others come from the cache', () => {
    const dir = installDepsFixture();
    const first = run(dir);
    const file = path.join(dir, 'node_modules', 'cfg-loader', 'lib', 'index.js');
    const text = fs.readFileSync(file, 'utf8').replace('fs.readFileSync(p', 'String(p');
    fs.writeFileSync(file, text);
    const second = run(dir);
    assert.equal(second.dependencies!.cached, first.dependencies!.files - 1);
    assert.ok(!sites(dir, second).includes('src/app.ts:9 fs.readFileSync'));
  });

  test('a changed lockfile entry or a reinstalled package invalidates that package only', () => {
    const dir = installDepsFixture();
    const lock = (integrity: string) =>
      fs.writeFileSync(
        path.join(dir, 'node_modules', '.package-lock.json'),
        JSON.stringify({ packages: { 'node_modules/esm-pkg': { integrity } } }),
      );
    lock('sha512-one');
    const first = run(dir);
    const files = first.dependencies!.files;
    lock('sha512-two'); // esm-pkg changed in the lockfile: the 4 files reached are analysed again
    assert.equal(run(dir).dependencies!.cached, files - 4);
    const manifest = path.join(dir, 'node_modules', 'startup-pkg', 'package.json');
    const body = fs.readFileSync(manifest);
    fs.rmSync(manifest);
    fs.writeFileSync(manifest, body); // a reinstall writes a new package.json
    assert.equal(run(dir).dependencies!.cached, files - 1);
  });

  test('an unwritable cache folder means no cache, and the same findings', () => {
    const dir = installDepsFixture();
    fs.mkdirSync(path.join(dir, 'node_modules', '.cache'), { recursive: true });
    fs.writeFileSync(cacheDir(dir), 'not a folder');
    const first = run(dir);
    const second = run(dir);
    assert.equal(second.dependencies!.cached, 0);
    assert.deepEqual(second.findings, first.findings);
    assert.equal(first.findings.filter((f) => f.file.endsWith('app.ts')).length, 6);
  });
});
