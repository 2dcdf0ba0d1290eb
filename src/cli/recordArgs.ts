/**
 * Turns the options of `loop-lens record` into the engine's RecordOptions, or a clear message
 * saying what is wrong. Pure, so every bad combination is unit-tested without a process.
 */
import type { RecordOptions, RecordTuning, TargetSpec } from '../runtime/api';
import type { ExportPlan } from './recordExport';
import { parseExports } from './recordExport';
import type { OutputFiles } from './recordOutput';
import { DEFAULT_ROTATE_KEEP } from './recordRotate';

/** Options as commander hands them over (strings; commander camel-cases the names). */
export interface RawRecordOptions {
  /** One, or several when repeated (`--port 9229 --port 9230`). */
  port?: string | string[];
  host?: string;
  ws?: string;
  /** One, or several when repeated. */
  pid?: string | string[];
  duration?: string;
  threshold?: string;
  samplingInterval?: string;
  mode?: string;
  out?: string;
  cpuprofile?: string;
  html?: string;
  localRoot?: string;
  remoteRoot?: string;
  metrics?: boolean;
  keepInspector?: boolean;
  tuning?: string;
  verbose?: boolean;
  logFile?: string;
  prometheus?: string;
  prometheusLines?: string;
  otlp?: string;
  otlpInterval?: string;
  rotate?: string;
  rotateKeep?: string;
}

export interface RecordPlan {
  /** `target` is the first of `targets`. */
  options: RecordOptions;
  /** Every target named (several `--pid`/`--port`), recorded as one recording. */
  targets: TargetSpec[];
  /** Stop after this many milliseconds; undefined = until Ctrl-C or target exit. */
  durationMs?: number;
  files: OutputFiles;
  showMetrics: boolean;
  /** `--verbose`: trace lines (CDP traffic included) on stderr. */
  verbose: boolean;
  /** `--log-file`: every log line, trace included, to this file. */
  logFile?: string;
  /** `--prometheus`, `--prometheus-lines`, `--otlp` (recordExport.ts). */
  exports: ExportPlan;
  /** `--rotate` minutes (ms here) and `--rotate-keep` files (recordRotate.ts). */
  rotate?: { everyMs: number; keep: number };
}

const LIVENESS = ['auto', 'ticks', 'wchan', 'eager'] as const;

/** `--tuning liveness=ticks,heartbeatMs=40,rotateMs=5000,isolateSampling=1,waitingOn=off` (docs/runtime.md "Tuning"). */
function parseTuning(value: string | undefined): RecordTuning | undefined {
  if (value === undefined) return undefined;
  const t: RecordTuning = {};
  for (const part of value.split(',').filter(Boolean)) {
    const [k, v = ''] = part.split('=', 2);
    if (k === 'liveness') {
      const l = LIVENESS.find((x) => x === v);
      if (!l) {
        throw new Error(`--tuning liveness must be one of ${LIVENESS.join(', ')}, got '${v}'`);
      }
      t.liveness = l;
    } else if (k === 'heartbeatMs' || k === 'rotateMs' || k === 'isolateSampling') {
      t[k] = positiveNumber(`--tuning ${k}`, v, false);
    } else if (k === 'waitingOn' && (v === 'on' || v === 'off')) {
      t.waitingOn = v === 'on';
    } else if (k === 'waitingOn') {
      throw new Error(`--tuning waitingOn must be on or off, got '${v}'`);
    } else {
      throw new Error(
        `--tuning takes liveness, heartbeatMs, rotateMs, isolateSampling and waitingOn, got '${k}'`,
      );
    }
  }
  return t;
}

