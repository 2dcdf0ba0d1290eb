// `npm run bench -- robustness`: bad input as counts (issue #15). The work is in
// bench/robustness/main.ts (TypeScript, run through tsx) on the helpers the tests use.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'bench/robustness/main.ts', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 2);
