/**
 * The runtime engine: attach to a Node.js process over the V8 inspector, catch every event-loop
 * stall live and name the line that blocked. No `vscode` import.
 */
import type { IRecordingSession, RecordOptions, TargetSpec } from './api';
import { ChildProcessWatcher } from './childProcesses';
import { MultiRecording } from './multiRecording';
import { nullLogger } from '../common/logger';
import { connectCri } from './criSession';
import { RecordingSession } from './recordingSession';
import { resolveTarget } from './targets/resolve';

export type { IRecordingSession, RecordOptions, TargetSpec } from './api';
export type {
  Hotspot,
  ProcessTarget,
  Recording,
  RuntimeEvent,
  Stall,
} from '../shared/protocol/runtime';
export { listNodeProcesses } from './processDiscovery';
export { summarizeHotspots, summarizePackages, summarizeStarved, packageLabel } from './hotspots';

/** A cancellation token in VS Code's shape (only the parts we use). */
export interface CancellationLike {
  isCancellationRequested: boolean;
  onCancellationRequested?: (listener: () => void) => unknown;
}

/**
 * Attaches to the target and starts recording. Rejects with a message naming what failed
 * (unreachable port, no inspector, process gone) within `connectTimeoutMs` (default 5 s) for
 * `port`/`ws`/`pid` targets. Warnings (a non-loopback host) go to the logger and to
 * `session.warnings`.
 */
export async function startRecording(
  opts: RecordOptions,
  token?: CancellationLike,
): Promise<IRecordingSession & { readonly warnings: readonly string[] }> {
  if (opts.alsoTargets?.length) {
    const { alsoTargets, ...rest } = opts;
    return startRecordings([opts.target, ...alsoTargets], rest, token);
  }
  const rec = await startOne(opts, token);
  if (opts.target.kind !== 'launch' || opts.children === false || !rec.target.pid) return rec;
  // A launched target's Node child processes are recorded with it (childProcesses.ts).
  const multi = new MultiRecording();
  multi.add(rec, { primary: true });
  const watcher = new ChildProcessWatcher(
    rec.target.pid,
    (c) => void addChild(multi, opts, c),
    opts.logger ?? nullLogger,
  );
  multi.whenStopped(() => watcher.dispose());
  watcher.start();
  return multi;
}

/**
 * Records several targets as one recording (`record --pid A --pid B`): each attached as by
 * {@link startRecording} (a launched one with its children); fails, stopping what was attached,
 * when one cannot be reached.
 */
export async function startRecordings(
  targets: TargetSpec[],
  opts: Omit<RecordOptions, 'target'>,
  token?: CancellationLike,
): Promise<IRecordingSession & { readonly warnings: readonly string[] }> {
  if (targets.length === 1) return startRecording({ ...opts, target: targets[0]! }, token);
  const started = await Promise.allSettled(
    targets.map((target) => startRecording({ ...opts, target }, token)),
  );
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (failed) {
    await Promise.all(ok.map((s) => s.stop()));
    throw failed.reason;
  }
  const multi = new MultiRecording();
  for (const s of ok) multi.add(s, { primary: true });
  return multi;
}

async function addChild(
  multi: MultiRecording,
  opts: RecordOptions,
  c: { pid: number; ppid: number; port: number },
): Promise<void> {
  const logger = opts.logger ?? nullLogger;
  try {
    const child = await startOne({
      ...opts,
      target: { kind: 'port', port: c.port, child: true },
    });
    multi.add(child, { primary: false, parentPid: c.ppid });
  } catch (e) {
    logger.warn('targets', `child process ${c.pid}: ${(e as Error).message}`);
  }
}

async function startOne(
  opts: RecordOptions,
  token?: CancellationLike,
): Promise<IRecordingSession & { readonly warnings: readonly string[] }> {
  const logger = opts.logger ?? nullLogger;
  const timeoutMs = opts.connectTimeoutMs ?? 5000;
  const cancelled = () => new Error('recording cancelled');
  if (token?.isCancellationRequested) throw cancelled();
  const deadline = Date.now() + timeoutMs;
  const resolved = await resolveTarget(
    opts.target,
    timeoutMs,
    opts.onOutput,
    opts.children !== false,
  );
  for (const w of resolved.warnings) logger.warn('targets', w);
  logger.info('targets', `${opts.target.kind} target: inspector at ${resolved.wsUrl}`);
  let session;
  try {
    session = await connectCri(resolved.wsUrl, Math.max(1000, deadline - Date.now()), logger);
  } catch (e) {
    resolved.child?.kill();
    throw e;
  }
  const rec = new RecordingSession(session, resolved, opts);
  try {
    await rec.init();
  } catch (e) {
    await rec.stop();
    resolved.child?.kill();
    throw new Error(`attach to ${resolved.wsUrl}: ${(e as Error).message}`);
  }
  if (token?.isCancellationRequested) {
    await rec.stop();
    throw cancelled();
  }
  token?.onCancellationRequested?.(() => void rec.stop());
  return rec;
}
