// `npm run bench -- runtime`: what Loop Lens costs a busy HTTP target, and how fast it reports.
// Target: bench/fixtures/server.mjs (200 JSON items per request) on 127.0.0.1, load from two
// other processes (autocannon in bench/fixtures/loadDriver.mjs). Variants: off (nothing
// attached), off-b (a second bare server: the A/A control, its ratio is the method's own bias),
// `record --mode profile`, `record --mode watch`, blocked-at (in-process preload, threshold
// 50 ms); more variants that split a mode's cost are in fixtures/stats.mjs (BENCH_VARIANTS).
//
// Method. The run is a few passes (PASSES below). A pass with n variants starts n identical
// servers (--inspect=127.0.0.1:0, no preload) and ROTATES the tools over them (a Latin square,
// fixtures/rotation.mjs): in round r variant j runs on server (j + r) mod n. Before each round
// that round's recorders attach (in parallel, each waits for "Recording"); then all servers are
// loaded AT THE SAME TIME at the same FIXED request rate, first WARM_S s unmeasured (attaching
// profile mode costs the target extra CPU for ~4 s), then LOAD_S s measured; then the recorders
// detach (SIGINT; each must exit 0, any other exit is reported). Loading all at once makes
// whatever else runs on the shared machine hit all alike (facts.md "Noise"); rotating cancels
// each server process's own persistent bias (JIT, heap layout, placement: with a fixed tool per
// server an A/A control read +4.7 %). Rounds are a multiple of n, so every variant runs on
// every server equally often. Estimators, per variant, from the CPU per request (schedstat, ns)
// divided by that of `off` in the same round, whichever server ran it: the GEOMETRIC MEAN of
// these ratios over complete cycles of n rounds (the server effects cancel exactly there; the
// verdicts use it), with its standard error over the cycles (NOISY when the target lies within
// two of them), and their median with its IQR. Rounds in which the drivers fell behind the rate (a saturated machine) are
// left out, and so is any cycle missing one. Carry-over: on its server, variant j always
// follows variant j + 1 (mod n). With the order off, off-b, profile, watch: off follows off-b
// and watch follows off (both clean), profile follows watch, and off-b follows profile, so a
// residue of profile's detach would show in the A/A control's "method bias" line.
// Before the rounds, the idle cost (target and recorder CPU per second with no load) is measured
// once per assignment (attach, 4 s to settle, IDLE_S / n s, detach; and no next attach until
// the GC that follows an attach has passed) and averaged over the assignments.
// The blocked-at pass cannot rotate (its tool is a -r preload of its server): fixed assignment,
// so its ratio still holds the two processes' own difference.
// A pass's rate is chosen from the closed-loop CPU per request of a bare server so that its
// targets together keep a set share of one core busy (≤ 60 % of capacity each). A fixed cost per
// second weighs more per request at a lower rate, so the table also gives each tool's extra CPU
// as a share of a core. Then: stall → report latency in profile mode and whether each tool names
// the blocking line.
//
// Env: BENCH_ROUNDS, BENCH_LIGHT_ROUNDS, BENCH_BA_ROUNDS, BENCH_LOAD_S, BENCH_IDLE_S;
// BENCH_VARIANTS=off-b,watch narrows the run to one pass (`off` is always in it); BENCH_RATE=N
// fixes the rate; BENCH_LOAD=closed runs closed-loop load (10 connections, variants one after
// another). LOOP_LENS_CLI=path measures another build (a private copy: dist/ may be rebuilt
// meanwhile). Two builds side by side: BENCH_CLI_B=/path/to/other/cli.js adds the variants
// profile-b and watch-b run by that bundle (profile and watch run LOOP_LENS_CLI or
// bin/loop-lens.js), e.g. BENCH_CLI_B=/tmp/old/cli.js BENCH_VARIANTS=profile,profile-b,watch,watch-b
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { blockedAtNaming, blockingLoc, stallLatency } from './fixtures/checks.mjs';
import { startDriver, startServer, stopChild } from './fixtures/procs.mjs';
import {
  overheadVerdicts,
  printExits,
  printIdle,
  printServerBias,
  printTable,
  unclean,
  usableRounds,
} from './fixtures/report.mjs';
import { rotatedIdle, rotatedRounds } from './fixtures/rotation.mjs';
import { slice, warmUp } from './fixtures/rounds.mjs';
import { VARIANT_SPECS, median, serverBias, summarizeRounds } from './fixtures/stats.mjs';

