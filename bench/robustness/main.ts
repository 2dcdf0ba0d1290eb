/**
 * Robustness as figures: how many bad inputs were tried, and how many crashed, hung or got an
 * unclear answer. Needs the built bundles (`npm run build`). Prints one block per area:
 *   language server: >= 1,000 random edits of real files; every request answered within 1 s?
 *   recordings: malformed and hostile files (100 MB ones included) through Open Recording's loader
 *   inspector: fake endpoints that misbehave, against `loop-lens record --port`
 *   check: a symlink loop, an unreadable folder, 50 MB, a NUL byte, 10,000 files
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRecording, serializeRecording } from '../../src/ui/recordingFile';
import { makeAwkwardTree } from '../../test/robustness/awkwardTree';
import { FAULTS, startFakeInspector } from '../../test/robustness/fakeInspector';
import { hostileRecordings } from '../../test/robustness/hostileRecordings';
import { fuzzLanguageServer } from '../../test/robustness/lspFuzz';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'loop-lens.js');
const pct = (xs: number[], p: number) =>
  xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0;
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

async function languageServer(): Promise<void> {
  const seeds = [1, 2, 3, 4];
  const perSeed = 300;
  const all = {
    edits: 0,
    requests: 0,
    answered: 0,
    errors: 0,
    crashes: 0,
    logged: 0,
    published: 0,
  };
  const lat: number[] = [];
  const logs: string[] = [];
  for (const seed of seeds) {
    const r = await fuzzLanguageServer(perSeed, seed);
    for (const k of Object.keys(all) as Array<keyof typeof all>) {
      all[k] += k === 'logged' ? r.logged.length : r[k];
    }
    lat.push(...r.latencies);
    logs.push(...r.log, ...r.logged.map((l) => l.split('\n')[0]!));
  }
  lat.sort((a, b) => a - b);
  const late = lat.filter((x) => x > 1000).length;
  console.log(
    `language server: ${all.edits} random edits of real files (${seeds.length} seeds), ${all.requests} requests\n` +
      `  crashes ${all.crashes}; answered ${all.answered}/${all.requests}, within 1 s ${all.requests - late}/${all.requests}; ` +
      `error responses ${all.errors}; exceptions logged ${all.logged}; diagnostics published ${all.published}\n` +
      `  request latency: median ${ms(pct(lat, 0.5))}, p99 ${ms(pct(lat, 0.99))}, max ${ms(lat.at(-1) ?? 0)}`,
  );
  for (const l of logs.slice(0, 5)) console.log(`  ! ${l}`);
}

function recordings(): void {
  const CLEAR =
    /^(not JSON \(|not a Loop Lens recording|unsupported recording version|too large|"?[\w.[\]"]+ must be (a|an) )/;
  const cases = hostileRecordings(100);
  let refused = 0;
  let opened = 0;
  let unclear = 0;
  let slowest = { name: '', ms: 0 };
  for (const c of cases) {
    const t0 = performance.now();
    try {
      serializeRecording(parseRecording(c.text));
      opened++;
    } catch (e) {
      if (e instanceof Error && CLEAR.test(e.message)) refused++;
      else {
        unclear++;
        console.log(`  ! ${c.name}: ${String(e)}`);
      }
    }
    const took = performance.now() - t0;
    if (took > slowest.ms) slowest = { name: c.name, ms: took };
  }
  console.log(
    `recordings: ${cases.length} malformed or hostile files through Open Recording's loader\n` +
      `  crashes or unclear errors ${unclear}; refused with a message naming the field ${refused}; opened safely ${opened}\n` +
      `  slowest: ${slowest.name}, ${ms(slowest.ms)} (the webview side: test/e2e/webviewHostile.test.ts)`,
  );
}

async function inspector(): Promise<void> {
  const rows: string[] = [];
  let exit2 = 0;
  let hung = 0;
  const times: number[] = [];
  for (const fault of FAULTS) {
    const fake = await startFakeInspector(fault);
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [CLI, 'record', '--port', String(fake.port), '--out', join(tmpdir(), 'll-never.json')],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const killer = setTimeout(() => {
      hung++;
      child.kill('SIGKILL');
    }, 30_000);
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    clearTimeout(killer);
    await fake.close();
    const took = performance.now() - t0;
    times.push(took);
    if (code === 2) exit2++;
    rows.push(
      `  ${fault.padEnd(22)} exit ${code}  ${(took / 1000).toFixed(1)} s  ${err.trim().split('\n')[0]!.slice(0, 110)}`,
    );
  }
  console.log(
    `inspector: ${FAULTS.length} misbehaving endpoints on 127.0.0.1 against record --port (documented: an error within 5 s)\n` +
      `  hung (killed at 30 s) ${hung}; exit code 2 ${exit2}/${FAULTS.length}; slowest exit ${(Math.max(...times) / 1000).toFixed(1)} s`,
  );
  for (const r of rows) console.log(r);
}

function check(): void {
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-awkward-'));
  chmodSync(dir, 0o755);
  const tree = makeAwkwardTree(join(dir, 'p'));
  try {
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '.'], {
      cwd: tree.root,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      ...asNobody,
    });
    const took = performance.now() - t0;
    const out = JSON.parse(r.stdout || '{}') as {
      filesAnalyzed?: number;
      findings?: unknown[];
      notes?: Array<{ reason: string }>;
    };
    console.log(
      `check: symlink loops, an unreadable folder, a 50 MB file, a NUL byte, ${tree.manyFiles.toLocaleString('en')} files in one folder\n` +
        `  exit ${r.status} (1 = the one real finding) in ${(took / 1000).toFixed(2)} s; files analysed ${out.filesAnalyzed}; ` +
        `findings ${out.findings?.length}; notes: ${(out.notes ?? []).map((n) => n.reason).join('; ')}`,
    );
  } finally {
    tree.restore();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await languageServer();
  recordings();
  await inspector();
  check();
}

void main();
