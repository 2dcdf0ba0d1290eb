import { EventEmitter } from './events';
import type { Event } from './events';
import type { Recording, RuntimeEvent } from '../shared/protocol/runtime';

/** A change in the recording the UI shows: a full replacement or one live event appended. */
export type RecordingChange =
  | { type: 'reset'; recording: Recording | undefined; live: boolean }
  | { type: 'event'; event: RuntimeEvent };

/**
 * The one recording the VS Code UI shows (live or opened from a file). The runtime UI (commands,
 * debug adapter) writes it; the sidebar, stall tree, decorations and status bar read it.
 * No `vscode` import, so it is unit-testable.
 */
export class RecordingStore {
  private readonly emitter = new EventEmitter<RecordingChange>();
  private recording: Recording | undefined;
  private isLive = false;

  readonly onDidChange: Event<RecordingChange> = this.emitter.event;

  get current(): Recording | undefined {
    return this.recording;
  }

  get live(): boolean {
    return this.isLive;
  }

  /** Shows a recording (a new live one, or one opened from a file); `undefined` clears. */
  reset(recording: Recording | undefined, live: boolean): void {
    this.recording = recording;
    this.isLive = live && recording !== undefined;
    this.emitter.fire({ type: 'reset', recording, live: this.isLive });
  }

  /** Appends a live event to the current recording and tells the readers. */
  append(event: RuntimeEvent): void {
    const r = this.recording;
    if (!r) return;
    if (event.type === 'stall') r.stalls.push(event.stall);
    else if (event.type === 'metrics') r.metrics.push(event.metrics);
    else if (event.type === 'exit') this.isLive = false;
    this.emitter.fire({ type: 'event', event });
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
