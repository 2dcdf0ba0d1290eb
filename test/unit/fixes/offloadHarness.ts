/**
 * Runs the "Run in a worker thread" rewrite for real: a fixture project on disk (TypeScript or
 * JavaScript, ESM or CommonJS), the engine's finding, the rewrite applied, TypeScript compiled
 * with the project's own settings, and the handler run in a new Node process that counts how
 * often another timer fired while the job ran.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { analyzeProject } from '../../../server/src/analysis';
import { applyEdits } from '../../../server/src/fixes';
import { offloadFix, withPiscina, type OffloadOptions } from '../../../server/src/fixes/offload';

const root = join(__dirname, '..', '..', '..');
/** Piscina for the tests, from the npm registry (not a dependency of Loop Lens itself). */
const piscinaCache = join(root, '.cache', 'offload');
const PISCINA = 'piscina@5.3.2';

/** Installs Piscina into the test cache once; returns its folder. */
export function ensurePiscina(): string {
  const dir = join(piscinaCache, 'node_modules', 'piscina');
  if (existsSync(join(dir, 'package.json'))) return dir;
  mkdirSync(piscinaCache, { recursive: true });
  const args = ['install', '--prefix', piscinaCache, '--no-save', '--no-audit', '--no-fund'];
  const r = spawnSync('npm', [...args, '--omit=optional', PISCINA], { encoding: 'utf8' });
  assert.ok(existsSync(join(dir, 'package.json')), `npm install ${PISCINA} failed: ${r.stderr}`);
  return dir;
}

/** A TypeScript fixture: an async handler calling a self-contained, CPU-heavy function. */
export const tsText = [
  "import { pbkdf2Sync } from 'node:crypto';",
  '',
  '/** A slow, salted hash. */',
  'function hashPassword(password: string, salt: string, rounds: number): string {',
  "  return pbkdf2Sync(password, salt, rounds, 64, 'sha512').toString('hex');",
  '}',
  '',
  'export async function handler(password: string): Promise<string> {',
  "  const hash = hashPassword(password, 'pepper', 150000);",
  '  return hash.slice(0, 16);',
  '}',
  '',
].join('\n');

/** One fixture project. */
export interface OffloadCase {
  file: string;
  text: string;
  /** package.json `type`. */
  type: 'module' | 'commonjs';
  /** tsconfig `module` (TypeScript cases). */
  tsModule?: 'node16' | 'commonjs';
  options: OffloadOptions;
  /** The engine's name of the called function (`hash`, `Hasher.compute`). */
  callee: string;
  /** Other files of the project (an imported helper's module), by name. */
  extra?: Record<string, string>;
}

/** What one run of the handler printed. */
export interface RunResult {
  result: unknown;
  /** Times a 1 ms interval timer fired while `await handler()` ran. */
  ticks: number;
  /** Event-loop delay samples (monitorEventLoopDelay, 1 ms resolution) in that time. */
  samples: number;
  /** The longest the event loop was held in that time (including the turn right after it). */
  maxDelayMs: number;
}

/** Writes the project; returns its folder. */
export function writeProject(c: OffloadCase): string {
  const dir = mkdtempSync(join(tmpdir(), 'loop-lens-offload-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fx', type: c.type }, null, 2));
  writeFileSync(join(dir, c.file), c.text);
  for (const [name, text] of Object.entries(c.extra ?? {})) writeFileSync(join(dir, name), text);
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(root, 'node_modules', '@types', 'node'), join(dir, 'node_modules/@types/node'));
  symlinkSync(ensurePiscina(), join(dir, 'node_modules', 'piscina'));
  return dir;
}

/** Applies the offload fix of the engine's finding on `c.callee`; returns the fix's reason. */
export function applyOffload(dir: string, c: OffloadCase): string {
  const file = join(dir, c.file);
  const roots = [file, ...Object.keys(c.extra ?? {}).map((n) => join(dir, n))];
  const { findings } = analyzeProject({ roots });
  const finding = findings.find((f) => f.file === file && f.chain[0]?.name === c.callee);
  assert.ok(finding, `no finding on ${c.callee}: ${JSON.stringify(findings)}`);
  const fix = offloadFix(c.text, file, finding, c.options, readModule);
  assert.ok(fix, `no offload fix for ${c.callee}`);
  writeFileSync(file, applyEdits(c.text, fix.edits));
  writeFileSync(join(dirname(file), fix.workerFile), fix.workerText);
  if (fix.dependency) {
    const pkg = withPiscina(JSON.stringify({ name: 'fx', type: c.type }, null, 2));
    assert.ok(pkg !== undefined && pkg.includes('"piscina"'), 'package.json gains piscina');
    writeFileSync(join(dir, 'package.json'), pkg);
  }
  return fix.reason;
}

