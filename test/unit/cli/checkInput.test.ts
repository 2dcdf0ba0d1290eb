/** `loop-lens check`: bad input files, the type-checker switch, and terminal behaviour. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { buildCli, makeProject, repoRoot, runCli, runProcess } from './cliHarness';
import type { JsonOut } from './checkFixtures';

describe('loop-lens check: input and terminal', () => {
  before(
    async () => {
      await buildCli();
    },
    { timeout: 600_000 },
  );

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
      // An object type: syntax does not follow `deps.io` (a `typeof fsTypes` parameter it would).
      "import type * as fsTypes from 'node:fs';\n" +
        'export async function handle(deps: { io: typeof fsTypes }): Promise<string> {\n' +
        "  return deps.io.readFileSync('x', 'utf8');\n}\n",
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
