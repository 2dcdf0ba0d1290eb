// Workspaces of the language-server benchmark (bench/lsp.mjs): generated projects of 1,000 and
// 10,000 files (small modules and a 3,000-line file importing 100 of them), a real folder installed
// from npm (webpack's package tree), and the edit texts of each.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { npmInstall } from './measure.mjs';

const root = new URL('..', import.meta.url).pathname;
export const cache = join(root, '.cache', 'bench-lsp');
export const project = join(cache, 'project');
const GEN_VERSION = '1';
const REAL_PINNED = { webpack: '5.95.0' };

export function moduleText(i) {
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

/**
 * A generated project of `files` files (src/big.ts and `files - 1` modules, 500 per folder past
 * the first 1,000); returns its folder.
 */
export function generate(files = 1000) {
  const dir = files === 1000 ? project : join(cache, `project${files / 1000}k`);
  const marker = join(dir, '.generated');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === GEN_VERSION) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src', 'lib'), { recursive: true });
  for (let i = 0; i < files - 1; i++) {
    const sub = i < 1000 ? 'lib' : join('more', `part${Math.floor(i / 500)}`);
    if (i % 500 === 0) mkdirSync(join(dir, 'src', sub), { recursive: true });
    writeFileSync(join(dir, 'src', sub, `mod${i}.ts`), moduleText(i));
  }
  writeFileSync(join(dir, 'src', 'big.ts'), bigText());
  writeFileSync(
    join(dir, 'tsconfig.json'),
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
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(
    join(root, 'node_modules', '@types', 'node'),
    join(dir, 'node_modules', '@types', 'node'),
  );
  writeFileSync(marker, GEN_VERSION);
  return dir;
}

/** Text of edit k: odd edits add a blocking call (also an unused local) inside handler0. */
export function editText(base, k) {
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

/**
 * A real folder from npm: webpack@5.95.0 and its dependencies (~80 packages, ~3,000 JavaScript
 * files), installed into .cache/bench-lsp/real; the workspace is its node_modules folder. A
 * jsconfig.json there turns on checkJs and noUnusedLocals, so typescript-language-server reports
 * the edits' unused local as it does on the generated projects. Returns the folder, or undefined
 * when the install failed.
 */
export function realFolder() {
  const prefix = join(cache, 'real');
  const dir = join(prefix, 'node_modules');
  const pkg = join(dir, 'webpack', 'package.json');
  const ok = () => existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).version === '5.95.0';
  if (!ok()) {
    try {
      npmInstall(prefix, REAL_PINNED);
    } catch (e) {
      console.log(String(e));
    }
    if (!ok()) return undefined;
  }
  writeFileSync(
    join(dir, 'jsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        allowJs: true,
        checkJs: true,
        noUnusedLocals: true,
        noEmit: true,
        target: 'es2022',
        module: 'commonjs',
        skipLibCheck: true,
        maxNodeModuleJsDepth: 0,
      },
      include: ['**/*.js'],
    }),
  );
  return dir;
}

/**
 * Edit k of a real file: odd edits add, after line `anchor` (0-based), an async arrow that calls
 * readFileSync and is never used; even edits take it out again.
 */
export function insertEdit(base, k, anchor) {
  const line = anchor + 1;
  if (k % 2 === 0) return { text: base, present: false, name: `blocked${k - 1}`, line };
  const name = `blocked${k}`;
  const lines = base.split('\n');
  lines.splice(
    line,
    0,
    `\t\tconst ${name} = async () => require("fs").readFileSync("/etc/hosts", "utf8");`,
  );
  return { text: lines.join('\n'), present: true, name, line };
}
