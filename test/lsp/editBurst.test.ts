/**
 * Edits faster than the server analyses: a burst of full-text changes sent without waiting. The
 * server must end with the diagnostics of the last text, and every set it publishes on the way
 * must belong to the version it is tagged with (never the findings of an older text).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serverOnFixture } from './client';

const EDITS = 24;
/** Small texts: the whole burst fits in one pipe buffer, so it reaches the server at once. */
const FILLER = EDITS + 1;

/** Text k: one blocking call, in function `f{k}` (each text has it on another line). */
function textOf(k: number): { text: string; line: number } {
  const lines = ["import * as fs from 'node:fs';", ''];
  let line = -1;
  for (let i = 0; i < FILLER; i++) {
    if (i !== k) {
      lines.push(`export async function f${i}(p: string) { return p; }`);
      continue;
    }
    lines.push(`export async function f${i}(p: string) {`);
    line = lines.length;
    lines.push("  return fs.readFileSync(p, 'utf8');", '}');
  }
  return { text: lines.join('\n'), line };
}

describe('a burst of edits', () => {
  const s = serverOnFixture({ 'burst.ts': textOf(0).text });

  test('ends with the last text diagnostics and never publishes a stale set', async () => {
    const uri = s.fx.uri('burst.ts');
    await s.lsp.open(uri, textOf(0).text);
    await s.lsp.waitForDiagnostics(uri, (d) => d.length === 1, 'the first diagnostics');
    // Sent back to back, without waiting for diagnostics: they arrive faster than analyses end.
    const lineOf = new Map<number, number>([[1, textOf(0).line]]);
    const sends: Promise<number>[] = [];
    for (let k = 1; k <= EDITS; k++) sends.push(s.lsp.change(uri, textOf(k).text));
    const versions = await Promise.all(sends);
    versions.forEach((v, i) => lineOf.set(v, textOf(i + 1).line));
    const last = versions[versions.length - 1]!;

    await s.lsp.waitForDiagnostics(
      uri,
      () => s.lsp.published.some((p) => p.uri === uri && p.version === last),
      'the last text diagnostics',
    );
    const ours = s.lsp.published.filter((p) => p.uri === uri);
    for (const p of ours) {
      assert.equal(typeof p.version, 'number', 'an open document is published with its version');
      assert.deepEqual(
        p.diagnostics.map((d) => d.range.start.line),
        [lineOf.get(p.version!)],
        `the set published for version ${p.version} is that version's`,
      );
    }
    const seen = ours.map((p) => p.version!);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
      'versions only go forward',
    );
    // Each edit moves the call to another line, so every analysis of a current version was
    // published. Analysing each edit as it is dispatched publishes about every other version
    // here; folding the queued edits leaves a handful of sets.
    assert.ok(ours.length <= EDITS / 4, `${ours.length} sets published for ${EDITS} edits`);
  });
});
