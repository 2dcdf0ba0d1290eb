/**
 * The runtime engine: attach to a Node.js process over the V8 inspector, catch every event-loop
 * stall live and name the line that blocked. No `vscode` import.
 */
import type { IRecordingSession, RecordOptions } from './api';
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
  const logger = opts.logger ?? nullLogger;
  const timeoutMs = opts.connectTimeoutMs ?? 5000;
  const cancelled = () => new Error('recording cancelled');
  if (token?.isCancellationRequested) throw cancelled();
  const deadline = Date.now() + timeoutMs;
  const resolved = await resolveTarget(opts.target, timeoutMs, opts.onOutput);
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
