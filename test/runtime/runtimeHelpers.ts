/** Real Node targets and recordings for the runtime engine tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ILogger } from '../../src/common/logger';
import type { IRecordingSession, RecordOptions } from '../../src/runtime/api';
import { startRecording } from '../../src/runtime';
import type { RuntimeEvent, Stall } from '../../src/shared/protocol/runtime';

export const ROOT = join(__dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'runtime');
export const BLOCKER = join(FIXTURES, 'blocker.js');
export const HEALTHY = join(FIXTURES, 'healthy.js');

/** 1-based line of the line carrying `// BLOCK:<tag>`. */
export function blockLine(file: string, tag: string, text = readFileSync(file, 'utf8')): number {
  const i = text.split('\n').findIndex((l) => l.includes(`// BLOCK:${tag}`));
  if (i < 0) throw new Error(`no BLOCK:${tag} in ${file}`);
  return i + 1;
}

export interface Target {
  child: ChildProcess;
  pid: number;
  /** Inspector port, when started with one. */
  port?: number;
  /** Sends a command line and resolves with its "done" line: [name, ms, wallclock end, result]. */
  run(cmd: string, timeoutMs?: number): Promise<{ ms: number; endWall: number; result: string }>;
  waitOut(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  kill(): void;
  exited: Promise<number | null>;
}

/**
 * Starts a fixture: `inspect` 'open' = `--inspect=127.0.0.1:0`, 'later' = `--inspect-port=0`
 * (no inspector until SIGUSR1), 'none' = neither.
 */
export async function startTarget(
  script: string,
  inspect: 'open' | 'later' | 'none' = 'open',
): Promise<Target> {
  const flags =
    inspect === 'open'
      ? ['--inspect=127.0.0.1:0']
      : inspect === 'later'
        ? ['--inspect-port=0']
        : [];
  const child = spawn(process.execPath, [...flags, script], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  child.stdout!.setEncoding('utf8').on('data', (d: string) => ((out += d), wake()));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => ((err += d), wake()));
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => (wake(), r(c))));
  const waitIn = (get: () => string, re: RegExp, timeoutMs: number, from = 0) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(get().slice(from));
        if (m) return done(() => resolve(m));
        if (child.exitCode !== null || child.signalCode) {
          done(() => reject(new Error(`target exited; stderr: ${err}`)));
        }
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`timeout waiting for ${re}; out: ${out.slice(-500)}`))),
        timeoutMs,
      );
      const done = (f: () => void) => (clearTimeout(timer), waiters.delete(check), f());
      waiters.add(check);
      check();
    });
  const port =
    inspect === 'open'
      ? Number((await waitIn(() => err, /ws:\/\/127\.0\.0\.1:(\d+)\//, 30_000))[1])
      : undefined;
  await waitIn(() => out, /ready \d+/, 30_000);
  return {
    child,
    pid: child.pid!,
    port,
    waitOut: (re, t = 30_000) => waitIn(() => out, re, t),
    async run(cmd, timeoutMs = 60_000) {
      const from = out.length;
      const name = cmd.split(' ')[0];
      child.stdin!.write(cmd + '\n');
      const m = await waitIn(
        () => out,
        new RegExp(`done ${name} (\\d+) (\\d+) ?(.*)\\n`),
        timeoutMs,
        from,
      );
      return { ms: Number(m[1]), endWall: Number(m[2]), result: m[3] };
    },
    kill: () => void child.kill('SIGKILL'),
    exited,
  };
}

/** A recording plus every event it fired, with arrival wall-clock times. */
export interface Recorder {
  rec: IRecordingSession;
  events: Array<{ e: RuntimeEvent; at: number }>;
  stalls(): Stall[];
  /** Resolves with the first event (counting from `from`) that matches, or rejects on timeout. */
  waitEvent(
    pred: (e: RuntimeEvent) => boolean,
    timeoutMs?: number,
    from?: number,
  ): Promise<{ e: RuntimeEvent; at: number }>;
}

/**
 * LOOP_LENS_TEST_TRACE=1 prints the engine's trace (why each gap was or was not a stall, each
 * probe) to stderr, without the CDP and metrics chatter.
 */
const traceLogger: ILogger | undefined = process.env.LOOP_LENS_TEST_TRACE
  ? {
      trace: (tag, message) => {
        if (!/^cdp|metrics/.test(tag)) console.error(`[${tag}] ${message}`);
      },
      info: () => {},
      warn: (tag, message) => console.error(`[warn ${tag}] ${message}`),
      error: (tag, message) => console.error(`[error ${tag}] ${message}`),
    }
  : undefined;

export async function record(opts: RecordOptions): Promise<Recorder> {
  const rec = await startRecording({
    thresholdMs: 50,
    ...(traceLogger ? { logger: traceLogger } : {}),
    ...opts,
  });
  const events: Recorder['events'] = [];
  const waiters = new Set<() => void>();
  rec.onEvent((e) => {
    events.push({ e, at: Date.now() });
    waiters.forEach((w) => w());
  });
  return {
    rec,
    events,
    stalls: () => events.flatMap((x) => (x.e.type === 'stall' ? [x.e.stall] : [])),
    waitEvent: (pred, timeoutMs = 20_000, from = 0) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.slice(from).find((x) => pred(x.e));
          if (!hit) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(hit);
        };
        const timer = setTimeout(
          () => (waiters.delete(check), reject(new Error('timeout waiting for a runtime event'))),
          timeoutMs,
        );
        waiters.add(check);
        check();
      }),
  };
}

/**
 * Runs one blocking command and returns the longest stall reported for it (the stall event
 * arrives after the command's "done" line, or within `settleMs` after it).
 */
export async function stallFor(t: Target, r: Recorder, cmd: string, settleMs = 3000) {
  return stallForOnce(t, r, cmd, settleMs);
}

async function stallForOnce(t: Target, r: Recorder, cmd: string, settleMs: number) {
  const from = r.events.length;
  const done = await t.run(cmd);
  const isStall = (e: RuntimeEvent) => e.type === 'stall' && e.stall.durationMs >= done.ms * 0.5;
  const hit = await r.waitEvent(isStall, settleMs + 10_000, from).catch(() => undefined);
  const stalls = r.events
    .slice(from)
    .flatMap((x) => (x.e.type === 'stall' ? [{ s: x.e.stall, at: x.at }] : []));
  stalls.sort((a, b) => b.s.durationMs - a.s.durationMs);
  return {
    stall: stalls[0]?.s,
    latencyMs: hit ? hit.at - done.endWall : undefined,
    done,
    all: stalls.map((x) => x.s),
  };
}

export function describeStall(s: Stall | undefined): string {
  if (!s) return 'no stall';
  return `${s.kind} ${s.durationMs} ms at ${s.blame?.file}:${s.blame?.line} ${s.blame?.functionName}; stack ${s.stack
    .slice(0, 6)
    .map((f) => `${f.functionName}@${f.line}`)
    .join(' < ')}`;
}
