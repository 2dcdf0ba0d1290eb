/**
 * One run of `npm run bench -- blame` (bench/blame.ts), in a process of its own so that each run
 * starts as a recorder does, with cold caches: `<profile|watch> <old|new> <app dir>`. "new": the
 * warm-up indexes each script's call sites ahead of stalls (codeLines.ts); "old": it does not,
 * and a stall's call-line lookup reads the function's lines. Prints the run's line and a
 * `BLAME_RESULT <json>` line for the summary.
 *
 * Per stall: the wall time of naming it in the recorder, the process's CPU time meanwhile (its
 * other threads too: V8's compiler and GC helpers, file reads in the thread pool), and the main
 * thread's wait for a CPU meanwhile (Linux: /proc/thread-self/schedstat; time it was ready to run
 * while the machine's other work had the CPUs), and the wall time less that wait (the main
 * thread's own work, plus any idle wait for a file read: an upper bound of its work). Run by bench/blame.ts also on an older
 * revision's sources (BENCH_BLAME_OLD_REV), which may lack the call-site index's exports.
 * BENCH_BLAME_STEPS=1 explains each stall over 5 ms (=<ms>: over that): its steps
 * (attributionSteps.ts), the CPU and wait meanwhile, and the recorder's GC pauses that overlapped.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { request } from 'node:http';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { startRecording } from '../src/runtime/index';
import { loadStaticFinder } from '../src/runtime/callSite';
import { attributionSteps } from '../src/runtime/attributionSteps';
import type { ILogger } from '../src/common/logger';
import * as codeLines from '../src/runtime/codeLines';
import { threadClock, type ThreadTimes } from './threadClock';

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
  const slow: Array<{
    n: number;
    ms: number;
    steps: Steps;
    s: number;
    e: number;
    cpu: number;
    th?: ThreadTimes;
  }> = [];
  const clock = threadClock();
  const waitMs: number[] = [];
  const busyMs: number[] = [];
  let steps: Steps = [];
  const gc = watchGc();
  // The process's CPU time (its reads in the thread pool included) from the start of naming a
  // stall to its end: one system call at each end, the steps kept as they are until the end.
  // A naming that posts no time (a gap the profile missed) leaves its start behind: a start
  // older than the naming being posted is dropped, a start older than 20 ms replaced.
  const cpuMs: number[] = [];
  let began: { t: number; cpu: NodeJS.CpuUsage; th?: ThreadTimes } | undefined;
  attributionSteps.onStart = () => {
    const t = performance.now();
    if (!began || t - began.t > 20) began = { t, cpu: process.cpuUsage(), th: clock.now() };
  };
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
        const from = began && began.t >= e - ms - 0.1 ? began : undefined;
        const c = from ? process.cpuUsage(from.cpu) : undefined;
        const cpu = c ? (c.user + c.system) / 1000 : NaN;
        const th = from?.th && clock.since(from.th);
        // (A stall without a stack to name has no steps.)
        if (c) cpuMs.push(cpu);
        // Wall less the wait for a CPU: the main thread's work, or its idle wait for a read.
        if (th) {
          waitMs.push(th.wait);
          busyMs.push(Math.max(0, ms - th.wait));
        }
        if (ms > slowMs) slow.push({ n: times.length, ms, steps, s: e - ms, e, cpu, th });
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
    const th = x.th ? `, main thread waited for a CPU ${x.th.wait.toFixed(1)} ms` : '';
    return `  #${x.n} ${x.ms.toFixed(1)} ms, process CPU ${x.cpu.toFixed(1)} ms${th} [${st}]${off}${gc.overlapping(x.s, x.e)}`;
  });
  gc.stop();
  attributionSteps.listener = undefined;
  attributionSteps.onStart = undefined;
  if (process.env.BENCH_BLAME_LIST) console.log(times.map((t) => t.toFixed(1)).join(' '));
  if (process.env.BENCH_BLAME_STEPS) console.log(`  (${warm})\n${slowLines.join('\n')}`);
  const code = r.stalls.filter((s) => s.kind !== 'starved');
  // A stall whose details could not be worked out, or a gap not judged, must show, not hide.
  for (const w of failures) console.log(`  failure: ${w}`);
  const stat = (xs: number[]) => ({ median: q(xs, 0.5), p95: q(xs, 0.95), max: Math.max(...xs) });
  const result = {
    mode,
    variant,
    load: loadavg()[0]!,
    stalls: r.stalls.length,
    wall: stat(times),
    wait: waitMs.length ? stat(waitMs) : undefined,
    busy: busyMs.length ? stat(busyMs) : undefined,
    process: stat(cpuMs),
    lookups: lookups ? { ...lookups } : undefined,
  };
  const f = (x: { median: number; p95: number; max: number } | undefined) =>
    x ? `${x.median.toFixed(2)} / ${x.p95.toFixed(2)} / ${x.max.toFixed(2)}` : 'n/a';
  console.log(
    `${mode.padEnd(7)} ${variant}: ${code.length} stalls of the code (${r.stalls.length}) in ${((performance.now() - t0) / 1000).toFixed(1)} s, load ${result.load.toFixed(1)} on ${cpus().length} CPUs; ` +
      `per stall median / p95 / max ms: wall ${f(result.wall)}; process CPU ${f(result.process)}; main thread waited for a CPU ${f(result.wait)}; wall less that wait ${f(result.busy)}` +
      (lookups
        ? `; call-line lookups ${lookups.indexed} from the index, ${lookups.read} by reading lines`
        : ''),
  );
  console.log(`BLAME_RESULT ${JSON.stringify(result)}`);
}

const [mode, variant, dir] = process.argv.slice(2) as ['profile' | 'watch', 'old' | 'new', string];
// An older revision has no index to switch off (nor its counters).
const options = (codeLines as { warmUpOptions?: { indexCallSites: boolean } }).warmUpOptions;
if (options) options.indexCallSites = variant === 'new';
let lookups: { indexed: number; read: number } | undefined;
void import('../src/runtime/callLines.js')
  .then((m: { callLineLookups?: typeof lookups }) => (lookups = m.callLineLookups))
  .catch(() => undefined)
  .then(() => run(mode, dir))
  .then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
