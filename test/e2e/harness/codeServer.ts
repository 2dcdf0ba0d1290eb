/**
 * Starts a real VS Code (code-server 4.100.3, cached in .cache/code-server by
 * test/vscode/installCodeServer.mjs) hermetically: loopback port, own user-data, extensions and
 * XDG folders under a fresh run folder, its own process group (see /work/shared/vscode-e2e.md).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../waitFor';
import { codeServerEntry, repoRoot, runsDir } from './paths';

/** What to start code-server with. */
export interface CodeServerOptions {
  /** Folder to open; copied into the run folder first unless `copyWorkspace` is false. */
  workspace?: string;
  /** Copy `workspace` so tests may edit and save freely (default true). */
  copyWorkspace?: boolean;
  /** .vsix files installed into the run's extensions dir before start (the packaged extension). */
  vsix?: string[];
  /** User settings (merged over quiet defaults). */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and so for the extension host and language server. */
  env?: Record<string, string>;
}

/** A running code-server; `stop()` ends its whole process group and deletes the run folder. */
export interface CodeServer {
  readonly port: number;
  /** Process group of code-server and everything it spawned (extension host, servers). */
  readonly pgid: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** The run folder (user-data, extensions, XDG dirs, code-server.log, workspace copy). */
  readonly runDir: string;
  /** The opened folder (the copy when copied), or undefined. */
  readonly workspace: string | undefined;
  readonly extensionsDir: string;
  readonly logFile: string;
  /** Workbench URL that opens `workspace` with an optional payload of [key, value] pairs. */
  workbenchUrl(payload?: [string, string][]): string;
  /** `vscode-remote://` URI of a local path, for payload values such as extensionDevelopmentPath. */
  remoteUri(path: string): string;
  /** Last `lines` lines of code-server's log (for failure messages). */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/** Quiet defaults: no welcome page, no trust prompt, no update/telemetry/gallery chatter. */
const defaultSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'window.restoreWindows': 'none',
  'git.enabled': false,
  'files.autoSave': 'off',
};

/** A free loopback TCP port (the OS picks one; tiny race window accepted). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Ends process groups left by earlier runs whose owner died (a crashed or killed test run).
 * Groups of runs still owned by a live process (a colleague's concurrent run) are left alone.
 */
export function reapLeftoverGroups(): void {
  if (!existsSync(runsDir)) return;
  for (const name of readdirSync(runsDir)) {
    if (!name.endsWith('.json')) continue;
    const file = join(runsDir, name);
    try {
      const { pgid, owner, runDir } = JSON.parse(readFileSync(file, 'utf8')) as {
        pgid: number;
        owner: number;
        runDir: string;
      };
      if (isAlive(owner)) continue;
      killGroup(pgid);
      rmSync(runDir, { recursive: true, force: true });
      rmSync(file, { force: true });
    } catch {
      rmSync(file, { force: true });
    }
  }
}

/**
 * Pids of the processes of `server`'s process group whose command line matches `pattern`
 * (e.g. /dist\/server\.js/ for the language server the extension host forked). Linux /proc.
 */
export function findProcesses(server: Pick<CodeServer, 'pgid'>, pattern: RegExp): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== server.pgid) continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      if (pattern.test(cmdline)) pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Installs .vsix files into an extensions dir with code-server's own CLI (1–2 s each). */
function installVsix(
  vsix: string[],
  dirs: { ext: string; data: string },
  env: NodeJS.ProcessEnv,
): void {
  for (const file of vsix) {
    const args = [
      codeServerEntry,
      '--extensions-dir',
      dirs.ext,
      '--user-data-dir',
      dirs.data,
      '--install-extension',
      file,
      '--force',
    ];
    const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`installing ${file} failed: ${r.stdout}${r.stderr}`);
  }
}

