/**
 * `npm run bench -- blame`: the recorder's own work per stall to name the operation, the package
 * and the user's call line (attribution: the profile's stacks, source maps, package.json reads,
 * call-line lookups), on the real app of the runtime tests (lowdb, ejs, bcryptjs, js-yaml from
 * npm), in both modes. Wall time of that step in the recorder, per stall: median, p95, max.
 * BENCH_BLAME_STEPS=1 explains each stall over 5 ms (=<ms>: over that): its steps (attributionSteps.ts), the
 * recorder process's CPU time meanwhile, and the recorder's GC pauses that overlapped it.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { request } from 'node:http';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { startRecording } from '../src/runtime/index';
import { loadStaticFinder } from '../src/runtime/callSite';
import { attributionSteps } from '../src/runtime/attributionSteps';
import type { ILogger } from '../src/common/logger';
import { prepareRealApps, removeAppData } from '../test/runtime/realAppsSetup';

const ROUTES = ['save', 'hash', 'render', 'yaml'];
const REQUESTS = Number(process.env.BENCH_BLAME_REQUESTS) || 24;

function get(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
}

const q = (xs: number[], p: number): number =>
  xs.length
    ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]
    : NaN;

/** The recorder's GC pauses (this process), to tell them from its own work in a slow stall. */
function watchGc(): { overlapping(s: number, e: number): string; stop(): void } {
  const gcs: Array<{ s: number; e: number }> = [];
  const obs = new PerformanceObserver((l) => {
    for (const g of l.getEntries()) gcs.push({ s: g.startTime, e: g.startTime + g.duration });
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    overlapping: (s, e) => {
      const ms = gcs
        .filter((g) => g.e > s && g.s < e)
        .reduce((t, g) => t + Math.min(e, g.e) - Math.max(s, g.s), 0);
      return ms ? `, GC ${ms.toFixed(1)} ms` : '';
    },
    stop: () => obs.disconnect(),
  };
}

type Steps = Array<[string, Record<string, number>]>;

/** BENCH_BLAME_STEPS=<ms>: explain stalls over that (1: over 5 ms). */
const slowMs =
  Number(process.env.BENCH_BLAME_STEPS) > 1 ? Number(process.env.BENCH_BLAME_STEPS) : 5;

const fmt = (steps: Record<string, number>): string =>
  Object.entries(steps)
    .filter(([, v]) => v >= 0.05)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(', ');

async function run(mode: 'profile' | 'watch', dir: string): Promise<void> {
  const times: number[] = [];
  const slow: Array<{ n: number; ms: number; steps: Steps; s: number; e: number; cpu: number }> =
    [];
  let steps: Steps = [];
  const gc = watchGc();
  // The process's CPU time (its reads in the thread pool included) from the start of naming a
  // stall to its end: one system call at each end, the steps kept as they are until the end.
  const cpuMs: number[] = [];
  let began: NodeJS.CpuUsage | undefined;
  attributionSteps.onStart = () => void (began ??= process.cpuUsage());
  attributionSteps.listener = (how, t) => void steps.push([how, t]);
  let warm = '';
  const failures: string[] = [];
  const logger = {
    trace: (tag: string, m: string) => {
      const hit = tag === 'runtime.blame' && /attributed in ([\d.]+) ms/.exec(m);
      if (hit) {
        const ms = Number(hit[1]);
        times.push(ms);
        // Posted as the naming ends: it ran over the last `ms` ms.
        const e = performance.now();
        const c = began ? process.cpuUsage(began) : undefined;
        const cpu = c ? (c.user + c.system) / 1000 : NaN;
        // (A stall without a stack to name has no steps.)
        if (c) cpuMs.push(cpu);
        if (ms > slowMs) slow.push({ n: times.length, ms, steps, s: e - ms, e, cpu });
        steps = [];
        began = undefined;
      }
      if (tag === 'runtime.warm') warm = m;
    },
    debug() {},
    info() {},
    warn: (_tag: string, m: string) => {
      if (/could not be (worked out|judged)/.test(m)) failures.push(m);
    },
    error() {},
  } as unknown as ILogger;
  let out = '';
  let onOut: () => void = () => undefined;
  const rec = await startRecording({
    target: {
      kind: 'launch',
      command: process.execPath,
      args: [join(dir, 'app.js')],
      cwd: dir,
      env: { APP_DIR: dir },
    },
    mode,
    logger,
    onOutput: (_s, text) => {
      out += text;
      onOut();
    },
  });
  // The bundled recorder loads the static engine at attach in one go (callSite.ts
  // preloadStaticFinder); under tsx it compiles for a while: wait for it, as a recording would.
  await loadStaticFinder();
  const port = await new Promise<number>((resolve) => {
    onOut = () => {
      const m = /listening on (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    onOut();
  });
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i++) await get(port, `/${ROUTES[i % ROUTES.length]}/${i}`);
  const r = await rec.stop();
  // BENCH_BLAME_LIST=1: each stall's time in order (the first of each stack reads its files).
  // GC entries arrive after the fact: matched to the slow stalls once the run is over.
  const slowLines = slow.map((x) => {
    // The process's CPU time can only exceed the thread's: wall - CPU is time off a CPU.
    const off = x.ms - x.cpu > 1 ? `, ≥ ${(x.ms - x.cpu).toFixed(1)} ms off a CPU` : '';
    const st = x.steps.map(([how, t]) => `${how}: ${fmt(t)}`).join(' | ');
    return `  #${x.n} ${x.ms.toFixed(1)} ms, CPU ${x.cpu.toFixed(1)} ms [${st}]${off}${gc.overlapping(x.s, x.e)}`;
  });
  gc.stop();
  attributionSteps.listener = undefined;
  attributionSteps.onStart = undefined;
  if (process.env.BENCH_BLAME_LIST) console.log(times.map((t) => t.toFixed(1)).join(' '));
  if (process.env.BENCH_BLAME_STEPS) console.log(`  (${warm})\n${slowLines.join('\n')}`);
  const code = r.stalls.filter((s) => s.kind !== 'starved');
  // A stall whose details could not be worked out, or a gap not judged, must show, not hide.
  for (const w of failures) console.log(`  failure: ${w}`);
  console.log(
    `${mode.padEnd(7)}: ${r.stalls.length} stalls (${code.length} of the code) in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
      `attribution per stall: median ${q(times, 0.5).toFixed(2)} ms, p95 ${q(times, 0.95).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms (n=${times.length}; target < 5 ms); ` +
      `CPU meanwhile: median ${q(cpuMs, 0.5).toFixed(2)}, p95 ${q(cpuMs, 0.95).toFixed(2)}, max ${Math.max(...cpuMs).toFixed(2)} ms ( load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs)`,
  );
}

async function main(): Promise<void> {
  const dir = await prepareRealApps();
  for (const mode of ['profile', 'watch'] as const) await run(mode, dir);
  removeAppData(dir);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
