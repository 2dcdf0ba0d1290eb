import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PIECE_CHARS, pieceBounds, rehearse } from '../../../server/src/analysis/rehearsal';
import { summarize } from '../../../server/src/analysis/summarize';

/** `n` top-level functions of a few lines each. */
function functions(n: number): string {
  const out = ["import * as fs from 'node:fs';", ''];
  for (let i = 0; i < n; i++) {
    out.push(
      `export async function f${i}(p: string) {`,
      `  const x = ${i};`,
      "  return fs.readFileSync(p, 'utf8') + x;",
      '}',
      '',
    );
  }
  return out.join('\n');
}

test('pieces cover the text in order, each cut before a top-level statement', () => {
  const text = functions(400);
  const b = pieceBounds(text);
  assert.equal(b[0], 0);
  assert.equal(b.at(-1), text.length);
  assert.ok(b.length > 3, `${b.length - 1} pieces`);
  for (let i = 1; i < b.length; i++) {
    assert.ok(b[i]! > b[i - 1]!, 'increasing');
    assert.ok(b[i]! - b[i - 1]! <= PIECE_CHARS, 'at most a piece long');
    if (i < b.length - 1) assert.match(text.slice(b[i]), /^export async function f\d+/);
  }
  // Each piece holds whole functions: summarised alone, the pieces have all of them.
  const names = (t: string) => summarize('/p.ts', t).fns.map((f) => f.name);
  const pieces = b.slice(1).flatMap((end, i) => names(text.slice(b[i], end)));
  assert.deepEqual(
    pieces.filter((n) => n !== '(top level)'),
    names(text).filter((n) => n !== '(top level)'),
  );
});

test('a text without a place to cut is still cut, and short texts are one piece', () => {
  const line = `${'x'.repeat(PIECE_CHARS * 3)}\n`;
  const b = pieceBounds(line);
  assert.deepEqual([b[0], b.at(-1)], [0, line.length]);
  for (let i = 1; i < b.length; i++) assert.ok(b[i]! - b[i - 1]! <= PIECE_CHARS);
  assert.deepEqual(pieceBounds('const a = 1;\n'), [0, 13]);
  assert.deepEqual(pieceBounds(''), [0, 0]);
});

test('a rehearsal summarises the piece after an edit, and a broken piece does not throw', () => {
  const piece = functions(3);
  assert.equal(rehearse('/p.ts', piece), summarize('/p.ts', piece).fns.length);
  assert.equal(typeof rehearse('/p.js', 'function (( {\n  if (\n'), 'number');
});
