/**
 * One recording of several processes: the targets the user named (`record --pid A --pid B`)
 * and the Node child processes of a launched target, each its own {@link IRecordingSession}.
 * Their events are one stream (stall times moved to this recording's origin), the snapshot has
 * every process in `processes[]` and every stall with its pid; `stop()` stops them all. The
 * recording ends (`exit`) when every target the user named has ended; children go with them.
 */
import { EventEmitter } from '../common/events';
import type { RecordedThread, Recording, RuntimeEvent, Stall } from '../shared/protocol/runtime';
import type { IRecordingSession } from './api';
import { summarizeHotspots } from './hotspots';

const MAIN_THREAD = { id: 0, name: 'main' };

type Session = IRecordingSession & { readonly warnings: readonly string[] };

interface Part {
  session: Session;
  /** The session's origin after this recording's, in ms. */
  offsetMs: number;
  /** Named by the user (not a child found under a launched one). */
  primary: boolean;
  parentPid?: number;
  ended: boolean;
  /** When its process exited, in this recording's ms. */
  exitedAtMs?: number;
}

export class MultiRecording implements IRecordingSession {
  private readonly emitter = new EventEmitter<RuntimeEvent>();
  readonly onEvent = this.emitter.event;
  private readonly parts: Part[] = [];
  private readonly startedAt = Date.now();
  private stopping: Promise<Recording> | undefined;
  private exited = false;
  private readonly onStop: Array<() => void> = [];

  get target(): Recording['target'] {
    return this.parts[0]!.session.target;
  }

  get warnings(): string[] {
    return [...new Set(this.parts.flatMap((p) => p.session.warnings))];
  }

  get detachNote(): string | undefined {
    const notes = this.parts.flatMap((p) => (p.session.detachNote ? [p.session.detachNote] : []));
    return notes.length > 0 ? notes.join('; ') : undefined;
  }

  /** Something to end with the recording (the child watcher). */
  whenStopped(f: () => void): void {
    this.onStop.push(f);
  }

  /** Adds a process's recording; its events join the stream. */
  add(session: Session, opts: { primary: boolean; parentPid?: number }): void {
    if (this.stopping) {
      void session.stop();
      return;
    }
    const offsetMs = Date.parse(session.snapshot().startedAt) - this.startedAt;
    const part: Part = { session, offsetMs, ...opts, ended: false };
    session.onEvent((e) => this.onPartEvent(part, e));
    this.parts.push(part);
    if (!opts.primary) {
      const pid = session.target.pid;
      this.emitter.fire({
        type: 'thread',
        pid,
        thread: MAIN_THREAD,
        state: 'recording',
      });
    }
  }

  private onPartEvent(part: Part, e: RuntimeEvent): void {
    if (e.type === 'stall') {
      this.emitter.fire({ type: 'stall', stall: this.moved(part, e.stall) });
    } else if (e.type === 'metrics' && part !== this.parts[0]) {
      // `metrics` is the first process's main thread, as in a single recording; the others
      // are another process's main thread (for the fleet exports).
      const pid = part.session.target.pid;
      this.emitter.fire({ type: 'threadMetrics', pid, thread: MAIN_THREAD, metrics: e.metrics });
    } else if (e.type === 'exit') {
      part.ended = true;
      part.exitedAtMs ??= Date.now() - this.startedAt;
      const pid = part.session.target.pid;
      this.emitter.fire({ type: 'thread', pid, thread: MAIN_THREAD, state: 'exited' });
      if (!this.exited && this.parts.every((p) => !p.primary || p.ended)) {
        this.exited = true;
        void this.stop().then(() => this.emitter.fire(e));
      }
    } else this.emitter.fire(e);
  }

  private moved(part: Part, s: Stall): Stall {
    const pid = s.pid ?? part.session.target.pid;
    const startMs = Math.round((s.startMs + part.offsetMs) * 10) / 10;
    return { ...s, startMs, ...(pid !== undefined ? { pid } : {}) };
  }

  /** A thread's exit on this recording's time axis; the main thread's is its process's exit. */
  private movedThread(part: Part, t: RecordedThread): RecordedThread {
    const at = t.id === 0 ? part.exitedAtMs : t.exitedAtMs && t.exitedAtMs + part.offsetMs;
    return at === undefined ? t : { ...t, exitedAtMs: Math.round(at * 10) / 10 };
  }

  snapshot(): Recording {
    const first = this.parts[0]!.session.snapshot();
    const all = this.parts.map((p) => ({
      p,
      rec: p === this.parts[0] ? first : p.session.snapshot(),
    }));
    const stalls = all
      .flatMap(({ p, rec }) => rec.stalls.map((s) => this.moved(p, s)))
      .sort((a, b) => a.startMs - b.startMs);
    const end = Math.max(...all.map(({ p, rec }) => p.offsetMs + rec.durationMs));
    return {
      ...first,
      startedAt: new Date(this.startedAt).toISOString(),
      durationMs: Math.max(0, Math.round(end)),
      processes: all.flatMap(({ p, rec }) =>
        (rec.processes ?? []).map((x) => ({
          ...x,
          threads: x.threads.map((t) => this.movedThread(p, t)),
          ...(p.parentPid ? { parentPid: p.parentPid } : {}),
        })),
      ),
      starvationKnown: all.every(({ rec }) => rec.starvationKnown === true),
      stalls,
      hotspots: summarizeHotspots(stalls),
    };
  }

  cpuProfile(): unknown | undefined {
    return this.parts[0]?.session.cpuProfile();
  }

  stop(): Promise<Recording> {
    this.stopping ??= (async () => {
      this.onStop.forEach((f) => f());
      await Promise.all(this.parts.map((p) => p.session.stop().catch(() => undefined)));
      // (Subscriptions stay: a part's `exit` comes after its stop, and ends this recording.)
      return this.snapshot();
    })();
    return this.stopping;
  }
}
