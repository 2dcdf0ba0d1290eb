/**
 * The `loop-lens` launch/attach configuration (what users write in launch.json) and its
 * translation to the runtime engine's RecordOptions. Pure functions; no `vscode` import.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordOptions, TargetSpec } from '../runtime/api';
import { threadLabel } from '../shared/protocol/threadLanes';
import type { Stall, StackFrame } from '../shared/protocol/runtime';

/** Options shared by `attach` and `launch`. */
export interface CommonArgs {
  /** A stall is a blocked loop longer than this many ms (default 50). */
  thresholdMs?: number;
  mode?: 'profile' | 'watch';
  samplingIntervalUs?: number;
  /** Local folder that corresponds to `remoteRoot` in the target (containers, remote hosts). */
  localRoot?: string;
  remoteRoot?: string;
  /** Prints the engine's log into the Debug Console, from trace up (CDP traffic included). */
  trace?: boolean;
}

export interface AttachArgs extends CommonArgs {
  port?: number;
  address?: string;
  websocketUrl?: string;
  /** A pid, or "pid:port" as the process picker returns it. */
  processId?: number | string;
  /** With `processId`: leave the inspector Loop Lens opened listening after the recording. */
  keepInspector?: boolean;
}

export interface LaunchArgs extends CommonArgs {
  program?: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Default `node`; may be `npm` etc. with the script in `runtimeArgs`. */
  runtimeExecutable?: string;
  runtimeArgs?: string[];
}

/**
 * Every launch.json attribute, declared once: the type checker holds these lists to the
 * interfaces above (a missing or extra key fails to compile), and test/unit/manifest.test.ts
 * holds package.json's `configurationAttributes` to them, both ways.
 */
const commonAttributes = {
  thresholdMs: true,
  mode: true,
  samplingIntervalUs: true,
  localRoot: true,
  remoteRoot: true,
  trace: true,
} as const satisfies Record<keyof CommonArgs, true>;
export const attachAttributes = {
  ...commonAttributes,
  port: true,
  address: true,
  websocketUrl: true,
  processId: true,
  keepInspector: true,
} as const satisfies Record<keyof AttachArgs, true>;
export const launchAttributes = {
  ...commonAttributes,
  program: true,
  args: true,
  cwd: true,
  env: true,
  runtimeExecutable: true,
  runtimeArgs: true,
} as const satisfies Record<keyof LaunchArgs, true>;

/** Thrown for a configuration that cannot be recorded; the message is shown to the user. */
export class ConfigurationError extends Error {}

/** Builds the engine target of an attach configuration. */
export function attachTarget(a: AttachArgs): TargetSpec {
  if (a.websocketUrl) {
    if (!/^wss?:\/\//.test(a.websocketUrl)) {
      throw new ConfigurationError(`websocketUrl must start with ws:// (got '${a.websocketUrl}')`);
    }
    return { kind: 'ws', url: a.websocketUrl };
  }
  if (a.processId !== undefined && a.processId !== '') {
    // Several processes ("pid,pid:port"): the first here, the others in `alsoTargets`.
    const [pidText, portText] = String(a.processId).split(',')[0]!.split(':');
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 0) {
      throw new ConfigurationError(`processId must be a process id (got '${a.processId}')`);
    }
    // The picker encodes a known inspector port as "pid:port"; the engine still wants the pid so
    // that it can confirm the port belongs to it, so the port is only a hint we do not need.
    void portText;
    return { kind: 'pid', pid };
  }
  if (a.port !== undefined) {
    const port = Number(a.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new ConfigurationError(`port must be 1-65535 (got '${a.port}')`);
    }
    return { kind: 'port', port, host: a.address || '127.0.0.1' };
  }
  throw new ConfigurationError('attach needs one of "processId", "port" or "websocketUrl"');
}

/** Builds the engine target of a launch configuration. */
export function launchTarget(a: LaunchArgs): TargetSpec {
  const runtime = a.runtimeExecutable || 'node';
  const runtimeArgs = a.runtimeArgs ?? [];
  if (!a.program && runtimeArgs.length === 0) {
    throw new ConfigurationError(
      'launch needs "program" (or "runtimeArgs" such as ["run", "start"])',
    );
  }
  const cwd = a.cwd || (a.program ? path.dirname(path.resolve(a.program)) : undefined);
  const args = [...runtimeArgs, ...(a.program ? [path.resolve(cwd ?? '.', a.program)] : [])];
  return { kind: 'launch', command: runtime, args: [...args, ...(a.args ?? [])], cwd, env: a.env };
}