const root = new URL('..', import.meta.url).pathname;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 24);
const LOAD_S = Number(process.env.BENCH_LOAD_S ?? 4);
/** Unmeasured load before each measured slice: after an attach (see rotatedRounds), without. */
const WARM_S = 5;
const BARE_WARM_S = 2;
/** Before a pass's first round, all its servers warm alike (nothing attached). */
const PREWARM_S = 6;
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 10);
const CLOSED_LOOP = process.env.BENCH_LOAD === 'closed';
// BENCH_VARIANTS=off,blocked-at narrows a run (e.g. while debugging); `off` is always measured.
const VARIANTS = [
  'off',
  ...(process.env.BENCH_VARIANTS ?? 'off-b,profile,watch,blocked-at')
    .split(',')
    .filter((v) => v && v !== 'off'),
];
const unknown = VARIANTS.filter((v) => !VARIANT_SPECS[v]);
if (unknown.length) {
  console.error(`unknown variant(s) ${unknown.join(', ')}; known: ${Object.keys(VARIANT_SPECS)}`);
  process.exit(2);
}
if (process.env.BENCH_CLI_B && !existsSync(process.env.BENCH_CLI_B)) {
  console.error(`BENCH_CLI_B=${process.env.BENCH_CLI_B}: no such file`);
  process.exit(2);
}

/**
 * The fixed rate: closed-loop capacity of a bare server and its CPU per request there, then the
 * rate per target that keeps all of them together at `coreShare` of a core (at most 60 % of one
 * target's capacity).
 */
async function chooseRate(driver, server, variants, coreShare) {
  if (CLOSED_LOOP) return undefined;
  if (process.env.BENCH_RATE) return Number(process.env.BENCH_RATE);
  // The pass's load level comes from this estimate, so one disturbed slice (a cold server, a
  // burst of other work) must not set it: a disturbance only inflates the CPU per request, so
  // the cheaper of three slices is taken (single slices read 126–229 µs/req on one day).
  const slices = [];
  for (let i = 0; i < 3; i++)
    slices.push(await slice(driver, { server }, 'off', LOAD_S, undefined));
  const s = slices.reduce((a, b) => (b.cpuPerReqUs < a.cpuPerReqUs ? b : a));
  const rate =
    Math.round(Math.min((coreShare * 1e6) / variants.length / s.cpuPerReqUs, 0.6 * s.rps) / 10) *
    10;
  console.log(
    `capacity (closed loop, bare server, cheapest of ${slices.map((x) => x.cpuPerReqUs.toFixed(0)).join('/')} µs/req): ${s.rps.toFixed(0)} req/s at ${(s.coreShare * 100).toFixed(0)} % of a core, ${s.cpuPerReqUs.toFixed(0)} µs/req → fixed rate ${rate} req/s per target, ${variants.length} targets at once`,
  );
  return rate;
}

/** The same check for each other profile-mode variant measured, at 200 ms and near threshold. */
async function otherProfileLatencies() {
  const out = {};
  for (const v of VARIANTS.filter((x) => x !== 'profile' && VARIANT_SPECS[x].mode === 'profile')) {
    for (const ms of [200, 70]) {
      const l = await stallLatency(VARIANT_SPECS[v], ms);
      out[`${v} ${ms} ms`] = l;
      const m = l.latenciesMs.length ? `${median(l.latenciesMs).toFixed(0)} ms` : 'n/a';
      console.log(
        `  ${v}, ${ms} ms stall: detected ${l.detected}/${l.of}, named ${l.namedLine}, latency median ${m}`,
      );
    }
  }
  return out;
}

