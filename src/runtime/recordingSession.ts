/**
 * One live recording: attaches, installs the agent, runs the chosen mode, streams events and
 * on `stop()` (or when the target goes away) leaves the target as it was: profiler stopped,
 * debugger disabled, agent timer, histogram, binding and globals removed. It owns its parts
 * (mode, poller, /proc monitor, listeners, the inspector session): `stop()` ends them all
 * through `dispose()`.
 */
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { IRecordingSession, RecordOptions } from './api';
import { Disposable, toDisposable } from '../common/disposable';
import { EventEmitter } from '../common/events';
import type { ILogger } from '../common/logger';
import { nullLogger } from '../common/logger';
import { within } from '../common/within';
import type {
  Metrics,
  Recording,
  RuntimeEvent,
  Stall,
  StallThread,
  TargetInfo,
} from '../shared/protocol/runtime';
import { Attributor } from './attribution';
import { summarizeHotspots } from './hotspots';
import type { IInspectorSession } from './inspectorSession';
import { commandLineOf } from './processDiscovery';
import { SourceMapResolver } from './sourceMaps';
import type { ResolvedTarget } from './targets/resolve';
import { leaveInspector } from './targets/closeInspector';
import { KEEP_METRICS, Ring } from './ring';
import { StallStore } from './stallStore';
import { isolateSampling, ThreadRecorder } from './threadRecorder';
import { BlockedOnWhat } from './waitingOn';
import { WorkerThreads } from './workerThreads';

/**
 * Heartbeat period. Measured (HTTP target at ~12 % of a core, 7 interleaved rounds): 10 ms
 * beats + 20 ms ticks cost watch mode ~10 % CPU per request, 20 ms beats + 40 ms ticks ~6 %.
 * 20 ms still catches every stall ≥ threshold (the gap covers the stall) at ±10 ms of start.
 * (`tuning.heartbeatMs` changes it for benchmarks; it must stay well under the threshold.)
 */
const HEARTBEAT_MS = 20;
/**
 * Profiler sampling period. Its cost is per second, not per request: measured at idle, 11.7 ms
 * of the target's CPU per second at 5 ms sampling and 6.3 at 10 ms (about 55 µs a sample), of
 * profile mode's 18 ms/s in all (npm run bench). Stalls are found by the heartbeat, not by the
 * sampling rate, and 10 ms still named the line of every 70 ms and 200 ms stall in the bench.
 */
export const DEFAULT_SAMPLING_US = 10_000;
/** Bound on each cleanup command: a stalled or dying target must not hang `stop()`. */
const CLEANUP_TIMEOUT_MS = 3000;

const MAIN_THREAD: StallThread = { id: 0, name: 'main' };

export class RecordingSession extends Disposable implements IRecordingSession {
  /** Not disposed with the rest: the `exit` event comes after `stop()`. */
  private readonly emitter = new EventEmitter<RuntimeEvent>();
  readonly onEvent = this.emitter.event;
  target: TargetInfo;
  readonly warnings: string[];
  private readonly stalls = new StallStore();
  private readonly metrics = new Ring<Metrics>(KEEP_METRICS);
  private readonly startedAt = new Date();
  private endedAt: number | undefined;
  /** The main thread's recorder; each worker has its own (workerThreads.ts). */
  private readonly main: ThreadRecorder;
  private readonly workers: WorkerThreads;
  /** What the main thread waited on during its stalls (a local Linux target; waitingOn/). */
  private blockedOn: BlockedOnWhat | undefined;
  private readonly logger: ILogger;
  private readonly thresholdMs: number;
  private readonly modeName: 'profile' | 'watch';
  private stopping: Promise<Recording> | undefined;
  private exited = false;
  /** Closing the inspector we opened ends our connection too: that is no target exit. */
  private closingInspector = false;
  detachNote: string | undefined;
  private readonly keepInspector: boolean;
  private childExit: Promise<number | undefined> | undefined;
  private readonly tuning: RecordOptions['tuning'];

