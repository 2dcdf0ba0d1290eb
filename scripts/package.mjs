#!/usr/bin/env node
// `npm run package`: production bundles, then `vsce package` → .artifacts/loop-lens.vsix.
// The bundles carry every dependency, so no node_modules go in (`--no-dependencies`), and
// .vscodeignore is an allow-list (bundles, media, rule docs, README, package.json).
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.artifacts', 'loop-lens.vsix');

function run(cmd, args, cwd = root) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    // Set the exit code and throw, so `finally` still removes the staging folder.
    process.exitCode = 1;
    throw new Error(`package: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
}

// --no-build packages the bundles as they are (e.g. right after a test build).
if (!process.argv.includes('--no-build')) run(process.execPath, ['esbuild.mjs', '--production']);
for (const bundle of ['dist/extension.js', 'dist/server.js', 'dist/serverCore.js']) {
  // The server bundle appears once server/src/server.ts exists; the extension needs both.
  if (!existsSync(join(root, bundle))) console.warn(`package: warning: ${bundle} is missing`);
}
mkdirSync(join(root, '.artifacts'), { recursive: true });
// vsce globs every file under its folder before applying .vscodeignore, and this checkout holds
// the ~300 MB code-server cache: package from a staging copy without the heavy folders (the
// .vscodeignore allow-list, copied along, still decides what goes in).
// A fresh folder per run: two test runs may package at the same time.
mkdirSync(join(root, 'out'), { recursive: true });
const stage = mkdtempSync(join(root, 'out', 'package-stage-'));
const heavy = new Set(['node_modules', '.cache', '.git', 'out', '.artifacts', '.vscode-test']);
for (const name of readdirSync(root).filter((n) => !heavy.has(n))) {
  cpSync(join(root, name), join(stage, name), {
    recursive: true,
    filter: (src) => !heavy.has(basename(src)),
  });
}
// package.json's `files` lists the npm package (the CLI); the .vsix is chosen by .vscodeignore,
// and vsce refuses to have both.
const manifest = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'));
delete manifest.files;
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// LICENSE, repository and icon are in package.json, so vsce asks nothing.
const args = ['package', '--no-dependencies'];
const tmp = `${stage}.vsix`;
try {
  run(process.execPath, [vsce, ...args, '--out', tmp], stage);
  // Rename: a reader never sees a half-written .vsix.
  renameSync(tmp, out);
} finally {
  rmSync(stage, { recursive: true, force: true });
  rmSync(tmp, { force: true });
}
console.log(`package: ${out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);
