/**
 * `--format sarif` validated against the official SARIF 2.1.0 JSON schema (rtm.5, as shipped in
 * @microsoft/jest-sarif, installed with its ajv into .cache/sarif-schema by this test). Without
 * network the install fails and so does the test.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { buildCli, installPinned, makeProject, repoRoot, runCli } from './cliHarness';

const cache = join(repoRoot, '.cache', 'sarif-schema');
const pkg = '@microsoft/jest-sarif';
const version = '1.0.0-beta.0';
const pkgDir = join(cache, 'node_modules', '@microsoft', 'jest-sarif');

interface Validator {
  (data: unknown): boolean;
  errors?: unknown[] | null;
}
interface AjvLike {
  compile(schema: unknown): Validator;
  addMetaSchema(schema: unknown): void;
}

const project = {
  'src/a.ts': [
    "import { readFileSync } from 'node:fs';",
    "import { helper } from './b';",
    "export async function serve(): Promise<string> { return readFileSync('x', 'utf8') + helper(); }",
    '',
  ].join('\n'),
  'src/b.ts':
    "import { execSync } from 'node:child_process';\nexport function helper(): string { return String(execSync('ls')); }\n",
  'src/min.js': `var a=${'1+'.repeat(3000)}1;\n`,
};

let validate: Validator;

before(
  async () => {
    await Promise.all([installPinned(cache, { [pkg]: version }), buildCli()]);
    const req = createRequire(join(pkgDir, 'package.json'));
    const Ajv = req('ajv') as new (opts: object) => AjvLike;
    const schema: unknown = JSON.parse(
      readFileSync(join(pkgDir, 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'),
    );
    // The SARIF schema is draft-04 (with `id`): ajv 6 needs that meta-schema added.
    const ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
    ajv.addMetaSchema(req('ajv/lib/refs/json-schema-draft-04.json'));
    validate = ajv.compile(schema);
  },
  { timeout: 600_000 },
);

test('SARIF output with direct and indirect findings validates against the SARIF 2.1.0 schema', async () => {
  const dir = makeProject(project);
  const run = await runCli(['check', 'src', '--format', 'sarif'], { cwd: dir });
  assert.equal(run.code, 1, run.stderr);
  const log: unknown = JSON.parse(run.stdout);
  const ok = validate(log);
  assert.ok(ok, JSON.stringify(validate.errors, null, 1));
  const results = (log as { runs: { results: { codeFlows?: unknown[] }[] }[] }).runs[0].results;
  assert.equal(results.length, 2, run.stdout);
  assert.equal(
    results.filter((r) => r.codeFlows).length,
    1,
    'the indirect finding carries a codeFlow',
  );
});

test('an empty SARIF run (clean project) validates too', async () => {
  const dir = makeProject({ 'x.js': 'module.exports = 1;\n' });
  const run = await runCli(['check', '--format', 'sarif'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(validate(JSON.parse(run.stdout)), JSON.stringify(validate.errors, null, 1));
});

test('the validator is not vacuous: a driver without a name or a line 0 region is rejected', () => {
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
  const badRegion = {
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'x' } },
        results: [
          {
            message: { text: 'm' },
            locations: [
              { physicalLocation: { artifactLocation: { uri: 'a.js' }, region: { startLine: 0 } } },
            ],
          },
        ],
      },
    ],
  };
  assert.equal(validate(badRegion), false);
});
