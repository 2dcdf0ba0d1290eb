// Language-server benchmark (issues #3, #13), side by side with typescript-language-server
// (installed into .cache/bench-lsp/tools at bench time, not a project dependency) on the same
// edits, on three workspaces:
// - a generated 1,000-file project: src/big.ts (3,000 lines importing 100 modules), 100 full-text
//   edits that add or remove a blocking call inside an async function (the added line is also an
//   unused local, which typescript-language-server's noUnusedLocals check flags);
// - the same shape with 10,000 files (40 edits);
// - a real folder installed from npm: webpack@5.95.0's package tree (~80 packages, ~3,000 JS
//   files), edits in lib/Compilation.js (5,500 lines; 40 edits).
// Ours starts twice per workspace: with an empty summary cache (a first start), then with the
// cache that start filled (a new window; the default run, which the targets are checked on).
// For each: initialize → first diagnostics of the opened file (and "complete": the first
// publish equal to the set after the scan, cross-file findings included), edit → diagnostics p50/p95/p99,
// server CPU per edit, RSS; for ours also the scan time and hover / code-action latency while the
// workspace scan runs. `--ours-only` leaves typescript-language-server out. With
// LOOP_LENS_BENCH_BASE=<a checkout with a built dist/> the starts of that build run too, right
// after ours on each workspace (before/after in one run; build it with `node esbuild.mjs` there).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, pct } from './lspClient.mjs';
import { cache, editText, generate, insertEdit, realFolder } from './lspProject.mjs';
import { oursMarker, runServer, tsMarker } from './lspRuns.mjs';

const root = new URL('..', import.meta.url).pathname;
const tools = join(cache, 'tools');
const TSLS_VERSION = '4.4.1';
const only = process.argv.includes('--ours-only');

function generated(files, edits) {
  const dir = generate(files);
  const file = join(dir, 'src', 'big.ts');
  return {
    label: `generated, ${files.toLocaleString('en')} files (src/big.ts, 3,000 lines), ${edits} edits`,
    dir,
    file,
    languageId: 'typescript',
    edit: editText,
    edits,
    position: { line: 104, character: 14 },
  };
}

function real(edits) {
  const dir = realFolder();
  if (!dir) return undefined;
  const file = join(dir, 'webpack', 'lib', 'Compilation.js');
  const anchor = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('this._backCompat = compiler._backCompat;'));
  return {
    label: `npm: webpack@5.95.0 package tree (lib/Compilation.js, 5,500 lines), ${edits} edits`,
    dir,
    file,
    languageId: 'javascript',
    edit: (base, k) => insertEdit(base, k, anchor),
    openAt: 1,
    edits,
    position: { line: anchor + 4, character: 10 },
  };
}

/** Our summary cache for the bench's runs; a cold run empties it first. */
const summaries = join(root, 'out', 'bench-lsp-summaries');
const base = process.env.LOOP_LENS_BENCH_BASE;

const ours = (label, settings = {}, cold = false, from = root) => ({
  label,
  command: process.execPath,
  args: [join(from, 'dist', 'server.js'), '--stdio'],
  settings,
  init: { summaryCacheDir: from === root ? summaries : `${summaries}-base` },
  coldCache: cold ? (from === root ? summaries : `${summaries}-base`) : undefined,
  env: { LOOP_LENS_TRACE: '1' },
  marker: oursMarker,
  probe: true,
});
const WARM = 'loop-lens (default settings)';
const COLD = 'loop-lens, empty summary cache';
const baseRuns = () =>
  base ? [ours(`base: ${COLD}`, {}, true, base), ours(`base: ${WARM}`, {}, false, base)] : [];

function tsls() {
  const cli = join(tools, 'node_modules', 'typescript-language-server', 'lib', 'cli.mjs');
  if (!existsSync(cli)) {
    console.log(`installing typescript-language-server@${TSLS_VERSION} into ${tools} …`);
    mkdirSync(tools, { recursive: true });
    const args = ['install', '--prefix', tools, '--no-save', '--no-audit', '--no-fund'];
    spawnSync('npm', [...args, `typescript-language-server@${TSLS_VERSION}`], { stdio: 'inherit' });
    if (!existsSync(cli)) return undefined;
  }
  const tsserver = join(root, 'node_modules', 'typescript', 'lib', 'tsserver.js');
  return {
    label: `typescript-language-server ${TSLS_VERSION}`,
    command: process.execPath,
    args: [cli, '--stdio'],
    init: { tsserver: { path: tsserver } },
    marker: tsMarker,
  };
}

const ms = (n) => (n === undefined ? '–' : `${fmt(n)} ms`).padStart(9);
const p95 = (xs) => (xs?.length ? ms(pct(xs, 95)) : '  (none)');

