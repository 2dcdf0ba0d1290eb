// Language-server benchmark (issues #3, #13): edit → publishDiagnostics latency on a 3,000-line file in
// a generated 1,000-file project (100 full-text edits that add/remove a blocking call inside an
// async function), time from initialize to the open file's first diagnostics while the workspace
// scan runs, and server memory on webpack's tree. Side by side with typescript-language-server
// (installed into .cache/bench-lsp/tools at bench time, not a project dependency) on the same
// edits: the added line is also an unused local, which its semantic check (noUnusedLocals) flags.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { delay, fmt, pct, startServer } from './lspClient.mjs';
import { cache, editText, generate, generate5k, project } from './lspProject.mjs';

const root = new URL('..', import.meta.url).pathname;
const tools = join(cache, 'tools');
const webpackDir = join(root, '.cache', 'bench-static', 'node_modules', 'webpack');
const EDITS = 100;
const TSLS_VERSION = '4.4.1';

// ---------- measurements ----------
const bigPath = join(project, 'src', 'big.ts');
const bigUri = pathToFileURL(bigPath).toString();

/** Opens big.ts; returns ms from initialize to its first diagnostics, and whether a scan ran. */
async function openAndFirst(s, init) {
  const t0 = performance.now();
  await s.initialize(project, init);
  const first = s.waitFor((p) => p?.uri === bigUri);
  await s.conn.sendNotification('textDocument/didOpen', {
    textDocument: {
      uri: bigUri,
      languageId: 'typescript',
      version: 1,
      text: readFileSync(bigPath, 'utf8'),
    },
  });
  await first;
  s.firstCpu = s.cpuMs();
  return { ms: performance.now() - t0, scanRunning: !s.progressEnded, cpu: s.firstCpu };
}

/** EDITS full-text edits; each waits for the diagnostics that reflect it. */
async function editLatencies(s, hasMarker) {
  const base = readFileSync(bigPath, 'utf8');
  const out = [];
  const cpu0 = s.cpuMs();
  for (let k = 1; k <= EDITS; k++) {
    const e = editText(base, k);
    const done = s.waitFor((p) => p?.uri === bigUri && hasMarker(p.diagnostics, e) === e.present);
    const t = performance.now();
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: bigUri, version: k + 1 },
      contentChanges: [{ text: e.text }],
    });
    await done;
    out.push(performance.now() - t);
  }
  out.cpuPerEdit = (s.cpuMs() - cpu0) / EDITS;
  return out;
}

const oursMarker = (diags, e) =>
  diags.some(
    (d) =>
      d.code === 'sync-fs' &&
      String(d.message).startsWith('fs.readFileSync') &&
      d.range.start.line === (e.line ?? -1),
  );
const tsMarker = (diags, e) => diags.some((d) => String(d.message).includes(`'${e.name}'`));

/** Hover requests every 50 ms until the scan ends: how long the server makes a person wait. */
async function probeWhileScanning(s, uri, position) {
  const out = [];
  while (!s.progressEnded) {
    const t = performance.now();
    await s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position });
    out.push(performance.now() - t);
    await delay(50);
  }
  return out;
}

/** Our server with `settings` as the `loopLens` section ({} = a new user's defaults). */
async function benchOurs(settings, label) {
  const s = startServer(
    process.execPath,
    [join(root, 'dist', 'server.js'), '--stdio'],
    label,
    settings,
  );
  const first = await openAndFirst(s, {});
  const probes = await probeWhileScanning(s, bigUri, { line: 104, character: 14 });
  const lat = await editLatencies(s, oursMarker);
  const mem = s.rssMb();
  await s.stop();
  return { first, lat, mem, probes };
}

async function benchTsls() {
  const cli = join(tools, 'node_modules', 'typescript-language-server', 'lib', 'cli.mjs');
  if (!existsSync(cli)) {
    console.log(`installing typescript-language-server@${TSLS_VERSION} into ${tools} …`);
    mkdirSync(tools, { recursive: true });
    const r = spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        tools,
        '--no-save',
        '--no-audit',
        '--no-fund',
        `typescript-language-server@${TSLS_VERSION}`,
      ],
      { stdio: 'inherit' },
    );
    if (r.status !== 0 || !existsSync(cli)) return undefined;
  }
  const s = startServer(process.execPath, [cli, '--stdio'], 'typescript-language-server');
  const tsserver = join(root, 'node_modules', 'typescript', 'lib', 'tsserver.js');
  const first = await openAndFirst(s, { tsserver: { path: tsserver } });
  const lat = await editLatencies(s, tsMarker);
  await s.stop();
  return { first, lat };
}

/** A 5,000-file workspace: scan time, hover latency during the scan, memory. */
async function bench5k() {
  const dir = generate5k();
  const s = startServer(
    process.execPath,
    [join(root, 'dist', 'server.js'), '--stdio'],
    'loop-lens on 5,000 files',
  );
  const t0 = performance.now();
  await s.initialize(dir);
  const probes = await probeWhileScanning(
    s,
    pathToFileURL(join(dir, 'src', 'pkg0', 'mod0.ts')).toString(),
    { line: 14, character: 12 },
  );
  const scanMs = performance.now() - t0;
  const mem = s.rssMb();
  await s.stop();
  return { scanMs, mem, probes };
}

