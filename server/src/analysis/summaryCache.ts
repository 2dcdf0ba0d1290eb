/**
 * Summaries on disk, so a new start of the language server (a new window, a reload) reuses the
 * summaries of files that did not change since the last start instead of parsing them again.
 * One small file per source file under `<root>/<engine>/`, where `engine` names the build of the
 * summariser (another build never reads these). A disk file's entry is valid while its path,
 * mtime and size are those recorded; an editor buffer's, while the SHA-1 of its text is. The
 * config's extra `blocking` list is part of the key. A cache file that cannot be read or
 * decoded is a miss, and the next summary of that file overwrites it; writes are atomic (a
 * rename), so two servers on one folder never see half a file.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { readSource } from './files';
import { summarizeEntry, type EntryOptions, type FileEntry } from './fileEntry';
import type { ExtraBlockingApi } from './types';

/** Bumped when the layout of a stored entry changes. */
const FORMAT = 1;

interface Stored {
  format: number;
  file: string;
  /** -1 when the text is an editor buffer's, not known to be the disk's. */
  mtimeMs: number;
  size: number;
  hash: string;
  extra: string;
  entry: FileEntry;
}

/** The disk state an entry is valid for. */
export interface DiskKey {
  mtimeMs: number;
  size: number;
}

export class SummaryCache {
  /** Entries reused, summaries made anew, cache files that could not be decoded. */
  readonly stats = { hits: 0, misses: 0, bad: 0 };
  readonly dir: string;

  constructor(root: string, engine: string) {
    this.dir = path.join(root, engine);
  }

  /** The entry of `file` as it is on disk now (`key` from a stat taken before reading it). */
  forDisk(file: string, key: DiskKey, extra?: readonly ExtraBlockingApi[]): FileEntry | undefined {
    const s = this.read(file, extra);
    const ok = s && s.mtimeMs === key.mtimeMs && s.size === key.size;
    return this.count(ok ? s.entry : undefined);
  }

  /** The entry of `file` with this text (an editor buffer). */
  forText(file: string, text: string, extra?: readonly ExtraBlockingApi[]): FileEntry | undefined {
    const s = this.read(file, extra);
    return this.count(s && s.hash === hashOf(text) ? s.entry : undefined);
  }

  /** Stores a summary (entries without one, such as unreadable files, are not kept). */
  put(
    file: string,
    text: string,
    key: DiskKey | undefined,
    extra: readonly ExtraBlockingApi[] | undefined,
    entry: FileEntry,
  ): void {
    if (!entry.summary) return;
    const stored: Stored = {
      format: FORMAT,
      file,
      mtimeMs: key?.mtimeMs ?? -1,
      size: key?.size ?? -1,
      hash: hashOf(text),
      extra: extraKey(extra),
      entry,
    };
    const target = this.fileOf(file);
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      fs.writeFileSync(tmp, serialize(stored));
      fs.renameSync(tmp, target);
    } catch {
      // A full or read-only disk: the next start parses this file again.
    }
  }

  private read(file: string, extra?: readonly ExtraBlockingApi[]): Stored | undefined {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(this.fileOf(file));
    } catch {
      return undefined;
    }
    try {
      const s = deserialize(buf) as Stored;
      if (s?.format === FORMAT && s.file === file && s.extra === extraKey(extra) && s.entry) {
        return s;
      }
    } catch {
      // Truncated or foreign bytes: a miss; the next put replaces the file.
    }
    this.stats.bad++;
    return undefined;
  }

  private count(entry: FileEntry | undefined): FileEntry | undefined {
    if (entry) this.stats.hits++;
    else this.stats.misses++;
    return entry;
  }

  private fileOf(file: string): string {
    const h = createHash('sha1').update(file).digest('hex');
    return path.join(this.dir, h.slice(0, 2), `${h.slice(2)}.bin`);
  }
}

function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

function extraKey(extra: readonly ExtraBlockingApi[] | undefined): string {
  return extra?.length ? JSON.stringify(extra) : '';
}

/**
 * The entry of a file on disk: from the cache when it has one for the file's current mtime and
 * size, else read and summarised (and stored). Without a cache, always summarised.
 */
export function diskEntry(
  file: string,
  cache: SummaryCache | undefined,
  opts: EntryOptions,
): FileEntry {
  let key: DiskKey | undefined;
  if (cache) {
    try {
      const st = fs.statSync(file);
      key = { mtimeMs: st.mtimeMs, size: st.size };
      const hit = cache.forDisk(file, key, opts.extra);
      if (hit) return hit;
    } catch {
      key = undefined; // gone or unreadable: readSource says why
    }
  }
  const src = readSource(file);
  const entry = summarizeEntry(file, src, opts);
  if (cache && key && 'text' in src) cache.put(file, src.text, key, opts.extra, entry);
  return entry;
}

/**
 * Removes the caches of other builds under `root` not written to for `maxAgeMs` (a build in
 * use again later only misses and writes anew). Problems are ignored: this is housekeeping.
 */
export function pruneOtherEngines(root: string, engine: string, maxAgeMs: number): void {
  try {
    for (const name of fs.readdirSync(root)) {
      if (name === engine) continue;
      const dir = path.join(root, name);
      if (Date.now() - fs.statSync(dir).mtimeMs > maxAgeMs) {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  } catch {
    // No root yet, or not ours to read.
  }
}

/**
 * The name of this build of the summariser: the sizes and times of the bundles that summarise
 * (the server's and the worker's), or undefined when they are not there (tests from source).
 */
export function engineId(bundles: readonly string[]): string | undefined {
  try {
    const parts = bundles.map((b) => {
      const st = fs.statSync(b);
      return `${st.size}:${st.mtimeMs}`;
    });
    return createHash('sha1')
      .update([FORMAT, ...parts].join('|'))
      .digest('hex')
      .slice(0, 16);
  } catch {
    return undefined;
  }
}
