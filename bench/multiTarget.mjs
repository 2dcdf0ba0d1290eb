// `npm run bench -- multiTarget` (also run at the end of `npm run bench -- runtime`): what a recorder
// costs targets of more than one thread or process (#14), at the main pass's load (each target at
// ~25 % of a core, fixed rate):
//  - workers: fixtures/workerServer.mjs, an HTTP server whose requests are serialised by 4 busy
//    worker threads; `record --ws` attaches to it and to every worker.
//  - cluster: fixtures/clusterServer.mjs, a primary and 4 workers on one port, launched by the
//    recorder (`record -- node clusterServer.mjs`: it attaches to each child) or bare.
//  - waitingOn: the plain server.mjs in watch mode with the "blocked on what" looks on (the
//    default) and off (`--tuning waitingOn=off`), no stall: what those looks cost the target.
// Method: each round starts FRESH targets for every variant (a launched cluster cannot move
// between tools, so no Latin square as in runtime.mjs; fresh processes every round average the
// processes' own differences out instead), warms them up WARM_S s under load, then loads all of
// them AT THE SAME TIME at the same rate for LOAD_S s and divides each target's CPU (schedstat of
// every thread of every process of the target, the recorder excluded) by its requests. Ratios
// are per round against `off` of the same round; quoted as their geometric mean (± standard
// error over rounds) and median. Rounds where a driver fell behind the rate are left out (all
// are used when fewer than half held it, as in runtime.mjs).
// Env: BENCH_MULTI_ROUNDS (default 6), BENCH_LOAD_S (default 4), BENCH_MULTI=workers,cluster
// (scenarios to run; default all three).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuMs, startDriver, startRecorder, stopChild, waitFor } from './fixtures/procs.mjs';
import { geomean, geomeanSe, median, pct } from './fixtures/stats.mjs';

const root = new URL('..', import.meta.url).pathname;
const cli = process.env.LOOP_LENS_CLI ?? join(root, 'bin/loop-lens.js');
const ROUNDS = Number(process.env.BENCH_MULTI_ROUNDS ?? 6);
const LOAD_S = Number(process.env.BENCH_LOAD_S ?? 4);
const WARM_S = 5;
/** Each target's share of a core at the chosen rate (the main pass: 4 targets, one core). */
const CORE_SHARE = 0.25;
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;

const off = {};
const watch = { mode: 'watch' };
const profile = { mode: 'profile' };
/** Profile mode with every isolate sampled alike (before profileMode.ts OTHER_ISOLATE_SLOWER). */
const profileAlike = { mode: 'profile', args: ['--tuning', 'isolateSampling=1'] };
const SCENARIOS = {
  workers: {
    what: 'a target with 4 busy worker threads (record --ws)',
    fixture: 'workerServer.mjs',
    variants: { off, watch, profile, 'profile, isolates alike': profileAlike },
    limits: { watch: 1.02, profile: 1.08 },
  },
  cluster: {
    what: 'a 4-worker cluster launched by the recorder (record -- node …)',
    fixture: 'clusterServer.mjs',
    launch: true,
    variants: { off, watch, profile, 'profile, isolates alike': profileAlike },
    limits: { watch: 1.02, profile: 1.08 },
  },
  waitingOn: {
    what: 'watch mode with and without the blocked-on-what looks, no stall',
    fixture: 'server.mjs',
    variants: {
      off,
      'watch, looks off': { mode: 'watch', args: ['--tuning', 'waitingOn=off'] },
      watch,
    },
    compare: ['watch', 'watch, looks off'],
  },
};

/** A process's descendants (pids), from /proc/<pid>/task/<tid>/children. */
function descendants(pid) {
  const out = [];
  const walk = (p) => {
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      let kids = '';
      try {
        kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const k of kids.split(' ').filter(Boolean).map(Number)) {
        out.push(k);
        walk(k);
      }
    }
  };
  walk(pid);
  return out;
}

const cpuOf = (pids) =>
  pids.reduce((sum, p) => {
    try {
      return sum + cpuMs(p);
    } catch {
      return sum; // gone
    }
  }, 0);

/**
 * Starts one variant's target: bare or attached to (`--ws`), or launched by the recorder.
 * Returns { port, pids() (the target's processes), recorder?, stop() }.
 */
