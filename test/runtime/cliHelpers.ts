/** Spawning the real `loop-lens` CLI and real Node fixtures for the CLI end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'bin', 'loop-lens.js');
export const BLOCKER = join(ROOT, 'test', 'fixtures', 'cli', 'blocker.js');
export const IDLE = join(ROOT, 'test', 'fixtures', 'cli', 'idle.js');

/** 1-based line of the fixture line carrying `marker` (e.g. 'SPIN LINE'). */
export function lineOf(file: string, marker: string): number {
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(`// ${marker}`)) + 1
  );
}

/** A child whose stdout/stderr are collected and can be awaited for a pattern. */
export interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves with the match once `re` appears in the stream; rejects when the child exits first. */
  waitFor(stream: 'stdout' | 'stderr', re: RegExp): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function run(args: string[], env: Record<string, string> = {}, cwd = ROOT): Proc {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const text = { stdout: '', stderr: '' };
  const waiters: Array<() => void> = [];
  let done = false;
  for (const s of ['stdout', 'stderr'] as const) {
    child[s]!.setEncoding('utf8');
    child[s]!.on('data', (d: string) => {
      text[s] += d;
      waiters.forEach((w) => w());
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      done = true;
      waiters.forEach((w) => w());
      resolve({ code, signal });
    });
  });
  const waitFor = (stream: 'stdout' | 'stderr', re: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const m = re.exec(text[stream]);
        if (m) resolve(m);
        else if (done) {
          reject(
            new Error(
              `exited before ${re} appeared; ${stream}:\n${text[stream]}\nstderr:\n${text.stderr}`,
            ),
          );
        }
      };
      waiters.push(check);
      check();
    });
  return { child, out: () => text.stdout, err: () => text.stderr, waitFor, exited };
}

/** Runs the CLI with arguments. */
export function cli(args: string[]): Proc {
  return run([CLI, ...args]);
}

/** Starts a fixture with the inspector on a random loopback port; resolves with that port. */
export async function startInspected(
  file: string,
  env: Record<string, string> = {},
): Promise<{ proc: Proc; port: number }> {
  const proc = run(['--inspect=127.0.0.1:0', file], env);
  const m = await proc.waitFor('stderr', /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//);
  await proc.waitFor('stdout', /ready pid/);
  return { proc, port: Number(m[1]) };
}

/** A loopback port nobody listens on (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Kills a child if still running and waits for it. */
export async function kill(p: Proc, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  await p.exited;
}
