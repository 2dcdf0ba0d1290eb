/**
 * How the agent beats for a local Linux target, whose loop the recorder watches in /proc
 * (runQueue.ts): see docs/runtime.md "How a stall is found".
 */
import type { AgentTuning } from './agent';
import type { RunQueueMonitor } from './runQueue';

/**
 * A local Linux target needs no ticks: the recorder sees in /proc when its main thread sleeps in
 * the loop's epoll wait (runQueue.ts), so the agent only beats, every 40 ms, and sends nothing
 * unless a beat is late. Measured at idle (CPU of the target per second, schedstat): a 20 ms
 * JavaScript timer 7.6 ms, a 40 ms one 4.4 ms; ticks every 40 ms cost ~2.5 ms more. The beat
 * still catches every stall ≥ threshold (a stall at least one period long covers a due beat);
 * the /proc samples narrow its start to ±10 ms, as the 20 ms beat did.
 */
const LOCAL_HEARTBEAT_MS = 40;
/**
 * Local target whose loop's epoll wait we cannot read (ptrace restrictions): a wait inside
 * execSync looks idle in /proc, so a slow tick still notices it (stacks for those over ~225 ms).
 */
const LOCAL_SLOW_TICK_MS = 200;

/** The agent's beat for a local target, or `undefined` when /proc gives no samples. */
export function localTuning(
  rq: Pick<RunQueueMonitor, 'sampling' | 'tellsSyncWaits'>,
  thresholdMs: number,
  heartbeatMs = LOCAL_HEARTBEAT_MS,
): AgentTuning | undefined {
  if (!rq.sampling) return undefined;
  return {
    tickMs: Math.min(heartbeatMs, thresholdMs * 0.8),
    tickEveryMs: rq.tellsSyncWaits ? 0 : LOCAL_SLOW_TICK_MS,
    cpu: false,
    // The beat rests while the loop is quiet (agent.ts): only where /proc tells the loop's idle
    // wait from execSync's, since a resting beat leaves execSync to the probe alone.
    lazy: rq.tellsSyncWaits,
  };
}
