// `npm run bench -- runtime`: what Loop Lens costs a busy HTTP target, and how fast it reports.
// Target: bench/fixtures/server.mjs (200 JSON items per request) on 127.0.0.1, load from a second
// process (autocannon in bench/fixtures/loadDriver.mjs). Four targets run side by side, all
// started with --inspect=127.0.0.1:0 so only the attached tool differs: off, `record --mode
// profile`, `record --mode watch`, blocked-at (in-process preload, threshold 50 ms). Each round
// loads every target for a short slice, in an order rotated per round, and compares it with the
// `off` slice of the same round (facts.md "Noise": the machine is shared, so fine interleaving
// and per-round ratios; we report the median ratio and its spread). Then: stall → report latency
// in profile mode and whether each tool names the blocking line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { cpuMs, startDriver, startRecorder, startServer, stopChild } from './fixtures/procs.mjs';

const root = new URL('..', import.meta.url).pathname;
const fixture = join(root, 'bench/fixtures/server.mjs');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const LOAD_S = Number(process.env.BENCH_LOAD_S ?? 2);
const WARM_S = 2;
// BENCH_VARIANTS=off,blocked-at narrows a run (e.g. while debugging); `off` is always measured.
const VARIANTS = [
  'off',
  ...(process.env.BENCH_VARIANTS ?? 'profile,watch,blocked-at')
    .split(',')
    .filter((v) => v && v !== 'off'),
];
const blockingLine =
  readFileSync(fixture, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('); // BLOCKING LINE')) + 1;
const blockingLoc = `bench/fixtures/server.mjs:${blockingLine}`;

/** All four targets up, recorders attached to two of them. */
async function startTargets() {
  const targets = {};
  for (const v of VARIANTS) {
    const server = await startServer(v);
    const recorder =
      v === 'profile' || v === 'watch' ? await startRecorder(server.ws, v) : undefined;
    targets[v] = { server, recorder };
  }
  return targets;
}

/** One slice: CPU of the target (and recorder) around a bounded load. */
async function slice(driver, t, variant) {
  const cpu0 = cpuMs(t.server.pid);
  const rcpu0 = t.recorder ? cpuMs(t.recorder.pid) : 0;
  const r = await driver.load(t.server.port, LOAD_S);
  const cpu = cpuMs(t.server.pid) - cpu0;
  const rcpu = t.recorder ? cpuMs(t.recorder.pid) - rcpu0 : 0;
  if (r.errors || r.non2xx) throw new Error(`${variant}: ${r.errors} errors, ${r.non2xx} non-2xx`);
  const n = r.requests;
  return {
    rps: n / (r.duration || LOAD_S),
    cpuPerReqUs: (cpu * 1000) / n,
    recorderCpuPerReqUs: (rcpu * 1000) / n,
  };
}

async function overheadRounds(driver, targets) {
  for (const v of VARIANTS) await driver.load(targets[v].server.port, WARM_S);
  const rows = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const got = {};
    for (let i = 0; i < VARIANTS.length; i++) {
      const v = VARIANTS[(i + round) % VARIANTS.length];
      got[v] = await slice(driver, targets[v], v);
    }
    for (const v of VARIANTS) rows[v].push(got[v]);
    const line = VARIANTS.map(
      (v) => `${v} ${got[v].rps.toFixed(0)} req/s ${got[v].cpuPerReqUs.toFixed(0)} µs/req`,
    );
    console.log(`round ${String(round + 1).padStart(2)}/${ROUNDS}: ${line.join(' | ')}`);
  }
  return rows;
}

/** Stops recorders first (each must exit 0: a clean detach), then the servers. */
async function stopTargets(targets) {
  const codes = {};
  for (const v of VARIANTS) {
    const rec = targets[v].recorder;
    if (!rec) continue;
    await stopChild(rec);
    codes[v] = rec.exitCode;
  }
  for (const v of VARIANTS) await stopChild(targets[v].server.child, 'SIGTERM');
  return codes;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Linear-interpolated quantile, q in 0..1. */
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
};
const pct = (r) => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`;

function summarizeRounds(rows) {
  const out = {};
  for (const v of VARIANTS) {
    const cpuRatios = rows[v].map((r, i) => r.cpuPerReqUs / rows.off[i].cpuPerReqUs);
    const rpsRatios = rows[v].map((r, i) => r.rps / rows.off[i].rps);
    out[v] = {
      rpsMedian: median(rows[v].map((r) => r.rps)),
      cpuPerReqUsMedian: median(rows[v].map((r) => r.cpuPerReqUs)),
      recorderCpuPerReqUsMedian: median(rows[v].map((r) => r.recorderCpuPerReqUs)),
      cpuRatio: {
        median: median(cpuRatios),
        min: Math.min(...cpuRatios),
        max: Math.max(...cpuRatios),
        q1: quantile(cpuRatios, 0.25),
        q3: quantile(cpuRatios, 0.75),
      },
      rpsRatio: {
        median: median(rpsRatios),
        min: Math.min(...rpsRatios),
        max: Math.max(...rpsRatios),
      },
    };
  }
  return out;
}

/** Profile mode: time from the end of a known 200 ms stall to the CLI printing it. */
async function stallLatency() {
  const server = await startServer('off');
  const recorder = await startRecorder(server.ws, 'profile');
  const lines = [];
  recorder.stdout.on('data', (d) => {
    for (const l of String(d)
      .split('\n')
      .filter((x) => /\bms\b/.test(x) && /^\s*\+/.test(x)))
      lines.push({ at: Date.now(), text: l });
  });
  const latencies = [];
  let named = 0;
  try {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 700));
      const before = lines.length;
      const res = await fetch(`http://127.0.0.1:${server.port}/stall?ms=200`);
      const { endedAt } = await res.json();
      const deadline = Date.now() + 5000;
      while (lines.length === before && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      const got = lines.slice(before).find((l) => /\d+ ms/.test(l.text));
      if (!got) continue;
      latencies.push(got.at - endedAt);
      if (got.text.includes(blockingLoc)) named++;
    }
  } finally {
    await stopChild(recorder);
    await stopChild(server.child, 'SIGTERM');
  }
  return {
    latenciesMs: latencies,
    detected: latencies.length,
    of: 5,
    namedLine: named,
    sample: lines[0]?.text.trim(),
  };
}

