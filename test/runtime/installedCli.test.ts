/**
 * The CLI as a user gets it: `npm pack` (its prepack makes the production CLI bundle), then
 * `npm install -g <tarball>` into an empty prefix, offline, and the installed `loop-lens` run from a
 * folder outside the repository: `check` on a copied project, `record -- node …` on a copied
 * blocking script. Prints the installed size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Recording } from '../../src/shared/protocol/runtime';
import { BLOCKER, ROOT, kill, lineOf, run } from './cliHelpers';

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function sizeOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, name) => n + sizeOf(join(path, name)), 0);
}

test('npm pack → npm install -g into an empty prefix: check and record work from the installed command', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'll-installed-'));
  const prefix = join(dir, 'prefix');
  const work = join(dir, 'work');
  mkdirSync(prefix);
  mkdirSync(work);

  const packed = JSON.parse(
    sh('npm', ['pack', '--json', '--pack-destination', dir], ROOT),
  ) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  const tarball = join(dir, packed[0]!.filename);
  const shipped = packed[0]!.files.map((f) => f.path);
  for (const f of [
    'LICENSE',
    'CHANGELOG.md',
    'README.md',
    'bin/loop-lens.js',
    'dist/cli.js',
    'docs/rules/sync-fs.md',
  ]) {
    assert.ok(shipped.includes(f), `${f} is in the tarball: ${shipped.join(', ')}`);
  }
  assert.ok(!shipped.some((f) => f.startsWith('src/') || f.endsWith('.map')), shipped.join(', '));

  sh(
    'npm',
    ['install', '-g', tarball, '--prefix', prefix, '--offline', '--no-audit', '--no-fund'],
    dir,
  );
  const installed = join(prefix, 'lib', 'node_modules', 'loop-lens');
  const bin = join(prefix, 'bin', 'loop-lens');
  assert.ok(existsSync(bin), 'the loop-lens command is installed');
  const size = sizeOf(installed);
  t.diagnostic(`installed size: ${(size / 1e6).toFixed(1)} MB (${size} bytes)`);
  assert.deepEqual(
    readdirSync(join(prefix, 'lib', 'node_modules')),
    ['loop-lens'],
    'no dependencies',
  );

  // check: a small server outside the repository that reads a file on every request.
  writeFileSync(
    join(work, 'app.js'),
    "const fs = require('node:fs');\nrequire('node:http').createServer((req, res) => {\n  res.end(fs.readFileSync('page.html'));\n}).listen(0);\n",
  );
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` };
  const check = spawnSync(bin, ['check', '--format', 'json', '.'], {
    cwd: work,
    encoding: 'utf8',
    env,
  });
  assert.equal(check.status, 1, `findings exit 1:\n${check.stdout}\n${check.stderr}`);
  const doc = JSON.parse(check.stdout) as { findings: Array<{ file: string; rule: string }> };
  assert.ok(
    doc.findings.some((f) => f.file.endsWith('app.js') && f.rule === 'sync-fs'),
    check.stdout,
  );
  const sarif = spawnSync(bin, ['check', '--format', 'sarif', '.'], {
    cwd: work,
    encoding: 'utf8',
    env,
  });
  const rules = (
    JSON.parse(sarif.stdout) as {
      runs: Array<{ tool: { driver: { rules: Array<{ helpUri: string }> } } }>;
    }
  ).runs[0]!.tool.driver.rules;
  for (const r of rules) {
    assert.ok(r.helpUri.startsWith(`file://${installed}/docs/rules/`), r.helpUri);
    assert.ok(existsSync(new URL(r.helpUri)), `${r.helpUri} exists in the installed package`);
  }

  // record -- node blocker.js, until the first stall is printed; then Ctrl-C.
  const target = join(work, 'blocker.js');
  copyFileSync(BLOCKER, target);
  const out = join(work, 'rec.json');
  const rec = run([bin, 'record', '--out', out, '--', 'node', target], {}, work);
  try {
    // A stall on one of the two blocking lines (startup's 48 MB write may be one too, first).
    const blocking = `(${lineOf(target, 'SPIN LINE')}|${lineOf(target, 'READ LINE')})`;
    await rec.waitFor(
      'stdout',
      new RegExp(`^\\s+\\+\\d+\\.\\d{3}s\\s+\\d+ ms {2}[a-z-]+\\s+blocker\\.js:${blocking} `, 'm'),
    );
    rec.child.kill('SIGINT');
    const { code } = await rec.exited;
    assert.equal(code, 0, rec.err());
  } finally {
    await kill(rec);
  }
  const recording = JSON.parse(readFileSync(out, 'utf8')) as Recording;
  const lines = [lineOf(target, 'SPIN LINE'), lineOf(target, 'READ LINE')];
  assert.ok(
    recording.stalls.some((s) => s.blame?.file === target && lines.includes(s.blame.line)),
    JSON.stringify(recording.stalls.map((s) => s.blame)),
  );
});
