/**
 * The `loop-lens` debug adapter: translates DAP launch/attach/disconnect into a recording of the
 * runtime engine. Starting records; stopping detaches and leaves an attached process running.
 * Each stall goes to the Debug Console with a clickable source location, and custom events
 * (`events.ts`) carry the live data to the VS Code UI. No `vscode` import (CONTRIBUTING.md, Architecture).
 */
import {
  Event,
  InitializedEvent,
  LoggingDebugSession,
  OutputEvent,
  ProgressEndEvent,
  ProgressStartEvent,
  Source,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';
import type { IDisposable } from '../common/disposable';
import type { ILogger } from '../common/logger';
import { LineLogger, nullLogger, teeLogger } from '../common/logger';
import type { IRecordingSession, RecordOptions } from '../runtime/api';
import type { RuntimeEvent, Stall } from '../shared/protocol/runtime';
import type { AttachArgs, LaunchArgs } from './configuration';
import {
  formatStall,
  isLoopback,
  mapStall,
  remoteWarning,
  targetHost,
  toRecordOptions,
} from './configuration';
import { LoopLensEvent } from './events';

/** Starts a recording; aborting `signal` cancels a connect that is still under way. */
export type RecorderFactory = (
  opts: RecordOptions,
  signal: AbortSignal,
) => Promise<IRecordingSession>;

type Args = (AttachArgs & LaunchArgs) & DebugProtocol.LaunchRequestArguments;

const threadId = 1;

export class StallDebugSession extends LoggingDebugSession {
  private recording: IRecordingSession | undefined;
  private subscription: IDisposable | undefined;
  private request: 'attach' | 'launch' = 'attach';
  private roots: { localRoot?: string; remoteRoot?: string } = {};
  private progressSupported = false;
  private readonly pending = new Map<string, AbortController>();
  private progressSeq = 0;
  private stopped = false;
  /** The client let go of this adapter (VS Code: the session ended); nothing is sent after. */
  private disposed = false;

  /**
   * `hostLogger`: where the engine's log goes besides (VS Code: the "Loop Lens" channel); a
   * configuration with `trace: true` also gets it in the Debug Console.
   */
  constructor(
    private readonly startRecording: RecorderFactory,
    private readonly hostLogger: ILogger = nullLogger,
  ) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    this.progressSupported = args.supportsProgressReporting === true;
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
      supportsCancelRequest: true,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override attachRequest(response: DebugProtocol.AttachResponse, args: Args): void {
    void this.begin('attach', response, args);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: Args): void {
    void this.begin('launch', response, args);
  }

  private async begin(kind: 'attach' | 'launch', response: DebugProtocol.Response, args: Args) {
    this.request = kind;
    let opts: RecordOptions;
    try {
      // The launched program's output goes to the Debug Console (the adapter may run inline in
      // the extension host, whose own stdout nobody sees).
      opts = { ...toRecordOptions(kind, args), onOutput: (cat, text) => this.print(cat, text) };
      const console = args.trace
        ? new LineLogger((l) => this.print('console', `${l}\n`))
        : undefined;
      opts.logger = teeLogger(this.hostLogger, console);
    } catch (e) {
      return this.sendErrorResponse(response, 3001, `Loop Lens ${kind}: ${errorText(e)}`);
    }
    this.roots = { localRoot: args.localRoot, remoteRoot: args.remoteRoot };
    const host = targetHost(opts.target);
    if (host && !isLoopback(host)) this.print('important', `Warning: ${remoteWarning(host)}\n`);
    const progressId = `loopLens.connect.${++this.progressSeq}`;
    const abort = new AbortController();
    this.pending.set(progressId, abort);
    if (this.progressSupported) {
      this.sendEvent(withCancel(new ProgressStartEvent(progressId, connectTitle(kind, opts))));
    }
    try {
      const session = await this.startRecording(opts, abort.signal);
      if (abort.signal.aborted || this.stopped) {
        await session.stop().catch(() => undefined);
        return this.sendErrorResponse(response, 3003, `Loop Lens ${kind}: cancelled`);
      }
      this.recording = session;
      this.subscription = session.onEvent((e) => this.onRuntimeEvent(e));
      this.print('console', startedText(session));
      this.custom(LoopLensEvent.Started, { recording: session.snapshot() });
      this.sendResponse(response);
    } catch (e) {
      const why = abort.signal.aborted ? 'cancelled' : errorText(e);
      this.sendErrorResponse(response, 3002, `Loop Lens ${kind}: ${why}`);
    } finally {
      this.pending.delete(progressId);
      if (this.progressSupported) this.sendEvent(new ProgressEndEvent(progressId));
    }
  }

  private onRuntimeEvent(e: RuntimeEvent): void {
    switch (e.type) {
      case 'stall':
        return this.onStall(mapStall(e.stall, this.roots.localRoot, this.roots.remoteRoot));
      case 'metrics':
        return this.custom(LoopLensEvent.Metrics, { metrics: e.metrics });
      case 'threadMetrics':
        return; // For the fleet exports; the editor shows the main thread's.
      case 'exit':
        this.print('console', `Target exited: ${e.reason}\n`);
        this.custom(LoopLensEvent.Exit, { code: e.code, reason: e.reason });
        return this.sendEvent(new TerminatedEvent());
      case 'error':
        return this.print('stderr', `Loop Lens: ${e.message}\n`);
      case 'thread':
        return this.custom(LoopLensEvent.Thread, { pid: e.pid, thread: e.thread, state: e.state });
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  private onStall(stall: Stall): void {
    const out = new OutputEvent(formatStall(stall) + '\n', 'console') as DebugProtocol.OutputEvent;
    if (stall.blame && path.isAbsolute(stall.blame.file)) {
      out.body.source = new Source(path.basename(stall.blame.file), stall.blame.file);
      out.body.line = this.convertDebuggerLineToClient(stall.blame.line);
      out.body.column = this.convertDebuggerColumnToClient(stall.blame.column || 1);
    }
    this.sendEvent(out);
    this.custom(LoopLensEvent.Stall, { stall });
  }

  protected override configurationDoneRequest(
    response: DebugProtocol.ConfigurationDoneResponse,
  ): void {
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(threadId, 'Event loop (recording)')] };
    this.sendResponse(response);
  }

  protected override cancelRequest(
    response: DebugProtocol.CancelResponse,
    args: DebugProtocol.CancelArguments,
  ): void {
    if (args.progressId) this.pending.get(args.progressId)?.abort();
    this.sendResponse(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    void this.finish(this.request === 'launch').then(() => {
      this.sendResponse(response);
      this.sendEvent(new TerminatedEvent());
    });
  }

  protected override disconnectRequest(
    response: DebugProtocol.DisconnectResponse,
    args: DebugProtocol.DisconnectArguments,
  ): void {
    // Attached processes are never ended; a launched one only when the client asks for it.
    const kill = this.request === 'launch' && args?.terminateDebuggee === true;
    void this.finish(kill).then(() => this.sendResponse(response));
  }

  /**
   * The client is done with this adapter: VS Code ends a session whose adapter has not answered a
   * disconnect within 2 s (a target in a longer stall holds the detach). A detach under way goes
   * on and still leaves the target clean; one never asked for (the window closed) starts now.
   */
  override dispose(): void {
    this.disposed = true;
    void this.finish(false);
    super.dispose();
  }

  override sendEvent(event: DebugProtocol.Event): void {
    if (!this.disposed) super.sendEvent(event);
  }

  override sendResponse(response: DebugProtocol.Response): void {
    if (!this.disposed) super.sendResponse(response);
  }

  /** Stops the recording once, reports the final recording, optionally ends a launched target. */
  private async finish(killLaunched: boolean): Promise<void> {
    this.stopped = true;
    for (const a of this.pending.values()) a.abort();
    const session = this.recording;
    this.recording = undefined;
    if (!session) return;
    this.custom(LoopLensEvent.Stopping, {});
    this.subscription?.dispose();
    try {
      const final = await session.stop();
      this.print('console', `Recording stopped: ${final.stalls.length} stalls.\n`);
      if (session.detachNote) this.print('console', `Loop Lens: ${session.detachNote}.\n`);
      const stalls = final.stalls.map((s) =>
        mapStall(s, this.roots.localRoot, this.roots.remoteRoot),
      );
      this.custom(LoopLensEvent.Stopped, { recording: { ...final, stalls } });
    } catch (e) {
      this.print('stderr', `Loop Lens: stopping failed: ${errorText(e)}\n`);
    }
    const pid = session.target.pid;
    if (killLaunched && pid) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }

  private print(category: string, text: string): void {
    this.sendEvent(new OutputEvent(text, category));
  }

  private custom(name: LoopLensEvent, body: unknown): void {
    this.sendEvent(new Event(name, body));
  }
}

function withCancel(e: ProgressStartEvent): ProgressStartEvent {
  (e as DebugProtocol.ProgressStartEvent).body.cancellable = true;
  return e;
}

function connectTitle(kind: 'attach' | 'launch', opts: RecordOptions): string {
  const t = opts.target;
  const what =
    t.kind === 'pid'
      ? `process ${t.pid}`
      : t.kind === 'port'
        ? `${t.host ?? '127.0.0.1'}:${t.port}`
        : t.kind === 'ws'
          ? t.url
          : [t.command, ...t.args].join(' ');
  return kind === 'attach' ? `Loop Lens: attaching to ${what}` : `Loop Lens: launching ${what}`;
}

function startedText(s: IRecordingSession): string {
  const pid = s.target.pid ? ` (pid ${s.target.pid})` : '';
  const node = s.target.nodeVersion ? `, Node ${s.target.nodeVersion}` : '';
  return `Loop Lens is recording ${s.target.url}${pid}${node}. Stalls appear here as they happen.\n`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
