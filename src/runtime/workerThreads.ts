/**
 * Every worker thread of the target, present and future, through the inspector's `NodeWorker`
 * domain (`enable` with `waitForDebuggerOnStart: false`: a worker never waits for us): each
 * `attachedToWorker` gets a {@link WorkerSession} and its own {@link ThreadRecorder} (the same
 * agent and mode as the main thread, in the worker's isolate). A worker that exits
 * (`detachedFromWorker`) is closed without a command; `detach()` cleans every live worker (its
 * profiler, agent and binding), lets go of its session and disables the domain. A worker of a
 * local Linux target is watched in /proc by its kernel task, so its stalls get `waitingOn`.
 */
import { Disposable } from '../common/disposable';
import type { ILogger } from '../common/logger';
import { within } from '../common/within';
import type { RecordedThread, Stall, StallThread } from '../shared/protocol/runtime';
import { remoteCall, TARGET_REQUIRE } from './agent/remote';
import { threadOfTarget } from './agent/thread';
import type { IInspectorSession } from './inspectorSession';
import type { ThreadRecorder } from './threadRecorder';
import { watchThreadWaits, withWaitingOn } from './waitingOn';
import type { WaitSampler } from './waitingOn/sampler';
import { WorkerSession } from './workerSession';

/** `NodeWorker.attachedToWorker` (Node's own domain, not in devtools-protocol). */
interface AttachedToWorker {
  sessionId: string;
  workerInfo: { workerId: string; type: string; title: string; url: string };
  waitingForDebugger: boolean;
}

/** A worker that is still bootstrapping answers the install after a few tries (100 ms apart). */
const INSTALL_ATTEMPTS = 50;

interface Worker {
  session: WorkerSession;
  recorder: ThreadRecorder;
  /** Settles when the worker's recorder runs (or gave up). */
  attaching: Promise<void>;
  /** The workers this worker started (a worker may start workers of its own). */
  nested?: WorkerThreads;
  /** Looks at the worker's task while its loop may be blocked (local Linux targets). */
  waits?: WaitSampler;
}

/** A worker's thread from its inspector title (`[worker 1] cruncher`: its `name` option). */
export function threadOfWorker(info: { workerId: string; title: string }): StallThread {
  const id = Number(info.workerId);
  const name = /^\[worker \d+\]\s*(.*)$/.exec(info.title)?.[1]?.trim();
  return name ? { id, name } : { id };
}

export class WorkerThreads extends Disposable {
  private readonly workers = new Map<string, Worker>();
  /** The recording's origin: the target's clock (µs) and ours (ms) at the same moment. */
  private start: { t0Us: number; localPid: number | undefined; atWallMs: number } | undefined;
  private readonly started: Promise<void>;
  private markStarted!: () => void;
  private stopped = false;

  constructor(
    private readonly parent: IInspectorSession,
    private readonly makeRecorder: (s: IInspectorSession, t: StallThread) => ThreadRecorder,
    private readonly logger: ILogger,
    private readonly onThread: (t: StallThread, state: 'recording' | 'exited') => void,
    /** Every worker attached during the recording, nested ones and those that exited too. */
    readonly seen: RecordedThread[] = [],
  ) {
    super();
    this.started = new Promise((r) => (this.markStarted = r));
  }

  /** Subscribes and enables the domain: workers already running attach at once. */
  async enable(): Promise<void> {
    const p = this.parent;
    this._register(
      p.onUntyped('NodeWorker.attachedToWorker', (e) => this.onAttached(e as AttachedToWorker)),
    );
    this._register(
      p.onUntyped('NodeWorker.detachedFromWorker', (e) =>
        this.onDetached((e as { sessionId: string }).sessionId),
      ),
    );
    this._register(
      p.onUntyped('NodeWorker.receivedMessageFromWorker', (e) => {
        const m = e as { sessionId: string; message: string };
        this.workers.get(m.sessionId)?.session.deliver(m.message);
      }),
    );
    // The parent's socket closed: every worker session goes with it.
    this._register(p.onClose(() => this.workers.forEach((w) => w.session.dispose())));
    await p.sendUntyped('NodeWorker.enable', { waitForDebuggerOnStart: false });
  }

  /** The recording's origin is known: workers start finding stalls (those waiting, and later ones). */
  begin(t0Us: number, localPid: number | undefined, atWallMs = Date.now()): void {
    this.start = { t0Us, localPid, atWallMs };
    this.markStarted();
  }

  /** The recorders of the workers attached now. */
  get threads(): ThreadRecorder[] {
    return [...this.workers.values()].map((w) => w.recorder);
  }