/** The fix's module reader: the file on disk, or undefined when there is none. */
export function readModule(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** Compiles a TypeScript project (tsc's own diagnostics must be empty); returns the out dir. */
export function compile(dir: string, c: OffloadCase): string {
  const out = join(dir, 'out');
  const options: ts.CompilerOptions = {
    strict: true,
    // The moved function's imports must not stay behind unused.
    noUnusedLocals: true,
    target: ts.ScriptTarget.ES2022,
    module: c.tsModule === 'commonjs' ? ts.ModuleKind.CommonJS : ts.ModuleKind.Node16,
    moduleResolution:
      c.tsModule === 'commonjs' ? ts.ModuleResolutionKind.Node10 : ts.ModuleResolutionKind.Node16,
    esModuleInterop: true,
    // As `tsc --init` writes it: Piscina's own .d.ts imports its package.json.
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(dir, 'node_modules', '@types')],
    outDir: out,
    rootDir: dir,
  };
  const files = ts.sys.readDirectory(dir, ['.ts'], ['node_modules', 'out']);
  const program = ts.createProgram(files, options);
  const emitted = program.emit();
  const diags = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  const text = diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(text, [], `TypeScript errors:\n${text.join('\n')}`);
  return out;
}

/**
 * A copy of the project's files as plain JavaScript (TypeScript transpiled without type
 * checking): the code as written, to run again after the rewrite.
 */
export function transpile(dir: string, c: OffloadCase): string {
  const out = join(dir, 'plain');
  mkdirSync(out, { recursive: true });
  const module = c.tsModule === 'commonjs' ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext;
  for (const name of [c.file, ...Object.keys(c.extra ?? {})]) {
    const text = readFileSync(join(dir, name), 'utf8');
    const js = /\.ts$/.test(name)
      ? ts.transpileModule(text, { compilerOptions: { module, target: ts.ScriptTarget.ES2022 } })
          .outputText
      : text;
    writeFileSync(join(out, name.replace(/\.ts$/, '.js')), js);
  }
  writeFileSync(join(out, 'package.json'), JSON.stringify({ type: c.type }));
  return out;
}

/** Runs `handler(arg)` of the module `main` in a new process and counts the timer's ticks. */
export function runHandler(main: string, arg: string): RunResult {
  const driver = `
    import { monitorEventLoopDelay } from 'node:perf_hooks';
    const mod = await import(${JSON.stringify(main)});
    const handler = mod.handler ?? mod.default.handler;
    const h = monitorEventLoopDelay({ resolution: 1 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    h.enable();
    // The monitor records from its second tick on: wait for a first sample (turns of the loop).
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    while (h.count < 1) await turn();
    ticks = 0;
    const result = await handler(${JSON.stringify(arg)});
    const during = ticks;
    // Until the monitor's next tick, which records how long the loop was held.
    const seen = h.count;
    while (h.count === seen) await turn();
    h.disable();
    clearInterval(timer);
    const out = { result, ticks: during, samples: h.count, maxDelayMs: h.max / 1e6 };
    console.log(JSON.stringify(out));
    process.exit(0);`;
  const file = join(dirname(main), 'driver.mjs');
  writeFileSync(file, driver);
  const out = execFileSync(process.execPath, [file], { cwd: dirname(main), encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as RunResult;
}

/**
 * The longest loop delay as written vs offloaded, side by side from the first runs. A busy
 * machine can stall one run for longer than the whole job: on a loss, two more interleaved
 * rounds are run and the medians decide.
 */
export function longestDelays(
  asWritten: string,
  offloadedMain: string,
  before: RunResult,
  after: RunResult,
): { written: number; offloaded: number; shown: string } {
  const rounds: [number, number][] = [[before.maxDelayMs, after.maxDelayMs]];
  if (after.maxDelayMs >= before.maxDelayMs) {
    for (let i = 0; i < 2; i++) {
      const b = runHandler(asWritten, 'secret').maxDelayMs;
      rounds.push([b, runHandler(offloadedMain, 'secret').maxDelayMs]);
    }
  }
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
  return {
    written: median(rounds.map((r) => r[0])),
    offloaded: median(rounds.map((r) => r[1])),
    shown: rounds.map(([b, a]) => `${b.toFixed(1)} vs ${a.toFixed(1)}`).join(', '),
  };
}
