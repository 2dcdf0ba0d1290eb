/**
 * Runs the `loop-lens` CLI the way a user does: a bundled dist-style cli.js in its own Node
 * process. The bundle is built once per test process with the options of esbuild.mjs into a
 * private file under out/ (so parallel test files never read a half-written dist/cli.js).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

/** The repository root. */
export const repoRoot = resolve(__dirname, '..', '..', '..');

let built: Promise<string> | undefined;

/** Bundles src/cli/main.ts like esbuild.mjs does and returns the bundle's path. */
export function buildCli(): Promise<string> {
  built ??= (async () => {
    const outfile = join(repoRoot, 'out', 'test-cli', `cli-${process.pid}.js`);
    await build({
      entryPoints: [join(repoRoot, 'src', 'cli', 'main.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      external: ['vscode'],
      logLevel: 'warning',
      outfile,
    });
    process.once('exit', () => {
      rmSync(outfile, { force: true });
      rmSync(`${outfile}.map`, { force: true });
    });
    return outfile;
  })();
  return built;
}

/** What a CLI run printed and how it exited. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns `loop-lens <args>` in `cwd`; never rejects on a non-zero exit. */
export async function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CliRun> {
  const cli = await buildCli();
  return runProcess(process.execPath, [cli, ...args], options);
}

/** Spawns any command with colour variables cleared; never rejects on a non-zero exit. */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 120_000,
      },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') {
          reject(new Error(`${command} did not exit normally: ${err.message}\n${stderr}`));
          return;
        }
        resolvePromise({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** Creates a temporary project from `{ relativePath: content }`; returns its absolute path. */
export function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'loop-lens-cli-'));
  for (const [rel, content] of Object.entries(files)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

/**
 * Installs pinned packages from the npm registry into a gitignored cache folder, unless every one
 * is already there at its version. No install scripts run. Without network it rejects, naming the
 * command: tests that need real packages fail, they never skip silently.
 */
export async function installPinned(
  cache: string,
  packages: Record<string, string>,
): Promise<void> {
  const versionOf = (name: string): string | undefined => {
    const manifest = join(cache, 'node_modules', name, 'package.json');
    return existsSync(manifest)
      ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
      : undefined;
  };
  const installed = (): boolean =>
    Object.entries(packages).every(([name, version]) => versionOf(name) === version);
  if (installed()) return;
  mkdirSync(cache, { recursive: true });
  if (!existsSync(join(cache, 'package.json'))) {
    writeFileSync(join(cache, 'package.json'), '{ "private": true }\n');
  }
  const specs = Object.entries(packages).map(([n, v]) => `${n}@${v}`);
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts'];
  args.push('--prefix', cache, ...specs);
  await new Promise<void>((resolve, reject) => {
    execFile('npm', args, { cwd: cache, timeout: 300_000 }, (err, _out, stderr) =>
      err
        ? reject(new Error(`npm ${args.join(' ')} failed (network?):\n${stderr || err.message}`))
        : resolve(),
    );
  });
  if (!installed()) {
    throw new Error(`after npm install, ${specs.join(', ')} are not all in ${cache}`);
  }
}
