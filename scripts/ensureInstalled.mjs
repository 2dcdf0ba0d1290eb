// What `npm start` and `npm test` install when it is missing on a fresh clone. Node's built-in
// modules only: this runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 2);
  }
}

/** `npm ci` when node_modules was never installed (npm writes .package-lock.json last). */
export function ensureNpmPackages() {
  if (existsSync(join(root, 'node_modules', '.package-lock.json'))) return;
  console.log('node_modules is missing: installing the npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

/**
 * What the VS Code and browser stages need besides npm packages: scripts/setup.sh installs the
 * Debian packages when run as root (it only names them otherwise) and the test VS Code into
 * .cache/; both steps are quick when everything is there.
 */
export function ensureTestTools() {
  run('bash', [join(root, 'scripts', 'setup.sh')], { SETUP_SKIP_NPM_CI: '1' });
}
