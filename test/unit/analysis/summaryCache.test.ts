/**
 * The on-disk summary cache (server/src/analysis/summaryCache.ts): what makes an entry valid
 * (path, mtime and size for a disk file; the text for a buffer; the config's extra APIs; the
 * engine build), and that unreadable cache files are misses, never errors.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  diskEntry,
  pruneOtherEngines,
  SummaryCache,
} from '../../../server/src/analysis/summaryCache';

const dir = mkdtempSync(join(tmpdir(), 'loop-lens-summary-cache-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const src = join(dir, 'a.ts');
const text =
  "import * as fs from 'node:fs';\nexport async function a(p: string) {\n  return fs.readFileSync(p);\n}\n";
writeFileSync(src, text);
const extra = [{ module: 'db', name: 'querySync', why: 'blocks', replacement: 'query' }];

test('a disk file hits while its mtime and size stay, and misses after a change', () => {
  const cache = new SummaryCache(join(dir, 'c1'), 'engine');
  const first = diskEntry(src, cache, {});
  assert.ok(first.summary);
  assert.deepEqual(cache.stats, { hits: 0, misses: 1, bad: 0 });
  assert.deepEqual(diskEntry(src, cache, {}), first);
  assert.equal(cache.stats.hits, 1);
  const st = statSync(src);
  utimesSync(src, st.atime, new Date(st.mtimeMs + 5000));
  assert.equal(cache.forDisk(src, { mtimeMs: st.mtimeMs + 1, size: st.size }), undefined);
  diskEntry(src, cache, {});
  assert.deepEqual(cache.stats, { hits: 1, misses: 3, bad: 0 }, 'the new mtime missed, once');
  assert.equal(diskEntry(src, cache, {}).summary?.file, src);
  assert.equal(cache.stats.hits, 2, 'and was stored under the new mtime');
});

test('a buffer hits by its text; extra APIs and another engine are other keys', () => {
  const cache = new SummaryCache(join(dir, 'c2'), 'engine');
  const entry = diskEntry(src, cache, {});
  assert.deepEqual(cache.forText(src, text), entry);
  assert.equal(cache.forText(src, text + '\n'), undefined, 'another text');
  assert.equal(cache.forText(src, text, extra), undefined, 'another config');
  assert.equal(new SummaryCache(join(dir, 'c2'), 'other').forText(src, text), undefined);
  cache.put(src, text + '\n', undefined, undefined, entry);
  const st = statSync(src);
  assert.equal(
    cache.forDisk(src, { mtimeMs: st.mtimeMs, size: st.size }),
    undefined,
    'a buffer entry is never taken for the disk file',
  );
});

test('unreadable cache files are misses, counted, and replaced by the next summary', () => {
  const root = join(dir, 'c3');
  const cache = new SummaryCache(root, 'engine');
  diskEntry(src, cache, {});
  const sub = join(root, 'engine', readdirSync(join(root, 'engine'))[0]!);
  const file = join(sub, readdirSync(sub)[0]!);
  for (const junk of [Buffer.from('junk'), Buffer.alloc(0), Buffer.from([0xff, 0x0f, 0x6f])]) {
    writeFileSync(file, junk);
    const again = new SummaryCache(root, 'engine');
    assert.ok(diskEntry(src, again, {}).summary, 'summarised anew');
    assert.deepEqual(again.stats, { hits: 0, misses: 1, bad: 1 });
    assert.ok(diskEntry(src, again, {}).summary);
    assert.equal(again.stats.hits, 1, 'the rewritten file is used');
  }
});

test('files without a summary (unreadable sources) are not cached', () => {
  const cache = new SummaryCache(join(dir, 'c4'), 'engine');
  const missing = join(dir, 'missing.ts');
  assert.equal(diskEntry(missing, cache, {}).note?.kind, 'error');
  assert.equal(diskEntry(missing, cache, {}).note?.kind, 'error');
  assert.equal(cache.stats.hits, 0);
});

test('caches of other builds are removed once unused for long; this build and recent ones stay', () => {
  const root = join(dir, 'c5');
  for (const name of ['mine', 'recent', 'old']) {
    mkdirSync(join(root, name, 'ab'), { recursive: true });
  }
  const past = new Date(Date.now() - 10 * 24 * 3600_000);
  utimesSync(join(root, 'old'), past, past);
  utimesSync(join(root, 'mine'), past, past);
  pruneOtherEngines(root, 'mine', 7 * 24 * 3600_000);
  assert.deepEqual(readdirSync(root).sort(), ['mine', 'recent']);
  pruneOtherEngines(join(dir, 'nothing-here'), 'mine', 0);
  assert.equal(existsSync(join(dir, 'nothing-here')), false);
});
