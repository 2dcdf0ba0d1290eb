/**
 * `loop-lens record` of a target whose worker thread blocks its own loop (#14's example): the
 * worker's stalls are printed with their thread and written to the recording.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Recording } from '../../src/shared/protocol/runtime';
import { cli, lineOf, ROOT } from './cliHelpers';

const WORKER = join(ROOT, 'test', 'fixtures', 'cli', 'worker.js');
const SPIN = lineOf(WORKER, 'WORKER SPIN');

test('record -- node worker.js: a worker named cruncher spinning its loop is printed with its thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-cli-workers-'));
  try {
    const out = join(dir, 'rec.json');
    const p = cli(['record', '--out', out, '--', 'node', WORKER]);
    const { code } = await p.exited;
    assert.equal(code, 0, p.err());
    const stallLine = new RegExp(
      `^\\s+\\+\\d+\\.\\d{3}s\\s+\\d+ ms  cpu\\s+\\[worker 1: cruncher\\] (?:[^←\\n]* ← )?test/fixtures/cli/worker\\.js:${SPIN} spin$`,
      'm',
    );
    assert.match(p.out(), stallLine);
    assert.doesNotMatch(p.out(), /No stall longer than/);
    const rec = JSON.parse(readFileSync(out, 'utf8')) as Recording;
    const worker = rec.stalls.filter((s) => s.thread?.name === 'cruncher');
    assert.ok(worker.length > 0, JSON.stringify(rec.stalls.map((s) => s.thread)));
    for (const s of worker) {
      assert.deepEqual(s.thread, { id: 1, name: 'cruncher' });
      if (s.kind !== 'starved') assert.equal(s.blame?.line, SPIN, JSON.stringify(s.blame));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
