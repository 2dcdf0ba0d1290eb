// Generated projects of the language-server benchmark (bench/lsp.mjs): 1,000 small modules and a
// 3,000-line file importing 100 of them, a 5,000-file workspace, and the edit texts.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
export const cache = join(root, '.cache', 'bench-lsp');
export const project = join(cache, 'project');
const GEN_VERSION = '1';

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

export function generate() {
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

/** A 5,000-file workspace (50 packages of 100 chained modules); returns its folder. */
export function generate5k() {
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

