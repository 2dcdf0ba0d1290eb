/**
 * `loop-lens check` as a user runs it: the bundled CLI in its own process, on small projects
 * written to a temp folder. Checks stdout, exit codes, the JSON and SARIF shapes and bad input.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { buildCli, makeProject, repoRoot, runCli, runProcess } from './cliHarness';

interface JsonOut {
  findings: {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    rule: string;
    severity: string;
    api: string;
    chain: { file: string; line: number; name: string }[];
  }[];
  filesAnalyzed: number;
  durationMs: number;
}

/** An async handler → render() → loadTemplate() → readFileSync across files, and startup reads. */
const service = {
  'src/server.ts': [
    "import { readFileSync } from 'node:fs';",
    "import { render } from './views';",
    "const config = JSON.parse(readFileSync('config.json', 'utf8'));",
    'export async function handle(name: string): Promise<string> {',
    '  return render(name, config);',
    '}',
    '',
  ].join('\n'),
  'src/views.ts': [
    "import * as fs from 'fs';",
    'export function loadTemplate(name: string): string {',
    "  return fs.readFileSync(`views/${name}.html`, 'utf8');",
    '}',
    'export function render(name: string, vars: unknown): string {',
    '  return loadTemplate(name) + JSON.stringify(vars);',
    '}',
    '',
  ].join('\n'),
};

const clean = {
  'src/ok.ts': [
    "import { promises as fsp, readFileSync } from 'node:fs';",
    "const banner = readFileSync('banner.txt', 'utf8');",
    'export async function read(p: string): Promise<string> {',
    "  return banner + (await fsp.readFile(p, 'utf8'));",
    '}',
    '',
  ].join('\n'),
};

