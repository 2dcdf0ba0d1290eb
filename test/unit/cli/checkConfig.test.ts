/** `loop-lens check`: config discovery, severities, ignores, and usage errors (exit 2). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { buildCli, makeProject, runCli } from './cliHarness';
import { type JsonOut, service } from './checkFixtures';

describe('loop-lens check: config and usage errors', () => {
  let project: string;

  before(
    async () => {
      await buildCli();
      project = makeProject(service);
    },
    { timeout: 600_000 },
  );

  test('the config file found above the folder changes severities', async () => {
    const dir = makeProject({
      ...service,
      '.looplensrc.json': '{ "severity": { "sync-fs": "error" } }',
    });
    const run = await runCli(['check', 'src', '--format', 'json', '--fail-on', 'error'], {
      cwd: dir,
    });
    assert.equal(run.code, 1, run.stderr);
    assert.equal((JSON.parse(run.stdout) as JsonOut).findings[0].severity, 'error');
    const off = makeProject({
      ...service,
      'package.json': '{ "loopLens": { "severity": { "sync-io": "off" } } }',
    });
    const quiet = await runCli(['check', 'src', '--format', 'json'], { cwd: off });
    assert.equal(quiet.code, 0, quiet.stdout + quiet.stderr);
    assert.equal((JSON.parse(quiet.stdout) as JsonOut).findings.length, 0);
  });

  test('ignore globs in the root config apply when a subfolder is checked', async () => {
    const dir = makeProject({
      ...service,
      'src/gen/blocking.ts':
        "import { execSync } from 'child_process';\nexport async function g() { execSync('ls'); }\n",
      '.looplensrc.json': '{ "ignore": ["src/gen/**"] }',
    });
    for (const target of ['.', 'src']) {
      const run = await runCli(['check', target, '--format', 'json'], { cwd: dir });
      const out = JSON.parse(run.stdout) as JsonOut;
      assert.equal(out.filesAnalyzed, 2, `check ${target}: ${run.stdout}`);
      assert.deepEqual(
        out.findings.map((f) => f.rule),
        ['sync-fs'],
        `check ${target}`,
      );
    }
  });

  test('a bad config exits 2 naming the file and the key', async () => {
    const dir = makeProject({
      ...service,
      '.looplensrc.json': '{ "severity": { "sync-fs": "loud" } }',
    });
    const run = await runCli(['check', 'src'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.ok(run.stderr.includes(join(dir, '.looplensrc.json')), run.stderr);
    assert.match(run.stderr, /"severity\.sync-fs" must be one of/);
  });

  test('--config with a missing file exits 2', async () => {
    const run = await runCli(['check', '--config', 'nope.json'], { cwd: project });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /nope\.json: config file not found/);
  });

  test('a nonexistent path exits 2 and says which', async () => {
    const run = await runCli(['check', 'src', 'no/such/dir'], { cwd: project });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /no such file or folder: .*no\/such\/dir/);
  });

  test('an unknown --format or --fail-on is a usage error (exit 2)', async () => {
    const format = await runCli(['check', '--format', 'xml'], { cwd: project });
    assert.equal(format.code, 2);
    assert.match(format.stderr, /xml/);
    const failOn = await runCli(['check', '--fail-on', 'warn'], { cwd: project });
    assert.equal(failOn.code, 2);
  });
});
