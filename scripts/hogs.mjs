// CPU-bound processes that make this machine busy, for `node scripts/test.mjs --stress`. Each hog
// spins until it is stopped, and stops by itself once its parent is gone (even after a SIGKILL of
// the test runner), so none is ever left behind.
import { spawn } from 'node:child_process';

const HOG = `
const parent = process.ppid;
for (;;) {
  for (let i = 0; i < 5e7; i++);
  if (process.ppid !== parent) process.exit(0);
}`;

/**
 * Starts `n` hogs at normal priority; `stop()` ends them, and so does this process's exit. A
 * signal that kills the runner (it is blocked in spawnSync, so no handler would run in time) leaves
 * the hogs to notice that their parent is gone.
 */
export function startHogs(n) {
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, ['-e', HOG], { stdio: 'ignore' }),
  );
  console.log(
    `stress: ${n} CPU-bound processes beside the run (pids ${children.map((c) => c.pid).join(', ')})`,
  );
  const stop = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.on('exit', stop);
  return { stop };
}
