/**
 * Launches `command args` with the inspector on 127.0.0.1:0, paused before user code
 * (`--inspect-brk`), and reads the WebSocket URL the process prints on stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { OutputSink } from '../api';

export interface LaunchedTarget {
  child: ChildProcess;
  wsUrl: string;
  /** Fires when the target finished and waits for us to disconnect (`--inspect-brk` does so). */
  onWaitingForDisconnect(listener: () => void): void;
}

const INSPECT_FLAG = '--inspect-brk=127.0.0.1:0';
/** Child processes run at once and are attached when found (childProcesses.ts); loopback only. */
const CHILD_FLAG = '--inspect=127.0.0.1:0';

function isNodeCommand(command: string): boolean {
  return command === process.execPath || /^node(\.exe)?$/.test(path.basename(command));
}

/** Lines the inspector prints for the debugger, not for the user. */
const BANNER =
  /^(Debugger listening on|For help, see: https:\/\/nodejs.org|Debugger attached|Waiting for the debugger to disconnect)/;

/** The CLI's default: the program's output goes to ours. */
const toOwnStdio: OutputSink = (category, text) =>
  (category === 'stdout' ? process.stdout : process.stderr).write(text);

export function launchTarget(
  command: string,
  args: string[],
  opts: {
    cwd?: string;
    env?: Record<string, string>;
    timeoutMs: number;
    onOutput?: OutputSink;
    /** Its Node child processes are recorded too: `spawn('node')` children open an inspector. */
    children?: boolean;
  },
): Promise<LaunchedTarget> {
  const output = opts.onOutput ?? toOwnStdio;
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  let argv = args;
  if (isNodeCommand(command)) {
    argv = [INSPECT_FLAG, ...args];
    // (The command line's --inspect-brk wins over NODE_OPTIONS in the target itself; `fork` and
    // cluster children inherit --inspect-brk from its execArgv, other `node` children get this.)
    if (opts.children) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} ${CHILD_FLAG}`.trim();
  } else env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} ${INSPECT_FLAG}`.trim();
  const child = spawn(command, argv, { cwd: opts.cwd, env, stdio: ['inherit', 'pipe', 'pipe'] });
  const waiters: Array<() => void> = [];
  // A decoder per stream: a chunk may end inside a multi-byte character.
  const stdout = new StringDecoder('utf8');
  const stderr = new StringDecoder('utf8');
  child.stdout?.on('data', (d: Buffer) => {
    const text = stdout.write(d);
    if (text) output('stdout', text);
  });
  return new Promise((resolve, reject) => {
    let pending = '';
    let url: string | undefined;
    const timer = setTimeout(() => {
      child.kill();
      reject(
        new Error(`launch ${command}: no inspector URL on stderr within ${opts.timeoutMs} ms`),
      );
    }, opts.timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`launch ${command}: ${e.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!url) {
        reject(new Error(`launch ${command}: exited (code ${code}) before its inspector opened`));
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      pending += stderr.write(d);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /Debugger listening on (ws:\/\/\S+)/.exec(line);
        if (m && !url) {
          url = m[1];
          clearTimeout(timer);
          resolve({ child, wsUrl: url, onWaitingForDisconnect: (l) => waiters.push(l) });
        } else if (/^Waiting for the debugger to disconnect/.test(line)) {
          for (const w of waiters) w();
        }
        if (!BANNER.test(line)) output('stderr', line + '\n');
      }
    });
    // The last line of a program that exits without a newline.
    child.stderr?.once('end', () => {
      const rest = pending + stderr.end();
      if (rest && !BANNER.test(rest)) output('stderr', rest);
    });
  });
}
