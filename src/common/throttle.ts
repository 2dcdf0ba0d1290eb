/**
 * Passes bursts of changes on at most once per period: the first at once (on a timer of 0), the
 * others coalesced into one trailing call, so the last change is never lost. Used where a
 * consumer is costly to refresh (a tree) or postpones its own refresh at each event (CodeLens).
 */
import type { IDisposable } from './disposable';

export class Throttle implements IDisposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly everyMs: number,
    private readonly fn: () => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Calls `fn` now, or once the period since the last call is over (once for any number). */
  schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.last + this.everyMs - this.clock());
    this.timer = setTimeout(() => this.now(), wait);
  }

  /** Calls `fn` at once; a pending call is dropped. */
  now(): void {
    this.dispose();
    this.last = this.clock();
    this.fn();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
