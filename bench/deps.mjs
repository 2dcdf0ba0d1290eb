// `npm run bench -- deps`: what following installed dependencies costs on real applications with
// their dependencies installed (pinned, into .cache/bench-deps): `loop-lens check` on the
// application's own code with `--no-dependencies`, with dependencies on a cold cache (the
// node_modules/.cache/loop-lens folder removed first) and on a warm cache, in rotating order
// round by round. Prints median wall and CPU time, the ratios (targets: cold ≤ 2×, warm ≤ 1.1×),
// peak RSS (target < 1 GiB), and what the dependencies added (packages, files, findings).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCli, measure, median, npmInstall } from './measure.mjs';

const root = new URL('..', import.meta.url).pathname;
const cache = join(root, '.cache', 'bench-deps');
const modules = join(cache, 'node_modules');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Applications published with their code: an Express-based flow server and an npm registry. */
const APPS = { 'node-red': '5.0.7', verdaccio: '6.10.4' };

const installed = () =>
  Object.entries(APPS).every(([name, version]) => {
    const pkg = join(modules, name, 'package.json');
    return existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).version === version;
  });

function depsOf(name) {
  const pkg = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8'));
  return Object.keys(pkg.dependencies ?? {}).length;
}

async function benchApp(cli, name) {
  const dir = join(modules, name);
  const cacheDir = join(modules, '.cache', 'loop-lens');
  const base = [process.execPath, cli, 'check', dir, '--format', 'json', '--fail-on', 'none'];
  const modes = {
    off: () => measure([...base, '--no-dependencies'], cache),
    cold: () => {
      rmSync(cacheDir, { recursive: true, force: true });
      return measure(base, cache);
    },
    warm: () => measure(base, cache),
  };
  await modes.cold(); // fills the cache for the first warm run, and warms the disk
  const samples = { off: [], cold: [], warm: [] };
  const orders = [
    ['off', 'cold', 'warm'],
    ['cold', 'warm', 'off'],
    ['warm', 'off', 'cold'],
  ];
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of orders[round % orders.length]) {
      // A warm run right after a cold one reads what that one wrote; after `off` the cache is
      // still there from the last dependency run, so every warm run finds a full cache.
      const r = await modes[mode]();
      if (r.code !== 0) throw new Error(`${name} ${mode} exited ${r.code}: ${r.stderr}`);
      samples[mode].push(r);
    }
  }
  report(name, samples);
}

/** `pkg` of a path after its last node_modules/ (`@scope/pkg` for scoped ones). */
function packageOf(file) {
  const rest = file.split('/node_modules/').pop().split('/');
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

/** The finding's chain leaves the application's package for another one. */
function intoDependency(f) {
  return f.chain.some((s) => packageOf(s.file) !== packageOf(f.file));
}

function report(name, samples) {
  const wall = (m) => median(samples[m].map((s) => s.wallMs));
  const cpu = (m) => median(samples[m].map((s) => s.cpuMs));
  const peak = (m) => Math.max(...samples[m].map((s) => s.peakKiB)) / 1024;
  const out = (m) => JSON.parse(samples[m][samples[m].length - 1].stdout);
  const [off, cold, warm] = ['off', 'cold', 'warm'].map(out);
  console.log(
    `\n${name}@${APPS[name]} (${depsOf(name)} direct dependencies): ${off.filesAnalyzed} files; ` +
      `dependencies followed: ${cold.dependencies.files} files of ${cold.dependencies.packages} ` +
      `packages (warm: ${warm.dependencies.cached} from the cache)`,
  );
  console.log(
    `findings: ${off.findings.length} without, ${cold.findings.length} with dependencies ` +
      `(${cold.findings.filter(intoDependency).length} going into another package)`,
  );
  console.log(
    `${''.padEnd(22)}${'wall'.padStart(10)}${'CPU'.padStart(10)}${'peak RSS'.padStart(12)}`,
  );
  for (const m of ['off', 'cold', 'warm']) {
    const label = { off: '--no-dependencies', cold: 'deps, cold cache', warm: 'deps, warm cache' }[
      m
    ];
    console.log(
      `${label.padEnd(22)}${`${wall(m).toFixed(0)} ms`.padStart(10)}` +
        `${`${cpu(m).toFixed(0)} ms`.padStart(10)}${`${peak(m).toFixed(0)} MiB`.padStart(12)}`,
    );
  }
  const ratio = (m) => wall(m) / wall('off');
  const cpuRatio = (m) => cpu(m) / cpu('off');
  console.log(
    `cold / off: ${ratio('cold').toFixed(2)}× wall, ${cpuRatio('cold').toFixed(2)}× CPU ` +
      `(target ≤ 2×: ${ratio('cold') <= 2 ? 'met' : 'NOT met'}); ` +
      `warm / off: ${ratio('warm').toFixed(2)}× wall, ${cpuRatio('warm').toFixed(2)}× CPU ` +
      `(target ≤ 1.1×: ${ratio('warm') <= 1.1 ? 'met' : 'NOT met'}); ` +
      `peak RSS < 1024 MiB: ${Math.max(peak('cold'), peak('warm')) < 1024 ? 'met' : 'NOT met'}`,
  );
}

async function main() {
  if (!installed()) npmInstall(cache, APPS, ['--legacy-peer-deps']);
  const cli = ensureCli();
  console.log(`rounds: ${ROUNDS} (rotating order); median wall and CPU per mode`);
  for (const name of Object.keys(APPS)) await benchApp(cli, name);
}

main().catch((err) => {
  console.error(`bench deps: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
