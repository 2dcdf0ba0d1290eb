import { EventEmitter } from './events';
import type { Event } from './events';
import type { Recording, RuntimeEvent } from '../shared/protocol/runtime';
import type { RecordingOrigin } from '../shared/protocol/webview';

/** A change in the recording the UI shows: a full replacement or one live event appended. */
export type RecordingChange =
  | { type: 'reset'; recording: Recording | undefined; live: boolean }
  | { type: 'event'; event: RuntimeEvent };

/**
 * The one recording the VS Code UI shows (live or opened from a file) and where it came from, so
 * every reader can tell "attached and recording" from "stopped" from "opened from a file". The
 * runtime UI (commands, debug adapter) writes it; the sidebar, stall tree, decorations and status
 * bar read it. No `vscode` import, so it is unit-testable.
 */
export class RecordingStore {
  private readonly emitter = new EventEmitter<RecordingChange>();
  private recording: Recording | undefined;
  private isLive = false;
  private from: RecordingOrigin | undefined;
  private ended: string | undefined;

  readonly onDidChange: Event<RecordingChange> = this.emitter.event;

  get current(): Recording | undefined {
    return this.recording;
  }

  /** True while a session is attached and recording into `current`. */
  get live(): boolean {
    return this.isLive;
  }

  /** Where `current` came from; undefined when there is none. */
  get origin(): RecordingOrigin | undefined {
    return this.from;
  }

  /** Why the session's live recording ended by itself (the target exited), if it did. */
  get endReason(): string | undefined {
    return this.ended;
  }

  /** A session began recording live into `recording`. */
  startLive(recording: Recording): void {
    this.set(recording, { kind: 'session' }, true, undefined);
  }

  /**
   * The live session stopped and sent its final copy of the recording. An exit reason that came
   * before (the target exited, then the adapter detached) is kept: it says why it ended.
   */
  finishLive(recording: Recording): void {
    const reason = this.from?.kind === 'session' ? this.ended : undefined;
    this.set(recording, { kind: 'session' }, false, reason);
  }

  /** Shows a recording read from the file `fileName` (a base name); never live. */
  openFile(recording: Recording, fileName: string): void {
    this.set(recording, { kind: 'file', fileName }, false, undefined);
  }

  /** Shows nothing. */
  clear(): void {
    this.set(undefined, undefined, false, undefined);
  }

  /**
   * Appends a live event to the current recording and tells the readers. Ignored unless live: a
   * session's late event must not land in a recording opened from a file meanwhile.
   */
  append(event: RuntimeEvent): void {
    const r = this.recording;
    if (!r || !this.isLive) return;
    if (event.type === 'stall') r.stalls.push(event.stall);
    else if (event.type === 'metrics') r.metrics.push(event.metrics);
    else if (event.type === 'exit') {
      this.isLive = false;
      this.ended = event.reason;
    }
    this.emitter.fire({ type: 'event', event });
  }

  private set(
    recording: Recording | undefined,
    origin: RecordingOrigin | undefined,
    live: boolean,
    endReason: string | undefined,
  ): void {
    this.recording = recording;
    this.from = recording && origin;
    this.isLive = live && recording !== undefined;
    this.ended = recording && endReason;
    this.emitter.fire({ type: 'reset', recording, live: this.isLive });
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
