/**
 * Once a second: asks the agent for loop delay, ELU, heap and active resources (one
 * `Runtime.evaluate`, never awaited by anything else, skipped while the previous one is still
 * queued behind a stall) and, for a local Linux target, reads its threads from /proc.
 */
import type { Metrics } from '../shared/protocol/runtime';
import { LOOP_DELAY_BUCKETS_MS } from '../shared/protocol/runtime';
import type { AgentMetrics } from './agent';
import { agentMetricsExpression } from './agent';
import type { IInspectorSession } from './inspectorSession';
import { usToMs } from './modeDriver';
import { isThreadpoolSaturated, poolSizeOf, readThreads } from './threads';

/** Active resources that are work for the libuv pool (fs, dns, zlib, async crypto). */
export const POOL_WORK =
  /^(FSReq|GetAddrInfo|GetNameInfo|Zlib|RandomBytes|PBKDF2|Scrypt|Hash|Sign|Verify|Crypto)/;

export class MetricsPoller {
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private poolSize = 4;
  private poolBusyBefore = false;

  constructor(
    private readonly session: IInspectorSession,
    private readonly agentKey: string,
    private readonly localPid: number | undefined,
    private readonly onMetrics: (m: Metrics) => void,
    /** The agent is gone while the session is open (its lease ran out). */
    private readonly onAgentGone: () => void = () => undefined,
  ) {}

  start(t0Us: number, everyMs = 1000): void {
    if (this.localPid !== undefined) {
      void poolSizeOf(this.localPid).then((n) => (this.poolSize = n));
    }
    this.timer = setInterval(() => void this.poll(t0Us), everyMs);
  }

  private async poll(t0Us: number): Promise<void> {
    if (this.inFlight || this.session.closed) return;
    this.inFlight = true;
    try {
      const [r, threads] = await Promise.all([
        this.session.send('Runtime.evaluate', {
          expression: agentMetricsExpression({ key: this.agentKey }),
          returnByValue: true,
        }),
        this.localPid !== undefined ? readThreads(this.localPid) : undefined,
      ]);
      const raw = r?.result?.value;
      if (typeof raw !== 'string' || !this.timer) return;
      if (!raw) return this.onAgentGone();
      const a = JSON.parse(raw) as AgentMetrics;
      const m: Metrics = {
        atMs: usToMs(a.t - t0Us),
        loopDelay: { p50: round2(a.p50), p99: round2(a.p99), max: round2(a.max), ...histOf(a.l) },
        elu: Math.round(a.elu * 1000) / 1000,
        heapUsed: a.heapUsed,
        activeResources: a.res,
      };
      if (threads && this.localPid !== undefined) {
        const queued = Object.entries(a.res)
          .filter(([k]) => POOL_WORK.test(k))
          .reduce((n, [, v]) => n + v, 0);
        const s = isThreadpoolSaturated(
          threads,
          this.localPid,
          this.poolSize,
          queued,
          this.poolBusyBefore,
        );
        this.poolBusyBefore = s.busy;
        m.threads = threads;
        m.threadpoolSaturated = s.saturated;
      }
      this.onMetrics(m);
    } catch {
      // A metrics sample lost to a closing session is not worth an error event.
    } finally {
      this.inFlight = false;
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The interval's lags counted per histogram bucket (shared/protocol `LOOP_DELAY_BUCKETS_MS`). */
export function histOf(lags: number[] | undefined): Pick<Metrics['loopDelay'], 'hist'> {
  if (!lags) return {};
  const counts = new Array<number>(LOOP_DELAY_BUCKETS_MS.length + 1).fill(0);
  let sumMs = 0;
  for (const l of lags) {
    const i = LOOP_DELAY_BUCKETS_MS.findIndex((b) => l <= b);
    counts[i < 0 ? LOOP_DELAY_BUCKETS_MS.length : i]++;
    sumMs += l;
  }
  return { hist: { counts, sumMs: round2(sumMs) } };
}
