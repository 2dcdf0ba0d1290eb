/**
 * A /proc file read again and again (a thread's schedstat, syscall, wchan every 20 ms): opened
 * once, then each read is one `pread` at offset 0, which makes procfs generate the text afresh.
 * `readFileSync` opens, stats, reads and closes each time: measured on the recorder at idle,
 * its /proc samples cost ~40 µs a file that way against a few µs with a kept descriptor
 * (npm run bench -- fleet).
 */
import { closeSync, openSync, readSync } from 'node:fs';

const BUF = Buffer.alloc(4096);

export class ProcFile {
  private fd: number | undefined;
  private failed = false;

  constructor(readonly path: string) {}

  /** The file's text now, or undefined when it cannot be read (gone, no permission). */
  read(): string | undefined {
    if (this.failed) return undefined;
    try {
      // loop-lens-ignore-next-line sync-fs -- procfs, answered from memory
      this.fd ??= openSync(this.path, 'r');
      // loop-lens-ignore-next-line sync-fs -- procfs, answered from memory
      const n = readSync(this.fd, BUF, 0, BUF.length, 0);
      return BUF.toString('utf8', 0, n);
    } catch {
      this.close();
      this.failed = true;
      return undefined;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