/**
 * The passes. The ratio is a fixed cost per second over how busy the target is, so one operating
 * point says little: off / off-b / profile / watch at ~25 % of a core each (main) and at ~15 %
 * (light). blocked-at has a pass of its own, not rotated: at three times the CPU of the others it
 * used to push the machine past its two cores (load average 2.9 in a run), so every target in
 * that pass measured contention as much as its tool. Rotated passes round their rounds up to a
 * multiple of their variant count (complete cycles). Each round attaches, warms up for WARM_S
 * and detaches (~11 s a round). The main pass, whose verdicts are the targets, has 24 rounds (6
 * cycles): with 12, one run's standard error was 1.5–2 % on a noisy day, as large as the 2 %
 * judged. The light pass has 8 (2 cycles). The whole runtime bench takes about 8 minutes. A
 * narrowed run (BENCH_VARIANTS, BENCH_RATE, BENCH_LOAD) is one pass of the variants asked for,
 * each at ~25 % of a core (at most one core in all); it cannot rotate when one of them is a
 * preload.
 */
const NARROWED = Boolean(process.env.BENCH_VARIANTS || process.env.BENCH_RATE || CLOSED_LOOP);
const QUAD = ['off', 'off-b', 'profile', 'watch'];
const PASSES = NARROWED
  ? [
      {
        name: 'narrowed',
        variants: VARIANTS,
        coreShare: Math.min(1, 0.25 * VARIANTS.length),
        rounds: ROUNDS,
        rotate: !VARIANTS.some((v) => VARIANT_SPECS[v].preload),
      },
    ]
  : [
      { name: 'main', variants: QUAD, coreShare: 1.0, rounds: ROUNDS, rotate: true },
      {
        name: 'light',
        variants: QUAD,
        coreShare: 0.6,
        rounds: Number(process.env.BENCH_LIGHT_ROUNDS ?? 8),
        rotate: true,
      },
      {
        name: 'blocked-at',
        variants: ['off', 'blocked-at'],
        coreShare: 0.5,
        rounds: Number(process.env.BENCH_BA_ROUNDS ?? 6),
        rotate: false,
      },
    ];
// Complete cycles only: a rotated pass's rounds round up to a multiple of its variant count.
for (const p of PASSES) {
  if (p.rotate) p.rounds = Math.ceil(p.rounds / p.variants.length) * p.variants.length;
}

/** A pass's servers: all alike when it rotates, else each with its variant's preload (if any). */
async function startServers(variants, rotate) {
  const servers = [];
  try {
    for (const v of variants) {
      servers.push(await startServer(!rotate && VARIANT_SPECS[v].preload ? 'blocked-at' : 'off'));
    }
  } catch (err) {
    for (const s of servers) await stopChild(s.child, 'SIGTERM');
    throw err;
  }
  return servers;
}

/** targets[variant] = { server } with nothing attached, the j-th variant on the j-th server. */
const bare = (servers, variants) =>
  Object.fromEntries(variants.map((v, j) => [v, { server: servers[j] }]));

/** One pass: idle cost per assignment, then rotated rounds at the pass's fixed rate; printed. */
async function overheadPass(drivers, pass) {
  const { name, variants, coreShare, rounds, rotate } = pass;
  const servers = await startServers(variants, rotate);
  let idle;
  let rate;
  let res;
  try {
    idle = await rotatedIdle(servers, variants, IDLE_S, rotate);
    printIdle(name, idle, variants);
    rate = await chooseRate(drivers[0], servers[0], variants, coreShare);
    // Only servers[0] ran the closed-loop slice: warm them all alike (nothing attached) before
    // the rounds, or the first cycle measures the others' JIT warming up (+30 % in a test run).
    await warmUp(drivers, bare(servers, variants), variants, 0, PREWARM_S, rate);
    res = await rotatedRounds(drivers, servers, variants, {
      rounds,
      seconds: LOAD_S,
      warmSeconds: WARM_S,
      bareWarmSeconds: BARE_WARM_S,
      rate,
      rotate,
    });
  } finally {
    for (const s of servers) await stopChild(s.child, 'SIGTERM');
  }
  const { rows, exits } = res;
  const bad = unclean(idle, exits);
  printExits(name, idle, exits, bad);
  const { used, cycles } = usableRounds(name, rows, pass, rate);
  const bias = rotate ? serverBias(rows, variants, cycles, servers.length) : [];
  if (rotate) printServerBias(name, bias, cycles.length);
  const summary = summarizeRounds(rows, variants, used, cycles, rotate ? variants.length : 1);
  printTable(summary, rate, variants);
  return {
    name,
    variants,
    rotate,
    rate,
    rounds,
    rows,
    roundsUsed: used,
    cycleRounds: cycles,
    serverBias: bias,
    idleCpuMsPerS: idle,
    summary,
    recorderExits: exits,
    recorderNotClean: bad,
  };
}

