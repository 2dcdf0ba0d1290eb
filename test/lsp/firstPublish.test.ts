/**
 * The diagnostics of a file opened at start come in up to two steps: what the file shows alone
 * (its own summary), then the findings that need its imports once they are linked. No step may
 * show a finding that the complete set lacks (a stale or wrong squiggle that then vanishes),
 * with or without summaries kept from an earlier start.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { Fixture, LspClient } from './client';

const helper =
  "import * as fs from 'node:fs';\nexport function load(p: string) {\n  return fs.readFileSync(p, 'utf8');\n}\n";
// Line 2: the file's own finding; line 5: one through helper.ts; line 8: a helper that turns
// blocking only through the import, called from an async function (line 11).
const open = [
  "import * as fs from 'node:fs';\nimport { load } from './helper';",
  'export async function local() {\n  return fs.readFileSync("a");\n}',
  'export async function viaImport() {\n  return load("b");\n}',
  'function wrap() {\n  return load("c");\n}',
  'export async function viaWrap() {\n  return wrap();\n}\n',
].join('\n');

const key = (d: Diagnostic) => `${d.range.start.line}:${String(d.code)}:${d.message}`;

describe('first diagnostics of an opened file', () => {
  const fx = new Fixture({ 'src/helper.ts': helper, 'src/open.ts': open });
  const cache = mkdtempSync(join(tmpdir(), 'loop-lens-first-publish-'));
  after(() => {
    fx.dispose();
    rmSync(cache, { recursive: true, force: true });
  });

  /** Every set published for src/open.ts until the scan ended, and the set after it. */
  async function start(options: object) {
    const lsp = new LspClient();
    try {
      await lsp.initialize([fx.uri()], options);
      await lsp.open(fx.uri('src/open.ts'), open);
      await lsp.waitForProgressEnd();
      const final = await lsp.waitForDiagnostics(fx.uri('src/open.ts'), (d) => d.length >= 3);
      const sets = lsp.published.filter((p) => p.uri === fx.uri('src/open.ts'));
      return { sets: sets.map((p) => p.diagnostics.map(key)), final: final.map(key) };
    } finally {
      await lsp.dispose();
    }
  }

  for (const [name, options] of [
    ['without a summary cache', { summaryCacheDir: false }],
    ['filling a summary cache', { summaryCacheDir: cache }],
    ['from a filled summary cache', { summaryCacheDir: cache }],
  ] as const) {
    test(`every set published is part of the complete one (${name})`, async () => {
      const { sets, final } = await start(options);
      assert.equal(final.length, 3, final.join('\n'));
      assert.deepEqual(
        final.map((k) => Number(k.split(':')[0])).sort((a, b) => a - b),
        [3, 6, 12],
        'the local, the imported and the wrapped finding',
      );
      for (const set of sets) {
        for (const k of set) assert.ok(final.includes(k), `published then dropped: ${k}`);
      }
      assert.deepEqual(sets.at(-1), final, 'the last set published is the complete one');
    });
  }
});
