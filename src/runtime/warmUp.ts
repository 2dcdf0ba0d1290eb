/**
 * Reads the files a stall's blame will need before the first stall of their stack needs them:
 * each script the profile has seen run (its text, its source map, its package's package.json).
 * The first stall of a stack shape used to wait for those reads (bench blame: 8-60 ms at load
 * 10, the reads' round trips through the thread pool and the recorder's other work in between);
 * once warm, the stall's own reads are cached promises.
 *
 * Lowest priority and bounded: one file at a time, a turn of the recorder's loop between files,
 * nothing while a stall is being attributed; each file once; files over {@link MAX_FILE_BYTES}
 * and everything past {@link MAX_FILES} files or {@link MAX_TOTAL_BYTES} bytes are left to the
 * stall that needs them (read then, as before). The caches it fills are the attributor's own:
 * a stall that needs a file being warmed waits for that same read, never a second one.
 */
import { promises as fs } from 'node:fs';

/** Larger sources (bundles) are read only by a stall that needs them. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** What the warm-up may keep in memory at most: files and their bytes. */
export const MAX_FILES = 1000;
export const MAX_TOTAL_BYTES = 32 * 1024 * 1024;

export interface WarmTarget {
  /**
   * Reads what a stall would read of this local file (text, source map, package.json); long
   * work is sliced, `pause` between slices.
   */
  load(file: string, pause: () => Promise<void>): Promise<unknown>;
  /** True while a stall is being attributed: the warm-up waits. */
  busy(): boolean;
}

export class FileWarmer {
  private readonly seen = new Set<string>();
  private readonly queue: string[] = [];
  private running = false;
  private bytes = 0;
  private files = 0;
  /** Settles when the queue is empty (tests and the bench wait on it). */
  private idle: Promise<void> = Promise.resolve();
  private settle: () => void = () => undefined;

  constructor(private readonly target: WarmTarget) {}

  /** Queues local files not seen before; returns at once. */
  add(files: Iterable<string>): void {
    for (const f of files) {
      if (this.seen.has(f) || this.seen.size >= 4 * MAX_FILES) continue;
      this.seen.add(f);
      this.queue.push(f);
    }
    if (this.queue.length && !this.running) {
      this.running = true;
      this.idle = new Promise((r) => (this.settle = r));
      void this.drain();
    }
  }

  /** Resolves once every file queued so far has been read or skipped. */
  done(): Promise<void> {
    return this.idle;
  }

  /** No room for more: polling for files to add is pointless (loadedModules.ts). */
  full(): boolean {
    return (
      this.seen.size >= 4 * MAX_FILES || this.files >= MAX_FILES || this.bytes >= MAX_TOTAL_BYTES
    );
  }

  /** Counts for the log: files read and their bytes. */
  stats(): { files: number; bytes: number } {
    return { files: this.files, bytes: this.bytes };
  }

  /** After whatever the recorder has to do now (timers, socket messages) and any stall. */
  private async turn(): Promise<void> {
    do await new Promise<void>((r) => setTimeout(r, 0).unref());
    while (this.target.busy());
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        await this.turn();
        const file = this.queue.shift()!;
        if (this.files >= MAX_FILES || this.bytes >= MAX_TOTAL_BYTES) {
          this.queue.length = 0;
          break;
        }
        const size = await fs.stat(file).then(
          (s) => (s.isFile() ? s.size : -1),
          () => -1,
        );
        if (size < 0 || size > MAX_FILE_BYTES || this.bytes + size > MAX_TOTAL_BYTES) continue;
        this.files++;
        this.bytes += size;
        await this.target.load(file, () => this.turn()).catch(() => undefined);
      }
    } finally {
      this.running = false;
      this.settle();
    }
  }
}