async function benchWebpackMemory() {
  if (!existsSync(webpackDir)) {
    console.log('installing webpack@5.95.0 into .cache/bench-static …');
    mkdirSync(join(root, '.cache', 'bench-static'), { recursive: true });
    spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        join(root, '.cache', 'bench-static'),
        '--no-save',
        '--no-audit',
        '--no-fund',
        'webpack@5.95.0',
      ],
      { stdio: 'inherit' },
    );
    if (!existsSync(webpackDir)) return undefined;
  }
  const s = startServer(
    process.execPath,
    [join(root, 'dist', 'server.js'), '--stdio'],
    'loop-lens on webpack',
  );
  const t0 = performance.now();
  await s.initialize(webpackDir);
  const probes = await probeWhileScanning(
    s,
    pathToFileURL(join(webpackDir, 'lib', 'Compiler.js')).toString(),
    { line: 10, character: 5 },
  );
  const scanMs = performance.now() - t0;
  const mem = s.rssMb();
  await s.stop();
  return { scanMs, mem, probes };
}

function row(label, lat) {
  const cell = (p) => `p${p} ${fmt(pct(lat, p)).padStart(6)} ms`;
  return `${label.padEnd(38)} ${cell(50)}   ${cell(95)}   ${cell(99)}   max ${fmt(Math.max(...lat)).padStart(6)} ms`;
}

const only = process.argv.includes('--ours-only');

async function main() {
  if (!existsSync(join(root, 'dist', 'server.js')))
    spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  generate();
  console.log(
    `project: 1,000 files (src/big.ts: 3,000 lines importing 100 modules), ${EDITS} full-text edits`,
  );
  const raw = await benchOurs({}, 'loop-lens (default settings)');
  const deb = await benchOurs({ analysisDelayMs: 120 }, 'loop-lens (analysisDelayMs 120)');
  const ts = only ? undefined : await benchTsls();
  const wp = only ? undefined : await benchWebpackMemory();
  const k5 = only ? { probes: [], mem: { rss: 0, peak: 0 }, scanMs: 0 } : await bench5k();

  console.log('\nedit → publishDiagnostics of the edited file');
  console.log(row('loop-lens, default settings', raw.lat));
  console.log(row('loop-lens, analysisDelayMs 120', deb.lat));
  if (ts) console.log(row(`typescript-language-server ${TSLS_VERSION}`, ts.lat));
  console.log(
    `target p95 ≤ 50 ms (default settings): ${pct(raw.lat, 95) <= 50 ? 'met' : 'NOT met'}; p99 ≤ 50 ms: ${pct(raw.lat, 99) <= 50 ? 'met' : 'not met'}`,
  );
  console.log(
    '\nserver CPU time per edit (user+sys of the server process tree; robust to machine load):',
  );
  console.log(
    `  loop-lens ${fmt(raw.lat.cpuPerEdit)} ms${ts ? `, typescript-language-server + tsserver ${fmt(ts.lat.cpuPerEdit)} ms (${(ts.lat.cpuPerEdit / raw.lat.cpuPerEdit).toFixed(1)}×)` : ''}`,
  );
  console.log('\ninitialize → first diagnostics of the open file');
  console.log(
    `  loop-lens: ${fmt(raw.first.ms)} ms (workspace scan still running: ${raw.first.scanRunning ? 'yes' : 'no'}); target ≤ 500 ms: ${raw.first.ms <= 500 ? 'met' : 'NOT met'}`,
  );
  if (ts) console.log(`  typescript-language-server: ${fmt(ts.first.ms)} ms`);
  console.log(
    `  server CPU until then (process start + bundle load included): loop-lens ${fmt(raw.first.cpu)} ms${ts ? `, typescript-language-server + tsserver ${fmt(ts.first.cpu)} ms` : ''}`,
  );
  if (ts) {
    console.log('\nratios (typescript-language-server / loop-lens):');
    for (const p of [50, 95, 99])
      console.log(
        `  edit latency p${p}: ${(pct(ts.lat, p) / pct(raw.lat, p)).toFixed(1)}× (default settings)`,
      );
    console.log(`  first diagnostics: ${(ts.first.ms / raw.first.ms).toFixed(1)}×`);
  }
  console.log(
    '  (facts.md peer figures: typescript-language-server p50 613 ms, p95 913 ms, first diagnostics 3.6 s)',
  );
  console.log(
    `\nserver memory on the 1,000-file project after the edits: RSS ${fmt(raw.mem.rss)} MB, peak ${fmt(raw.mem.peak)} MB`,
  );
  if (wp)
    console.log(
      `server memory on webpack's tree: RSS ${fmt(wp.mem.rss)} MB, peak ${fmt(wp.mem.peak)} MB (scan ${fmt(wp.scanMs)} ms)`,
    );
  console.log('\nhover answered while the workspace scan runs (request → response):');
  console.log(
    `  ${row('1,000-file project', raw.probes.length ? raw.probes : [0])} (${raw.probes.length} hovers)`,
  );
  if (wp)
    console.log(
      `  ${row("webpack's tree", wp.probes.length ? wp.probes : [0])} (${wp.probes.length} hovers)`,
    );
  console.log(
    `  ${row('5,000-file workspace', k5.probes.length ? k5.probes : [0])} (${k5.probes.length} hovers)`,
  );
  console.log(
    `\n5,000-file workspace: scan ${fmt(k5.scanMs)} ms, server RSS ${fmt(k5.mem.rss)} MB (peak ${fmt(k5.mem.peak)} MB)`,
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
