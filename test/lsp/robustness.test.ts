import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serverOnFixture } from './client';

/** A 10,000-line module: many small functions, one blocking call near the end. */
function bigFile(blockingAt: number | undefined): string {
  const lines = ["import * as fs from 'node:fs';"];
  for (let i = 0; lines.length < 9990; i++) {
    lines.push(`export async function handler${i}(x: number) {`);
    lines.push(`  const y = x * ${i} + Math.floor(x / 3);`);
    lines.push(
      i === blockingAt ? "  fs.readFileSync('/etc/hosts');" : `  await Promise.resolve(y);`,
    );
    lines.push('  return y;');
    lines.push('}');
  }
  while (lines.length < 10_000) lines.push('');
  return lines.join('\n');
}

describe('robustness', () => {
  const s = serverOnFixture();

  test('a 10,000-line file: diagnostics on open and after edits, hover answers', async () => {
    const uri = s.fx.uri('big.ts');
    await s.lsp.open(uri, bigFile(1900));
    const [d] = await s.lsp.waitForDiagnostics(uri, (x) => x.length === 1);
    const line = d!.range.start.line;
    assert.equal(line, 1 + 1900 * 5 + 2);
    await s.lsp.change(uri, bigFile(10));
    const [d2] = await s.lsp.waitForDiagnostics(
      uri,
      (x) => x.length === 1 && x[0]!.range.start.line !== line,
    );
    assert.equal(d2!.range.start.line, 1 + 10 * 5 + 2);
    const hover = await s.lsp.hover(uri, d2!.range.start.line, d2!.range.start.character + 3);
    assert.ok(hover);
    await s.lsp.change(uri, bigFile(undefined));
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 0);
  });

  test('binary junk, an empty file and a non-file URI are survived', async () => {
    await s.lsp.open(s.fx.uri('junk.js'), '\u0000\u0001\u0002'.repeat(1000), 'javascript');
    await s.lsp.open(s.fx.uri('empty.ts'), '');
    await s.lsp.open('untitled:Untitled-1', "require('fs').readFileSync('x')", 'javascript');
    assert.equal(await s.lsp.hover('untitled:Untitled-1', 0, 3), null);
    // The server still works afterwards.
    const uri = s.fx.uri('after.ts');
    await s.lsp.open(
      uri,
      "import * as fs from 'fs';\nexport async function a() {\n  fs.rmSync('x');\n}\n",
    );
    await s.lsp.waitForDiagnostics(uri, (x) => x.length === 1);
    assert.equal(s.lsp.child.exitCode, null);
  });
});
