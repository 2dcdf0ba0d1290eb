/**
 * When to analyse an edited document. No fixed delay: an edit is analysed as soon as the server
 * is idle, and the edits that arrive while an analysis runs (or that wait in the connection's
 * queue) fold into one analysis of the latest text. A burst of typing therefore costs at most the
 * analysis in flight plus one queued per document. A delay (the `loopLens.analysisDelayMs`
 * setting) restores the old debounce for those who want it.
 */

/**
 * After this many hops in a row with new edits each time, analyse anyway: a client that sends
 * edits without pause still gets diagnostics.
 */
const MAX_HOPS = 64;

export class EditQueue {
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Bumped on every edit: a run waits until a whole turn of the event loop brought none. */
  private seq = 0;
  private armed = false;
  private disposed = false;

  /**
   * `run` analyses the current texts of the documents edited since the last run (all at once:
   * each one's findings then see the others' latest texts); it is synchronous.
   */
  constructor(private readonly run: (uris: string[]) => void) {}

  /** Notes an edit of `uri` at once (so a run already waiting knows that more text came). */
  touched(uri: string): void {
    this.seq++;
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  /**
   * Queues the analysis of `uri`: at the next idle moment, or `delayMs` after the last edit.
   * Call {@link touched} first, synchronously in the change handler.
   */
  changed(uri: string, delayMs = 0): void {
    if (this.disposed) return;
    clearTimeout(this.timers.get(uri));
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(uri);
        this.add(uri);
      }, delayMs);
      this.timers.set(uri, timer);
      return;
    }
    this.add(uri);
  }

  /** Analyses now (a document was opened): any queued run of it is dropped. */
  now(uri: string): void {
    this.cancel(uri);
    this.run([uri]);
  }

  /** Forgets a queued analysis (the document was closed). */
  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.dirty.delete(uri);
  }

  /** Whether an analysis of `uri` is queued or waiting for its delay. */
  pending(uri: string): boolean {
    return this.dirty.has(uri) || this.timers.has(uri);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.dirty.clear();
  }

  private add(uri: string): void {
    this.dirty.add(uri);
    if (this.armed) return;
    this.armed = true;
    // From a microtask: vscode-jsonrpc schedules its next queued message (one per setImmediate)
    // right after this handler returns, so our setImmediate comes after it and sees its edit.
    queueMicrotask(() => this.waitForQuiet(this.seq, 0));
  }

  /** Runs once a turn of the loop passed without a new edit (or after {@link MAX_HOPS}). */
  private waitForQuiet(seen: number, hops: number): void {
    setImmediate(() => {
      if (this.disposed) return;
      if (seen !== this.seq && hops < MAX_HOPS) return this.waitForQuiet(this.seq, hops + 1);
      this.flush();
    });
  }

  private flush(): void {
    this.armed = false;
    const uris = [...this.dirty];
    this.dirty.clear();
    if (uris.length) this.run(uris);
  }
}
