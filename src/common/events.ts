import type { IDisposable } from './disposable';

/** A subscription function in VS Code's style: `onDidX(listener) → IDisposable`. */
export type Event<T> = (listener: (e: T) => void) => IDisposable;

/** Fires events to listeners; a throwing listener does not stop the others. */
export class EventEmitter<T> implements IDisposable {
  private listeners = new Set<(e: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // Listener errors belong to the listener.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