/** blocked-at on the same stall: does any of its reports name the blocking line? */
async function blockedAtNaming() {
  const server = await startServer('blocked-at');
  try {
    for (let i = 0; i < 3; i++)
      await (await fetch(`http://127.0.0.1:${server.port}/stall?ms=200`)).text();
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    await stopChild(server.child, 'SIGTERM');
  }
  const reports = server.stderr.text.split('BLOCKED ').slice(1);
  const naming = reports.filter((r) => r.includes(`server.mjs:${blockingLine}:`));
  // Show the longest report: the 200 ms stalls, not a start-up report (module loading).
  const longest = [...reports].sort((a, b) => parseInt(b, 10) - parseInt(a, 10))[0];
  const frames = longest?.split('\n').filter((l) => /^\s*at /.test(l)) ?? [];
  const userFrame = frames.find((l) => l.includes('server.mjs'))?.trim();
  const topFrame = frames.find((l) => !/blocked-at|async_hooks/.test(l))?.trim();
  return {
    reports: reports.length,
    namesLine: naming.length,
    userFrame: userFrame ?? '(none)',
    topFrame: topFrame ?? '(none)',
  };
}

async function main() {
  if (!existsSync(join(root, 'dist/cli.js')))
    spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  const t0 = Date.now();
  const loadAvgStart = loadavg()[0];
  console.log(
    `runtime bench: ${ROUNDS} rounds × ${VARIANTS.join(', ')} side by side; ${LOAD_S} s of load per slice (autocannon -c 10), ${WARM_S} s warm-up each`,
  );
  const driver = await startDriver();
  const targets = await startTargets();
  let rows;
  let recorderExit;
  try {
    rows = await overheadRounds(driver, targets);
  } finally {
    recorderExit = await stopTargets(targets);
    driver.child.kill();
  }
  console.log(
    `recorders detached: ${Object.entries(recorderExit)
      .map(([v, c]) => `${v} exit ${c}`)
      .join(', ')}`,
  );
  const summary = summarizeRounds(rows);
  console.log(
    '\nvariant      req/s (median)  CPU µs/req (median)  CPU/req vs off: median [min..max]   throughput vs off: median [min..max]   recorder CPU µs/req',
  );
  for (const v of VARIANTS) {
    const s = summary[v];
    console.log(
      `${v.padEnd(12)} ${s.rpsMedian.toFixed(0).padStart(14)} ${s.cpuPerReqUsMedian.toFixed(0).padStart(20)}  ` +
        `${pct(s.cpuRatio.median).padStart(8)} [${pct(s.cpuRatio.min)}..${pct(s.cpuRatio.max)}]`.padEnd(
          38,
        ) +
        `${pct(s.rpsRatio.median).padStart(8)} [${pct(s.rpsRatio.min)}..${pct(s.rpsRatio.max)}]`.padEnd(
          38,
        ) +
        `${s.recorderCpuPerReqUsMedian.toFixed(0).padStart(6)}`,
    );
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
  console.log(
    `blocked-at names ${blockingLoc}: ${ba.namesLine}/${ba.reports} reports; its frame in the fixture: ${ba.userFrame}; its top frame: ${ba.topFrame}`,
  );
  // A per-round ratio spread wider than ±15 % means the machine's noise (other processes on the
  // same cores) is far larger than the 2-8 % being judged: say so instead of MET/MISSED.
  // The verdict names the median of the per-round ratios; when the interquartile range is wider
  // than the target itself the machine's noise cannot tell MET from MISSED, and we say so.
  const overhead = (s, limit) => {
    if (!s) return 'MISSED';
    const verdict = s.cpuRatio.median <= limit ? 'MET' : 'MISSED';
    const iqr = `median ${pct(s.cpuRatio.median)}, IQR ${pct(s.cpuRatio.q1)}..${pct(s.cpuRatio.q3)}`;
    const noisy = s.cpuRatio.q3 - s.cpuRatio.q1 > 2 * (limit - 1);
    return `${verdict}${noisy ? ' (NOISY)' : ''} ${iqr}`;
  };
  const verdicts = [
    ['watch CPU overhead ≤ 2 %', overhead(summary.watch, 1.02)],
    ['profile CPU overhead ≤ 8 %', overhead(summary.profile, 1.08)],
    [
      'stall reported ≤ 250 ms after it ends',
      lat.length > 0 && median(lat) <= 250 ? 'MET' : 'MISSED',
    ],
  ];
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
    rounds: ROUNDS,
    loadSeconds: LOAD_S,
    rows,
    summary,
    latency,
    loadAverage: { start: loadAvgStart, end: loadavg()[0] },
    blockedAt: ba,
    blockingLoc,
    seconds: (Date.now() - t0) / 1000,
  };
  writeFileSync(join(root, 'out/bench-runtime.json'), JSON.stringify(result, null, 2));
  console.log(`(${result.seconds.toFixed(0)} s; raw numbers in out/bench-runtime.json)`);
}

main().catch((err) => {
  console.error(`runtime bench failed: ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
