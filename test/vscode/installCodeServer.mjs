#!/usr/bin/env node
// Installs code-server 4.100.3 (= VS Code 1.100.3, the newest that runs on Node 20) into
// .cache/code-server, outside the project's own dependencies (it is ~300 MB). Idempotent: a
// marker file written after a verified install makes later runs return at once.
// Why each step: see /work/shared/vscode-e2e.md ("Install").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const codeServerVersion = '4.100.3';
const root = fileURLToPath(new URL('../..', import.meta.url));
/** Folder of the cached install (gitignored). */
export const cacheDir = join(root, '.cache', 'code-server');
/** code-server's Node entry point: `node <entry> --bind-addr ...`. */
export const codeServerEntry = join(
  cacheDir,
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);
const marker = join(cacheDir, `.installed-${codeServerVersion}`);

/** Install scripts that must run: native modules and code-server's own postinstall. */
const allowScripts = [
  'code-server',
  'node-pty',
  '@vscode/ripgrep',
  '@vscode/spdlog',
  'kerberos',
  'argon2',
  '@vscode/native-watchdog',
  '@vscode/windows-registry',
  '@vscode/deviceid',
  'native-keymap',
  '@parcel/watcher',
  'vsda',
  '@vscode/policy-watcher',
  'node-addon-api',
];

/** True when code-server is installed and answered `--version` after its install. */
export function isCodeServerInstalled() {
  return existsSync(marker) && existsSync(codeServerEntry);
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable here) unless the tarball it
 * wants is already in `$TMPDIR/vscode-ripgrep-cache-<ver>/`: put Debian's /usr/bin/rg there.
 */
function prepareRipgrepCache(tmp) {
  const rg = '/usr/bin/rg';
  if (!existsSync(rg))
    throw new Error('ripgrep is missing: install the Debian package (npm run setup as root)');
  const dir = join(tmp, 'vscode-ripgrep-cache-1.15.11');
  mkdirSync(join(dir, 'stage'), { recursive: true });
  const tgz = join(dir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (existsSync(tgz)) return;
  const cp = spawnSync('cp', [rg, join(dir, 'stage', 'rg')]);
  const tar = spawnSync('tar', ['-czf', tgz, '-C', join(dir, 'stage'), 'rg']);
  if (cp.status !== 0 || tar.status !== 0) throw new Error(`cannot build ${tgz}`);
}

/** Runs `npm install` in the cache folder with the environment code-server's scripts need. */
function npmInstall(tmp) {
  const pkg = {
    name: 'loop-lens-test-vscode',
    private: true,
    description:
      'Cached code-server for the Loop Lens VS Code tests (test/vscode/installCodeServer.mjs)',
    dependencies: { 'code-server': codeServerVersion },
    // npm 11 gates dependency install scripts behind this project-level allow-list.
    allowScripts: Object.fromEntries(allowScripts.map((n) => [n, true])),
  };
  writeFileSync(join(cacheDir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  const env = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true', // its postinstall refuses to run as root otherwise
    npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`, which would prompt
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const r = spawnSync('npm', ['install', '--no-package-lock', '--omit=dev', '--loglevel=warn'], {
    cwd: cacheDir,
    env,
    stdio: 'inherit',
  });
  if (r.status !== 0)
    throw new Error(`npm install code-server@${codeServerVersion} failed (exit ${r.status})`);
}

/** Checks the install by asking code-server for its version. */
function verify() {
  // Its own XDG folders, so the check writes no config.yaml into ~/.config.
  const xdg = join(cacheDir, 'tmp', 'xdg');
  const env = { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg };
  const args = [codeServerEntry, '--version'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, env });
  const out = `${r.stdout}${r.stderr}`;
  const line = out.split('\n').find((l) => l.startsWith(codeServerVersion));
  if (r.status !== 0 || !line) {
    throw new Error(`code-server does not start: ${out.trim() || `exit ${r.status}`}`);
  }
  return line.trim();
}

/** Installs code-server into the cache unless already there; returns the entry path. */
export function installCodeServer() {
  if (isCodeServerInstalled()) return codeServerEntry;
  const t0 = Date.now();
  console.log(`installCodeServer: installing code-server@${codeServerVersion} into ${cacheDir}`);
  rmSync(marker, { force: true });
  mkdirSync(cacheDir, { recursive: true });
  const tmp = join(cacheDir, 'tmp');
  prepareRipgrepCache(tmp);
  npmInstall(tmp);
  const version = verify();
  writeFileSync(marker, `${version}\n`);
  console.log(`installCodeServer: ${version} ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return codeServerEntry;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    installCodeServer();
    if (process.argv.includes('--verbose')) console.log(readFileSync(marker, 'utf8').trim());
  } catch (err) {
    console.error(`installCodeServer: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}
