// `npm run bench -- static`: `loop-lens check` against ESLint 9 + eslint-plugin-n `n/no-sync` on the
// same files: webpack@5.95.0's own JavaScript in lib, bin and hot (558 files). Not schemas/: its
// generated *.check.js are minified, which loop-lens skips with a note, so the sets would differ.
// Both run as a user runs them, each in its own process, alternating order round by round.
// Prints files, findings, median wall and CPU time, the ratio (target ≤ 0.5×), peak RSS, and how
// many findings of each sit lexically inside async functions. Loop Lens follows webpack's calls
// into its installed dependencies, with the package cache emptied before each run.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ensureCli, measure, median, npmInstall } from './measure.mjs';

const root = new URL('..', import.meta.url).pathname;
const cache = join(root, '.cache', 'bench-static');
const modules = join(cache, 'node_modules');
const PINNED = { webpack: '5.95.0', eslint: '9.39.5', 'eslint-plugin-n': '17.23.1' };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const targetDirs = ['lib', 'bin', 'hot'].map((d) => join(modules, 'webpack', d));

function installed() {
  return Object.entries(PINNED).every(([name, version]) => {
    const pkg = join(modules, name, 'package.json');
    return existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).version === version;
  });
}

function install() {
  if (installed()) return;
  npmInstall(cache, PINNED);
  if (!installed()) throw new Error('npm install of the benchmark packages failed');
}

/** Only n/no-sync, on every .js file given, node_modules not ignored (the targets live there). */
function writeEslintConfig() {
  const file = join(cache, 'eslint.config.mjs');
  writeFileSync(
    file,
    [
      "import n from 'eslint-plugin-n';",
      'export default [',
      "  { ignores: ['!**/node_modules/'] },",
      '  {',
      "    files: ['**/*.js'],",
      '    plugins: { n },',
      "    linterOptions: { reportUnusedDisableDirectives: 'off' },",
      "    languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' },",
      "    rules: { 'n/no-sync': 'error' },",
      '  },',
      '];',
      '',
    ].join('\n'),
  );
  return file;
}

/** Map.groupBy is Node 21+; this runs on Node 20. */
function groupBy(xs, key) {
  const m = new Map();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

/** ESLint's JSON → [{ file, line, column }] and the number of files it linted. */
function eslintFindings(stdout) {
  const results = JSON.parse(stdout);
  const findings = results.flatMap((r) =>
    r.messages
      .filter((m) => m.ruleId === 'n/no-sync')
      .map((m) => ({ file: r.filePath, line: m.line, column: m.column })),
  );
  const fatal = results.reduce((n, r) => n + r.messages.filter((m) => m.fatal).length, 0);
  return { files: results.length, findings, fatal };
}

/**
 * How many findings lie lexically inside an async function (innermost enclosing function is
 * async). One neutral yardstick for both tools, computed with ESLint's own parser (espree).
 */
function countInAsync(findings) {
  const require = createRequire(join(modules, 'eslint', 'package.json'));
  const espree = require('espree');
  const byFile = groupBy(findings, (f) => f.file);
  let inAsync = 0;
  for (const [file, list] of byFile) {
    const ast = espree.parse(readFileSync(file, 'utf8'), {
      ecmaVersion: 'latest',
      sourceType: 'script',
      loc: true,
      ecmaFeatures: { globalReturn: true },
      allowHashBang: true,
    });
    const fns = [];
    collectFunctions(ast, fns);
    for (const f of list) {
      const enclosing = fns
        .filter((fn) => contains(fn.loc, f.line, f.column))
        .sort(
          (a, b) => b.loc.start.line - a.loc.start.line || b.loc.start.column - a.loc.start.column,
        )[0];
      if (enclosing?.async) inAsync++;
    }
  }
  return inAsync;
}

function collectFunctions(node, out) {
  if (!node || typeof node.type !== 'string') return;
  if (/Function/.test(node.type)) out.push(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent' || key === 'loc') continue;
    if (Array.isArray(value)) value.forEach((v) => collectFunctions(v, out));
    else if (value && typeof value === 'object') collectFunctions(value, out);
  }
}

function contains(loc, line, column) {
  const c = column - 1; // espree columns are 0-based, findings 1-based
  const afterStart = line > loc.start.line || (line === loc.start.line && c >= loc.start.column);
  const beforeEnd = line < loc.end.line || (line === loc.end.line && c <= loc.end.column);
  return afterStart && beforeEnd;
}

async function main() {
  install();
  const config = writeEslintConfig();
  const cli = ensureCli();
  const eslintBin = join(modules, 'eslint', 'bin', 'eslint.js');
  const runs = {
    eslint: () =>
      measure(
        [
          process.execPath,
          eslintBin,
          '--config',
          config,
          '--no-inline-config',
          '--format',
          'json',
          ...targetDirs,
        ],
        cache,
      ),
    // Dependencies followed (the default) on a cold cache every round: the worst case.
    loopLens: () => {
      rmSync(join(modules, '.cache', 'loop-lens'), { recursive: true, force: true });
      return measure(
        [process.execPath, cli, 'check', ...targetDirs, '--format', 'json', '--fail-on', 'none'],
        cache,
      );
    },
  };
  const samples = { eslint: [], loopLens: [] };
  const last = {};
  console.log(
    `rounds: ${ROUNDS} (alternating order), files: webpack@${PINNED.webpack} lib, bin, hot`,
  );
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['eslint', 'loopLens'] : ['loopLens', 'eslint'];
    for (const tool of order) {
      const r = await runs[tool]();
      if (tool === 'eslint' ? r.code > 1 : r.code !== 0) {
        throw new Error(`${tool} exited ${r.code}:\n${r.stderr.slice(0, 2000)}`);
      }
      samples[tool].push(r);
      last[tool] = r;
    }
    const [e, l] = [samples.eslint[round], samples.loopLens[round]];
    console.log(
      `  round ${round + 1}: eslint ${ms(e.wallMs)} (cpu ${ms(e.cpuMs)}), ` +
        `loop-lens ${ms(l.wallMs)} (cpu ${ms(l.cpuMs)}), wall ratio ${(l.wallMs / e.wallMs).toFixed(2)}`,
    );
  }
  report(samples, last);
}

