import { EventEmitter } from './events';
import type { Event } from './events';
import type { Recording, RuntimeEvent } from '../shared/protocol/runtime';
import { laneKey, withThread } from '../shared/protocol/threadLanes';
import type { RecordingOrigin } from '../shared/protocol/webview';

/** A change in the recording the UI shows: a full replacement or one live event appended. */
export type RecordingChange =
  | { type: 'reset'; recording: Recording | undefined; live: boolean }
  | { type: 'event'; event: RuntimeEvent };

/**
 * The one recording the VS Code UI shows (live or opened from a file) and where it came from, so
 * every reader can tell "attached and recording" from "stopped" from "opened from a file".
 *
 * It also keeps the last recording SESSION apart from what is shown: opening a file (or clearing)
 * while a session records does not stop it; its events keep landing in the session's recording in
 * the background, `running` stays true (so Stop stays offered), and `showSession()` brings it
 * back. A stop the user asked for shows the stopped session's recording; a session whose target
 * exited while a file was shown stays in the background. The runtime UI (commands, debug adapter)
 * writes it; the sidebar, stall tree, decorations, status bar and context keys read it. No
 * `vscode` import, so it is unit-testable.
 */
export class RecordingStore {
  private readonly emitter = new EventEmitter<RecordingChange>();
  private readonly sessionEmitter = new EventEmitter<void>();
  private shown: Recording | undefined;
  private fileName: string | undefined;
  private session: Recording | undefined;
  private isRunning = false;
  private sessionEnded: string | undefined;
  /** Lanes (`pid:threadId`) of the session whose thread exited while it recorded. */
  private exited = new Set<string>();

  /** The shown recording changed (reset) or the shown live recording got an event. */
  readonly onDidChange: Event<RecordingChange> = this.emitter.event;
  /** `running` or `sessionInBackground` may have changed. */
  readonly onDidChangeSession: Event<void> = this.sessionEmitter.event;

  /** The recording the UI shows. */
  get current(): Recording | undefined {
    return this.shown;
  }

  /** True while a session is attached and recording into `current` (the shown recording). */
  get live(): boolean {
    return this.isRunning && this.showsSession;
  }

  /** True while a session is attached and recording, whatever the UI shows. */
  get running(): boolean {
    return this.isRunning;
  }

  /** The last session's recording (running or not), whether shown or not. */
  get sessionRecording(): Recording | undefined {
    return this.session;
  }

  /** True when there is a session recording that is not the one shown. */
  get sessionInBackground(): boolean {
    return this.session !== undefined && !this.showsSession;
  }

  /** Where `current` came from; undefined when there is none. */
  get origin(): RecordingOrigin | undefined {
    if (!this.shown) return undefined;
    return this.showsSession ? { kind: 'session' } : { kind: 'file', fileName: this.fileName! };
  }

  /** Why the shown session's live recording ended by itself (the target exited), if it did. */
  get endReason(): string | undefined {
    return this.showsSession ? this.sessionEnded : undefined;
  }

  /** Lanes of the shown session whose thread (or process) exited while it recorded. */
  get exitedLanes(): string[] {
    return this.showsSession ? [...this.exited] : [];
  }

  private get showsSession(): boolean {
    return this.shown !== undefined && this.shown === this.session;
  }

  /** A session began recording live into `recording`; it is shown. */
  startLive(recording: Recording): void {
    this.session = recording;
    this.isRunning = true;
    this.sessionEnded = undefined;
    this.exited = new Set();
    this.show(recording, undefined);
    this.sessionEmitter.fire();
  }

  /**
   * The live session stopped and sent its final copy of the recording. An exit reason that came
   * before (the target exited, then the adapter detached) is kept: it says why it ended. Shown
   * when the session was shown, or when it was still running (the user stopped it: they want to
   * see what it recorded); a session that ended by itself behind a file stays in the background.
   */
  finishLive(recording: Recording): void {
    const reveal = this.showsSession || this.isRunning;
    this.session = recording;
    this.isRunning = false;
    if (reveal) this.show(recording, undefined);
    this.sessionEmitter.fire();
  }

  /** Shows a recording read from the file `fileName` (a base name); a running session goes on. */
  openFile(recording: Recording, fileName: string): void {
    this.show(recording, fileName);
    this.sessionEmitter.fire();
  }

  /** Shows the session's recording again (live if it still runs); false when there is none. */
  showSession(): boolean {
    if (!this.session) return false;
    if (!this.showsSession) {
      this.show(this.session, undefined);
      this.sessionEmitter.fire();
    }
    return true;
  }

  /** Shows nothing; a running session goes on in the background. */
  clear(): void {
    this.show(undefined, undefined);
    this.sessionEmitter.fire();
  }

  /**
   * Appends an event of the running session to its recording. Readers hear of it only when that
   * recording is the one shown: a late event must not land in a recording opened from a file.
   */
  append(event: RuntimeEvent): void {
    const r = this.session;
    if (!r || !this.isRunning) return;
    if (event.type === 'stall') r.stalls.push(event.stall);
    else if (event.type === 'metrics') r.metrics.push(event.metrics);
    else if (event.type === 'thread') {
      // Its lane shows from now on, whether or not it stalls; an exit is marked on it.
      const pid = event.pid ?? r.target.pid;
      if (pid !== undefined) r.processes = [...withThread(r.processes, pid, event.thread)];
      const key = laneKey({ pid, thread: event.thread });
      if (event.state === 'exited') this.exited.add(key);
      else this.exited.delete(key);
    } else if (event.type === 'exit') {
      this.isRunning = false;
      this.sessionEnded = event.reason;
    }
    if (this.showsSession) this.emitter.fire({ type: 'event', event });
    if (event.type === 'exit') this.sessionEmitter.fire();
  }

  private show(recording: Recording | undefined, fileName: string | undefined): void {
    this.shown = recording;
    this.fileName = fileName;
    this.emitter.fire({ type: 'reset', recording, live: this.live });
  }

  dispose(): void {
    this.emitter.dispose();
    this.sessionEmitter.dispose();
  }
}