  constructor(
    private readonly session: IInspectorSession,
    private readonly resolved: ResolvedTarget,
    opts: RecordOptions,
  ) {
    super();
    this._register(session);
    this.logger = opts.logger ?? nullLogger;
    this.thresholdMs = opts.thresholdMs ?? 50;
    this.modeName = opts.mode ?? 'profile';
    this.keepInspector = opts.keepInspector === true;
    this.tuning = opts.tuning;
    this.warnings = [...resolved.warnings];
    this.target = { url: resolved.wsUrl, ...(resolved.pid ? { pid: resolved.pid } : {}) };
    const id = randomBytes(4).toString('hex');
    const heartbeatMs = Math.min(opts.tuning?.heartbeatMs ?? HEARTBEAT_MS, this.thresholdMs / 2);
    const resolver = new SourceMapResolver((w) => this.warn(w));
    const attributor = new Attributor(resolver, {
      localRoot: opts.localRoot,
      remoteRoot: opts.remoteRoot,
    });
    const setup = (thread: StallThread, codeRanBefore: boolean) => ({
      thread,
      id,
      thresholdMs: this.thresholdMs,
      heartbeatMs,
      mode: this.modeName,
      ...isolateSampling(opts, DEFAULT_SAMPLING_US, thread !== MAIN_THREAD),
      codeRanBefore,
      tuning: opts.tuning,
      attributor,
      logger: this.logger,
      onStall: (st: Stall) => this.onStall(st),
      onMetrics: (metrics: Metrics) =>
        thread === MAIN_THREAD
          ? this.onMetrics(metrics)
          : this.emitter.fire({ type: 'threadMetrics', pid: this.target.pid, thread, metrics }),
    });
    this.main = this._register(
      new ThreadRecorder(session, setup(MAIN_THREAD, !resolved.waitingForDebugger)),
    );
    // A worker may have run code before we attached to it, whatever the main thread did.
    this.workers = this._register(
      new WorkerThreads(
        session,
        (ws, t) => new ThreadRecorder(ws, setup(t, true)),
        this.logger,
        (thread, state) =>
          this.emitter.fire({ type: 'thread', pid: this.target.pid, thread, state }),
      ),
    );
    const child = resolved.child;
    if (child) {
      this.childExit = exitCodeOf(child);
      // A target we launched is ours to end; one we attached to keeps running.
      this._register(
        toDisposable(() => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        }),
      );
    }
  }

  private warn(message: string): void {
    if (this.warnings.includes(message)) return;
    this.warnings.push(message);
    this.logger.warn('runtime', message);
  }

  /** Enables the mode, installs the agent and lets a launched target run. */
  async init(): Promise<void> {
    const s = this.session;
    // Not a registered part: it must hear the session's own close, which comes last in
    // dispose() (after a launched target was ended): that is the launched target's `exit`.
    s.onClose(
      () => void this.onTargetGone('the inspector connection closed (target exited or was killed)'),
    );
    this.resolved.onWaitingForDisconnect?.(() => void this.onTargetGone('the target finished'));
    if (this.resolved.waitingForDebugger && !this.resolved.onWaitingForDisconnect) {
      // A child held by an inherited --inspect-brk waits for us to leave when it finishes; its
      // stderr is not ours to read, so Node's own notice says when.
      this._register(
        s.onUntyped(
          'NodeRuntime.waitingForDisconnect',
          () => void this.onTargetGone('the target finished'),
        ),
      );
      await s.sendUntyped('NodeRuntime.notifyWhenWaitingForDisconnect', { enabled: true });
    }
    // vscode-js-debug's CDP proxy (`extension.js-debug.requestCDPProxy`) forwards no event unless
    // the client subscribes (`JsDebug.subscribe`): else no `Runtime.bindingCalled`, no stall. A
    // plain inspector answers "method not found" (ignored). It lives and dies with our socket.
    await s.sendUntyped('JsDebug.subscribe', { events: ['Runtime.bindingCalled'] });
    await this.main.attach();
    // Before a launched target runs: its first workers are seen from their start.
    await this.workers.enable();
    // A launched target waits before Node's own bootstrap has finished (no `require` yet): let
    // it run first; the profiler already samples from its first line.
    if (this.resolved.waitingForDebugger) await s.sendOrThrow('Runtime.runIfWaitingForDebugger');
    const hello = await this.main.install(this.resolved.waitingForDebugger ? 50 : 1);
    const helloAtMs = Date.now(); // Our clock at the target's `hello.t` (when workers exit).
    const pid = this.resolved.pid ?? hello.pid;
    const localPid =
      this.resolved.local && hello.platform === 'linux' && pid === hello.pid ? pid : undefined;
    const command = (localPid && (await commandLineOf(localPid))) || hello.argv.join(' ');
    this.target = { pid, url: this.resolved.wsUrl, nodeVersion: hello.version, command };
    this.logger.info(
      'runtime.attach',
      `attached to pid ${pid} (Node ${hello.version}): ${command}`,
    );
    if (localPid !== undefined) await this.main.useLocalLiveness(localPid, localPid);
    if (localPid !== undefined && this.tuning?.waitingOn !== false) {
      const note = (w: string) => this.warn(w);
      this.blockedOn = this._register(
        new BlockedOnWhat(this.main.liveness, localPid, hello.t, note),
      );
    }
    this.main.begin(hello.t, localPid);
    this.emitter.fire({ type: 'thread', pid, thread: MAIN_THREAD, state: 'recording' });
    this.workers.begin(hello.t, localPid, helloAtMs);
  }

  private onStall(st: Stall): void {
    const onMain = !st.thread || st.thread.id === 0;
    const stall = onMain
      ? (this.blockedOn?.annotateStall(st) ?? st)
      : this.workers.annotateStall(st);
    const b = stall.blame;
    const where = b ? `${b.functionName || '(anonymous)'} at ${b.file}:${b.line}` : 'no line';
    const t = stall.thread && stall.thread.id !== 0 ? ` in worker ${stall.thread.id}` : '';
    this.logger.info(
      'attribution',
      `stall${t} at +${stall.startMs} ms, ${stall.durationMs} ms ${stall.kind}: ${where} (${stall.stack.length} frames)`,
    );
    const pid = this.target.pid;
    const s = this.stalls.push(pid !== undefined ? { pid, ...stall } : stall);
    this.emitter.fire({ type: 'stall', stall: s });
  }

  private onMetrics(m: Metrics): void {
    this.blockedOn?.annotateMetrics(m);
    this.metrics.push(m);
    this.emitter.fire({ type: 'metrics', metrics: m });
  }

  snapshot(): Recording {
    const stalls = [...this.stalls].sort((a, b) => a.startMs - b.startMs);
    return {
      version: 2,
      target: { ...this.target },
      processes: [
        {
          pid: this.target.pid ?? 0,
          ...(this.target.command ? { command: this.target.command } : {}),
          threads: [MAIN_THREAD, ...this.workers.seen],
        },
      ],
      startedAt: this.startedAt.toISOString(),
      durationMs: (this.endedAt ?? Date.now()) - this.startedAt.getTime(),
      thresholdMs: this.thresholdMs,
      mode: this.modeName,
      starvationKnown: this.main.liveness.runQueue !== undefined,
      stalls,
      hotspots: summarizeHotspots(stalls),
      metrics: [...this.metrics],
      ...(this.stalls.dropped ? { droppedStalls: this.stalls.dropped } : {}),
    };
  }

  cpuProfile(): unknown | undefined {
    return this.main.mode.cpuProfile();
  }

  /** The target went away (or finished and waits for us): keep what we have, say so once. */
  private async onTargetGone(reason: string): Promise<void> {
    if (this.exited || this.closingInspector) return;
    this.exited = true;
    this.logger.info('runtime.detach', `target gone: ${reason}`);
    await this.stop();
    const code = this.childExit ? await within(this.childExit, 2000) : undefined;
    this.emitter.fire({ type: 'exit', reason, ...(code !== undefined ? { code } : {}) });
  }

  stop(): Promise<Recording> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  /**
   * No new metrics poll starts; the last stalls are judged (the /proc samples run until then),
   * the target is cleaned (each command bounded), then every part is disposed in one place.
   */
  private async doStop(): Promise<Recording> {
    const s = this.session;
    // Every thread at once: each judges its last stalls, then is cleaned (bounded).
    await Promise.all([
      this.main.detach(CLEANUP_TIMEOUT_MS),
      this.workers.detach(CLEANUP_TIMEOUT_MS),
    ]);
    if (this.resolved.openedInspector && !s.closed) {
      this.closingInspector = !this.keepInspector;
      const r = this.resolved;
      this.detachNote = await leaveInspector(s, r, this.keepInspector, CLEANUP_TIMEOUT_MS);
      this.logger.info('runtime.detach', this.detachNote);
    }
    this.endedAt = Date.now();
    const rec = this.snapshot();
    this.dispose();
    return rec;
  }
}

function exitCodeOf(child: ChildProcess): Promise<number | undefined> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code ?? undefined)));
}
