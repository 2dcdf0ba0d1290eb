/**
 * An {@link IInspectorSession} on one worker thread, tunnelled through its parent's session with
 * Node's `NodeWorker` domain: each command goes out as `NodeWorker.sendMessageToWorker` (the
 * worker's own CDP message, JSON), each reply and event comes back as
 * `NodeWorker.receivedMessageFromWorker` (routed here by {@link WorkerThreads}). The session
 * closes when the worker detaches (it exited), when the parent's socket closes, or on
 * `dispose()`; commands still waiting then fail.
 */
import type { IDisposable } from '../common/disposable';
import { EventEmitter } from '../common/events';
import type { ILogger } from '../common/logger';
import { trimForLog } from '../common/logger';
import type {
  CdpCommand,
  CdpEvent,
  CdpEventArgs,
  CdpParams,
  CdpResult,
  IInspectorSession,
} from './inspectorSession';
import { ProtocolError } from './inspectorSession';

interface Pending {
  method: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** One CDP message from the worker: a reply (id) or an event (method). */
interface WorkerMessage {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message?: string };
}

export class WorkerSession implements IInspectorSession {
  private readonly closeEmitter = new EventEmitter<void>();
  readonly onClose = this.closeEmitter.event;
  closed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(params: unknown) => void>>();

  constructor(
    private readonly parent: IInspectorSession,
    readonly sessionId: string,
    private readonly label: string,
    private readonly logger: ILogger,
  ) {}

  /** A message the parent received for this worker. */
  deliver(raw: string): void {
    let m: WorkerMessage;
    try {
      m = JSON.parse(raw) as WorkerMessage;
    } catch {
      return;
    }
    if (typeof m.id === 'number') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new ProtocolError(p.method, m.error.message ?? 'failed'));
      else p.resolve(m.result ?? {});
      return;
    }
    if (!m.method) return;
    if (this.logger.tracing?.() ?? true) {
      this.logger.trace('cdp', `⇠ ${this.label} ${m.method} ${trimForLog(m.params)}`);
    }
    for (const l of this.listeners.get(m.method) ?? []) l(m.params);
  }

  private post(method: string, params: object | undefined): Promise<unknown> {
    if (this.closed) {
      return Promise.reject(new ProtocolError(method, 'the worker session is closed'));
    }
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params: params ?? {} });
    if (this.logger.tracing?.() ?? true) {
      this.logger.trace('cdp', `→ ${this.label} ${method} ${trimForLog(params ?? '')}`);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      void this.parent
        .sendUntyped('NodeWorker.sendMessageToWorker', { sessionId: this.sessionId, message })
        .then((sent) => {
          // The parent could not pass it on (the worker is gone, the socket closed).
          if (sent !== undefined || !this.pending.delete(id)) return;
          reject(new ProtocolError(method, 'the worker did not take the message'));
        });
    });
  }

  async sendOrThrow<M extends CdpCommand>(
    method: M,
    ...params: CdpParams<M>
  ): Promise<CdpResult<M>> {
    return (await this.post(method, params[0] as object | undefined)) as CdpResult<M>;
  }

  async send<M extends CdpCommand>(
    method: M,
    ...params: CdpParams<M>
  ): Promise<CdpResult<M> | undefined> {
    return (await this.sendUntyped(method, params[0] as object | undefined)) as
      CdpResult<M> | undefined;
  }

  async sendUntyped(method: string, params?: object): Promise<unknown> {
    try {
      return await this.post(method, params);
    } catch (e) {
      this.logger.trace('cdp', `← ${this.label} ${method} failed: ${(e as Error).message}`);
      return undefined;
    }
  }

  on<E extends CdpEvent>(event: E, listener: (...args: CdpEventArgs<E>) => void): IDisposable {
    return this.onUntyped(event, listener as unknown as (params: unknown) => void);
  }

  onUntyped(event: string, listener: (params: unknown) => void): IDisposable {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return { dispose: () => set.delete(listener) };
  }

  /** The worker is gone (or we let go of it): pending commands fail, `onClose` fires once. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) {
      p.reject(new ProtocolError(p.method, 'the worker session closed'));
    }
    this.pending.clear();
    this.listeners.clear();
    this.closeEmitter.fire();
    this.closeEmitter.dispose();
  }
}
