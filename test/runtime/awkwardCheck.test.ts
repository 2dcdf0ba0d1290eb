/**
 * `loop-lens check` on an awkward tree (test/robustness/awkwardTree.ts): a symlink loop, an
 * unreadable folder, a 50 MB file, a file with a NUL byte and 10,000 files in one folder. It must
 * finish, find the one real problem, and say in its notes what it skipped and why. As root the
 * CLI runs as `nobody`, so that the unreadable folder really is unreadable.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAwkwardTree } from '../robustness/awkwardTree';
import { CLI } from './cliHelpers';

interface CheckJson {
  findings: Array<{ file: string; line: number; rule: string }>;
  filesAnalyzed: number;
  notes: Array<{ file: string; kind: string; reason: string }>;
}

function check(cwd: string, asNobody: boolean) {
  return spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '.'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
  });
}

test('check on a symlink loop, an unreadable folder, 50 MB, a NUL byte and 10,000 files: finishes, finds, explains', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'll-awkward-'));
  chmodSync(dir, 0o755);
  const tree = makeAwkwardTree(join(dir, 'project'));
  try {
    let r = check(tree.root, process.getuid?.() === 0);
    let unreadable = process.getuid?.() === 0;
    if (unreadable && r.status === 2 && /EACCES|Cannot find module/.test(r.stderr)) {
      // This checkout is not readable by nobody: run as root (the folder is then readable).
      t.diagnostic(`as nobody the CLI itself cannot be read (${r.stderr.split('\n')[0]}); as root`);
      r = check(tree.root, false);
      unreadable = false;
    }
    assert.equal(r.status, 1, `exit 1 for the finding:\n${r.stderr}`);
    const out = JSON.parse(r.stdout) as CheckJson;
    assert.deepEqual(
      out.findings.map((f) => [f.file, f.line, f.rule]),
      [[join(tree.root, 'app.js'), 3, 'sync-fs']],
    );
    // Every small file once; the symlink loop added nothing (no file seen twice, no endless walk).
    assert.ok(out.filesAnalyzed >= tree.manyFiles + 1, String(out.filesAnalyzed));
    assert.ok(out.filesAnalyzed <= tree.manyFiles + 3, String(out.filesAnalyzed));
    const note = (file: string) => out.notes.find((n) => n.file === join(tree.root, file));
    assert.match(note('big.js')?.reason ?? '', /huge file/, JSON.stringify(out.notes));
    assert.match(note('nul.js')?.reason ?? '', /binary file/, JSON.stringify(out.notes));
    if (unreadable) {
      assert.match(
        note('locked')?.reason ?? '',
        /cannot read folder: EACCES/,
        JSON.stringify(out.notes),
      );
    }
  } finally {
    tree.restore();
    rmSync(dir, { recursive: true, force: true });
  }
});
