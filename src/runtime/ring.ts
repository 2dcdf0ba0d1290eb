/**
 * A bounded list that forgets its oldest items: what a long-running recorder keeps of its
 * stalls and metrics samples (docs/fleet.md "Long-running"), so its memory does not grow with
 * time. Iterates oldest first; `dropped` says how many were forgotten.
 */

/** Stalls a recording keeps (the newest): compact, their frames shared (stallStore.ts). */
export const KEEP_STALLS = 10_000;
/** Metrics samples a recording keeps (one a second: the last hour). */
export const KEEP_METRICS = 3_600;

export class Ring<T> implements Iterable<T> {
  private items: T[] = [];
  private start = 0;
  dropped = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    this.dropped++;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.items.length; i++) {
      yield this.items[(this.start + i) % this.items.length];
    }
  }
}
