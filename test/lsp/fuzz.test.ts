/**
 * The built language server under a few hundred random edits of real files
 * (test/robustness/lspFuzz.ts; `npm run bench -- robustness` runs more and reports latencies):
 * no crash, every request answered, no exception caught and logged, and afterwards still right.
 * Seeded: a failure replays with the same seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzLanguageServer } from '../robustness/lspFuzz';

test('300 random edits (truncations, random bytes, unbalanced braces, 1 MB line, binary, deleted file): no crash, all answered', async () => {
  const r = await fuzzLanguageServer(300, 1);
  assert.equal(r.crashes, 0, r.log.join('\n'));
  assert.equal(r.edits, 300);
  assert.equal(r.answered, r.requests, r.log.join('\n'));
  assert.equal(r.errors, 0, r.log.join('\n'));
  assert.deepEqual(r.logged, []);
});
