/**
 * Installed dependencies, loaded lazily: a package file is read and summarised only when the
 * linker follows a call into it (from the project, or from another package file it reached), and
 * taken from the package's cache entry when that is still valid. Summaries stay in memory for the
 * session, so the language server analyses a package once, not per edit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSource } from '../files';
import { summarize } from '../summarize';
import type { FileSummary } from '../summaryTypes';
import type { ExtraBlockingApi, FileNote } from '../types';
import { type CachedFile, PackageCache } from './cache';
import type { Manifest } from './manifest';
import { PackageResolver } from './resolve';

const NM = `${path.sep}node_modules${path.sep}`;

export interface DependencyOptions {
  /** Read and write `node_modules/.cache/loop-lens` (default true). */
  cache?: boolean;
  /** The project's extra blocking APIs that apply to a package file (its config's `blocking`). */
  extraOf?: (file: string) => readonly ExtraBlockingApi[] | undefined;
}

interface PackageEntry {
  manifest: Manifest;
  key: string;
  files: Record<string, CachedFile>;
  dirty: boolean;
}

/** How much of the installed dependencies a run looked at. */
export interface DependencyStats {
  packages: number;
  files: number;
  /** Files whose summary came from the cache. */
  cached: number;
}

/** Whether a path lies inside a `node_modules` folder. */
export function inNodeModules(file: string): boolean {
  return file.includes(NM);
}

/** What the linker asks of the installed dependencies. */
export interface DependencyLinks {
  /** The file a bare specifier loads from `from`. */
  bare(from: string, spec: string): string | undefined;
  /** A relative specifier of a file that is not one of the project's. */
  relative(from: string, spec: string): string | undefined;
}

export class Dependencies implements DependencyLinks {
  private readonly resolver = new PackageResolver();
  private readonly cache: PackageCache;
  private readonly loaded = new Map<string, FileSummary | null>();
  private readonly packages = new Map<string, PackageEntry>();
  private readonly bareMemo = new Map<string, string | undefined>();
  private readonly fileNotes = new Map<string, FileNote>();
  private cachedCount = 0;

  constructor(private readonly opts: DependencyOptions = {}) {
    this.cache = new PackageCache(opts.cache !== false);
  }

  /** The file a bare specifier loads from `from`, or undefined (built-in, not installed). */
  bare(from: string, spec: string): string | undefined {
    const key = `${path.dirname(from)}\0${spec}`;
    if (this.bareMemo.has(key)) return this.bareMemo.get(key);
    const file = this.guard(from, `resolving '${spec}'`, () => this.resolver.bare(from, spec));
    this.bareMemo.set(key, file);
    return file;
  }

  /** A relative specifier of a package file, probed on disk. */
  relative(from: string, spec: string): string | undefined {
    return this.guard(from, `resolving '${spec}'`, () => this.resolver.relative(from, spec));
  }

  /** The summary of a file inside node_modules, analysed (or read from the cache) once. */
  summary(file: string): FileSummary | undefined {
    if (!inNodeModules(file)) return undefined;
    const known = this.loaded.get(file);
    if (known !== undefined) return known ?? undefined;
    const s = this.guard(file, 'analysing', () => this.load(file)) ?? null;
    this.loaded.set(file, s);
    return s ?? undefined;
  }

  /** Notes about package files that could not be analysed (errors, skipped files). */
  notes(): FileNote[] {
    return [...this.fileNotes.values()];
  }

  stats(): DependencyStats {
    let files = 0;
    for (const s of this.loaded.values()) if (s) files++;
    return { packages: this.packages.size, files, cached: this.cachedCount };
  }

  /** Writes the cache entries of packages that gained files since the last flush. */
  flush(): void {
    for (const p of this.packages.values()) {
      if (!p.dirty) continue;
      p.dirty = false;
      this.cache.save(p.manifest, p.key, p.files);
    }
  }

  private load(file: string): FileSummary | undefined {
    const m = this.resolver.manifests.ownerOf(file);
    const entry = m && this.entry(m);
    const rel = m ? path.relative(m.dir, file) : file;
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch (e) {
      this.fileNotes.set(file, { file, kind: 'error', reason: `cannot read: ${errText(e)}` });
      return undefined;
    }
    const hit = entry?.files[rel];
    let record: CachedFile;
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) {
      record = hit;
      if (hit.summary) this.cachedCount++;
    } else {
      record = { size: st.size, mtimeMs: st.mtimeMs, ...this.analyse(file) };
      if (entry) {
        entry.files[rel] = record;
        entry.dirty = true;
      }
    }
    if (record.note && record.note.kind !== 'partial') this.fileNotes.set(file, record.note);
    return record.summary;
  }

  private analyse(file: string): { summary?: FileSummary; note?: FileNote } {
    const src = readSource(file);
    if ('note' in src) return { note: src.note };
    try {
      return { summary: summarize(file, src.text, { extra: this.opts.extraOf?.(file) }) };
    } catch (e) {
      return { note: { file, kind: 'error', reason: `internal error: ${errText(e)}` } };
    }
  }

  private entry(m: Manifest): PackageEntry {
    let p = this.packages.get(m.dir);
    if (!p) {
      const extra = this.opts.extraOf?.(path.join(m.dir, 'package.json'));
      const key = this.cache.key(m, extra?.length ? JSON.stringify(extra) : '');
      p = { manifest: m, key, files: this.cache.load(m, key), dirty: false };
      this.packages.set(m.dir, p);
    }
    return p;
  }

  /** Runs `fn`; an internal error becomes a note on `file` and an undefined result. */
  private guard<T>(file: string, doing: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      const reason = `internal error while ${doing}: ${errText(e)}`;
      this.fileNotes.set(file, { file, kind: 'error', reason });
      return undefined;
    }
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e);
}
