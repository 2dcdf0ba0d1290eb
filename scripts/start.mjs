// `npm start`: the main job on the bundled demo (examples/). Each step is its own script.
// On a fresh clone it installs the npm packages first (scripts/ensureInstalled.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureNpmPackages } from './ensureInstalled.mjs';

const root = new URL('..', import.meta.url).pathname;
ensureNpmPackages();
const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 2);
let failed = 0;
for (const step of ['startCheck.mjs', 'startRecord.mjs']) {
  const file = `${root}scripts/${step}`;
  if (!existsSync(file)) continue;
  const r = spawnSync(process.execPath, [file], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 && !failed) failed = r.status ?? 2;
}
process.exit(failed);
