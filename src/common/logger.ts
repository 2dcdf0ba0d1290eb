/**
 * The logging seam of every layer: the engines log through {@link ILogger} and each host passes
 * one (VS Code: the "Loop Lens" LogOutputChannel, `ui/log.ts`; the CLI: `--verbose` and
 * `--log-file`; the debug adapter: the Debug Console with `trace`; the language server: its
 * connection's console). Lines are tagged by area: `cdp`, `agent`, `attribution`, `targets`,
 * `runtime.*`, `lsp`.
 */
import { inspect } from 'node:util';

export type LogLevel = 'trace' | 'info' | 'warn' | 'error';

export interface ILogger {
  trace(tag: string, message: string, ...args: unknown[]): void;
  info(tag: string, message: string, ...args: unknown[]): void;
  warn(tag: string, message: string, ...args: unknown[]): void;
  error(tag: string, message: string | Error, ...args: unknown[]): void;
  /** Whether trace lines are shown now: lets a caller skip building costly ones (CDP traffic). */
  tracing?(): boolean;
}

export const nullLogger: ILogger = {
  trace() {},
  info() {},
  warn() {},
  error() {},
  tracing: () => false,
};

/** Formats a log argument once: strings as is, errors as their stack, the rest inspected. */
export function formatLogArg(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg instanceof Error) return arg.stack ?? `${arg.name}: ${arg.message}`;
  return inspect(arg, { depth: 4, breakLength: Infinity });
}

/** `[tag] message args`: one line as every host prints it. */
export function logLine(tag: string, message: string | Error, args: unknown[]): string {
  const rest = args.map(formatLogArg).join(' ');
  return `[${tag}] ${formatLogArg(message)}${rest ? ` ${rest}` : ''}`;
}

const RANK: Record<LogLevel, number> = { trace: 0, info: 1, warn: 2, error: 3 };

/**
 * A logger that writes whole lines (`HH:MM:SS.mmm level [tag] message`, UTC) from `level` up:
 * the CLI's stderr and log file, the Debug Console.
 */
export class LineLogger implements ILogger {
  constructor(
    private readonly write: (line: string) => void,
    private readonly level: LogLevel = 'trace',
  ) {}

  tracing(): boolean {
    return this.level === 'trace';
  }
  trace(tag: string, message: string, ...args: unknown[]): void {
    this.log('trace', tag, message, args);
  }
  info(tag: string, message: string, ...args: unknown[]): void {
    this.log('info', tag, message, args);
  }
  warn(tag: string, message: string, ...args: unknown[]): void {
    this.log('warn', tag, message, args);
  }
  error(tag: string, message: string | Error, ...args: unknown[]): void {
    this.log('error', tag, message, args);
  }

  private log(level: LogLevel, tag: string, message: string | Error, args: unknown[]): void {
    if (RANK[level] < RANK[this.level]) return;
    const time = new Date().toISOString().slice(11, 23);
    this.write(`${time} ${level} ${logLine(tag, message, args)}`);
  }
}

/** One logger that writes to several (none: {@link nullLogger}). */
export function teeLogger(...loggers: Array<ILogger | undefined>): ILogger {
  const all = loggers.filter((l): l is ILogger => l !== undefined && l !== nullLogger);
  if (all.length === 0) return nullLogger;
  if (all.length === 1) return all[0];
  return {
    trace: (t, m, ...a) => all.forEach((l) => l.trace(t, m, ...a)),
    info: (t, m, ...a) => all.forEach((l) => l.info(t, m, ...a)),
    warn: (t, m, ...a) => all.forEach((l) => l.warn(t, m, ...a)),
    error: (t, m, ...a) => all.forEach((l) => l.error(t, m, ...a)),
    tracing: () => all.some((l) => l.tracing?.() ?? true),
  };
}

/**
 * A payload for a trace line, built without serializing it whole (a profile chunk is megabytes):
 * JSON-like, long strings cut to `maxString` characters (the agent's source), arrays and objects
 * cut once the line reaches `max`.
 */
export function trimForLog(value: unknown, max = 300, maxString = 60): string {
  let out = '';
  const put = (s: string) => (out += s);
  const walk = (v: unknown, depth: number): void => {
    if (out.length > max) return;
    if (typeof v === 'string') {
      put(JSON.stringify(v.length > maxString ? `${v.slice(0, maxString)}…(${v.length} chars)` : v));
    } else if (v === null || typeof v !== 'object') {
      put(String(v));
    } else if (depth > 4) {
      put(Array.isArray(v) ? '[…]' : '{…}');
    } else if (Array.isArray(v)) {
      put('[');
      v.forEach((x, i) => {
        if (out.length > max) return;
        if (i) put(',');
        walk(x, depth + 1);
      });
      put(out.length > max ? `…(${v.length} items)]` : ']');
    } else {
      put('{');
      Object.entries(v).forEach(([k, x], i) => {
        if (out.length > max) return;
        put(`${i ? ',' : ''}${k}:`);
        walk(x, depth + 1);
      });
      put('}');
    }
  };
  walk(value, 0);
  return out.length > max + 40 ? `${out.slice(0, max)}…` : out;
}