const ms = (x) => `${x.toFixed(0)} ms`;

/** Median of the two tools' values and of their per-round ratios (with the spread). */
function compare(samples, key) {
  const a = samples.eslint.map((s) => s[key]);
  const b = samples.loopLens.map((s) => s[key]);
  const perRound = b.map((x, i) => x / a[i]);
  return {
    eslint: median(a),
    ours: median(b),
    ratio: median(b) / median(a),
    roundRatio: median(perRound),
    spread: `${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}`,
  };
}

function report(samples, last) {
  const es = eslintFindings(last.eslint.stdout);
  const ours = JSON.parse(last.loopLens.stdout);
  const ourFindings = ours.findings;
  const wall = compare(samples, 'wallMs');
  const cpu = compare(samples, 'cpuMs');
  const peak = (tool) => Math.max(...samples[tool].map((s) => s.peakKiB)) / 1024;
  const rows = [
    ['', 'ESLint n/no-sync', 'loop-lens check'],
    ['files', String(es.files), String(ours.filesAnalyzed)],
    ['findings', String(es.findings.length), String(ourFindings.length)],
    ['  in async functions', String(countInAsync(es.findings)), String(countInAsync(ourFindings))],
    ['  indirect (with chain)', '-', String(ourFindings.filter((f) => f.chain.length > 0).length)],
    ['median wall time', ms(wall.eslint), ms(wall.ours)],
    ['median CPU (user+sys)', ms(cpu.eslint), ms(cpu.ours)],
    ['peak RSS', `${peak('eslint').toFixed(0)} MiB`, `${peak('loopLens').toFixed(0)} MiB`],
  ];
  console.log('');
  for (const [a, b, c] of rows) console.log(`${a.padEnd(26)}${b.padStart(18)}${c.padStart(18)}`);
  console.log(
    `\nwall-time ratio loop-lens / ESLint: ${wall.ratio.toFixed(2)}× of medians; per-round median ` +
      `${wall.roundRatio.toFixed(2)}× (spread ${wall.spread}); target ≤ 0.50×: ${wall.ratio <= 0.5 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `CPU-time ratio (less sensitive to other load on the machine): ${cpu.ratio.toFixed(2)}× of ` +
      `medians; per-round median ${cpu.roundRatio.toFixed(2)}× (spread ${cpu.spread})`,
  );
  console.log(`peak RSS target < 1024 MiB: ${peak('loopLens') < 1024 ? 'met' : 'NOT met'}`);
  const d = ours.dependencies;
  if (d)
    console.log(
      `loop-lens followed calls into ${d.files} files of ${d.packages} installed packages`,
    );
  const byRule = groupBy(ourFindings, (f) => f.rule);
  console.log(
    `loop-lens findings by rule: ${[...byRule].map(([r, l]) => `${r} ${l.length}`).join(', ') || 'none'}`,
  );
  if (es.fatal) console.log(`note: ESLint could not parse ${es.fatal} file(s)`);
  for (const n of ours.notes ?? []) {
    console.log(`loop-lens note: ${n.kind} ${n.file.slice(modules.length + 1)}: ${n.reason}`);
  }
}

main().catch((err) => {
  console.error(`bench static: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
