/**
 * The checks `parseRecording` applies to a recording file from anywhere (a teammate, a bug
 * report, an attacker): every known field has the right type and a sane range, strings are cut to
 * a displayable length, and unknown fields survive only when shallow (a newer version's extras
 * stay; a 10,000-deep value, which JSON.stringify and postMessage cannot handle, is dropped).
 * Wrong data is an Error naming the field (`stalls[3].durationMs`), never a crash later.
 */
import type {
  Metrics,
  RecordedProcess,
  StackFrame,
  Stall,
  StallThread,
} from '../shared/protocol/runtime';

/** Milliseconds a recording may span: about 115 days. 1e308 is corruption, not a recording. */
export const MAX_MS = 1e10;
/** Longer strings are cut (a path is at most 4096 bytes on Linux). */
export const MAX_TEXT = 4096;
const MAX_EXTRA_DEPTH = 16;

type Obj = Record<string, unknown>;

function preview(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v;
}

export function obj(v: unknown, path: string): Obj {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new Error(`${path} must be an object (got ${preview(v)})`);
  }
  return v as Obj;
}

export function list(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${path} must be an array (got ${preview(v)})`);
  return v;
}

export function num(v: unknown, path: string, max = MAX_MS, min = 0): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new Error(`${path} must be a number from ${min} to ${max} (got ${preview(v)})`);
  }
  return v;
}

export function optNum(v: unknown, path: string, max = MAX_MS, min = 0): number | undefined {
  return v === undefined || v === null ? undefined : num(v, path, max, min);
}

export function text(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new Error(`${path} must be a string (got ${preview(v)})`);
  return v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}…` : v;
}

export function optText(v: unknown, path: string): string | undefined {
  return v === undefined || v === null ? undefined : text(v, path);
}

/** Own fields not in `known` whose values are shallow enough to copy and serialize. */
export function extras(o: Obj, known: readonly string[]): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (!known.includes(k) && k !== '__proto__' && depth(v, 0) <= MAX_EXTRA_DEPTH) out[k] = v;
  }
  return out;
}

function depth(v: unknown, d: number): number {
  if (!v || typeof v !== 'object' || d > MAX_EXTRA_DEPTH) return d;
  let m = d + 1;
  for (const x of Object.values(v as Obj)) m = Math.max(m, depth(x, d + 1));
  return m;
}

const FRAME = ['functionName', 'file', 'line', 'column'] as const;

export function frameOf(v: unknown, path: string): StackFrame {
  const f = obj(v, path);
  return {
    ...extras(f, FRAME),
    functionName: text(f.functionName ?? '', `${path}.functionName`),
    file: text(f.file, `${path}.file`),
    line: num(f.line, `${path}.line`, 1e9),
    column: num(f.column ?? 0, `${path}.column`, 1e9),
  };
}

/** Thread ids are Node's `threadId` (a counter); pids fit Linux's 2^22 and more. */
const MAX_ID = 1e10;

export function threadOf(v: unknown, path: string): StallThread {
  const t = obj(v, path);
  const name = optText(t.name, `${path}.name`);
  return { id: num(t.id, `${path}.id`, MAX_ID), ...(name !== undefined ? { name } : {}) };
}

export function processOf(v: unknown, path: string): RecordedProcess {
  const p = obj(v, path);
  const command = optText(p.command, `${path}.command`);
  const parentPid = optNum(p.parentPid, `${path}.parentPid`, MAX_ID);
  return {
    pid: num(p.pid, `${path}.pid`, MAX_ID),
    ...(command !== undefined ? { command } : {}),
    threads: list(p.threads ?? [], `${path}.threads`).map((t, i) =>
      threadOf(t, `${path}.threads[${i}]`),
    ),
    ...(parentPid !== undefined ? { parentPid } : {}),
  };
}

const STALL = ['startMs', 'durationMs', 'kind', 'blame', 'stack', 'pid', 'thread'] as const;

export function stallOf(v: unknown, path: string): Stall {
  const s = obj(v, path);
  const blame =
    s.blame === undefined || s.blame === null ? undefined : frameOf(s.blame, `${path}.blame`);
  const pid = optNum(s.pid, `${path}.pid`, MAX_ID);
  const thread =
    s.thread === undefined || s.thread === null ? undefined : threadOf(s.thread, `${path}.thread`);
  return {
    ...extras(s, STALL),
    ...(pid !== undefined ? { pid } : {}),
    ...(thread ? { thread } : {}),
    // A stall caught as the recording starts may begin a little before its origin.
    startMs: num(s.startMs, `${path}.startMs`, MAX_MS, -60_000),
    durationMs: num(s.durationMs, `${path}.durationMs`),
    // Any string: kinds added by later versions still open (shown by their name).
    kind: text(s.kind ?? 'cpu', `${path}.kind`) as Stall['kind'],
    ...(blame ? { blame } : {}),
    stack: list(s.stack, `${path}.stack`).map((f, i) => frameOf(f, `${path}.stack[${i}]`)),
  };
}

const METRICS = ['atMs', 'loopDelay', 'elu', 'heapUsed', 'activeResources', 'threads'] as const;

export function metricsOf(v: unknown, path: string): Metrics {
  const m = obj(v, path);
  const d = obj(m.loopDelay, `${path}.loopDelay`);
  const resources =
    m.activeResources === undefined ? {} : obj(m.activeResources, `${path}.activeResources`);
  const threads = m.threads === undefined ? undefined : list(m.threads, `${path}.threads`);
  return {
    ...extras(m, METRICS),
    atMs: num(m.atMs, `${path}.atMs`),
    loopDelay: {
      p50: num(d.p50, `${path}.loopDelay.p50`),
      p99: num(d.p99, `${path}.loopDelay.p99`),
      max: num(d.max, `${path}.loopDelay.max`),
    },
    elu: num(m.elu ?? 0, `${path}.elu`, 10),
    heapUsed: num(m.heapUsed ?? 0, `${path}.heapUsed`, 1e15),
    activeResources: Object.fromEntries(
      Object.entries(resources).map(([k, n]) => [
        text(k, `${path}.activeResources key`),
        num(n, `${path}.activeResources.${k.slice(0, 40)}`, 1e12),
      ]),
    ),
    ...(threads
      ? {
          threads: threads.map((t, i) => {
            const p = `${path}.threads[${i}]`;
            const o = obj(t, p);
            return {
              tid: num(o.tid, `${p}.tid`, 1e10),
              name: text(o.name ?? '', `${p}.name`),
              state: text(o.state ?? '', `${p}.state`),
            };
          }),
        }
      : {}),
  };
}