  private onAttached(e: AttachedToWorker): void {
    if (this.stopped || this.workers.has(e.sessionId)) return;
    const thread = threadOfWorker(e.workerInfo);
    const session = new WorkerSession(
      this.parent,
      e.sessionId,
      `[worker ${thread.id}]`,
      this.logger,
    );
    const recorder = this.makeRecorder(session, thread);
    if (!this.seen.some((t) => t.id === thread.id)) this.seen.push(thread);
    const w: Worker = { session, recorder, attaching: Promise.resolve() };
    this.workers.set(e.sessionId, w);
    w.attaching = this.run(w).catch((err: unknown) => {
      if (session.closed || this.stopped) return;
      this.logger.warn('runtime.attach', `${recorder.label()}: ${(err as Error).message}`);
    });
  }

  private async run(w: Worker): Promise<void> {
    const r = w.recorder;
    await r.attach();
    // A worker of a target launched with --inspect-brk inherits the flag and waits for this,
    // whatever `waitingForDebugger` says; any other worker ignores it.
    await w.session.send('Runtime.runIfWaitingForDebugger');
    await this.started;
    if (this.stopped || w.session.closed || !this.start) return;
    await r.install(INSTALL_ATTEMPTS);
    const { t0Us, localPid } = this.start;
    if (localPid !== undefined) {
      const tid = await this.taskOf(w.session, localPid);
      if (tid !== undefined) {
        await r.useLocalLiveness(localPid, tid);
        // (Why a syscall file cannot be read is said once, for the main thread.)
        const note = (m: string) => this.logger.trace('runtime', `${r.label()}: ${m}`);
        if (!w.session.closed) w.waits = watchThreadWaits(r.liveness, localPid, tid, note);
      }
    }
    if (this.stopped || w.session.closed) return;
    r.begin(t0Us, undefined);
    this.logger.info('runtime.attach', `attached to ${r.label()} (${w.session.sessionId})`);
    this.onThread(r.thread, 'recording');
    // The worker's own workers, the same way one level down (its session has the domain too).
    const nested = new WorkerThreads(
      w.session,
      this.makeRecorder,
      this.logger,
      this.onThread,
      this.seen,
    );
    w.nested = nested;
    await nested.enable();
    nested.begin(t0Us, localPid, this.start.atWallMs);
  }

  /**
   * A worker's stall (this level or a nested one) with what its thread did during it; a stall
   * of a thread not watched in /proc as it was.
   */
  annotateStall(stall: Stall): Stall {
    const id = stall.thread?.id;
    for (const w of this.workers.values()) {
      if (w.recorder.thread.id === id && w.waits && this.start) {
        return withWaitingOn(w.waits, this.start.t0Us, stall);
      }
      const inner = w.nested?.annotateStall(stall);
      if (inner && inner !== stall) return inner;
    }
    return stall;
  }

  /** The worker's kernel task id, when it runs in the local process `pid`. */
  private async taskOf(s: IInspectorSession, pid: number): Promise<number | undefined> {
    const r = await s.send('Runtime.evaluate', {
      expression: remoteCall(threadOfTarget, TARGET_REQUIRE),
      includeCommandLineAPI: true,
      returnByValue: true,
    });
    try {
      const v = JSON.parse(String(r?.result?.value)) as { tid: number; pid: number };
      return v.pid === pid && v.tid > 0 ? v.tid : undefined;
    } catch {
      return undefined;
    }
  }

  /** The worker exited: its session is gone, nothing to send. */
  private onDetached(sessionId: string): void {
    const w = this.workers.get(sessionId);
    if (!w) return;
    this.workers.delete(sessionId);
    this.logger.info('runtime.detach', `${w.recorder.label()} exited`);
    w.nested?.dispose();
    w.waits?.dispose();
    w.session.dispose();
    w.recorder.dispose();
    // A new entry (the thread object itself is every stall's `thread`).
    const i = this.seen.findIndex((t) => t.id === w.recorder.thread.id);
    if (i >= 0 && this.start) {
      const exitedAtMs = Math.round((Date.now() - this.start.atWallMs) * 10) / 10;
      this.seen[i] = { ...this.seen[i], exitedAtMs };
    }
    this.onThread(w.recorder.thread, 'exited');
  }

  /** Cleans every live worker (bounded), lets go of it and disables the domain. */
  async detach(timeoutMs: number): Promise<void> {
    this.stopped = true;
    this.markStarted();
    const live = [...this.workers.values()];
    await within(Promise.all(live.map((w) => w.attaching)), timeoutMs);
    await Promise.all(
      live.map(async (w) => {
        // Innermost first: a nested worker's session goes through this one's.
        await w.nested?.detach(timeoutMs);
        await w.recorder.detach(timeoutMs);
        if (!this.parent.closed) {
          await within(
            this.parent.sendUntyped('NodeWorker.detach', { sessionId: w.session.sessionId }),
            timeoutMs,
          );
        }
      }),
    );
    if (!this.parent.closed) await within(this.parent.sendUntyped('NodeWorker.disable'), timeoutMs);
  }

  dispose(): void {
    for (const w of this.workers.values()) {
      w.nested?.dispose();
      w.waits?.dispose();
      w.session.dispose();
      w.recorder.dispose();
    }
    this.workers.clear();
    super.dispose();
  }
}
