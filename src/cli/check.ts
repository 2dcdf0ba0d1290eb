/**
 * `loop-lens check [paths...]`: runs the static engine over files and folders and prints the
 * blocking calls that run on the event loop. Exit 0 clean, 1 findings at or above `--fail-on`,
 * 2 usage or internal error (bad path, bad config).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { analyzeProject } from '../../server/src/analysis/index';
import { ConfigError, loadConfig, withAbsoluteIgnores } from '../../server/src/analysis/config';
import type { AnalysisResult, Severity } from '../../server/src/analysis/types';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';

const FORMATS = ['text', 'json', 'sarif'] as const;
const FAIL_LEVELS = ['none', 'info', 'warning', 'error'] as const;
type Format = (typeof FORMATS)[number];
type FailOn = (typeof FAIL_LEVELS)[number];

/** Parsed options of `check`. */
export interface CheckOptions {
  config?: string;
  format: Format;
  failOn: FailOn;
  typeCheck: boolean;
  /** `--no-dependencies` makes it false: calls into node_modules are not followed. */
  dependencies: boolean;
}

/** A failure that is the user's to fix (exit 2 with this message, no stack). */
class UsageError extends Error {}

/** Registers `check` on the program. */
export function register(program: Command): void {
  program
    .command('check')
    .description('Find blocking calls that run on the event loop (static analysis).')
    .argument('[paths...]', 'files or folders to analyse', ['.'])
    .option(
      '--config <file>',
      'config file (default: nearest .looplensrc.json or package.json "loopLens")',
    )
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when a finding is at or above this severity')
        .choices(FAIL_LEVELS)
        .default('warning'),
    )
    .option(
      '--no-type-check',
      'resolve by syntax only: skip the TypeScript checker fallback for calls on typed objects',
    )
    .option(
      '--no-dependencies',
      'do not follow calls into installed packages (node_modules); the config key is followDependencies',
    )
    .action(async (paths: string[], options: CheckOptions) => {
      process.exitCode = await runCheck(paths, options);
    });
}

/** Runs one check and writes its report to stdout; returns the exit code. */
export async function runCheck(paths: string[], options: CheckOptions): Promise<number> {
  let result: AnalysisResult;
  try {
    const roots = resolveRoots(paths);
    const config = withAbsoluteIgnores(loadConfig({ from: roots[0], configPath: options.config }));
    if (options.dependencies === false) config.followDependencies = false;
    const progress = createProgress();
    try {
      result = await analyzeProject({
        roots,
        config,
        useTypeChecker: options.typeCheck,
        onProgress: progress.update,
      });
    } finally {
      progress.done();
    }
  } catch (err: unknown) {
    const known = err instanceof ConfigError || err instanceof UsageError;
    const text =
      err instanceof Error ? (known ? err.message : (err.stack ?? err.message)) : String(err);
    process.stderr.write(`loop-lens: ${text}\n`);
    return 2;
  }
  // `loop-lens check | head` closes the pipe early: that is the reader's choice, not a crash.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  process.stdout.write(render(result, options.format));
  return failed(result, options.failOn) ? 1 : 0;
}

function resolveRoots(paths: string[]): string[] {
  const roots = (paths.length > 0 ? paths : ['.']).map((p) => resolve(p));
  const missing = roots.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);
  return roots;
}

function render(result: AnalysisResult, format: Format): string {
  const cwd = process.cwd();
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'sarif': {
      const root = packageRoot();
      return formatSarif(result, { cwd, packageRoot: root, version: packageVersion(root) });
    }
    case 'text':
      return formatText(result, { cwd, color: useColor() });
  }
}

const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/** True when a finding is at or above `failOn`. */
export function failed(result: AnalysisResult, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return result.findings.some((f) => RANK[f.severity] >= RANK[failOn]);
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
function useColor(): boolean {
  return process.stdout.isTTY === true && !process.env.NO_COLOR;
}

/** Progress on stderr, only for a terminal and only once a tree is large enough to wait for. */
function createProgress(): { update: (done: number, total: number) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  let last = 0;
  return {
    update: (done, total) => {
      const now = Date.now();
      if (!tty || total < 200 || now - last < 100) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\u001b[2Kloop-lens: analysing ${done}/${total} files`);
    },
    done: () => {
      if (shown) process.stderr.write('\r\u001b[2K');
    },
  };
}

/** The folder of loop-lens's own package.json (dist/.. when bundled, src/cli/../.. from source). */
function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && packageName(pkg) === 'loop-lens') return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(__dirname, '..');
    dir = parent;
  }
}

function packageName(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

function packageVersion(root: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
