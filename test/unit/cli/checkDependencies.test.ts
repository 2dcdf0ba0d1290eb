/**
 * `loop-lens check` on a project with installed dependencies (test/fixtures/deps): the chain into
 * node_modules in text and JSON, `--no-dependencies`, and the cache the second run reads.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { buildCli, runCli } from './cliHarness';
import { installDepsFixture } from '../analysis/depsFixture';

interface Out {
  findings: { line: number; api: string; chain: { file: string; name: string }[] }[];
  dependencies: { packages: number; files: number; cached: number };
}

describe('loop-lens check: installed dependencies', () => {
  let dir: string;

  before(
    async () => {
      await buildCli();
      dir = installDepsFixture();
    },
    { timeout: 600_000 },
  );

  test('text: the chain goes into node_modules; the summary counts the packages', async () => {
    const run = await runCli(['check', 'src/app.ts'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /via loadConfig \(src\/app\.ts:9\) → readText \(node_modules\/cfg-loader\/lib\/index\.js:12\) → fs\.readFileSync \(node_modules\/cfg-loader\/lib\/index\.js:7\)/,
    );
    assert.match(run.stdout, /✖ 6 problems/);
  });

  test('JSON counts the packages followed; a second run reads them from the cache', async () => {
    const first = await runCli(['check', 'src', '--format', 'json'], { cwd: dir });
    const second = await runCli(['check', 'src', '--format', 'json'], { cwd: dir });
    const [a, b] = [first, second].map((r) => JSON.parse(r.stdout) as Out);
    assert.ok(a.dependencies.packages >= 4, JSON.stringify(a.dependencies));
    assert.equal(b.dependencies.cached, b.dependencies.files);
    assert.deepEqual(b.findings, a.findings);
  });

  test('--no-dependencies follows nothing into node_modules', async () => {
    const run = await runCli(['check', 'src', '--no-dependencies', '--format', 'json'], {
      cwd: dir,
    });
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as Out;
    assert.deepEqual(out.findings, []);
    assert.deepEqual(out.dependencies, { packages: 0, files: 0, cached: 0 });
  });
});
