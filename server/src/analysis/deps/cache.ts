/**
 * The on-disk cache of package summaries: one JSON file per installed package under
 * `node_modules/.cache/loop-lens/` of the install root, holding the per-file summaries of the
 * package files an analysis reached. An entry is valid for one package name, version and install:
 * its lockfile entry (npm's integrity), its package.json's identity on disk (a reinstall writes a
 * new one), the engine build, and the project's extra `blocking` entries; each file is also checked
 * by size and mtime, so a hand-patched file in node_modules is analysed again. A cache folder that
 * cannot be written (read-only node_modules) turns the cache off for that folder, silently.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileSummary } from '../summaryTypes';
import type { FileNote } from '../types';
import type { Manifest } from './manifest';

/** Bumped when the cached shape changes. */
const FORMAT = 1;
const NM = `${path.sep}node_modules${path.sep}`;

/** One analysed package file: a summary, or the note saying why it has none. */
export interface CachedFile {
  size: number;
  mtimeMs: number;
  summary?: FileSummary;
  note?: FileNote;
}

interface CacheDoc {
  key: string;
  files: Record<string, CachedFile>;
}

/**
 * The engine build: a rebuilt bundle changes it; run from source (tests, tsx), a change to any
 * engine file does.
 */
const engineStamp = ((): string => {
  try {
    if (!__filename.endsWith('.ts')) {
      const st = fs.statSync(__filename);
      return `${st.size}:${Math.round(st.mtimeMs)}`;
    }
    const dir = path.dirname(__dirname);
    let newest = 0;
    for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (f.endsWith('.ts')) newest = Math.max(newest, fs.statSync(path.join(dir, f)).mtimeMs);
    }
    return `src:${Math.round(newest)}`;
  } catch {
    return 'unknown';
  }
})();

/** Install root of a package folder: what comes before its first `/node_modules/`. */
export function installRoot(dir: string): string | undefined {
  const i = (dir + path.sep).indexOf(NM);
  return i < 0 ? undefined : dir.slice(0, i);
}

export class PackageCache {
  private readonly locks = new Map<string, Record<string, { integrity?: string }> | null>();
  private readonly unwritable = new Set<string>();

  constructor(private readonly enabled: boolean) {}

  /** The validity key of a package's entry; `extra` is the project's config part. */
  key(m: Manifest, extra: string): string {
    let pkg = '';
    try {
      const st = fs.statSync(path.join(m.dir, 'package.json'));
      pkg = `${st.ino}:${st.size}:${Math.round(st.mtimeMs)}`;
    } catch {
      // unreadable now: the key still names the version
    }
    const raw = [FORMAT, engineStamp, m.name, m.version, m.dir, this.lockEntry(m), pkg, extra];
    return createHash('sha1').update(raw.join('\0')).digest('hex');
  }

  /** The cached files of a package when its entry has this key, else an empty record. */
  load(m: Manifest, key: string): Record<string, CachedFile> {
    const file = this.fileOf(m);
    if (!file) return {};
    try {
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheDoc;
      return doc.key === key && doc.files && typeof doc.files === 'object' ? doc.files : {};
    } catch {
      return {}; // none yet, or unreadable: analysed again and rewritten
    }
  }

  /** Writes a package's entry (atomically: a temp file renamed over the old one). */
  save(m: Manifest, key: string, files: Record<string, CachedFile>): void {
    const file = this.fileOf(m);
    if (!file) return;
    const dir = path.dirname(file);
    if (this.unwritable.has(dir)) return;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify({ key, files } satisfies CacheDoc));
      fs.renameSync(tmp, file);
    } catch {
      this.unwritable.add(dir); // read-only install: analyse without a cache
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // nothing was written
      }
    }
  }

  private fileOf(m: Manifest): string | undefined {
    const root = this.enabled ? installRoot(m.dir) : undefined;
    if (root === undefined) return undefined;
    // Two installs of one version (nested copies) each get their own entry.
    const where = createHash('sha1').update(m.dir).digest('hex').slice(0, 8);
    const name = `${m.name.replace(/[/\\]/g, '+')}@${m.version}-${where}.json`;
    return path.join(root, 'node_modules', '.cache', 'loop-lens', name);
  }

  /**
   * What the install's lockfile says about this package: npm's integrity (from the hidden
   * lockfile npm keeps in node_modules, else package-lock.json); for other package managers the
   * lockfile's size and mtime, so any change to it re-analyses.
   */
  private lockEntry(m: Manifest): string {
    const root = installRoot(m.dir);
    if (root === undefined) return '';
    const packages = this.npmLock(root);
    if (packages) {
      const rel = path.relative(root, m.dir).split(path.sep).join('/');
      return packages[rel]?.integrity ?? '';
    }
    for (const name of ['pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb']) {
      try {
        const st = fs.statSync(path.join(root, name));
        return `${name}:${st.size}:${Math.round(st.mtimeMs)}`;
      } catch {
        // not this package manager
      }
    }
    return '';
  }

  private npmLock(root: string): Record<string, { integrity?: string }> | undefined {
    const known = this.locks.get(root);
    if (known !== undefined) return known ?? undefined;
    let packages: Record<string, { integrity?: string }> | undefined;
    for (const f of ['node_modules/.package-lock.json', 'package-lock.json']) {
      try {
        const doc = JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')) as {
          packages?: Record<string, { integrity?: string }>;
        };
        if (doc.packages && typeof doc.packages === 'object') {
          packages = doc.packages;
          break;
        }
      } catch {
        // absent or not JSON: try the next
      }
    }
    this.locks.set(root, packages ?? null);
    return packages;
  }
}
