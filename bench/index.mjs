// `npm run bench`: every benchmark, side by side with the peers each issue names.
// `npm run bench -- static` runs one part. Each part is a script bench/<part>.mjs. `sweep` (the
// crash sweep over 100+ installed packages, many minutes) runs only when named.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const parts = ['static', 'deps', 'lsp', 'runtime', 'blame', 'robustness'];
// multiTarget and fleet also run at the end of runtime; named alone each runs by itself.
const optIn = ['sweep', 'fleet', 'multiTarget'];
const asked = process.argv.slice(2).filter((a) => parts.includes(a) || optIn.includes(a));
let failed = 0;
for (const part of asked.length ? asked : parts) {
  const file = `${root}bench/${part}.mjs`;
  if (!existsSync(file)) continue;
  console.log(`\n##### bench: ${part} #####`);
  const r = spawnSync(process.execPath, [file], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
