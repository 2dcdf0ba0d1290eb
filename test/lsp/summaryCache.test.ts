/**
 * The on-disk summary cache over real LSP: a second start takes the summaries of unchanged files
 * from it (and still reports what the files say), a file changed on disk between the starts is
 * summarised anew, and cache files that cannot be decoded are ignored and written again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { afterEach, describe, test } from 'node:test';
import { codes, Fixture, LspClient } from './client';

const helper =
  "import * as fs from 'node:fs';\nexport function load(p: string) {\n  return fs.readFileSync(p, 'utf8');\n}\n";
const open =
  "import { load } from './helper';\nexport async function handler() {\n  return load('/etc/hosts');\n}\n";
const other =
  "import * as fs from 'node:fs';\nexport async function other() {\n  return fs.readFileSync('x');\n}\n";

/** Every cache file under `dir`. */
function cacheFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.bin')) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

describe('summary cache', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  function fixture() {
    const fx = new Fixture({ 'src/helper.ts': helper, 'src/open.ts': open, 'src/other.ts': other });
    const cache = mkdtempSync(join(tmpdir(), 'loop-lens-summary-cache-'));
    cleanups.push(
      () => fx.dispose(),
      () => rmSync(cache, { recursive: true, force: true }),
    );
    return { fx, cache };
  }

  /** One server start: open src/open.ts, wait for the scan; returns its diagnostics and log. */
  async function start(fx: Fixture, cache: string) {
    const lsp = new LspClient();
    try {
      await lsp.initialize([fx.uri()], { summaryCacheDir: cache });
      await lsp.open(fx.uri('src/open.ts'), readFileSync(fx.path('src/open.ts'), 'utf8'));
      await lsp.waitForProgressEnd();
      const [, reused, total, bad] = await lsp.waitForLog(
        /(\d+) of (\d+) summaries from the cache(?: \((\d+) unreadable)?/,
      );
      return {
        reused: Number(reused),
        total: Number(total),
        bad: Number(bad ?? 0),
        open: codes(lsp.diagnostics.get(fx.uri('src/open.ts')) ?? []),
        other: codes(lsp.diagnostics.get(fx.uri('src/other.ts')) ?? []),
        errors: lsp.errorLogs,
      };
    } finally {
      await lsp.dispose();
    }
  }

  test('a second start reuses unchanged summaries; a file changed on disk is read again', async () => {
    const { fx, cache } = fixture();
    const first = await start(fx, cache);
    assert.deepEqual(first.open, ['sync-fs'], 'the cross-file finding through helper.ts');
    assert.deepEqual(first.other, ['sync-fs']);
    assert.equal(first.reused, 0, 'an empty cache');
    assert.ok(cacheFiles(cache).length >= 3, 'the summaries were written');

    const second = await start(fx, cache);
    assert.equal(second.reused, second.total, 'every summary came from the cache');
    assert.ok(second.total >= 3);
    assert.deepEqual([second.open, second.other], [first.open, first.other]);

    // helper.ts no longer blocks: its cached summary must not be used.
    fx.write('src/helper.ts', helper.replace('fs.readFileSync(p, ', 'String(p + '));
    const third = await start(fx, cache);
    assert.deepEqual(third.open, [], 'the finding went away with the edit on disk');
    assert.deepEqual(third.other, ['sync-fs']);
    assert.equal(third.reused, third.total - 1, 'only helper.ts was summarised again');
    assert.deepEqual([...first.errors, ...second.errors, ...third.errors], []);
  });

  test('cache files that cannot be decoded are ignored and written again', async () => {
    const { fx, cache } = fixture();
    const first = await start(fx, cache);
    const files = cacheFiles(cache);
    assert.ok(files.length >= 3);
    files.forEach((f, i) => {
      const good = readFileSync(f);
      // Garbage, a truncated entry, an empty file.
      writeFileSync(
        f,
        [Buffer.from('not a cache file'), good.subarray(0, 20), Buffer.alloc(0)][i % 3],
      );
    });
    const second = await start(fx, cache);
    assert.deepEqual([second.open, second.other], [first.open, first.other]);
    assert.equal(second.reused, 0, 'nothing usable in the cache');
    assert.ok(second.bad >= files.length, `${second.bad} unreadable files reported`);
    assert.deepEqual(second.errors, []);
    for (const f of files) {
      assert.doesNotThrow(() => deserialize(readFileSync(f)), `${f} rewritten`);
    }
    const third = await start(fx, cache);
    assert.equal(third.reused, third.total, 'the rewritten files are used');
  });
});
