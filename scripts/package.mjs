#!/usr/bin/env node
// `npm run package`: production bundles, then `vsce package` → .artifacts/loop-lens.vsix.
// The bundles carry every dependency, so no node_modules go in (`--no-dependencies`), and
// .vscodeignore is an allow-list (bundles, media, rule docs, README, package.json).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.artifacts', 'loop-lens.vsix');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

// --no-build packages the bundles as they are (e.g. right after a test build).
if (!process.argv.includes('--no-build')) run(process.execPath, ['esbuild.mjs', '--production']);
for (const bundle of ['dist/extension.js', 'dist/server.js']) {
  // The server bundle appears once server/src/server.ts exists; the extension needs both.
  if (!existsSync(join(root, bundle))) console.warn(`package: warning: ${bundle} is missing`);
}
mkdirSync(join(root, '.artifacts'), { recursive: true });
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// --skip-license / --allow-missing-repository: vsce would otherwise stop at a y/N prompt.
run(process.execPath, [
  vsce,
  'package',
  '--no-dependencies',
  '--skip-license',
  '--allow-missing-repository',
  '--out',
  out,
]);
console.log(`package: ${out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);
