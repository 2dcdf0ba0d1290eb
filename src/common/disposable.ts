/** Something that holds a resource. `dispose()` may be called more than once. */
export interface IDisposable {
  dispose(): void;
}

/** Base class for owners of resources: `_register` ties a child's lifetime to this one. */
export class Disposable implements IDisposable {
  private readonly children: IDisposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  protected _register<T extends IDisposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.children.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.children.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // One failing child must not keep the others alive.
      }
    }
  }
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose() {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}
