/**
 * A document opened at start whose findings come through its imports: the imports are sent to
 * the summary worker before the event loop parses the document (found without a parse), the
 * two threads share them, and the document's complete set of cross-file diagnostics arrives
 * before the workspace scan ends, with every earlier set part of it, with an empty summary
 * cache and with a filled one. Facts and order only; no durations.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { waitFor } from '../waitFor';
import { Fixture, LspClient } from './client';

const IMPORTS = 40;
const module = (i: number) =>
  `import * as fs from 'node:fs';\nexport function load${i}(p: string) {\n  return fs.readFileSync(p, 'utf8');\n}\n`;
const open = [
  ...Array.from({ length: IMPORTS }, (_, i) => `import { load${i} } from './lib/mod${i}';`),
  ...Array.from(
    { length: IMPORTS },
    (_, i) => `export async function handler${i}() {\n  return load${i}('/etc/hosts');\n}`,
  ),
  '',
].join('\n');

const files: Record<string, string> = { 'src/open.ts': open };
for (let i = 0; i < IMPORTS; i++) files[`src/lib/mod${i}.ts`] = module(i);
// The rest of the workspace: enough files that the scan is still running at the first publish.
for (let i = 0; i < 600; i++) files[`src/other/o${i}.ts`] = module(1000 + i);

const key = (d: Diagnostic) => `${d.range.start.line}:${String(d.code)}`;

describe('imports of a document opened at start', () => {
  const fx = new Fixture(files);
  const cache = mkdtempSync(join(tmpdir(), 'loop-lens-start-imports-'));
  after(() => {
    fx.dispose();
    rmSync(cache, { recursive: true, force: true });
  });

  for (const name of ['an empty summary cache', 'the summary cache that start filled']) {
    test(`cross-file diagnostics before the scan ends (${name})`, async () => {
      // The walk runs only with a core to spare; forced on here, as the machine may be busy.
      const lsp = new LspClient('stdio', { LOOP_LENS_TRACE: '1', LOOP_LENS_IMPORT_WALK: 'on' });
      try {
        const uri = fx.uri('src/open.ts');
        await lsp.initialize([fx.uri()], { summaryCacheDir: cache });
        await lsp.open(uri, open);
        const complete = await lsp.waitForDiagnostics(uri, (d) => d.length === IMPORTS);
        const scanEnded = lsp.progress.some((p) => p.value.kind === 'end');
        assert.equal(scanEnded, false, 'every cross-file finding came before the scan ended');
        assert.deepEqual(
          complete.map((d) => d.range.start.line).sort((a, b) => a - b),
          Array.from({ length: IMPORTS }, (_, i) => IMPORTS + 1 + 3 * i),
          'one finding per handler, on its call',
        );
        await lsp.waitForProgressEnd();
        const final = (lsp.diagnostics.get(uri) ?? []).map(key).sort();
        assert.deepEqual(final, complete.map(key).sort(), 'the scan changed nothing');
        for (const p of lsp.published.filter((x) => x.uri === uri)) {
          for (const d of p.diagnostics) assert.ok(final.includes(key(d)), `dropped: ${key(d)}`);
        }
        // Trace marks (stderr): the milestones of the start, in the order they happened.
        const marks = await waitFor(() => {
          const m = [...lsp.stderr.matchAll(/^loop-lens-trace (\S+) /gm)].map((x) => x[1]);
          return m.includes('imports-linked') && m;
        }, 'the start milestones on stderr');
        const at = (name: string) => marks.indexOf(name);
        if (name.startsWith('an empty')) {
          // The opened text missed the cache: its imports went to the worker before its parse.
          assert.ok(at('prefetch-0-sent') >= 0, 'the imports were sent to the worker');
          assert.ok(at('prefetch-0-sent') < at('imports-load'), marks.join(' '));
        } else {
          assert.equal(at('prefetch-0-sent'), -1, 'from the cache: nothing to send');
        }
        assert.deepEqual(lsp.errorLogs, []);
      } finally {
        await lsp.dispose();
      }
    });
  }
});