async function startTarget(scenario, spec) {
  const file = join(root, 'bench/fixtures', scenario.fixture);
  if (scenario.launch && spec.mode) {
    const args = [cli, 'record', '--mode', spec.mode, ...(spec.args ?? [])];
    const rec = spawn(process.execPath, [...args, '--', process.execPath, file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    rec.stdout.setEncoding('utf8');
    rec.stderr.setEncoding('utf8');
    rec.tail = '';
    rec.stderr.on('data', (d) => (rec.tail = (rec.tail + d).slice(-600)));
    const [, port] = await waitFor(
      rec,
      'stdout',
      /cluster of \d+ listening on http:\/\/127\.0\.0\.1:(\d+)/,
      30_000,
    );
    const kids = descendants(rec.pid);
    return {
      port: Number(port),
      pids: () => descendants(rec.pid),
      recorder: rec,
      stop: () => stopAll(rec, kids),
    };
  }
  const child = spawn(process.execPath, [...(spec.mode ? ['--inspect=127.0.0.1:0'] : []), file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const ws = spec.mode ? waitFor(child, 'stderr', /Debugger listening on (ws:\/\/\S+)/) : undefined;
  const [, port] = await waitFor(
    child,
    'stdout',
    scenario.launch ? /cluster of \d+ listening on http:\/\/127\.0\.0\.1:(\d+)/ : LISTENING,
  );
  const recorder = ws ? await startRecorder((await ws)[1], spec) : undefined;
  const kids = descendants(child.pid);
  return {
    port: Number(port),
    pids: () => [child.pid, ...descendants(child.pid)],
    recorder,
    stop: async () => {
      if (recorder) await stopChild(recorder);
      await stopAll(child, kids, 'SIGTERM');
    },
  };
}

/** Stops a process (recorder or target) and makes sure no process of its tree is left. */
async function stopAll(child, kids, signal = 'SIGINT') {
  await stopChild(child, signal);
  for (const k of kids) {
    try {
      process.kill(k, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Requests per second of each target, split over the drivers (rotated per round). */
async function loadAll(drivers, targets, names, round, seconds, rate) {
  const share = drivers.map(() => []);
  names.forEach((v, i) => share[(i + round) % drivers.length].push(v));
  const got = {};
  await Promise.all(
    drivers.map(async (d, j) => {
      const r = await d.loadAll(
        share[j].map((v) => targets[v].port),
        seconds,
        rate,
      );
      share[j].forEach((v, k) => (got[v] = r[k]));
    }),
  );
  return got;
}

/** The rate: CPU per request of a bare target, closed loop (the cheaper of two slices). */
async function chooseRate(drivers, scenario) {
  const t = await startTarget(scenario, off);
  try {
    const slices = [];
    for (let i = 0; i < 2; i++) {
      const c0 = cpuOf(t.pids());
      const r = await drivers[0].load(t.port, 3);
      slices.push({
        us: ((cpuOf(t.pids()) - c0) * 1000) / r.requests,
        rps: r.requests / (r.duration || 3),
      });
    }
    const s = slices.reduce((a, b) => (b.us < a.us ? b : a));
    return Math.round(Math.min((CORE_SHARE * 1e6) / s.us, 0.6 * s.rps) / 10) * 10;
  } finally {
    await t.stop();
  }
}

async function runScenario(drivers, name, scenario) {
  const names = Object.keys(scenario.variants);
  const rate = await chooseRate(drivers, scenario);
  console.log(`\n${name}: ${scenario.what}; ${rate} req/s per target, ${ROUNDS} rounds`);
  const rows = [];
  for (let r = 0; r < ROUNDS; r++) {
    const targets = {};
    try {
      await Promise.all(
        names.map(async (v) => (targets[v] = await startTarget(scenario, scenario.variants[v]))),
      );
      await loadAll(drivers, targets, names, r, WARM_S, rate);
      const c0 = Object.fromEntries(names.map((v) => [v, cpuOf(targets[v].pids())]));
      const r0 = Object.fromEntries(
        names.map((v) => [v, targets[v].recorder ? cpuMs(targets[v].recorder.pid) : 0]),
      );
      const res = await loadAll(drivers, targets, names, r, LOAD_S, rate);
      const row = {};
      for (const v of names) {
        const x = res[v];
        const cpu = cpuOf(targets[v].pids()) - c0[v];
        const rec = targets[v].recorder ? cpuMs(targets[v].recorder.pid) - r0[v] : 0;
        row[v] = {
          requests: x.requests,
          errors: x.errors + x.non2xx,
          cpuPerReqUs: (cpu * 1000) / x.requests,
          recorderMsPerS: rec / LOAD_S,
          heldRate: x.requests >= 0.9 * rate * LOAD_S,
        };
      }
      rows.push(row);
    } catch (err) {
      console.log(`  round ${r + 1}: ${err instanceof Error ? err.message : err}`);
    } finally {
      await Promise.all(Object.values(targets).map((t) => t.stop()));
    }
  }
  const clean = rows.filter((row) => names.every((v) => !row[v].errors));
  const held = clean.filter((row) => names.every((v) => row[v].heldRate));
  // As runtime.mjs: too few rounds held the rate on a saturated machine: all are used, noted.
  const used = held.length * 2 >= rows.length ? held : clean;
  const rps = median(clean.flatMap((row) => names.map((v) => row[v].requests / LOAD_S)));
  console.log(
    `  rounds in the summary: ${used.length} of ${rows.length} (${held.length} held ≥ 90 % of the rate${used === held ? '' : ': too few, all are used, ratios include saturated rounds'}; median ${rps.toFixed(0)} req/s)`,
  );
  const summary = {};
  for (const v of names) {
    const ratios = used.map((row) => row[v].cpuPerReqUs / row.off.cpuPerReqUs);
    summary[v] = {
      cpuPerReqUs: median(used.map((row) => row[v].cpuPerReqUs)),
      recorderMsPerS: median(used.map((row) => row[v].recorderMsPerS)),
      geomean: ratios.length ? geomean(ratios) : NaN,
      se: geomeanSe(ratios, 1),
      median: ratios.length ? median(ratios) : NaN,
    };
    const s = summary[v];
    console.log(
      `  ${v.padEnd(18)} ${s.cpuPerReqUs.toFixed(0).padStart(5)} µs/req  vs off ${pct(s.geomean)} ± ${(s.se * 100).toFixed(1)} % (median ${pct(s.median)})${v === 'off' ? '' : `  recorder ${s.recorderMsPerS.toFixed(1)} ms/s`}`,
    );
  }
  const verdicts = [];
  for (const [v, limit] of Object.entries(scenario.limits ?? {})) {
    const g = summary[v].geomean;
    verdicts.push([
      `${name}: ${v} ≤ ${pct(limit)} CPU per request`,
      g <= limit ? 'MET' : 'MISSED',
      pct(g),
    ]);
  }
  if (scenario.compare) {
    const [a, b] = scenario.compare;
    const ratios = used.map((row) => row[a].cpuPerReqUs / row[b].cpuPerReqUs);
    const g = ratios.length ? geomean(ratios) : NaN;
    const se = geomeanSe(ratios, 1);
    const seen = Math.abs(Math.log(g)) > 2 * se;
    console.log(
      `  ${a} / ${b}: ${pct(g)} ± ${(se * 100).toFixed(1)} % (median ${pct(ratios.length ? median(ratios) : NaN)})`,
    );
    verdicts.push([
      `${name}: the looks add no measurable cost without stalls`,
      seen ? 'MISSED' : 'MET',
      pct(g),
    ]);
  }
  return { rate, rows, roundsUsed: used.length, summary, verdicts };
}

async function main() {
  const asked = (process.env.BENCH_MULTI ?? Object.keys(SCENARIOS).join(',')).split(',');
  const drivers = [await startDriver(), await startDriver()];
  const out = {};
  try {
    for (const name of asked) out[name] = await runScenario(drivers, name, SCENARIOS[name]);
  } finally {
    for (const d of drivers) d.child.kill();
  }
  console.log('');
  for (const s of Object.values(out)) {
    for (const [what, verdict, got] of s.verdicts) console.log(`${what}: ${verdict} (${got})`);
  }
  mkdirSync(join(root, 'out'), { recursive: true });
  writeFileSync(join(root, 'out/bench-multi.json'), JSON.stringify(out, null, 2));
}

main().catch((err) => {
  console.error(`multi-target bench failed: ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
