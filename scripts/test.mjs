#!/usr/bin/env node
// `npm test`: typecheck → lint → build → unit → runtime → lsp → dap → vscode → e2e (CONTRIBUTING.md "Tests").
// `node scripts/test.mjs unit runtime` runs only the named stages (build runs first when a stage
// needs the bundles). Every stage's counts are summed into one closing line: "N passed, N failed".
// On a fresh clone it first installs what the stages need (scripts/ensureInstalled.mjs).
// `--stress` runs the stages beside two CPU-bound processes (scripts/hogs.mjs), as on a busy machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNpmPackages, ensureTestTools } from './ensureInstalled.mjs';
import { startHogs } from './hogs.mjs';

const root = new URL('..', import.meta.url).pathname;
const results = join(root, 'out', 'test-results');

/** Node-test stages: folder under test/ and how many files run at once. */
const nodeStages = {
  unit: { dir: 'test/unit', concurrency: 2, timeout: 600_000 },
  runtime: { dir: 'test/runtime', concurrency: 1, timeout: 600_000 },
  lsp: { dir: 'test/lsp', concurrency: 1, timeout: 600_000 },
  dap: { dir: 'test/dap', concurrency: 1, timeout: 600_000 },
  e2e: { dir: 'test/e2e', concurrency: 1, timeout: 600_000 },
};
/** Stages that are one command; they write out/test-results/<stage>.json ({ passed, failed }). */
const commandStages = {
  typecheck: ['npm', ['run', '-s', 'typecheck']],
  lint: ['npm', ['run', '-s', 'lint']],
  build: ['npm', ['run', '-s', 'build']],
  vscode: ['node', ['test/vscode/runTests.mjs']],
};
const order = ['typecheck', 'lint', 'build', 'unit', 'runtime', 'lsp', 'dap', 'vscode', 'e2e'];
const needsBuild = new Set(['runtime', 'lsp', 'dap', 'vscode', 'e2e']);

function findTests(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const name of readdirSync(abs)) {
    const p = join(abs, name);
    if (statSync(p).isDirectory()) out.push(...findTests(join(dir, name)));
    else if (/\.test\.(ts|mjs|js)$/.test(name)) out.push(join(dir, name));
  }
  return out.sort();
}

function runNodeStage(stage) {
  const { dir, concurrency, timeout } = nodeStages[stage];
  const files = findTests(dir);
  if (files.length === 0) return { passed: 0, failed: 0 };
  const tap = join(results, `${stage}.tap`);
  const args = [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    `--test-timeout=${timeout}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ];
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (k) => sumTap(text, k);
  const passed = count('pass');
  const failed =
    count('fail') + count('cancelled') + (r.status !== 0 && count('fail') === 0 ? 1 : 0);
  return { passed, failed };
}

function sumTap(text, key) {
  // Top-level summary lines of node's TAP reporter: "# pass 12".
  const m = new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

function runCommandStage(stage) {
  const [cmd, args] = commandStages[stage];
  const file = join(results, `${stage}.json`);
  rmSync(file, { force: true });
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (existsSync(file)) {
    const { passed = 0, failed = 0 } = JSON.parse(readFileSync(file, 'utf8'));
    return { passed, failed: failed + (r.status !== 0 && failed === 0 ? 1 : 0) };
  }
  return r.status === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

const stress = process.argv.includes('--stress');
const asked = process.argv.slice(2).filter((a) => a !== '--stress');
let stages = asked.length ? order.filter((s) => asked.includes(s)) : order;
if (asked.length && stages.some((s) => needsBuild.has(s)) && !stages.includes('build')) {
  stages = ['build', ...stages];
}
ensureNpmPackages();
if (stages.includes('vscode') || stages.includes('e2e')) ensureTestTools();
mkdirSync(results, { recursive: true });
const hogs = stress ? startHogs(2) : undefined;
const total = { passed: 0, failed: 0 };
const summary = [];
for (const stage of stages) {
  const t0 = Date.now();
  console.log(`\n=== ${stage} ===`);
  const r = stage in nodeStages ? runNodeStage(stage) : runCommandStage(stage);
  total.passed += r.passed;
  total.failed += r.failed;
  summary.push(
    `${stage.padEnd(10)} ${r.passed} passed, ${r.failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  if (r.failed && (stage === 'build' || stage === 'typecheck')) break;
}
hogs?.stop();
console.log('\n' + summary.join('\n'));
console.log(`\nTests: ${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed ? 1 : 0);
