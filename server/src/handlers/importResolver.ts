/**
 * Resolves relative import specifiers to the files the server knows (listed or loaded), the
 * same way as the engine's linker: exact, with extensions, `.js` → `.ts`, index. Cached: every
 * edit of a file resolves all its imports again (~100 in the bench's big file).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { isSourceFile } from '../analysis/files';

const exts = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export class ImportResolver {
  private readonly known = new Set<string>();
  /** `dir\0spec` → resolved file; cleared whenever the set of known files changes. */
  private readonly resolved = new Map<string, string | undefined>();

  /** A file exists (listed, loaded, opened). */
  know(file: string): void {
    if (this.known.has(file)) return;
    this.known.add(file);
    this.resolved.clear();
  }

  /** A file is gone. */
  forget(file: string): void {
    this.known.delete(file);
    this.resolved.clear();
  }

  resolve(from: string, spec: string): string | undefined {
    if (!spec.startsWith('.')) return undefined;
    const key = `${path.dirname(from)}\0${spec}`;
    if (this.resolved.has(key)) return this.resolved.get(key);
    const found = this.resolveUncached(from, spec);
    this.resolved.set(key, found);
    return found;
  }

  private resolveUncached(from: string, spec: string): string | undefined {
    const base = path.resolve(path.dirname(from), spec);
    const stem = base.replace(/\.[cm]?jsx?$/, '');
    const candidates = [base, ...exts.map((e) => base + e), ...exts.map((e) => stem + e)];
    candidates.push(...exts.map((e) => path.join(base, 'index' + e)));
    const found = candidates.find((c) => this.known.has(c));
    if (found) return found;
    // Not listed (open-files mode, or outside the folders): look at the disk once.
    const onDisk = candidates.find((c) => isSourceFile(c) && existsSync(c));
    if (onDisk) this.known.add(onDisk);
    return onDisk;
  }
}
