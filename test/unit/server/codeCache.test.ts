import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const dir = mkdtempSync(join(tmpdir(), 'loop-lens-code-cache-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const codeCache = join(__dirname, '..', '..', '..', 'server', 'src', 'codeCache.ts');

/** Loads `bundle` in a new Node process: the bundle's output, then `|` and whether the cache was used. */
function load(bundle: string): string {
  const script = `const { loadWithCodeCache } = require(${JSON.stringify(codeCache)});
    process.stdout.write('|' + loadWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(join(dir, 'cache'))}));`;
  return execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
}

test('a bundle runs as a CommonJS module, from its code cache after the first run', () => {
  const bundle = join(dir, 'bundle.js');
  // __dirname, require and module.exports behave as under require().
  writeFileSync(
    bundle,
    "const path = require('node:path'); module.exports = 1; process.stdout.write(path.basename(__dirname) + ':' + module.exports);",
  );
  const name = dir.split('/').pop();
  assert.equal(load(bundle), `${name}:1|false`);
  assert.equal(readdirSync(join(dir, 'cache')).length, 1, 'the exit wrote one cache file');
  assert.equal(load(bundle), `${name}:1|true`);
  // A new build of the bundle: the old cache is not used, and is replaced.
  writeFileSync(bundle, "process.stdout.write('v2');");
  assert.equal(load(bundle), 'v2|false');
  assert.equal(load(bundle), 'v2|true');
  assert.equal(readdirSync(join(dir, 'cache')).length, 1, 'older builds caches are removed');
});
