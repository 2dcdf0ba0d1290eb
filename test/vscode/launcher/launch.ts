/**
 * Accepts the command line desktop VS Code gets from @vscode/test-electron
 * (`--extensionDevelopmentPath=`, `--extensionTestsPath=`, a folder, and flags it ignores), runs
 * the tests in code-server's real Node extension host through headless chromium, prints the
 * workbench and extension host console (mocha's report), and exits with the tests' code.
 * Extra flag: `--install-extension=<file.vsix>` (repeatable) installs into the run first.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openWorkbench, startCodeServer, type CodeServer, type Workbench } from '../../e2e/harness';

interface LaunchArgs {
  devPaths: string[];
  testsPath?: string;
  folder?: string;
  vsix: string[];
}

/** Parses `--key=value` / `--key value` flags of the VS Code CLI that matter here. */
export function parseArgs(argv: string[]): LaunchArgs {
  const out: LaunchArgs = { devPaths: [], vsix: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [key, inline] = arg.startsWith('--')
      ? [arg.split('=')[0], arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined]
      : [undefined, undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (key === '--extensionDevelopmentPath') out.devPaths.push(resolve(value()));
    else if (key === '--extensionTestsPath') out.testsPath = resolve(value());
    else if (key === '--install-extension') out.vsix.push(resolve(value()));
    else if (key === '--user-data-dir' || key === '--extensions-dir') {
      if (inline === undefined) i++; // the run uses its own hermetic folders
    } else if (!key && existsSync(arg)) out.folder = resolve(arg);
  }
  return out;
}

/** Workbench start-up chatter hidden unless LOOP_LENS_VERBOSE=1 (mocha's report always shows). */
const noise =
  /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin|\[Service Worker\]|ChatSessionStore|Updating additional builtin extensions cache)/;
const verbose = process.env.LOOP_LENS_VERBOSE === '1';
const timeoutMs = Number(process.env.LOOP_LENS_VSCODE_TIMEOUT_MS ?? 10 * 60_000);

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.testsPath || args.devPaths.length === 0) {
    console.error('launcher: --extensionTestsPath and --extensionDevelopmentPath are required');
    return 2;
  }
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  const cleanup = async () => {
    await workbench?.close().catch(() => {});
    await server?.stop();
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => void cleanup().then(() => process.exit(130)));
  }
  try {
    server = await startCodeServer({ workspace: args.folder, vsix: args.vsix });
    const s = server;
    const payload: [string, string][] = [
      ...args.devPaths.map((p): [string, string] => ['extensionDevelopmentPath', s.remoteUri(p)]),
      ['extensionTestsPath', s.remoteUri(args.testsPath)],
      ['skipWelcome', 'true'],
    ];
    const code = await new Promise<number>((resolveCode, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`tests did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onExit = (c: number) => {
        clearTimeout(timer);
        resolveCode(c);
      };
      const onLog = (type: string, text: string) => {
        if (verbose || !noise.test(text)) console.log(type === 'error' ? `[error] ${text}` : text);
      };
      openWorkbench(s, { payload, onLog, onExit, waitReady: false }).then(
        (w) => (workbench = w),
        reject,
      );
    });
    return code;
  } catch (err) {
    console.error(`launcher: ${err instanceof Error ? err.message : String(err)}`);
    if (server) console.error(`--- code-server log (tail) ---\n${server.logTail()}`);
    return 1;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
