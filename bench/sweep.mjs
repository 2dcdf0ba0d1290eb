// `npm run bench -- sweep`: the crash sweep on real code no one here wrote. Installs the pinned
// packages of bench/sweep-packages.json (servers, frameworks, ORMs, CLIs, build tools) with one
// `npm install --ignore-scripts` into .cache/sweep, then runs `loop-lens check --format json` on
// each installed package folder (following its dependencies, as a user's run does), one at a time.
// Every run must end with exit 0 or 1, valid JSON, no internal-error note, within the time limit.
// Prints files, findings, notes, time and peak RSS per package and in total; exits 1 on a failure.
// SWEEP_ONLY=name,name runs a subset; SWEEP_TIMEOUT_S sets the limit per package (default 180).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCli, measure, npmInstall } from './measure.mjs';

const root = new URL('..', import.meta.url).pathname;
const cache = join(root, '.cache', 'sweep');
const modules = join(cache, 'node_modules');
const { packages } = JSON.parse(readFileSync(join(root, 'bench', 'sweep-packages.json'), 'utf8'));
const only = process.env.SWEEP_ONLY?.split(',').filter(Boolean);
const LIMIT_MS = Number(process.env.SWEEP_TIMEOUT_S ?? 180) * 1000;

const versionOf = (name) => {
  const manifest = join(modules, name, 'package.json');
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
};

/** What went wrong with one run, or undefined when it passed. */
function failure(r) {
  if (r.timedOut) return `no result within ${LIMIT_MS / 1000} s`;
  if (r.code !== 0 && r.code !== 1) return `exit ${r.code}: ${r.stderr.trim().split('\n')[0]}`;
  let out;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    return 'output is not JSON';
  }
  const internal = out.notes.filter((n) => /internal error/.test(n.reason));
  if (internal.length) return `${internal.length} internal error(s): ${internal[0].reason}`;
  return undefined;
}

async function main() {
  const names = Object.keys(packages).filter((n) => !only || only.includes(n));
  const missing = names.filter((n) => versionOf(n) !== packages[n]);
  if (missing.length) npmInstall(cache, packages, ['--legacy-peer-deps']);
  const cli = ensureCli();
  const rows = [];
  const failures = [];
  console.log(`${names.length} packages, limit ${LIMIT_MS / 1000} s each\n`);
  const head = ['package', 'files', 'deps', 'findings', 'notes', 'exit', 'time', 'peak RSS'];
  console.log(fmtRow(head));
  for (const name of names) {
    const dir = join(modules, name);
    const argv = [process.execPath, cli, 'check', dir, '--format', 'json', '--fail-on', 'warning'];
    const r = await measure(argv, cache, LIMIT_MS);
    const why = failure(r);
    const out = why ? undefined : JSON.parse(r.stdout);
    const row = {
      name: `${name}@${packages[name]}`,
      files: out?.filesAnalyzed ?? 0,
      deps: out?.dependencies.files ?? 0,
      findings: out?.findings.length ?? 0,
      notes: out?.notes.length ?? 0,
      code: r.timedOut ? 'killed' : r.code,
      wallMs: r.wallMs,
      peakMiB: r.peakKiB / 1024,
    };
    rows.push(row);
    if (why) failures.push(`${row.name}: ${why}`);
    console.log(fmtRow(cells(row)) + (why ? `  FAILED: ${why}` : ''));
  }
  const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
  const total = {
    name: `total (${rows.length})`,
    files: sum('files'),
    deps: sum('deps'),
    findings: sum('findings'),
    notes: sum('notes'),
    code: `${failures.length} failed`,
    wallMs: sum('wallMs'),
    peakMiB: Math.max(...rows.map((r) => r.peakMiB)),
  };
  console.log(fmtRow(cells(total)));
  const slowest = [...rows].sort((a, b) => b.wallMs - a.wallMs).slice(0, 3);
  console.log(
    `\nslowest: ${slowest.map((r) => `${r.name} ${(r.wallMs / 1000).toFixed(1)} s`).join(', ')}`,
  );
  console.log(`peak RSS target < 1024 MiB: ${total.peakMiB < 1024 ? 'met' : 'NOT met'}`);
  if (failures.length) {
    console.log(`\n${failures.length} package(s) failed:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log('\nevery run ended with exit 0 or 1, valid JSON and no internal error');
  }
}

function cells(r) {
  return [
    r.name,
    String(r.files),
    String(r.deps),
    String(r.findings),
    String(r.notes),
    String(r.code),
    `${(r.wallMs / 1000).toFixed(1)} s`,
    Number.isFinite(r.peakMiB) ? `${r.peakMiB.toFixed(0)} MiB` : '?',
  ];
}

function fmtRow(c) {
  return (
    c[0].padEnd(40) +
    c
      .slice(1)
      .map((x) => x.padStart(9))
      .join('')
  );
}

main().catch((err) => {
  console.error(`bench sweep: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