/** RecordOptions of a configuration, with the shared knobs copied over. */
export function toRecordOptions(
  request: 'attach' | 'launch',
  a: AttachArgs & LaunchArgs,
): RecordOptions {
  const target = request === 'attach' ? attachTarget(a) : launchTarget(a);
  const opts: RecordOptions = { target };
  const more =
    request === 'attach'
      ? String(a.processId ?? '')
          .split(',')
          .slice(1)
      : [];
  if (more.length) {
    opts.alsoTargets = more.map((id) => attachTarget({ ...a, processId: id.trim() }));
  }
  if (a.thresholdMs !== undefined) opts.thresholdMs = Number(a.thresholdMs);
  if (a.samplingIntervalUs !== undefined) opts.samplingIntervalUs = Number(a.samplingIntervalUs);
  if (a.mode) opts.mode = a.mode;
  if (a.localRoot) opts.localRoot = a.localRoot;
  if (a.remoteRoot) opts.remoteRoot = a.remoteRoot;
  if (request === 'attach' && a.keepInspector === true) opts.keepInspector = true;
  return opts;
}

/** The host a target is reached on, when it is a network address (undefined for pid/launch). */
export function targetHost(t: TargetSpec): string | undefined {
  if (t.kind === 'port') return t.host ?? '127.0.0.1';
  if (t.kind === 'ws') {
    try {
      return new URL(t.url).hostname;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** True for 127.0.0.0/8, ::1 and localhost: the only addresses an open inspector is safe on. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1'
  );
}

/** The warning shown before attaching to a non-loopback address. */
export function remoteWarning(host: string): string {
  return (
    `Attaching to ${host}: an inspector open on a network address lets anyone who can reach it ` +
    'run any code in that process, read its memory and its secrets. Use it only on a trusted ' +
    'network or through an SSH tunnel to 127.0.0.1.'
  );
}

/** Maps a path the target reported (maybe a file:// URL, maybe under remoteRoot) to a local path. */
export function mapRemotePath(file: string, localRoot?: string, remoteRoot?: string): string {
  let p = file;
  if (p.startsWith('file://')) {
    try {
      p = fileURLToPath(p);
    } catch {
      return file;
    }
  }
  if (localRoot && remoteRoot) {
    const remote = remoteRoot.replace(/[\\/]+$/, '');
    if (p === remote || p.startsWith(remote + '/') || p.startsWith(remote + '\\')) {
      const rest = p
        .slice(remote.length)
        .replace(/^[\\/]+/, '')
        .split(/[\\/]/);
      p = path.join(localRoot, ...rest);
    }
  }
  return p;
}

/** The stall with every path mapped through {@link mapRemotePath}. */
export function mapStall(s: Stall, localRoot?: string, remoteRoot?: string): Stall {
  const map = (f: StackFrame): StackFrame => ({
    ...f,
    file: mapRemotePath(f.file, localRoot, remoteRoot),
  });
  return { ...s, blame: s.blame && map(s.blame), stack: s.stack.map(map) };
}

/**
 * One Debug Console line for a stall: "+3.21 s  stall 152 ms  cpu  save  store.js:17  (JSON.stringify
 * in lowdb@1.0.0)"; a starved one says how much of it waited for a CPU.
 */
export function formatStall(s: Stall): string {
  const at = `+${(s.startMs / 1000).toFixed(2)} s`;
  const t = s.thread && s.thread.id !== 0 ? `  [${threadLabel(s.thread)}]` : '';
  const head = `${at}  stall ${Math.round(s.durationMs)} ms  ${s.kind}${t}`;
  if (s.kind === 'starved') {
    const share = s.starvation ? `${Math.round(s.starvation.waitShare * 100)}% ` : '';
    return `${head}  ${share}waiting for a CPU: the machine was busy, not the code`;
  }
  const where = s.blame
    ? `${s.blame.functionName || '(anonymous)'}  ${path.basename(s.blame.file)}:${s.blame.line}`
    : 'no user frame';
  const op = s.operation && s.operation !== s.blame?.functionName ? s.operation : '';
  const pkg = s.package ? `${op ? ' ' : ''}in ${s.package.name}@${s.package.version}` : '';
  return `${head}  ${where}${op || pkg ? `  (${op}${pkg})` : ''}`;
}

/** Parses "host:port", ":port", "port" or a ws:// URL into attach fields, or says what is wrong. */
export function parseRemote(
  text: string,
): { address?: string; port?: number; websocketUrl?: string } | string {
  const t = text.trim();
  if (/^wss?:\/\//.test(t)) {
    try {
      new URL(t);
      return { websocketUrl: t };
    } catch {
      return 'Not a valid ws:// URL';
    }
  }
  const m = /^(?:\[?([^\]\s]*?)\]?:)?(\d{1,5})$/.exec(t);
  if (!m) return 'Enter host:port (e.g. 127.0.0.1:9229) or a ws:// URL';
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return 'The port must be 1-65535';
  return { address: m[1] || '127.0.0.1', port };
}
