/**
 * The recorder of one JavaScript thread of the target (the main thread, or one worker over its
 * own {@link WorkerSession}): the agent in that thread's isolate, how its loop is watched
 * (liveness), the mode (profile or watch) and the metrics poll that keeps the agent's lease.
 * Each stall it finds carries the thread. Owned by the recording session; `detach()` leaves the
 * thread as it was (profiler stopped, agent and binding removed), `dispose()` ends the parts.
 */
import { Disposable } from '../common/disposable';
import type { ILogger } from '../common/logger';
import { within } from '../common/within';
import type { Metrics, Stall, StallThread } from '../shared/protocol/runtime';
import type { RecordOptions, RecordTuning } from './api';
import { AGENT_KEY_PREFIX } from './agent';
import type { AgentHello } from './agent';
import { AgentLink } from './agentLink';
import type { Attributor } from './attribution';
import type { IInspectorSession } from './inspectorSession';
import { Liveness } from './liveness';
import { MetricsPoller } from './metricsPoller';
import type { IModeDriver, ModeContext } from './modeDriver';
import { ProfileMode, ROTATE_EVERY_MS } from './profileMode';
import { idleSampleMsFor } from './runQueue';
import { TICK_EVERY_MS } from './stackProbe';
import { WatchMode } from './watchMode';

/**
 * The agent removes itself 4 s after the last metrics poll (polled every second): a recorder
 * that died (SIGKILL) leaves nothing in the target for long (agent/loopAgent.ts).
 */
const LEASE_MS = 4000;

/**
 * Every isolate but the first process's main thread (a worker thread, a child process) samples
 * this many times less often and rotates as much less often (the same samples per rotation):
 * the profiler costs per isolate and per sample (~55 µs), so a target of five isolates paid five
 * times (npm run bench -- multiTarget). Their stalls keep their lines: a 150 ms stall still holds
 * ~4 samples, and the stack probe names those the profile misses. `--tuning isolateSampling=1`:
 * every isolate alike.
 */
export const OTHER_ISOLATE_SLOWER = 4;

/**
 * Sampling and rotation periods of an isolate: slower for a worker thread (`worker`) and for
 * every thread of a child process.
 */
export function isolateSampling(
  opts: Pick<RecordOptions, 'target' | 'samplingIntervalUs' | 'tuning'>,
  defaultUs: number,
  worker: boolean,
): { samplingIntervalUs: number; rotateMs: number } {
  const child = opts.target.kind === 'port' && opts.target.child === true;
  const k = worker || child ? (opts.tuning?.isolateSampling ?? OTHER_ISOLATE_SLOWER) : 1;
  return {
    samplingIntervalUs: (opts.samplingIntervalUs ?? defaultUs) * k,
    rotateMs: (opts.tuning?.rotateMs ?? ROTATE_EVERY_MS) * k,
  };
}

export interface ThreadSetup {
  thread: StallThread;
  /** Unique per recorder: names the agent's global, its binding and the profile bridge. */
  id: string;
  thresholdMs: number;
  /** The agent's beat before /proc liveness (if any) tunes it. */
  heartbeatMs: number;
  mode: 'profile' | 'watch';
  samplingIntervalUs: number;
  /** Code ran in this thread before the profiler started (an attach, not a held launch). */
  codeRanBefore: boolean;
  rotateMs?: number;
  tuning?: RecordTuning;
  attributor: Attributor;
  logger: ILogger;
  onStall(stall: Stall): void;
  onMetrics?(m: Metrics): void;
}

export class ThreadRecorder extends Disposable {
  readonly agent: AgentLink;
  readonly liveness: Liveness;
  readonly mode: IModeDriver;
  private poller: MetricsPoller | undefined;

  constructor(
    readonly session: IInspectorSession,
    private readonly setup: ThreadSetup,
  ) {
    super();
    const { id, thresholdMs, heartbeatMs, logger } = setup;
    this.agent = new AgentLink(
      session,
      {
        key: `${AGENT_KEY_PREFIX}${id}`,
        binding: `__loopLensBinding_${id}`,
        thresholdMs,
        tickMs: heartbeatMs,
        // Both modes: the stack probe notices a loop blocked right now by the missing ticks.
        tickEveryMs: TICK_EVERY_MS,
        cpu: true,
        leaseMs: LEASE_MS,
      },
      logger,
    );
    const beat = { heartbeatMs, tickEveryMs: TICK_EVERY_MS };
    this.liveness = this._register(new Liveness(beat, setup.tuning));
    const thread = setup.thread;
    const ctx: ModeContext = {
      session,
      attributor: setup.attributor,
      thresholdMs,
      id,
      agentKey: this.agent.key,
      liveness: this.liveness,
      emitStall: (s: Stall) => setup.onStall({ ...s, thread }),
      logger,
    };
    this.mode = this._register(
      setup.mode === 'watch'
        ? new WatchMode(ctx)
        : new ProfileMode(ctx, setup.samplingIntervalUs, setup.codeRanBefore, setup.rotateMs),
    );
  }

  get thread(): StallThread {
    return this.setup.thread;
  }

  /** Listens to the agent, adds its binding and starts the mode (before the agent runs). */
  async attach(): Promise<void> {
    this._register(this.agent.listen((m) => this.mode.onAgentMessage(m)));
    await this.agent.addBinding();
    await this.mode.start();
  }

  /** Installs the agent; `attempts` 100 ms apart while the thread is still bootstrapping. */
  install(attempts: number): Promise<AgentHello> {
    return this.agent.install(attempts);
  }

  /**
   * A local Linux thread with a readable /proc (`tid`: its task): the loop's liveness comes
   * from there, so the agent beats slower and sends no ticks (localLiveness.ts). Kept as
   * installed when /proc gives no samples (or tuning says `ticks`).
   */
  async useLocalLiveness(pid: number, tid: number): Promise<void> {
    const rq = this.liveness.startMonitor(pid, tid, idleSampleMsFor(this.setup.thresholdMs));
    const tuning = this.liveness.localTuning(this.setup.thresholdMs);
    if (!tuning || !(await this.agent.tune(tuning))) return;
    this.liveness.useLocal(tuning);
    this.setup.logger.trace(
      'runtime',
      `${this.label()}: liveness from /proc (${rq.tellsSyncWaits ? 'epoll timeout' : 'wchan only, slow ticks'}), beat ${tuning.tickMs} ms${tuning.lazy ? ', resting while the loop is quiet' : ''}`,
    );
  }

  /** Starts finding stalls (times from `t0Us`, the recording's origin) and polling metrics. */
  begin(t0Us: number, localPid: number | undefined): void {
    this.mode.begin(t0Us);
    this.poller = this._register(
      new MetricsPoller(
        this.session,
        this.agent.key,
        localPid,
        (m) => this.setup.onMetrics?.(m),
        () => void this.agent.reinstall(),
      ),
    );
    this.poller.start(t0Us);
  }

  /**
   * No new poll; the last stalls are judged, then the thread is cleaned (each step bounded by
   * `timeoutMs`: a stalled or dying target must not hang the stop). Parts end with `dispose()`.
   */
  async detach(timeoutMs: number): Promise<void> {
    this.poller?.dispose();
    if (this.session.closed) return;
    // The last stalls are judged with the run queue's samples (starvation.ts): sampling ends after.
    await within(this.mode.flush(), timeoutMs);
    await within(Promise.all([this.agent.remove(), this.mode.teardown()]), timeoutMs);
  }

  label(): string {
    const t = this.setup.thread;
    return t.id === 0 ? 'main thread' : `worker ${t.id}${t.name ? ` (${t.name})` : ''}`;
  }
}