function report(ws, runs) {
  console.log(`\n=== ${ws.label} ===`);
  console.log(
    `${'server'.padEnd(34)}${'first diag'.padStart(11)}${'complete'.padStart(10)}${'p50'.padStart(10)}${'p95'.padStart(10)}${'p99'.padStart(10)}${'CPU/edit'.padStart(10)}${'RSS MB'.padStart(8)}${'peak'.padStart(7)}`,
  );
  for (const [label, r] of runs) {
    const { lat } = r;
    console.log(
      `${label.padEnd(34)}${ms(r.firstMs).padStart(11)}${ms(r.completeMs).padStart(10)}${ms(pct(lat, 50)).padStart(10)}${ms(pct(lat, 95)).padStart(10)}${ms(pct(lat, 99)).padStart(10)}${ms(lat.cpuPerEdit).padStart(10)}${fmt(r.mem.rss).padStart(8)}${fmt(r.mem.peak).padStart(7)}`,
    );
  }
  const o = runs.find(([l]) => l === WARM)[1];
  for (const [label, r] of runs.filter(([, x]) => Object.keys(x.marks).length)) {
    const m = Object.entries(r.marks).map(([k, v]) => `${k} ${fmt(v)}`);
    console.log(`  ${label}, ms after its process started: ${m.join(', ')}`);
  }
  for (const [label, r] of runs.filter(([, x]) => x.probes)) {
    console.log(
      `  ${label}: scan ${ms(r.scanMs).trim()} (first diagnostics ${r.scanRunning ? 'while the scan still ran' : 'after the scan ended'}); during the scan hover p95 ${p95(r.probes.hover).trim()} (${r.probes.hover.length}), code actions p95 ${p95(r.probes.actions).trim()} (${r.probes.actions.length})`,
    );
  }
  const t = runs.find(([l]) => l.startsWith('typescript-language-server'))?.[1];
  if (t) {
    const r = (a, b) => `${(a / b).toFixed(1)}×`;
    console.log(
      `  typescript-language-server / ours: first diagnostics ${r(t.firstMs, o.firstMs)}, p50 ${r(pct(t.lat, 50), pct(o.lat, 50))}, p95 ${r(pct(t.lat, 95), pct(o.lat, 95))}, CPU per edit ${r(t.lat.cpuPerEdit, o.lat.cpuPerEdit)}, RSS ${r(t.mem.rss, o.mem.rss)}`,
    );
  }
}

async function main() {
  if (!existsSync(join(root, 'dist', 'server.js')))
    spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  const peer = only ? undefined : tsls();
  const workspaces = [
    [generated(1000, 100), [ours('loop-lens (analysisDelayMs 120)', { analysisDelayMs: 120 })]],
    [generated(10_000, 40), []],
    [real(40), []],
  ];
  const results = [];
  for (const [ws, extra] of workspaces) {
    if (!ws) {
      console.log('\n(the real npm folder could not be installed: skipped)');
      continue;
    }
    const runs = [];
    // The empty-cache start goes first and fills the cache that the default start then uses.
    for (const server of [ours(COLD, {}, true), ours(WARM), ...baseRuns(), ...extra, peer]) {
      if (!server) continue;
      console.log(`${ws.label}: ${server.label} …`);
      runs.push([server.label, await runServer(ws, server)]);
    }
    results.push([ws, runs]);
  }
  for (const [ws, runs] of results) report(ws, runs);
  const pick = (i, label) => results[i]?.[1].find(([l]) => l === label)?.[1];
  const [one, ten] = [pick(0, WARM), pick(1, WARM)];
  const [oneCold, tenCold] = [pick(0, COLD), pick(1, COLD)];
  const met = (ok) => (ok ? 'met' : 'NOT met');
  console.log(
    '\ntargets (default settings; "complete" = first diagnostics with the imports linked):',
  );
  console.log(
    `  with an empty summary cache: first diagnostics ${ms(oneCold.firstMs).trim()} (complete ${ms(oneCold.completeMs).trim()}) on 1,000 files, ${ms(tenCold.firstMs).trim()} (complete ${ms(tenCold.completeMs).trim()}) on 10,000`,
  );
  console.log(
    `  1,000 files: first diagnostics ≤ 500 ms ${met(one.firstMs <= 500)} (complete ${ms(one.completeMs).trim()}), p95 ≤ 50 ms ${met(pct(one.lat, 95) <= 50)}, p99 ≤ 50 ms ${met(pct(one.lat, 99) <= 50)}, hover p95 during the scan ≤ 50 ms ${met(pct(one.probes.hover, 95) <= 50)}`,
  );
  console.log(
    `  10,000 files: first diagnostics ≤ 1 s ${met(ten.firstMs <= 1000)} (complete ${ms(ten.completeMs).trim()}), p95 ≤ 80 ms ${met(pct(ten.lat, 95) <= 80)}, RSS ≤ 1 GiB ${met(ten.mem.peak <= 1024)}, hover p95 during the scan ≤ 50 ms ${met(pct(ten.probes.hover, 95) <= 50)}`,
  );
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`\nmachine load average at the end: ${load} (2 cores; all timings scale with it)`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
