/**
 * `npm run bench -- blame`: the recorder's own work per stall to name the operation, the package
 * and the user's call line (attribution: the profile's stacks, source maps, package.json reads,
 * call-line lookups), on the real app of the runtime tests (lowdb, ejs, bcryptjs, js-yaml from
 * npm), in both modes. Wall time of that step in the recorder, per stall: median, p95, max.
 */
import { performance } from 'node:perf_hooks';
import { request } from 'node:http';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { startRecording } from '../src/runtime/index';
import { loadStaticFinder } from '../src/runtime/callSite';
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

async function run(mode: 'profile' | 'watch', dir: string): Promise<void> {
  const times: number[] = [];
  const logger = {
    trace: (tag: string, m: string) => {
      const hit = tag === 'runtime.blame' && /attributed in ([\d.]+) ms/.exec(m);
      if (hit) times.push(Number(hit[1]));
    },
    debug() {},
    info() {},
    warn() {},
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
  if (process.env.BENCH_BLAME_LIST) console.log(times.map((t) => t.toFixed(1)).join(' '));
  const code = r.stalls.filter((s) => s.kind !== 'starved');
  console.log(
    `${mode.padEnd(7)}: ${r.stalls.length} stalls (${code.length} of the code) in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
      `attribution per stall: median ${q(times, 0.5).toFixed(2)} ms, p95 ${q(times, 0.95).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms (n=${times.length}; target < 5 ms; load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs)`,
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
