/**
 * `npm run bench -- blame`: the recorder's own work per stall to name the operation, the package
 * and the user's call line (attribution: the profile's stacks, source maps, package.json reads,
 * call-line lookups), on the real app of the runtime tests (lowdb, ejs, bcryptjs, js-yaml from
 * npm), in both modes, "old" (no call-site index: a stall's call-line lookup reads the
 * function's lines) against "new" (the warm-up indexes each script's call sites ahead of stalls,
 * codeLines.ts), alternating, each run in a fresh process (bench/blameRun.ts): cold caches, as a
 * recorder starts. BENCH_BLAME_OLD_REV=<git revision>: "old" runs that revision's recorder
 * instead (its sources extracted to a temporary folder), to compare with the code before a change.
 * BENCH_BLAME_ROUNDS (default 2) rounds of the four runs; the order of old and new swaps every
 * round. The summary gives, per mode and variant, the median over the runs of
 * each run's median / p95 / max.
 */
import { execSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareRealApps, removeAppData } from '../test/runtime/realAppsSetup';

const ROUNDS = Number(process.env.BENCH_BLAME_ROUNDS) || 2;

type Stat = { median: number; p95: number; max: number };
interface Result {
  mode: string;
  variant: string;
  load: number;
  wall: Stat;
  wait?: Stat;
  busy?: Stat;
  process: Stat;
}

const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const ROOT = join(__dirname, '..');

/** The recorder's sources at `rev`, with this bench's run script, in a temporary folder. */
function checkOut(rev: string): string {
  const at = mkdtempSync(join(tmpdir(), 'loop-lens-bench-blame-'));
  execSync(
    `git archive ${rev} src server/src tsconfig.json tsconfig.base.json package.json | tar -x -C ${at}`,
    {
      cwd: ROOT,
    },
  );
  symlinkSync(join(ROOT, 'node_modules'), join(at, 'node_modules'));
  mkdirSync(join(at, 'bench'));
  for (const f of ['blameRun.ts', 'threadClock.ts']) {
    copyFileSync(join(__dirname, f), join(at, 'bench', f));
  }
  return at;
}

function runOnce(mode: string, variant: string, dir: string, root = ROOT): Result | undefined {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench', 'blameRun.ts'), mode, variant, dir],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let result: Result | undefined;
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('BLAME_RESULT ')) result = JSON.parse(line.slice(13)) as Result;
    else if (line) console.log(line);
  }
  if (r.status !== 0) console.log(`  ${mode} ${variant}: run failed (${r.status})`);
  return result;
}

async function main(): Promise<void> {
  const dir = await prepareRealApps();
  const results: Result[] = [];
  const oldRev = process.env.BENCH_BLAME_OLD_REV;
  const oldRoot = oldRev ? checkOut(oldRev) : ROOT;
  if (oldRev) console.log(`old: the recorder at ${oldRev}; new: this checkout`);
  else console.log('old: no call-site index (lines read by the stall); new: the warm-up indexes');
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const variants = round % 2 ? ['new', 'old'] : ['old', 'new'];
      for (const mode of ['profile', 'watch']) {
        for (const v of variants) {
          const r = runOnce(mode, v, dir, v === 'old' ? oldRoot : ROOT);
          if (r) results.push(r);
        }
      }
    }
  } finally {
    removeAppData(dir);
    if (oldRev) rmSync(oldRoot, { recursive: true, force: true });
  }
  const col = (rs: Result[], k: 'wall' | 'wait' | 'busy' | 'process'): string => {
    const have = rs.filter((r) => r[k]);
    if (!have.length) return 'n/a';
    const m = (s: keyof Stat) => mid(have.map((r) => r[k]![s])).toFixed(2);
    return `${m('median')} / ${m('p95')} / ${m('max')}`;
  };
  console.log(`\nsummary (median over runs of median / p95 / max, ms; target: max < 5 ms):`);
  for (const mode of ['profile', 'watch']) {
    for (const v of ['old', 'new']) {
      const rs = results.filter((r) => r.mode === mode && r.variant === v);
      const worst = Math.max(...rs.map((r) => r.wall.max));
      console.log(
        `  ${mode.padEnd(7)} ${v}: wall ${col(rs, 'wall')} (worst max ${worst.toFixed(2)}); process CPU ${col(rs, 'process')}; ` +
          `main thread waited for a CPU ${col(rs, 'wait')}; wall less that wait ${col(rs, 'busy')} (worst max ${Math.max(...rs.map((r) => r.busy?.max ?? NaN)).toFixed(2)}) (${rs.length} runs, load ${rs.map((r) => r.load.toFixed(1)).join(', ')})`,
      );
    }
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
