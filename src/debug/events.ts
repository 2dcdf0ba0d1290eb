/**
 * Custom DAP events the `loop-lens` debug adapter sends besides the standard ones. The VS Code
 * layer (`ui/runtimeUi.ts`) receives them through `onDidReceiveDebugSessionCustomEvent` and feeds
 * the RecordingStore; any other DAP client may ignore them. No `vscode` import.
 */
import type { Metrics, Recording, Stall, StallThread } from '../shared/protocol/runtime';

/** The debug type contributed in package.json. */
export const debugType = 'loop-lens';

/** Names of the custom events (the DAP `event` field). */
export const enum LoopLensEvent {
  /** Recording began; body: {@link StartedBody} (the empty recording with its target). */
  Started = 'loopLens.started',
  /** A stall was detected; body: {@link StallBody}. */
  Stall = 'loopLens.stall',
  /** Once a second; body: {@link MetricsBody}. */
  Metrics = 'loopLens.metrics',
  /** A thread (or a process's main thread) is recorded from now on, or exited; body: {@link ThreadBody}. */
  Thread = 'loopLens.thread',
  /** The target exited or the connection closed; body: {@link ExitBody}. */
  Exit = 'loopLens.exit',
  /**
   * The client asked to stop (disconnect or terminate), sent at once, before the detach: VS Code
   * ends a session whose adapter has not answered a disconnect within 2 s, which a target stalled
   * for longer makes happen; the UI then knows the session was stopped, not ended. No body.
   */
  Stopping = 'loopLens.stopping',
  /** Recording stopped (detached); body: {@link StoppedBody} with the final recording. */
  Stopped = 'loopLens.stopped',
}

export interface StartedBody {
  recording: Recording;
}
export interface StallBody {
  stall: Stall;
}
export interface MetricsBody {
  metrics: Metrics;
}
export interface ThreadBody {
  pid?: number;
  thread: StallThread;
  state: 'recording' | 'exited';
}
export interface ExitBody {
  code?: number;
  reason: string;
}
export interface StoppedBody {
  recording: Recording;
}