async function main() {
  if (!existsSync(join(root, 'dist/cli.js')))
    spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  const t0 = Date.now();
  const loadAvgStart = loadavg()[0];
  console.log(
    `runtime bench: passes ${PASSES.map((p) => `${p.name} (${p.variants.join(', ')}; ${p.rounds} rounds${p.rotate ? ', rotated' : ', fixed servers'})`).join(', ')}, targets of a pass side by side; ${LOAD_S} s of load per slice (autocannon -c 10, ${CLOSED_LOOP ? 'closed loop' : 'fixed rate'}), ${WARM_S} s warm-up after an attach (${BARE_WARM_S} s without); load average ${loadAvgStart.toFixed(1)}`,
  );
  const drivers = [await startDriver(), await startDriver()];
  const passes = {};
  try {
    for (const p of PASSES) passes[p.name] = await overheadPass(drivers, p);
  } finally {
    for (const d of drivers) d.child.kill();
  }
  const latency = VARIANTS.includes('profile')
    ? await stallLatency()
    : { latenciesMs: [], detected: 0, of: 0, namedLine: 0 };
  const ba = await blockedAtNaming();
  const lat = latency.latenciesMs;
  console.log(
    `\nstall → report latency (profile mode, 200 ms stall): detected ${latency.detected}/${latency.of}, median ${lat.length ? median(lat).toFixed(0) : 'n/a'} ms, max ${lat.length ? Math.max(...lat).toFixed(0) : 'n/a'} ms (target ≤ 250 ms)`,
  );
  console.log(
    `Loop Lens names ${blockingLoc}: ${latency.namedLine}/${latency.detected} stalls (e.g. "${latency.sample ?? ''}")`,
  );
  const variantLatency = await otherProfileLatencies();
  console.log(
    `blocked-at names ${blockingLoc}: ${ba.namesLine}/${ba.reports} reports; its frame in the fixture: ${ba.userFrame}; its top frame: ${ba.topFrame}`,
  );
  const verdicts = overheadVerdicts(passes);
  verdicts.push([
    'stall reported ≤ 250 ms after it ends',
    latency.of === 0
      ? 'not measured (no profile variant)'
      : lat.length > 0 && median(lat) <= 250
        ? 'MET'
        : 'MISSED',
  ]);
  for (const [name, verdict] of verdicts) console.log(`${name}: ${verdict}`);
  const load = [loadAvgStart, loadavg()[0]];
  console.log(
    `load average (1 min) at start ${load[0].toFixed(1)}, at end ${load[1].toFixed(1)} on ${cpus().length} cores`,
  );
  if (Math.max(...load) > cpus().length) {
    console.log(
      'WARNING: the machine was busier than its core count; overhead ratios are dominated by other load.',
    );
  }
  mkdirSync(join(root, 'out'), { recursive: true });
  const result = {
    loadSeconds: LOAD_S,
    warmSeconds: WARM_S,
    idleSeconds: IDLE_S,
    load: CLOSED_LOOP ? 'closed loop, 10 connections' : 'fixed rate per pass',
    method:
      'servers rotated per round (Latin square); ratios vs off of the same round; geomean over complete cycles, median + IQR over rounds holding the rate',
    passes,
    latency,
    variantLatency,
    loadAverage: { start: loadAvgStart, end: loadavg()[0] },
    blockedAt: ba,
    blockingLoc,
    seconds: (Date.now() - t0) / 1000,
  };
  writeFileSync(join(root, 'out/bench-runtime.json'), JSON.stringify(result, null, 2));
  console.log(`(${result.seconds.toFixed(0)} s; raw numbers in out/bench-runtime.json)`);
  // The same overhead for targets of several threads and processes (4 busy workers, a launched
  // 4-worker cluster) and the blocked-on-what looks on/off; then a long-running recorder's own
  // cost: idle CPU with Prometheus export, memory fed 100,000 stalls.
  for (const part of ['multiTarget.mjs', 'fleet.mjs']) {
    const r = spawnSync(process.execPath, [join(root, 'bench', part)], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(`runtime bench failed: ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
