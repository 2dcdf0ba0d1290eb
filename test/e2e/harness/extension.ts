/**
 * One-call set-up for UI tests of the PACKAGED extension: build the .vsix when stale, start
 * code-server with it installed and a copy of a fixture workspace, open the workbench.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from './codeServer';
import { repoRoot, vsixPath } from './paths';
import { openWorkbench, type Workbench } from './workbench';

const packageInputs = [
  'dist/extension.js',
  'dist/server.js',
  'package.json',
  '.vscodeignore',
  'media/dist/main.js',
];

/**
 * Runs `npm run package` (scripts/package.mjs) unless .artifacts/loop-lens.vsix is newer than
 * the bundles and manifest it is made of; returns the .vsix path.
 */
export function ensureVsix(): string {
  const built = existsSync(vsixPath) ? statSync(vsixPath).mtimeMs : 0;
  const stale = packageInputs
    .map((f) => join(repoRoot, f))
    .some((f) => existsSync(f) && statSync(f).mtimeMs > built);
  if (built && !stale) return vsixPath;
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs')], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}${r.stderr}`);
  return vsixPath;
}

/** A workbench with the packaged extension and a fixture workspace open. */
export interface ExtensionSession {
  server: CodeServer;
  workbench: Workbench;
  page: Page;
  /** Absolute path of the workspace copy the workbench shows. */
  workspace: string;
  /** Ends chromium and code-server (its whole process group). */
  close(): Promise<void>;
}

/** Options of {@link startWithExtension}. */
export interface SessionOptions {
  /** Folder under test/fixtures/ (default `workspace`), or an absolute path. */
  fixture?: string;
  /** User settings for the run. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server, the extension host and the language server. */
  env?: Record<string, string>;
}

/** Starts code-server with the packaged extension installed and opens the workbench. */
export async function startWithExtension(options: SessionOptions = {}): Promise<ExtensionSession> {
  const fixture = options.fixture ?? 'workspace';
  const workspace = fixture.startsWith('/') ? fixture : join(repoRoot, 'test', 'fixtures', fixture);
  const server = await startCodeServer({
    workspace,
    vsix: [ensureVsix()],
    settings: options.settings,
    env: options.env,
  });
  try {
    const workbench = await openWorkbench(server);
    const close = async () => {
      await workbench.close().catch(() => {});
      await server.stop();
    };
    return {
      server,
      workbench,
      page: workbench.page,
      workspace: server.workspace ?? workspace,
      close,
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
