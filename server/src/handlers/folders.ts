/**
 * The workspace folders of a (multi-root) session: which folder owns a file, and whether the
 * folder's settings (`loopLens.ignore`, `files.exclude`) hide it.
 */
import { relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import type { ResourceSettings } from '../settings';

/** One workspace folder. */
export interface Folder {
  uri: string;
  path: string;
  name: string;
}

/** File URI → absolute path, or undefined for other schemes (untitled:, git:, ...). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Absolute path → file URI as VS Code spells it. */
export function pathToUri(path: string): string {
  return pathToFileURL(path).toString();
}

/** The folder set, longest prefix first so nested folders win. */
export class Folders {
  private list: Folder[] = [];
  private readonly matchers = new Map<string, (rel: string) => boolean>();

  constructor(folders: { uri: string; name: string }[]) {
    for (const f of folders) this.add(f);
  }

  all(): readonly Folder[] {
    return this.list;
  }

  add(f: { uri: string; name: string }): Folder | undefined {
    const path = uriToPath(f.uri);
    if (!path || this.list.some((x) => x.path === path)) return undefined;
    const folder = { uri: f.uri, name: f.name, path };
    this.list = [...this.list, folder].sort((a, b) => b.path.length - a.path.length);
    return folder;
  }

  remove(uri: string): Folder | undefined {
    const folder = this.list.find((f) => f.uri === uri);
    this.list = this.list.filter((f) => f.uri !== uri);
    return folder;
  }

  /** The folder that contains `file`, if any. */
  owner(file: string): Folder | undefined {
    return this.list.find((f) => file === f.path || file.startsWith(f.path + sep));
  }

  /**
   * True when the folder settings exclude `file` (`loopLens.ignore` and `files.exclude`, both
   * relative to the folder; a bare name like `node_modules` matches at any depth, as in VS Code).
   */
  isIgnored(file: string, folder: Folder | undefined, s: ResourceSettings): boolean {
    const globs = [...s.ignore, ...s.filesExclude];
    if (globs.length === 0) return false;
    const rel = folder ? relative(folder.path, file).split(sep).join('/') : file;
    const key = globs.join('\0');
    let m = this.matchers.get(key);
    if (!m) {
      const expanded = globs.flatMap((g) => (g.includes('/') ? [g] : [g, `**/${g}`]));
      const isMatch = picomatch(
        expanded.flatMap((g) => [g, `${g}/**`]),
        { dot: true },
      );
      m = (r: string) => isMatch(r);
      if (this.matchers.size > 50) this.matchers.clear();
      this.matchers.set(key, m);
    }
    return m(rel);
  }
}