function positiveNumber(
  name: string,
  value: string | undefined,
  integer: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got '${value}'`);
  }
  return n;
}

const many = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

function targetsOf(raw: RawRecordOptions, command: string[]): TargetSpec[] {
  const ports = many(raw.port);
  const pids = many(raw.pid);
  const given = [ports.length + pids.length > 0, raw.ws !== undefined, command.length > 0];
  const count = given.filter(Boolean).length;
  if (count === 0) {
    throw new Error('no target: give --port N, --ws URL, --pid P or -- <command> [args]');
  }
  if (count > 1) {
    throw new Error(
      'give only one kind of target: --port and --pid (each may repeat), --ws or -- <command>',
    );
  }
  if (raw.host !== undefined && ports.length === 0) throw new Error('--host needs --port');
  if (raw.ws !== undefined) {
    if (!/^wss?:\/\//.test(raw.ws)) throw new Error(`--ws must be a ws:// URL, got '${raw.ws}'`);
    return [{ kind: 'ws', url: raw.ws }];
  }
  if (command.length > 0) return [{ kind: 'launch', command: command[0], args: command.slice(1) }];
  const targets: TargetSpec[] = [
    ...ports.map((p): TargetSpec => {
      const port = positiveNumber('--port', p, true)!;
      if (port > 65535) throw new Error(`--port must be at most 65535, got '${p}'`);
      return { kind: 'port', port, host: raw.host };
    }),
    ...pids.map((p): TargetSpec => ({ kind: 'pid', pid: positiveNumber('--pid', p, true)! })),
  ];
  const keys = targets.map((t) => JSON.stringify(t));
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice) {
    throw new Error(`the same target is given twice: ${describeTarget(JSON.parse(twice))}`);
  }
  return targets;
}

/** Validates everything up front so a bad flag never half-attaches to a process. */
export function planRecording(raw: RawRecordOptions, command: string[]): RecordPlan {
  const mode = raw.mode ?? 'profile';
  if (mode !== 'profile' && mode !== 'watch') {
    throw new Error(`--mode must be 'profile' or 'watch', got '${mode}'`);
  }
  if (raw.keepInspector && raw.pid === undefined) {
    throw new Error('--keep-inspector goes with --pid (only --pid opens an inspector)');
  }
  if ((raw.localRoot === undefined) !== (raw.remoteRoot === undefined)) {
    throw new Error('--local-root and --remote-root go together');
  }
  // `--duration 0`: no limit (a long-running recorder), like no --duration at all.
  const duration =
    raw.duration !== undefined && Number(raw.duration) === 0
      ? undefined
      : positiveNumber('--duration', raw.duration, false);
  const rotateMin = positiveNumber('--rotate', raw.rotate, false);
  if (rotateMin !== undefined && raw.out === undefined) throw new Error('--rotate needs --out');
  const targets = targetsOf(raw, command);
  const options: RecordOptions = {
    target: targets[0]!,
    thresholdMs: positiveNumber('--threshold', raw.threshold, false) ?? 50,
    samplingIntervalUs: positiveNumber('--sampling-interval', raw.samplingInterval, true),
    mode,
    localRoot: raw.localRoot,
    remoteRoot: raw.remoteRoot,
    connectTimeoutMs: 4500,
    ...(raw.keepInspector ? { keepInspector: true } : {}),
  };
  const tuning = parseTuning(raw.tuning);
  if (tuning) options.tuning = tuning;
  return {
    options,
    targets,
    durationMs: duration === undefined ? undefined : duration * 1000,
    files: { out: raw.out, cpuprofile: raw.cpuprofile, html: raw.html },
    showMetrics: raw.metrics === true,
    verbose: raw.verbose === true,
    ...(raw.logFile !== undefined ? { logFile: raw.logFile } : {}),
    exports: parseExports(raw, (name, v) => positiveNumber(name, v, true)),
    ...(rotateMin !== undefined
      ? {
          rotate: {
            everyMs: rotateMin * 60_000,
            keep: positiveNumber('--rotate-keep', raw.rotateKeep, true) ?? DEFAULT_ROTATE_KEEP,
          },
        }
      : {}),
  };
}

/** How the target is named in messages. */
export function describeTarget(t: TargetSpec): string {
  switch (t.kind) {
    case 'port':
      return `${t.host ?? '127.0.0.1'}:${t.port}`;
    case 'ws':
      return t.url;
    case 'pid':
      return `pid ${t.pid}`;
    case 'launch':
      return [t.command, ...t.args].join(' ');
  }
}
