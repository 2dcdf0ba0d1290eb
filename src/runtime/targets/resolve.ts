/** Turns a {@link TargetSpec} into a WebSocket URL to attach to, plus what we know of the process. */
import type { ChildProcess } from 'node:child_process';
import type { OutputSink, TargetSpec } from '../api';
import { findInspectorPort } from '../processDiscovery';
import { isLoopbackHost, wsUrlForPort } from './inspectorHttp';
import { launchTarget } from './launch';

export interface ResolvedTarget {
  wsUrl: string;
  /** Known for `pid` and `launch` targets; for others, asked from the target after attach. */
  pid?: number;
  /** True when the target is on this machine (loopback), so /proc and files are ours to read. */
  local: boolean;
  warnings: string[];
  child?: ChildProcess;
  /** `launch`: the target waits for `Runtime.runIfWaitingForDebugger`. */
  waitingForDebugger: boolean;
  onWaitingForDisconnect?: (listener: () => void) => void;
  /** `pid`: the inspector was closed and SIGUSR1 opened it for us (closeInspector.ts). */
  openedInspector?: boolean;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

function nonLoopbackWarning(host: string): string {
  return (
    `attaching to ${host}, which is not a loopback address: an open inspector lets anyone who ` +
    'can reach that port run any code in the process. Prefer an SSH tunnel to 127.0.0.1.'
  );
}

async function resolvePid(pid: number, timeoutMs: number): Promise<ResolvedTarget> {
  const deadline = Date.now() + timeoutMs;
  let port = await findInspectorPort(pid);
  const openedInspector = port === undefined;
  if (port === undefined) {
    try {
      // SIGUSR1 opens the inspector of a running Node process (Windows: process._debugProcess).
      if (process.platform === 'win32') {
        (process as unknown as { _debugProcess(pid: number): void })._debugProcess(pid);
      } else process.kill(pid, 'SIGUSR1');
    } catch (e) {
      throw new Error(`attach to process ${pid}: cannot signal it (${(e as Error).message})`);
    }
    while (port === undefined && Date.now() < deadline) {
      await delay(50);
      port = await findInspectorPort(pid);
    }
  }
  if (port === undefined) {
    throw new Error(
      `attach to process ${pid}: sent SIGUSR1 but no inspector port owned by ${pid} opened ` +
        `within ${timeoutMs} ms (port 9229 may be taken by another process; start the target ` +
        'with --inspect-port=0 so it picks a free one, or attach with --port)',
    );
  }
  const wsUrl = await wsUrlForPort('127.0.0.1', port, Math.max(500, deadline - Date.now()));
  return { wsUrl, pid, local: true, warnings: [], waitingForDebugger: false, openedInspector };
}

/** Resolves the target within `timeoutMs` or rejects with a message that says what failed. */
export async function resolveTarget(
  spec: TargetSpec,
  timeoutMs: number,
  onOutput?: OutputSink,
  children = true,
): Promise<ResolvedTarget> {
  switch (spec.kind) {
    case 'port': {
      const host = spec.host ?? '127.0.0.1';
      const local = isLoopbackHost(host);
      const wsUrl = await wsUrlForPort(host, spec.port, timeoutMs);
      return {
        wsUrl,
        local,
        warnings: local ? [] : [nonLoopbackWarning(host)],
        waitingForDebugger: spec.child === true,
      };
    }
    case 'ws': {
      let host = '';
      try {
        host = new URL(spec.url).hostname;
      } catch {
        throw new Error(`not a WebSocket URL: ${spec.url}`);
      }
      const local = isLoopbackHost(host);
      const warnings = local ? [] : [nonLoopbackWarning(host)];
      return { wsUrl: spec.url, local, warnings, waitingForDebugger: false };
    }
    case 'pid':
      return resolvePid(spec.pid, timeoutMs);
    case 'launch': {
      const t = await launchTarget(spec.command, spec.args, {
        ...spec,
        timeoutMs: Math.max(timeoutMs, 10_000),
        onOutput,
        children,
      });
      return {
        wsUrl: t.wsUrl,
        pid: t.child.pid,
        local: true,
        warnings: [],
        child: t.child,
        waitingForDebugger: true,
        onWaitingForDisconnect: t.onWaitingForDisconnect,
      };
    }
  }
}