describe('loop-lens check', () => {
  let project: string;
  let cleanProject: string;

  before(
    async () => {
      await buildCli();
      project = makeProject(service);
      cleanProject = makeProject(clean);
    },
    { timeout: 600_000 },
  );

  test('JSON: the indirect finding at the async call site with its chain, not the startup read', async () => {
    const run = await runCli(['check', 'src', '--format', 'json'], { cwd: project });
    assert.equal(run.code, 1, run.stderr);
    const out = JSON.parse(run.stdout) as JsonOut;
    assert.equal(out.filesAnalyzed, 2);
    assert.equal(typeof out.durationMs, 'number');
    assert.equal(out.findings.length, 1, run.stdout);
    const [f] = out.findings;
    assert.equal(f.file, join(project, 'src', 'server.ts'));
    assert.equal(f.line, 5);
    assert.equal(f.rule, 'sync-fs');
    assert.equal(f.severity, 'warning');
    assert.ok(f.endLine >= f.line && f.column >= 1);
    assert.deepEqual(
      f.chain.map((s) => s.name).slice(-2),
      ['loadTemplate', 'fs.readFileSync'],
      JSON.stringify(f.chain),
    );
    const last = f.chain[f.chain.length - 1];
    assert.deepEqual([last.file, last.line], [join(project, 'src', 'views.ts'), 3]);
  });

  test('text: grouped by file, chain indented, summary line, no colour when piped', async () => {
    const run = await runCli(['check'], { cwd: project });
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.split('\n');
    const at = lines.indexOf(join('src', 'server.ts'));
    assert.ok(at >= 0, run.stdout);
    assert.match(lines[at + 1], /^ {2}5:\d+ +warning {2}.+ {2}sync-fs$/);
    assert.match(
      lines[at + 2],
      /^ {4,}via .*loadTemplate \(src\/views\.ts:\d+\) → fs\.readFileSync \(src\/views\.ts:3\)$/,
    );
    assert.match(run.stdout, /✖ 1 problem \(0 errors, 1 warning, 0 infos\)/);
    assert.ok(!run.stdout.includes('\u001b['), 'no ANSI escapes when stdout is not a terminal');
  });

  test('a clean project exits 0 with a clean message', async () => {
    const run = await runCli(['check', '.'], { cwd: cleanProject });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /No blocking calls found \(1 file analysed\)/);
  });

  test('--fail-on decides the exit code', async () => {
    const code = async (level: string): Promise<number> =>
      (await runCli(['check', '--format', 'json', '--fail-on', level], { cwd: project })).code;
    assert.equal(await code('error'), 0);
    assert.equal(await code('warning'), 1);
    assert.equal(await code('info'), 1);
    assert.equal(await code('none'), 0);
  });

  test('SARIF 2.1.0 with rules, a located result and the chain as a codeFlow', async () => {
    const run = await runCli(['check', 'src', '--format', 'sarif'], { cwd: project });
    assert.equal(run.code, 1, run.stderr);
    const log = JSON.parse(run.stdout);
    assert.equal(log.version, '2.1.0');
    assert.ok(log.$schema);
    const run0 = log.runs[0];
    assert.equal(run0.tool.driver.name, 'loop-lens');
    const [r] = run0.results;
    const rule = run0.tool.driver.rules[r.ruleIndex];
    assert.equal(rule.id, 'sync-fs');
    assert.match(rule.helpUri, /\/docs\/rules\/sync-fs\.md$/);
    assert.equal(rule.defaultConfiguration.level, 'warning');
    const loc = r.locations[0].physicalLocation;
    assert.deepEqual(loc.artifactLocation, { uri: 'src/server.ts', uriBaseId: '%SRCROOT%' });
    assert.equal(loc.region.startLine, 5);
    assert.ok(r.codeFlows[0].threadFlows[0].locations.length >= 2);
    assert.ok(r.relatedLocations.length >= 2);
    // Every rule's help link opens a page that exists in this checkout.
    for (const { id, helpUri } of run0.tool.driver.rules as { id: string; helpUri: string }[]) {
      assert.ok(existsSync(fileURLToPath(helpUri)), `${id}: ${helpUri} does not exist`);
    }
    assert.ok(existsSync(fileURLToPath(run0.tool.driver.informationUri)));
  });

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

  test('bad input: a syntax error is partial, a binary file skipped, a symlink loop ends', async () => {
    const dir = makeProject({
      'src/broken.js':
        "const fs = require('fs');\nasync function h() { fs.readFileSync('x');\n  if ( {\n}\n",
      'src/bin.js': 'x\u0000\u0000\u0000binary',
    });
    symlinkSync('..', join(dir, 'src', 'loop'));
    const text = await runCli(['check', 'src'], { cwd: dir, timeoutMs: 60_000 });
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^Notes:$/m);
    assert.match(text.stdout, /partial +src\/broken\.js: .+/);
    assert.match(text.stdout, /skipped +src\/bin\.js: .+/);
    const json = await runCli(['check', 'src', '--format', 'json'], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    const out = JSON.parse(json.stdout) as JsonOut & { notes: { file: string; kind: string }[] };
    assert.deepEqual(out.notes.map((n) => [n.file, n.kind]).sort(), [
      [join(dir, 'src', 'bin.js'), 'skipped'],
      [join(dir, 'src', 'broken.js'), 'partial'],
    ]);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.rule]),
      [[2, 'sync-fs']],
    );
  });

  test('--no-type-check turns off the checker fallback for calls on typed objects', async () => {
    // Inside the repository, so the project's @types/node is found: the checker needs it.
    mkdirSync(join(repoRoot, '.cache'), { recursive: true });
    const dir = mkdtempSync(join(repoRoot, '.cache', 'cli-typed-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(
      join(dir, 'src', 'a.ts'),
      "import type * as fsTypes from 'node:fs';\n" +
        'export async function handle(io: typeof fsTypes): Promise<string> {\n' +
        "  return io.readFileSync('x', 'utf8');\n}\n",
    );
    try {
      const typed = await runCli(['check', 'src', '--format', 'json'], { cwd: dir });
      const found = (JSON.parse(typed.stdout) as JsonOut).findings;
      assert.deepEqual(
        found.map((f) => [f.line, f.rule]),
        [[3, 'sync-fs']],
        typed.stdout,
      );
      const plain = await runCli(['check', 'src', '--format', 'json', '--no-type-check'], {
        cwd: dir,
      });
      assert.equal(plain.code, 0, plain.stdout);
      assert.deepEqual((JSON.parse(plain.stdout) as JsonOut).findings, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
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

describe('loop-lens check on a terminal', () => {
  /** 250 files: large enough for the progress line (200+), each with one blocking call. */
  const many: Record<string, string> = {};
  for (let i = 0; i < 250; i++) {
    many[`src/m${i}.js`] =
      i === 0
        ? "const fs = require('fs');\nasync function h() { return fs.readFileSync('x'); }\nmodule.exports = h;\n"
        : `module.exports = function f${i}() { return ${i}; };\n`;
  }

  /** Runs the CLI inside a pseudo-terminal (util-linux `script`), so stdout and stderr are TTYs. */
  async function runInTty(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
    const cli = await buildCli();
    const command = [process.execPath, cli, ...args].map((a) => `'${a}'`).join(' ');
    return runProcess('script', ['-qec', command, '/dev/null'], { cwd, env });
  }

  test('colour and a progress line on a terminal; neither when NO_COLOR is set or piped', async () => {
    const dir = makeProject(many);
    const tty = await runInTty(['check', 'src'], dir);
    assert.equal(tty.code, 1, tty.stdout);
    assert.ok(tty.stdout.includes('\u001b[33mwarning'), 'severity is coloured on a terminal');
    assert.match(tty.stdout, /loop-lens: analysing \d+\/250 files/);
    const noColor = await runInTty(['check', 'src'], dir, { NO_COLOR: '1' });
    assert.ok(!noColor.stdout.includes('\u001b[33m'), 'NO_COLOR turns colour off');
    const piped = await runCli(['check', 'src'], { cwd: dir });
    assert.equal(piped.code, 1);
    assert.equal(piped.stderr, '', 'no progress when stderr is not a terminal');
    assert.ok(!piped.stdout.includes('\u001b['));
  });
});
