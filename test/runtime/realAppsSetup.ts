/**
 * Real applications for the runtime tests: real packages at pinned versions, installed once from
 * the npm registry into a cache folder under the OS temp dir (reused while its marker file says
 * the same list), plus the data that makes them block: a large lowdb database, an EJS template,
 * a large YAML file, and the tests' own app (test/fixtures/realapps/app.js). The app and its data
 * live in a folder of each test process inside the cache (its packages resolve from the cache's
 * node_modules): two runs at once (several checkouts on one machine) never write each other's
 * database while the other reads it.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * A fresh database for json-server (posts, and comments the test posts to) in the app's folder
 * `dir`; returns its name.
 */
export function writeServerDb(dir: string): string {
  writeFileSync(join(dir, 'server-db.json'), JSON.stringify({ posts: posts(), comments: [] }));
  return 'server-db.json';
}

/** json-server's CLI, installed in the cache. */
export const JSON_SERVER_BIN = join(APP_DIR, 'node_modules', 'json-server', 'lib', 'cli', 'bin.js');

/** Removes the app folder's data files (recordings stay, to be looked at). */
export function removeAppData(dir: string): void {
  for (const f of ['db.json', 'server-db.json', '.~server-db.json', 'big.yaml']) {
    rmSync(join(dir, f), { force: true });
  }
}

/**
 * Installs the packages (once) and writes the app and its data files into a folder of this
 * process inside the cache; returns that folder.
 */
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
  const dir = join(APP_DIR, `run-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'db.json'), JSON.stringify({ posts: posts() }));
  writeFileSync(
    join(dir, 'page.ejs'),
    '<ul><% items.forEach(function (p) { %><li><%= p.id %> <%= p.title %> <%= p.body %></li><% }) %></ul>\n',
  );
  let y = '';
  for (let i = 0; i < 40_000; i++) {
    y += `key${i}:\n  name: item ${i}\n  tags: [a, b, c]\n  value: ${i}\n`;
  }
  writeFileSync(join(dir, 'big.yaml'), y);
  copyFileSync(APP_SOURCE, join(dir, 'app.js'));
  return dir;
}

/** 1-based line of the app's line carrying `// marker`. */
export function appLine(marker: string): number {
  return (
    readFileSync(APP_SOURCE, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(`// ${marker}`)) + 1
  );
}
