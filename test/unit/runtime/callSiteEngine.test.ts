/**
 * The static engine never runs on a stall's path (callSite.ts): a lookup that needs it answers
 * by name at once, and the engine's answer, found after the stall, serves the next stall of the
 * same shape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findBlockingLine, staticLookupsDone } from '../../../src/runtime/callSite';

const aliased = [
  "const { readFileSync: rfs } = require('fs');",
  'function load(f) {',
  '  const x = JSON.parse("{}");',
  '  return rfs(f);',
  '}',
].join('\n');

test('a stall does not wait for the static engine; the next one of its shape has its line', async () => {
  // The name is not in the text: the first well-known blocking call, at once.
  assert.equal(await findBlockingLine(aliased, '/tmp/a.js', 2, 'load', ['readFileSync']), 3);
  await staticLookupsDone();
  // The engine resolved the alias after the stall.
  assert.equal(await findBlockingLine(aliased, '/tmp/a.js', 2, 'load', ['readFileSync']), 4);
  // Found by name: no engine at all.
  const named = 'function g(p) {\n  const a = 1;\n  return readFileSync(p);\n}\n';
  assert.equal(await findBlockingLine(named, '/tmp/b.js', 1, 'g', ['readFileSync']), 3);
});