async function waitForHealth(
  origin: string,
  child: { exitCode: number | null },
  log: () => string,
): Promise<void> {
  const healthy = async () => {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited (${child.exitCode}):\n${log()}`);
    }
    try {
      return (await fetch(`${origin}/healthz`)).ok;
    } catch {
      return false; // not listening yet
    }
  };
  await waitFor(healthy, 'code-server to answer /healthz', 90_000).catch((e: Error) => {
    throw new Error(`${e.message}:\n${log()}`);
  });
}

/** Folders and environment of one run. */
interface RunSetup {
  runDir: string;
  dirs: { data: string; ext: string; xdg: string };
  workspace: string | undefined;
  env: NodeJS.ProcessEnv;
}

/** Creates the run folder: user settings, config, XDG homes, the workspace copy. */
function prepareRun(options: CodeServerOptions): RunSetup {
  const runDir = mkdtempSync(join(tmpdir(), 'loop-lens-vscode-'));
  const dirs = {
    data: join(runDir, 'user-data'),
    ext: join(runDir, 'extensions'),
    xdg: join(runDir, 'xdg'),
  };
  for (const d of [dirs.data, dirs.ext, join(dirs.data, 'User')]) mkdirSync(d, { recursive: true });
  const settings = { ...defaultSettings, ...options.settings };
  writeFileSync(join(dirs.data, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  writeFileSync(join(runDir, 'config.yaml'), 'auth: none\n');
  let workspace = options.workspace;
  if (workspace && options.copyWorkspace !== false) {
    const copy = join(runDir, 'workspace');
    cpSync(workspace, copy, { recursive: true });
    workspace = copy;
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // No gallery (open-vsx is unreachable) and no writes into ~ (XDG homes of the run).
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    XDG_DATA_HOME: join(dirs.xdg, 'data'),
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
    ...options.env,
  };
  return { runDir, dirs, workspace, env };
}

/** code-server's command line for one run. */
function codeServerArgs(port: number, run: RunSetup): string[] {
  return [
    codeServerEntry,
    ...['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry'],
    ...[
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    ...['--ignore-last-opened', '--config', join(run.runDir, 'config.yaml')],
    ...['--user-data-dir', run.dirs.data, '--extensions-dir', run.dirs.ext],
  ];
}

/** Starts code-server and resolves once `/healthz` answers. Always `stop()` it (in `after`). */
export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  if (!existsSync(codeServerEntry)) {
    throw new Error(
      `code-server is not installed: run \`npm run setup\` (or node test/vscode/installCodeServer.mjs)`,
    );
  }
  reapLeftoverGroups();
  mkdirSync(runsDir, { recursive: true });
  const run = prepareRun(options);
  const { runDir, workspace } = run;
  try {
    installVsix(options.vsix ?? [], run.dirs, run.env);
  } catch (err) {
    rmSync(runDir, { recursive: true, force: true });
    throw err;
  }
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const logFile = join(runDir, 'code-server.log');
  const fd = openSync(logFile, 'a');
  // detached: its own process group, so one kill(-pgid) also ends the extension host, the
  // language server and file watchers it spawned.
  const child = spawn(process.execPath, codeServerArgs(port, run), {
    cwd: repoRoot,
    env: run.env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const pgid = child.pid ?? 0;
  const record = join(runsDir, `${pgid}.json`);
  writeFileSync(record, JSON.stringify({ pgid, owner: process.pid, runDir }));
  const logTail = (lines = 40) =>
    existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n') : '';
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    killGroup(pgid);
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(record, { force: true });
    if (process.env.LOOP_LENS_KEEP_RUN !== '1') rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(origin, child, logTail);
  } catch (err) {
    await stop();
    throw err;
  }
  const remoteUri = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
  const workbenchUrl = (payload?: [string, string][]) => {
    const q = new URLSearchParams();
    if (workspace) q.set('folder', workspace);
    if (payload?.length) q.set('payload', JSON.stringify(payload));
    return `${origin}/?${q.toString()}`;
  };
  return {
    port,
    pgid,
    origin,
    runDir,
    workspace,
    extensionsDir: run.dirs.ext,
    logFile,
    workbenchUrl,
    remoteUri,
    logTail,
    stop,
  };
}
