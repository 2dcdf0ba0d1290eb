// Language-server benchmark (issue #3): edit → publishDiagnostics latency on a 3,000-line file in
// a generated 1,000-file project (50 full-text edits that add/remove a blocking call inside an
// async function), time from initialize to the open file's first diagnostics while the workspace
// scan runs, and server memory on webpack's tree. Side by side with typescript-language-server
// (installed into .cache/bench-lsp/tools at bench time, not a project dependency) on the same
// edits: the added line is also an unused local, which its semantic check (noUnusedLocals) flags.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import rpc from 'vscode-languageserver-protocol/node';

const root = new URL('..', import.meta.url).pathname;
const cache = join(root, '.cache', 'bench-lsp');
const project = join(cache, 'project');
const tools = join(cache, 'tools');
const webpackDir = join(root, '.cache', 'bench-static', 'node_modules', 'webpack');
const EDITS = 50;
const GEN_VERSION = '1';
const TSLS_VERSION = '4.4.1';

// ---------- project generation ----------
function moduleText(i) {
  const blocking = i % 10 === 0;
  return [
    "import * as fs from 'node:fs';",
    '',
    `export interface Item${i} {`,
    '  id: number;',
    '  name: string;',
    '}',
    '',
    `export function helper${i}(x: number): number {`,
    '  let total = x;',
    `  for (let j = 0; j < 10; j++) total += j * ${i % 7};`,
    '  return total;',
    '}',
    '',
    `export function load${i}(path: string): string {`,
    blocking ? "  return fs.readFileSync(path, 'utf8');" : '  return fs.existsSync.name + path;',
    '}',
    '',
    `export async function task${i}(items: Item${i}[]): Promise<number> {`,
    '  await Promise.resolve();',
    `  return items.reduce((a, b) => a + b.id + helper${i}(b.id), 0);`,
    '}',
    '',
  ].join('\n');
}

function bigText() {
  const lines = ["import * as fs from 'node:fs';"];
  for (let i = 0; i < 100; i++)
    lines.push(`import { helper${i}, load${i}, task${i} } from './lib/mod${i}';`);
  lines.push('');
  for (let k = 0; lines.length < 2990; k++) {
    const m = k % 100;
    lines.push(
      `export async function handler${k}(n: number): Promise<number> {`,
      `  const a = helper${m}(n);`,
      `  const b = await task${m}([{ id: a, name: 'x' }]);`,
      `  const s = load${m}('/tmp/x' + b);`,
      `  return a + b + s.length + fs.constants.F_OK;`,
      '}',
      '',
    );
  }
  while (lines.length < 3000) lines.push('');
  return lines.join('\n');
}

function generate() {
  const marker = join(project, '.generated');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === GEN_VERSION) return;
  rmSync(project, { recursive: true, force: true });
  mkdirSync(join(project, 'src', 'lib'), { recursive: true });
  for (let i = 0; i < 999; i++)
    writeFileSync(join(project, 'src', 'lib', `mod${i}.ts`), moduleText(i));
  writeFileSync(join(project, 'src', 'big.ts'), bigText());
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noUnusedLocals: true,
        module: 'node16',
        target: 'es2022',
        types: ['node'],
        noEmit: true,
      },
      include: ['src'],
    }),
  );
  mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
  symlinkSync(
    join(root, 'node_modules', '@types', 'node'),
    join(project, 'node_modules', '@types', 'node'),
  );
  writeFileSync(marker, GEN_VERSION);
}

// ---------- a small LSP client ----------
function startServer(command, args, label) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const conn = rpc.createProtocolConnection(
    new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin),
  );
  const waiters = new Set();
  const s = { child, conn, label, progressEnded: false, stderr: () => stderr };
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    s.last = p;
    for (const w of [...waiters]) w(p);
  });
  conn.onNotification('$/progress', (p) => {
    if (p.value?.kind === 'end') s.progressEnded = true;
    notify();
  });
  conn.onNotification(() => {});
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  conn.onRequest(() => null);
  conn.listen();
  s.waitFor = (check, timeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`${label}: timeout\n${stderr.slice(-1000)}`));
      }, timeoutMs);
      const w = (p) => {
        if (check(p)) {
          clearTimeout(timer);
          waiters.delete(w);
          resolve(p);
        }
      };
      waiters.add(w);
    });
  s.initialize = async (folder, initializationOptions = {}) => {
    const uri = pathToFileURL(folder).toString();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      rootPath: folder,
      workspaceFolders: [{ uri, name: 'bench' }],
      initializationOptions,
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: true } },
      },
    });
    await conn.sendNotification('initialized', {});
  };
  /** CPU ms used so far by the server and every process it started (tsserver), from /proc. */
  s.cpuMs = () => treeCpuMs(child.pid);
  s.rssMb = () => {
    const st = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(st)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  };
  s.stop = async () => {
    try {
      await Promise.race([conn.sendRequest('shutdown'), delay(3000)]);
      await conn.sendNotification('exit');
    } catch {
      /* gone */
    }
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    conn.dispose();
  };
  return s;
}

