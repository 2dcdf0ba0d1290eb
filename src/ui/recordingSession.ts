/**
 * Follows `loop-lens` debug sessions and feeds their custom events into the RecordingStore; also
 * remembers the JavaScript debug sessions that "Record the Active JavaScript Debug Session" can
 * pick. Sets the context keys for menus: `loopLens.recording` (a session is attached and
 * recording, whatever the sidebar shows: Stop is offered), `loopLens.hasRecording` (a recording is
 * shown) and `loopLens.sessionInBackground` (a session's recording is kept behind another one).
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import type { RecordingStore } from '../common/recordingStore';
import type {
  ExitBody,
  MetricsBody,
  StallBody,
  StartedBody,
  StoppedBody,
  ThreadBody,
} from '../debug/events';
import { debugType, LoopLensEvent } from '../debug/events';

const jsDebugTypes = new Set([
  'pwa-node',
  'node',
  'pwa-chrome',
  'pwa-msedge',
  'pwa-extensionHost',
  'node-terminal',
]);

export class RecordingSessions extends Disposable {
  private active: vscode.DebugSession | undefined;
  /** The session whose adapter said a stop was asked for (LoopLensEvent.Stopping). */
  private stopping: string | undefined;
  private readonly jsSessions = new Map<string, vscode.DebugSession>();
  private readonly keys = new Map<string, boolean>();
  private readonly started = this._register(new vscode.EventEmitter<vscode.DebugSession>());
  /** Fires when a loop-lens session began recording (its `started` event arrived). */
  readonly onDidStartRecording = this.started.event;

  constructor(private readonly store: RecordingStore) {
    super();
    this._register(vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => this.onCustomEvent(e)));
    this._register(
      vscode.debug.onDidStartDebugSession(
        (s) => jsDebugTypes.has(s.type) && this.jsSessions.set(s.id, s),
      ),
    );
    this._register(vscode.debug.onDidTerminateDebugSession((s) => this.onTerminated(s)));
    this._register(store.onDidChange(() => this.updateContext()));
    this._register(store.onDidChangeSession(() => this.updateContext()));
    this.updateContext();
  }

  /** The loop-lens session that feeds the store, if it is still running. */
  get activeSession(): vscode.DebugSession | undefined {
    return this.active;
  }

  /** The context key values last set, for tests (VS Code has no API to read them back). */
  get contextKeys(): Readonly<Record<string, boolean>> {
    return Object.fromEntries(this.keys);
  }

  /** Running JavaScript debug sessions (vscode-js-debug), children (real targets) first. */
  javascriptSessions(): vscode.DebugSession[] {
    return [...this.jsSessions.values()].sort(
      (a, b) => Number(!!b.parentSession) - Number(!!a.parentSession),
    );
  }

  private onCustomEvent(e: vscode.DebugSessionCustomEvent): void {
    if (e.session.type !== debugType) return;
    if (e.event === LoopLensEvent.Started) {
      this.active = e.session;
      this.store.startLive((e.body as StartedBody).recording);
      this.started.fire(e.session);
      return;
    }
    if (e.session.id !== this.active?.id) return; // an older session still talking
    switch (e.event) {
      case LoopLensEvent.Stall:
        return this.store.append({ type: 'stall', stall: (e.body as StallBody).stall });
      case LoopLensEvent.Metrics:
        return this.store.append({ type: 'metrics', metrics: (e.body as MetricsBody).metrics });
      case LoopLensEvent.Thread: {
        const b = e.body as ThreadBody;
        return this.store.append({ type: 'thread', pid: b.pid, thread: b.thread, state: b.state });
      }
      case LoopLensEvent.Exit: {
        const b = e.body as ExitBody;
        return this.store.append({ type: 'exit', code: b.code, reason: b.reason });
      }
      case LoopLensEvent.Stopping:
        this.stopping = e.session.id;
        return;
      case LoopLensEvent.Stopped:
        return this.store.finishLive((e.body as StoppedBody).recording);
    }
  }

  private onTerminated(s: vscode.DebugSession): void {
    this.jsSessions.delete(s.id);
    if (s.id !== this.active?.id) return;
    this.active = undefined;
    const recording = this.store.sessionRecording;
    if (this.store.running && recording && this.stopping === s.id) {
      // Stopped by the user, but VS Code ended the session before the final recording came (it
      // waits 2 s for a disconnect; a target stalled longer holds the detach, which goes on in
      // the adapter). What was recorded so far is kept, as a stopped recording.
      this.store.finishLive(recording);
    } else if (this.store.running) {
      this.store.append({ type: 'exit', reason: 'recording ended' });
    }
    this.updateContext();
  }

  private updateContext(): void {
    this.setKey('loopLens.recording', this.store.running);
    this.setKey('loopLens.hasRecording', !!this.store.current);
    this.setKey('loopLens.sessionInBackground', this.store.sessionInBackground);
  }

  private setKey(key: string, value: boolean): void {
    if (this.keys.get(key) === value) return;
    this.keys.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }
}
