// `npm start`: the main job on the bundled demo (examples/). Each step is its own script.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 2);
for (const step of ['startCheck.mjs', 'startRecord.mjs']) {
  const file = `${root}scripts/${step}`;
  if (existsSync(file)) spawnSync(process.execPath, [file], { cwd: root, stdio: 'inherit' });
}
