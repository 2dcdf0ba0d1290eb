/**
 * The part of the crash sweep (`npm run bench -- sweep`) that runs in the tests: a handful of the
 * sweep's pinned packages, installed into .cache/sweep-test, each checked as a user would
 * (`loop-lens check <package folder>`, dependencies followed). Every run ends with exit 0 or 1,
 * JSON output and no internal-error note. @node-red/runtime@5.0.7 once ended with exit 2
 * (ERR_INVALID_ARG_TYPE from Linker.resolveSpec); its known sites are checked too.
 * Without network the install fails and so does this test: it never skips silently.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { buildCli, installPinned, repoRoot, runCli } from '../cli/cliHarness';

const cache = join(repoRoot, '.cache', 'sweep-test');
const modules = join(cache, 'node_modules');
const all = (
  JSON.parse(readFileSync(join(repoRoot, 'bench', 'sweep-packages.json'), 'utf8')) as {
    packages: Record<string, string>;
  }
).packages;
const names = ['@node-red/runtime', 'express', 'koa', 'pg', 'winston', 'commander'];
const packages = Object.fromEntries(names.map((n) => [n, all[n]!]));

interface Out {
  findings: { file: string; line: number; api: string; chain: { file: string; name: string }[] }[];
  notes: { file: string; kind: string; reason: string }[];
  dependencies: { files: number };
}

describe('crash sweep (a handful of pinned packages)', () => {
  const results = new Map<string, { code: number; out?: Out; stderr: string }>();

  before(
    async () => {
      await Promise.all([installPinned(cache, packages), buildCli()]);
      for (const name of names) {
        const run = await runCli(['check', join(modules, name), '--format', 'json'], {
          cwd: cache,
          timeoutMs: 300_000,
        });
        let out: Out | undefined;
        try {
          out = JSON.parse(run.stdout) as Out;
        } catch {
          out = undefined;
        }
        results.set(name, { code: run.code, out, stderr: run.stderr });
      }
    },
    { timeout: 900_000 },
  );

  for (const name of names) {
    test(`${name}@${packages[name]}: exit 0 or 1, JSON, no internal error`, () => {
      const r = results.get(name)!;
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
      assert.ok(r.out, 'the output is JSON');
      assert.deepEqual(
        r.out.notes.filter((n) => /internal error/.test(n.reason)),
        [],
      );
    });
  }

  test('@node-red/runtime: a sync call in async code, and a chain into @node-red/registry', () => {
    const { out } = results.get('@node-red/runtime')!;
    const rt = join(modules, '@node-red', 'runtime', 'lib');
    const at = (rel: string, line: number) =>
      out!.findings.filter((f) => f.file === join(rt, rel) && f.line === line);
    // `async function migrateToMultipleConfigFiles()`: `if (fs.existsSync(nodesFilename))`.
    assert.deepEqual(
      at('storage/localfilesystem/settings.js', 33).map((f) => f.api),
      ['fs.existsSync'],
    );
    // async start() awaits typeRegistry.checkFlowDependencies(), an async function of
    // @node-red/registry that reaches fs.existsSync through refreshExternalModules().
    const [dep] = at('flows/index.js', 306);
    assert.ok(dep, 'the finding going into @node-red/registry');
    assert.deepEqual(
      dep.chain.map((s) => s.name),
      ['typeRegistry.checkFlowDependencies', 'refreshExternalModules', 'fs.existsSync'],
    );
    assert.match(
      dep.chain[2]!.file,
      /node_modules\/@node-red\/registry\/lib\/externalModules\.js$/,
    );
  });
});
