// `npm run bench -- fleet` (also run at the end of `npm run bench -- runtime`): what a long-running
// recorder costs beside a production process (#14 item 4).
//  1. The recorder's own CPU at idle (ms of CPU a second, and its wake-ups a second; schedstat of
//     all its threads) against an idle server, variants side by side and interleaved round by
//     round (facts.md "Noise"):
//     watch, watch with --prometheus (scraped once a second by this script, like Prometheus would),
//     and profile. BENCH_CLI_B=/path/to/other/cli.js adds the same variants run by that build.
//  2. The recorder's memory fed 100,000 stalls (bench/fleetMemory.ts): the session's stall store
//     (compact stalls in a ring) and the fleet exporters' totals; for comparison the plain ring of
//     stalls as emitted and an unbounded list.
// Env: BENCH_FLEET_ROUNDS (default 3), BENCH_FLEET_S (seconds measured per variant, default 15).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { cpuMs, startRecorder, startServer, stopChild } from './fixtures/procs.mjs';
import { median } from './fixtures/stats.mjs';

const root = new URL('..', import.meta.url).pathname;
const ROUNDS = Number(process.env.BENCH_FLEET_ROUNDS) || 3;
const SECONDS = Number(process.env.BENCH_FLEET_S) || 15;
const SETTLE_MS = 4000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const variants = [
  { name: 'watch', mode: 'watch' },
  { name: 'watch + prometheus', mode: 'watch', args: ['--prometheus', '0'], scrape: true },
  {
    // A production threshold: the idle /proc sampling follows it (runQueue.ts idleSampleMsFor).
    name: 'watch + prom, thr 100',
    mode: 'watch',
    args: ['--prometheus', '0', '--threshold', '100'],
    scrape: true,
  },
  { name: 'profile', mode: 'profile' },
];
if (process.env.BENCH_CLI_B) {
  // The other build may predate --prometheus: then only the variants without extra flags.
  const b = process.env.BENCH_CLI_B;
  const help = spawnSync(process.execPath, [b, 'record', '--help'], { encoding: 'utf8' });
  const prom = `${help.stdout}${help.stderr}`.includes('--prometheus');
  for (const v of variants.filter((x) => prom || !x.args)) {
    variants.push({ ...v, name: `${v.name} (B)`, cli: b });
  }
}

/**
 * How many times the process's threads were put on a CPU so far (schedstat's third field): an idle
 * recorder's cost is mostly its wake-ups, and their count is far less noisy than CPU time.
 */
function wakeUps(pid) {
  try {
    let n = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      n += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[2]);
    }
    return Number.isFinite(n) ? n : NaN;
  } catch {
    return NaN; // no schedstat
  }
}

/** GETs /metrics once a second while `until` is pending. */
async function scrapeEverySecond(url, isDone) {
  while (!isDone()) {
    await fetch(url)
      .then((r) => r.text())
      .catch(() => undefined);
    await sleep(1000);
  }
}

async function idleCpu(server, v) {
  const rec = await startRecorder(server.ws, v);
  let done = false;
  const m = /Prometheus metrics at (\S+)/.exec(rec.tail);
  const scraping = v.scrape && m ? scrapeEverySecond(m[1], () => done) : undefined;
  await sleep(SETTLE_MS);
  const [r0, t0, w0] = [cpuMs(rec.pid), cpuMs(server.pid), wakeUps(rec.pid)];
  await sleep(SECONDS * 1000);
  const [r1, t1, w1] = [cpuMs(rec.pid), cpuMs(server.pid), wakeUps(rec.pid)];
  done = true;
  await scraping;
  await stopChild(rec);
  return { recorder: (r1 - r0) / SECONDS, target: (t1 - t0) / SECONDS, wakes: (w1 - w0) / SECONDS };
}

async function main() {
  console.log(
    `idle cost, ${ROUNDS} rounds × ${SECONDS} s per variant, interleaved (ms of CPU per second):`,
  );
  const server = await startServer('off');
  const got = new Map(variants.map((v) => [v.name, { recorder: [], target: [], wakes: [] }]));
  try {
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate the order each round: whatever else the machine does hits every variant alike.
      for (let i = 0; i < variants.length; i++) {
        const v = variants[(i + r) % variants.length];
        const x = await idleCpu(server, v);
        got.get(v.name).recorder.push(x.recorder);
        got.get(v.name).target.push(x.target);
        got.get(v.name).wakes.push(x.wakes);
      }
    }
  } finally {
    await stopChild(server.child);
  }
  const base = median(got.get('watch').recorder);
  for (const [name, x] of got) {
    const rec = median(x.recorder);
    console.log(
      `  ${name.padEnd(30)} recorder ${rec.toFixed(1).padStart(5)} ms/s (${x.recorder.map((n) => n.toFixed(1)).join(', ')}; ${(rec / base).toFixed(2)}× watch), ${median(x.wakes).toFixed(0)} wake-ups/s  target ${median(x.target).toFixed(1)} ms/s`,
    );
  }
  const prom = median(got.get('watch + prometheus').recorder);
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `long-running watch recorder with Prometheus export, idle ≤ 5 ms/s: ${prom <= 5 ? 'MET' : 'MISSED'} (${prom.toFixed(1)} ms/s)`,
  );
  const mem = spawnSync(process.execPath, ['--import', 'tsx', `${root}bench/fleetMemory.ts`], {
    cwd: root,
    stdio: 'inherit',
  });
  process.exit(mem.status ?? 1);
}

main().catch((err) => {
  console.error(`fleet bench failed: ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
