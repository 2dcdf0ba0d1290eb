/**
 * The one seam between the runtime engine and the inspector transport (CONTRIBUTING.md "A CDP domain"). Everything
 * else in `src/runtime` speaks CDP through this interface, typed with `devtools-protocol`; only
 * `criSession.ts` knows about chrome-remote-interface, and unit tests plug in a fake.
 */
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping';
import type { IDisposable } from '../common/disposable';
import type { Event } from '../common/events';

export type CdpCommand = keyof ProtocolMapping.Commands;
export type CdpParams<M extends CdpCommand> = ProtocolMapping.Commands[M]['paramsType'];
export type CdpResult<M extends CdpCommand> = ProtocolMapping.Commands[M]['returnType'];
export type CdpEvent = keyof ProtocolMapping.Events;
export type CdpEventArgs<E extends CdpEvent> = ProtocolMapping.Events[E];

/** A CDP error reply, with the stack of the call site that sent the command. */
export class ProtocolError extends Error {
  constructor(
    readonly method: string,
    message: string,
  ) {
    super(`${method}: ${message}`);
    this.name = 'ProtocolError';
  }
}

export interface IInspectorSession extends IDisposable {
  /** Sends a command; resolves `undefined` when it fails or the session closed. */
  send<M extends CdpCommand>(method: M, ...params: CdpParams<M>): Promise<CdpResult<M> | undefined>;
  /** Sends a command; rejects with a {@link ProtocolError} when it fails. */
  sendOrThrow<M extends CdpCommand>(method: M, ...params: CdpParams<M>): Promise<CdpResult<M>>;
  /**
   * Sends a method outside the typed protocol (e.g. vscode-js-debug's `JsDebug.subscribe`);
   * resolves `undefined` when it fails or the session closed.
   */
  sendUntyped(method: string, params?: object): Promise<unknown>;
  /** Subscribes to a CDP event. */
  on<E extends CdpEvent>(event: E, listener: (...args: CdpEventArgs<E>) => void): IDisposable;
  /** Subscribes to an event outside the typed protocol (Node's own `NodeWorker` domain). */
  onUntyped(event: string, listener: (params: unknown) => void): IDisposable;
  /** Fires once when the socket closes (target exited, killed, or `dispose()`). */
  readonly onClose: Event<void>;
  readonly closed: boolean;
}
