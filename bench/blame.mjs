// `npm run bench -- blame`: runs bench/blame.ts (TypeScript, through tsx).
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const r = spawnSync(process.execPath, ['--import', 'tsx', `${root}bench/blame.ts`], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
