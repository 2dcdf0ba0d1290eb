/**
 * While the scan's worker summarises the workspace, the server rehearses the open document's
 * edit path on pieces of its text (so the first edits run optimised code). The rehearsal must
 * change nothing: the open file's diagnostics, before and after its first edit, are those of its
 * text.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { waitFor } from '../waitFor';
import { Fixture, LspClient } from './client';

/** `n` async functions, each with one blocking call through ./lib/m0 (a cross-file chain). */
function open(n: number): string {
  const out = ["import { load } from './lib/m0';", ''];
  for (let i = 0; i < n; i++) {
    out.push(`export async function f${i}(p: string) {`, `  return load(p + ${i});`, '}', '');
  }
  return out.join('\n');
}

const files: Record<string, string> = {
  'src/lib/m0.ts':
    "import * as fs from 'node:fs';\nexport function load(p: string) {\n  return fs.readFileSync(p, 'utf8');\n}\n",
};
// Enough files for more requests to the scan's worker than the rehearsal has steps (two a piece).
for (let i = 1; i < 400; i++) files[`src/lib/m${i}.ts`] = `export const v${i} = ${i};\n`;

describe('rehearsal of the edit path during the scan', () => {
  const text = open(150);
  const fx = new Fixture({ ...files, 'src/open.ts': text });
  const lsp = new LspClient('stdio', { LOOP_LENS_TRACE: '1' });
  after(async () => {
    await lsp.dispose();
    fx.dispose();
  });

  test('runs while the workspace is scanned and leaves the findings as they are', async () => {
    const uri = fx.uri('src/open.ts');
    await lsp.initialize([fx.uri()], { summaryCacheDir: false });
    await lsp.open(uri, text);
    await lsp.waitForProgressEnd();
    await waitFor(() => lsp.stderr.includes('loop-lens-trace rehearsed '), 'the rehearsal');
    const lines = (d: { range: { start: { line: number } } }[]) =>
      d.map((x) => x.range.start.line).sort((a, b) => a - b);
    const all = Array.from({ length: 150 }, (_, i) => 3 + 4 * i);
    assert.deepEqual(lines(await lsp.waitForDiagnostics(uri, (d) => d.length === 150)), all);
    // The first edit after the scan: f0's call goes; the other 149 stay where they are.
    const version = await lsp.change(uri, text.replace('return load(p + 0);', 'return p;'));
    const d = await lsp.waitForDiagnostics(
      uri,
      () => lsp.published.some((p) => p.uri === uri && p.version === version),
      'the diagnostics of the edit',
    );
    assert.deepEqual(lines(d), all.slice(1));
  });
});
