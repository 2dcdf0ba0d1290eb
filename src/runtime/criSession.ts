/**
 * {@link IInspectorSession} over chrome-remote-interface: the only file that imports it. The
 * library frames messages and matches reply ids; this adds typing, a connect timeout and
 * close bookkeeping.
 */
import CDP from 'chrome-remote-interface';
import { EventEmitter } from '../common/events';
import type { IDisposable } from '../common/disposable';
import type { ILogger } from '../common/logger';
import { nullLogger, trimForLog } from '../common/logger';
import type {
  CdpCommand,
  CdpEvent,
  CdpEventArgs,
  CdpParams,
  CdpResult,
  IInspectorSession,
} from './inspectorSession';
import { ProtocolError } from './inspectorSession';

type CriClient = CDP.Client;

class CriSession implements IInspectorSession {
  private readonly closeEmitter = new EventEmitter<void>();
  readonly onClose = this.closeEmitter.event;
  closed = false;
  /** Why the session closed, when it was not the target's doing. */
  private closeReason: string | undefined;

  constructor(
    private readonly client: CriClient,
    private readonly logger: ILogger,
  ) {
    client.on('disconnect', () => this.markClosed());
    this.guardFrames();
    // Trace: every event with its payload trimmed (a profile chunk is megabytes).
    const onEvent = (m: { method: string; params?: unknown }) => {
      if (this.logger.tracing?.() ?? true) {
        this.logger.trace('cdp', `⇠ ${m.method} ${trimForLog(m.params)}`);
      }
    };
    (client as unknown as { on(e: 'event', f: typeof onEvent): void }).on('event', onEvent);
  }

  /**
   * The library parses each WebSocket message with `JSON.parse` inside its socket listener, so a
   * message that is not JSON (a proxy or a broken endpoint) was an uncaught exception that ended
   * the whole process (the CLI, the extension host). Its listener runs inside ours instead: such
   * a message closes this session with a clear reason; nothing else changes.
   */
  private guardFrames(): void {
    type Listener = (...a: unknown[]) => void;
    const ws = (this.client as unknown as { _ws?: NodeJS.EventEmitter })._ws;
    if (!ws) return;
    for (const l of ws.listeners('message') as Listener[]) {
      ws.removeListener('message', l);
      ws.on('message', (...a: unknown[]) => {
        try {
          l(...a);
        } catch (e) {
          if (!(e instanceof SyntaxError)) throw e;
          this.closeReason = 'the inspector sent a message that is not JSON';
          this.logger.warn('cdp', `${this.closeReason}: ${trimForLog(String(a[0]))}`);
          (ws as unknown as { terminate?: () => void }).terminate?.();
          this.markClosed();
        }
      });
    }
  }

  private traceSend(method: string, params: unknown): number | undefined {
    if (!(this.logger.tracing?.() ?? true)) return undefined;
    this.logger.trace('cdp', `→ ${method} ${params === undefined ? '' : trimForLog(params)}`);
    return Date.now();
  }

  private traceReply(method: string, sentAt: number | undefined, result: unknown): void {
    if (sentAt === undefined) return;
    this.logger.trace('cdp', `← ${method} (${Date.now() - sentAt} ms) ${trimForLog(result)}`);
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeEmitter.fire();
    this.closeEmitter.dispose();
  }

  async sendOrThrow<M extends CdpCommand>(
    method: M,
    ...params: CdpParams<M>
  ): Promise<CdpResult<M>> {
    const callSite = new ProtocolError(method, 'failed');
    if (this.closed) {
      throw new ProtocolError(method, this.closeReason ?? 'the inspector session is closed');
    }
    const sentAt = this.traceSend(method, params[0]);
    try {
      const send = this.client.send as unknown as (m: string, p?: object) => Promise<unknown>;
      const result = (await send.call(
        this.client,
        method,
        params[0] as object | undefined,
      )) as CdpResult<M>;
      this.traceReply(method, sentAt, result);
      return result;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      callSite.message = `${method}: ${msg}`;
      throw callSite;
    }
  }

  async send<M extends CdpCommand>(
    method: M,
    ...params: CdpParams<M>
  ): Promise<CdpResult<M> | undefined> {
    try {
      return await this.sendOrThrow(method, ...params);
    } catch (e) {
      this.logger.trace('cdp', `← ${method} failed: ${(e as Error).message}`);
      return undefined;
    }
  }

  async sendUntyped(method: string, params?: object): Promise<unknown> {
    if (this.closed) return undefined;
    const sentAt = this.traceSend(method, params);
    try {
      const send = this.client.send as unknown as (m: string, p?: object) => Promise<unknown>;
      const result = await send.call(this.client, method, params);
      this.traceReply(method, sentAt, result);
      return result;
    } catch (e) {
      this.logger.trace('cdp', `← ${method} failed: ${(e as Error).message}`);
      return undefined;
    }
  }

  on<E extends CdpEvent>(event: E, listener: (...args: CdpEventArgs<E>) => void): IDisposable {
    const l = listener as unknown as (...a: unknown[]) => void;
    const c = this.client as unknown as {
      on(e: string, f: (...a: unknown[]) => void): void;
      removeListener(e: string, f: (...a: unknown[]) => void): void;
    };
    c.on(event, l);
    return { dispose: () => c.removeListener(event, l) };
  }

  onUntyped(event: string, listener: (params: unknown) => void): IDisposable {
    return this.on(event as CdpEvent, listener as never);
  }

  dispose(): void {
    if (this.closed) return;
    void this.client.close().catch(() => undefined);
    this.markClosed();
  }
}

/**
 * Opens a session on an inspector WebSocket URL. Rejects after `timeoutMs` with a message that
 * names the URL; a socket that connects after the timeout is closed at once.
 */
export async function connectCri(
  wsUrl: string,
  timeoutMs: number,
  logger: ILogger = nullLogger,
): Promise<IInspectorSession> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const connecting = CDP({ target: wsUrl, local: true });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new Error(`no answer from ${wsUrl} within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  connecting.then(
    (c) => {
      if (timedOut) void c.close().catch(() => undefined);
    },
    () => undefined,
  );
  try {
    const client = await Promise.race([connecting, timeout]);
    return new CriSession(client, logger);
  } catch (e) {
    throw new Error(`cannot open the inspector session at ${wsUrl}: ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