/** utime + stime (ms) of `pid` and its descendants; load-independent unlike wall time. */
function treeCpuMs(pid) {
  const procs = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const st = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(name), ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) });
    } catch {
      // exited meanwhile
    }
  }
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (tree.has(p.ppid) && !tree.has(p.pid)) grew = tree.add(p.pid) && true;
  }
  const ticks = procs.filter((p) => tree.has(p.pid)).reduce((a, p) => a + p.cpu, 0);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

// ---------- measurements ----------
const bigPath = join(project, 'src', 'big.ts');
const bigUri = pathToFileURL(bigPath).toString();

/** Text of edit k: odd edits add a blocking call (also an unused local) inside handler0. */
function editText(base, k) {
  // The line the added call occupies (after `const a = helper0(n);`), for both add and remove.
  const line = base.split('\n').findIndex((l) => l.includes('const a = helper0(n);')) + 1;
  if (k % 2 === 0) return { text: base, present: false, name: `blocked${k - 1}`, line };
  const name = `blocked${k}`;
  const text = base.replace(
    '  const a = helper0(n);\n',
    `  const a = helper0(n);\n  const ${name} = fs.readFileSync('/etc/hosts', 'utf8');\n`,
  );
  return { text, present: true, name, line };
}

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

/** 50 full-text edits; each waits for the diagnostics that reflect it. */
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

async function benchOurs(debounceMs) {
  const s = startServer(
    process.execPath,
    [join(root, 'dist', 'server.js'), '--stdio'],
    `loop-lens (debounce ${debounceMs} ms)`,
  );
  const first = await openAndFirst(s, { debounceMs });
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
  const dir = join(cache, 'project5k');
  if (!existsSync(join(dir, '.generated'))) {
    rmSync(dir, { recursive: true, force: true });
    for (let d = 0; d < 50; d++) mkdirSync(join(dir, 'src', `pkg${d}`), { recursive: true });
    for (let i = 0; i < 5000; i++) {
      const imp =
        i % 100
          ? `import { helper${i - 1} } from '../pkg${Math.floor((i - 1) / 100)}/mod${i - 1}';\n`
          : '';
      const text = moduleText(i).replace(
        "import * as fs from 'node:fs';\n",
        `import * as fs from 'node:fs';\n${imp}`,
      );
      writeFileSync(join(dir, 'src', `pkg${Math.floor(i / 100)}`, `mod${i}.ts`), text);
    }
    writeFileSync(join(dir, '.generated'), GEN_VERSION);
  }
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
  return `${label.padEnd(34)} p50 ${fmt(pct(lat, 50)).padStart(6)} ms   p95 ${fmt(pct(lat, 95)).padStart(6)} ms   max ${fmt(Math.max(...lat)).padStart(6)} ms`;
}

async function main() {
  if (!existsSync(join(root, 'dist', 'server.js')))
    spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  generate();
  console.log(
    `project: 1,000 files (src/big.ts: 3,000 lines importing 100 modules), ${EDITS} full-text edits`,
  );
  const raw = await benchOurs(0);
  const deb = await benchOurs(120);
  const ts = await benchTsls();
  const wp = await benchWebpackMemory();
  const k5 = await bench5k();

  console.log('\nedit → publishDiagnostics of the edited file');
  console.log(row('loop-lens, debounce off', raw.lat));
  console.log(row('loop-lens, debounce 120 ms (default)', deb.lat));
  if (ts) console.log(row(`typescript-language-server ${TSLS_VERSION}`, ts.lat));
  console.log(`target p95 ≤ 50 ms (debounce off): ${pct(raw.lat, 95) <= 50 ? 'met' : 'NOT met'}`);
  console.log(
    '\nserver CPU time per edit (user+sys of the server process tree; robust to machine load):',
  );
  console.log(
    `  loop-lens ${fmt(raw.lat.cpuPerEdit)} ms${ts ? `, typescript-language-server + tsserver ${fmt(ts.lat.cpuPerEdit)} ms (${(ts.lat.cpuPerEdit / raw.lat.cpuPerEdit).toFixed(1)}×)` : ''}`,
  );
  console.log('\ninitialize → first diagnostics of the open file');
  console.log(
    `  loop-lens: ${fmt(raw.first.ms)} ms (workspace scan still running: ${raw.first.scanRunning ? 'yes' : 'no'}); target ≤ 1000 ms: ${raw.first.ms <= 1000 ? 'met' : 'NOT met'}`,
  );
  if (ts) console.log(`  typescript-language-server: ${fmt(ts.first.ms)} ms`);
  console.log(
    `  server CPU until then (process start + bundle load included): loop-lens ${fmt(raw.first.cpu)} ms${ts ? `, typescript-language-server + tsserver ${fmt(ts.first.cpu)} ms` : ''}`,
  );
  if (ts) {
    console.log('\nratios (typescript-language-server / loop-lens):');
    console.log(
      `  edit latency p50: ${(pct(ts.lat, 50) / pct(raw.lat, 50)).toFixed(1)}× (debounce off), ${(pct(ts.lat, 50) / pct(deb.lat, 50)).toFixed(1)}× (default debounce)`,
    );
    console.log(
      `  edit latency p95: ${(pct(ts.lat, 95) / pct(raw.lat, 95)).toFixed(1)}× (debounce off)`,
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
