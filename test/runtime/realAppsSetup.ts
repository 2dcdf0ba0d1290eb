/**
 * Real applications for the runtime tests: real packages at pinned versions, installed once from
 * the npm registry into a cache folder under the OS temp dir (reused while its marker file says
 * the same list), plus the data that makes them block: a large lowdb database, an EJS template,
 * a large YAML file, and the tests' own app (test/fixtures/realapps/app.js).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cliHelpers';

export const PACKAGES = [
  'json-server@0.17.4',
  'lowdb@1.0.0',
  'ejs@3.1.10',
  'bcryptjs@2.4.3',
  'js-yaml@4.1.0',
];

export const APP_DIR = join(tmpdir(), 'loop-lens-realapps-1');
export const APP_SOURCE = join(ROOT, 'test', 'fixtures', 'realapps', 'app.js');

function npmInstall(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const args = [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--no-save',
      ...PACKAGES,
    ];
    const p = spawn(npm, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm install failed (${code}):\n${err}`)),
    );
  });
}

/** 150,000 posts (~15 MB): every lowdb write serialises and writes all of it. */
function posts(): Array<{ id: number; title: string; body: string }> {
  return Array.from({ length: 150_000 }, (_, i) => ({
    id: i,
    title: `post ${i}`,
    body: 'x'.repeat(60),
  }));
}

/** A fresh database for json-server (posts, and comments the test posts to); returns its name. */
export function writeServerDb(): string {
  writeFileSync(join(APP_DIR, 'server-db.json'), JSON.stringify({ posts: posts(), comments: [] }));
  return 'server-db.json';
}

/** Installs the packages (once) and writes the data files; returns the app's folder. */
export async function prepareRealApps(): Promise<string> {
  mkdirSync(APP_DIR, { recursive: true });
  const marker = join(APP_DIR, 'installed.txt');
  const want = PACKAGES.join('\n');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== want) {
    writeFileSync(
      join(APP_DIR, 'package.json'),
      '{ "name": "loop-lens-realapps", "private": true }\n',
    );
    await npmInstall(APP_DIR);
    writeFileSync(marker, want);
  }
  writeFileSync(join(APP_DIR, 'db.json'), JSON.stringify({ posts: posts() }));
  writeFileSync(
    join(APP_DIR, 'page.ejs'),
    '<ul><% items.forEach(function (p) { %><li><%= p.id %> <%= p.title %> <%= p.body %></li><% }) %></ul>\n',
  );
  let y = '';
  for (let i = 0; i < 40_000; i++) {
    y += `key${i}:\n  name: item ${i}\n  tags: [a, b, c]\n  value: ${i}\n`;
  }
  writeFileSync(join(APP_DIR, 'big.yaml'), y);
  copyFileSync(APP_SOURCE, join(APP_DIR, 'app.js'));
  return APP_DIR;
}

/** 1-based line of the app's line carrying `// marker`. */
export function appLine(marker: string): number {
  return (
    readFileSync(APP_SOURCE, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(`// ${marker}`)) + 1
  );
}
