// `npm start`, static part: builds the demo service (TypeScript → dist/ with source maps, so the
// runtime part can run it) and runs `loop-lens check` on its sources with text output.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const demo = join(root, 'examples', 'demo-service');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const build = spawnSync(process.execPath, [tsc, '-p', demo], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('startCheck: building examples/demo-service failed');
  process.exit(2);
}

console.log('\n$ loop-lens check examples/demo-service/src\n');
const check = spawnSync(
  process.execPath,
  [join(root, 'bin', 'loop-lens.js'), 'check', 'examples/demo-service/src'],
  { cwd: root, stdio: 'inherit' },
);
// Exit 1 means "findings": that is the point of the demo, not a failure of `npm start`.
process.exit(check.status === 0 || check.status === 1 ? 0 : (check.status ?? 2));
