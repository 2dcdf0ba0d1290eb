/**
 * The message protocol between the extension host (`src/ui/stallsViewProvider.ts`) and the
 * "Event Loop" sidebar webview (`media/src`). Both sides switch on `type`; a `default:` branch
 * is a `never` check so a new message cannot be forgotten. Plain data only, no side effects.
 *
 * Flow: the webview posts `Ready` once its script runs; the host answers with `Hydrate` (a full
 * snapshot), then streams deltas (`Stall`, `Metrics`, `Thread`, `Ended`, `Error`) while the view is
 * visible.
 * When the view is shown again the host hydrates again, so deltas missed while hidden never matter.
 */
import type { Metrics, Recording, Stall, StallThread, TargetInfo } from './runtime';

/** Every message type; host→webview types are prefixed `webview/`. */
export const enum MessageType {
  /** webview → host: the script is running and listening. */
  Ready = 'ready',
  /** webview → host: open `file` at 1-based `line`. */
  OpenLocation = 'openLocation',
  /** webview → host: run one of the few commands the empty state offers. */
  RunCommand = 'runCommand',
  /** host → webview: replace everything with this recording (or none). */
  Hydrate = 'webview/hydrate',
  /** host → webview: one live stall. */
  Stall = 'webview/stall',
  /** host → webview: one live metrics sample. */
  Metrics = 'webview/metrics',
  /** host → webview: a thread (or a process's main thread) began to be recorded, or exited. */
  Thread = 'webview/thread',
  /** host → webview: the live target exited or the recording stopped. */
  Ended = 'webview/ended',
  /** host → webview: the live session reported an error. */
  Error = 'webview/error',
}

/** Commands the webview may ask for (the host maps them to real command ids). */
export type WebviewCommand = 'attach' | 'launch' | 'openRecording' | 'showSession';

export interface ReadyMessage {
  type: MessageType.Ready;
}

export interface OpenLocationMessage {
  type: MessageType.OpenLocation;
  /** Absolute path or URL, as in the recording. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based; optional. */
  column?: number;
}

export interface RunCommandMessage {
  type: MessageType.RunCommand;
  command: WebviewCommand;
}

/**
 * Where the shown recording came from, as the host's RecordingStore knows it: recorded by a
 * session in this window (live, or stopped/ended since), or opened from a saved file.
 */
export type RecordingOrigin = { kind: 'session' } | { kind: 'file'; fileName: string };

/** A full snapshot: sent after `Ready`, on every store reset and whenever the view is re-shown. */
export interface HydrateMessage {
  type: MessageType.Hydrate;
  recording: Recording | undefined;
  /** True while a session is still recording into it. */
  live: boolean;
  /** Where `recording` came from (undefined with no recording). */
  origin: RecordingOrigin | undefined;
  /** Why a session's live recording ended by itself (the target exited), if it did. */
  endReason?: string;
  /** A session's recording that is NOT the one shown; absent when there is none. */
  background?: BackgroundSession;
  /** Lanes (`pid:threadId`, threadLanes.ts `laneKey`) of the shown session whose thread exited. */
  exitedLanes?: string[];
}

/**
 * A session whose recording is behind the one shown (a file was opened, or the view cleared,
 * over it): whether it still records, and its target.
 */
export interface BackgroundSession {
  running: boolean;
  target: TargetInfo | undefined;
}

export interface StallMessage {
  type: MessageType.Stall;
  stall: Stall;
}

export interface MetricsMessage {
  type: MessageType.Metrics;
  metrics: Metrics;
}

/** A live thread event: its lane appears when it is recorded and is marked when it exits. */
export interface ThreadMessage {
  type: MessageType.Thread;
  /** The process (a recording of several processes); absent: the target's. */
  pid?: number;
  thread: StallThread;
  state: 'recording' | 'exited';
}

export interface EndedMessage {
  type: MessageType.Ended;
  reason: string;
  code?: number;
}

export interface ErrorMessage {
  type: MessageType.Error;
  message: string;
}

/** Everything the host posts to the webview. */
export type ToWebviewMessage =
  HydrateMessage | StallMessage | MetricsMessage | ThreadMessage | EndedMessage | ErrorMessage;

/** Everything the webview posts to the host. */
export type FromWebviewMessage = ReadyMessage | OpenLocationMessage | RunCommandMessage;

/** Frames of each stall's stack kept when posting to the webview (it shows only the top ones). */
export const WEBVIEW_STACK_DEPTH = 8;
