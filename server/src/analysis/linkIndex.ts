/**
 * What the linker keeps between edits: the memo of blocking chains per file, the index of
 * event-loop registrations and worker files (with the file each entry came from), and which
 * files looked into which (every resolution it made), so an edit drops exactly the results that
 * can depend on the edited files and keeps the rest.
 */
import type { FileNote } from './types';

export class LinkIndex<Chain> {
  /** file → function index → its first blocking chain (null: none, or in progress). */
  readonly memo = new Map<string, Map<number, Chain | null>>();
  /** `file#fn` → the files that register it as a callback → why that runs on the loop. */
  private readonly registered = new Map<string, Map<string, string>>();
  private readonly registeredBy = new Map<string, string[]>();
  /** Worker file → how many files start it. */
  private readonly workers = new Map<string, number>();
  private readonly workersBy = new Map<string, string[]>();
  /** file → files whose linking resolved something into it. */
  private readonly importers = new Map<string, Set<string>>();
  private readonly errorsOf = new Map<string, FileNote>();

  memoOf(file: string): Map<number, Chain | null> {
    let m = this.memo.get(file);
    if (!m) this.memo.set(file, (m = new Map()));
    return m;
  }

  /** Linking `from` used `to` (an import, a re-export, a base class). */
  used(from: string, to: string): void {
    if (from === to) return;
    let set = this.importers.get(to);
    if (!set) this.importers.set(to, (set = new Set()));
    set.add(from);
  }

  register(source: string, key: string, reason: string): void {
    let by = this.registered.get(key);
    if (!by) this.registered.set(key, (by = new Map()));
    by.delete(source); // the latest registration wins, as in a fresh index
    by.set(source, reason);
    let keys = this.registeredBy.get(source);
    if (!keys) this.registeredBy.set(source, (keys = []));
    keys.push(key);
  }

  /** Why `file#fn` runs on the event loop because another file registers it. */
  registration(key: string): string | undefined {
    const by = this.registered.get(key);
    if (!by?.size) return undefined;
    return [...by.values()].pop();
  }

  addWorker(source: string, file: string): void {
    this.workers.set(file, (this.workers.get(file) ?? 0) + 1);
    let files = this.workersBy.get(source);
    if (!files) this.workersBy.set(source, (files = []));
    files.push(file);
  }

  /** The worker files `source` starts (as indexed). */
  workersOf(source: string): readonly string[] {
    return this.workersBy.get(source) ?? [];
  }

  isWorker(file: string): boolean {
    return (this.workers.get(file) ?? 0) > 0;
  }

  error(file: string, note: FileNote): void {
    this.errorsOf.set(file, note);
  }

  errors(): FileNote[] {
    return [...this.errorsOf.values()];
  }

  /** Forgets what `source` contributed to the index; returns the worker files it started. */
  unindex(source: string): string[] {
    for (const key of this.registeredBy.get(source) ?? []) {
      const by = this.registered.get(key);
      by?.delete(source);
      if (by && !by.size) this.registered.delete(key);
    }
    this.registeredBy.delete(source);
    const started = this.workersBy.get(source) ?? [];
    for (const w of started) {
      const n = (this.workers.get(w) ?? 1) - 1;
      if (n > 0) this.workers.set(w, n);
      else this.workers.delete(w);
    }
    this.workersBy.delete(source);
    this.errorsOf.delete(source);
    return started;
  }

  /** `files` and every file whose linking used one of them, transitively. */
  dependents(files: Iterable<string>): Set<string> {
    const out = new Set(files);
    const stack = [...out];
    while (stack.length) {
      for (const r of this.importers.get(stack.pop()!) ?? []) {
        if (!out.has(r)) {
          out.add(r);
          stack.push(r);
        }
      }
    }
    return out;
  }
}
