/**
 * Installed packages as Node finds them: the `node_modules/<name>` folder a bare specifier names
 * from a given folder (Node's lookup, nearest first), and its package.json. Read once per folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package.json fields resolution and the cache need. */
export interface Manifest {
  /** Real path of the package folder (symlinks of pnpm and workspaces followed). */
  dir: string;
  name: string;
  version: string;
  main?: string;
  module?: string;
  exports?: unknown;
  imports?: unknown;
}

/** `lodash/fp/get` → [`lodash`, `./fp/get`]; `@scope/pkg` → [`@scope/pkg`, `.`]. */
export function splitSpecifier(spec: string): [name: string, subpath: string] | undefined {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  if (parts.length < n || parts.slice(0, n).some((p) => p === '' || p === '.' || p === '..')) {
    return undefined;
  }
  const rest = parts.slice(n).join('/');
  return [parts.slice(0, n).join('/'), rest ? `./${rest}` : '.'];
}

/** Caches package.json reads and node_modules lookups for one analysis session. */
export class Manifests {
  private readonly byDir = new Map<string, Manifest | null>();
  private readonly lookups = new Map<string, Manifest | null>();

  /** The package `name` as Node's lookup finds it from `fromDir`, walking up. */
  find(fromDir: string, name: string): Manifest | undefined {
    const key = `${fromDir}\0${name}`;
    const known = this.lookups.get(key);
    if (known !== undefined) return known ?? undefined;
    let found: Manifest | undefined;
    for (let dir = fromDir; ;) {
      if (path.basename(dir) !== 'node_modules') {
        found = this.read(path.join(dir, 'node_modules', name));
        if (found) break;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    this.lookups.set(key, found ?? null);
    return found;
  }

  /** The package a file inside `node_modules` belongs to (its nearest package.json with a name). */
  ownerOf(file: string): Manifest | undefined {
    for (let dir = path.dirname(file); ;) {
      const m = this.read(dir);
      if (m) return m;
      const parent = path.dirname(dir);
      if (parent === dir || path.basename(parent) === 'node_modules') return undefined;
      dir = parent;
    }
  }

  /** The manifest of the package folder `dir`, or undefined (no folder, no valid package.json). */
  read(dir: string): Manifest | undefined {
    const known = this.byDir.get(dir);
    if (known !== undefined) return known ?? undefined;
    let m: Manifest | undefined;
    try {
      const real = fs.realpathSync(dir);
      const raw = JSON.parse(fs.readFileSync(path.join(real, 'package.json'), 'utf8')) as unknown;
      m = toManifest(real, raw);
    } catch {
      m = undefined; // no package here, or a package.json that is not JSON: nothing to follow
    }
    this.byDir.set(dir, m ?? null);
    return m;
  }
}

function toManifest(dir: string, raw: unknown): Manifest | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Record<string, unknown>;
  if (typeof o.name !== 'string') return undefined;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    dir,
    name: o.name,
    version: str(o.version) ?? '0.0.0',
    main: str(o.main),
    module: str(o.module),
    exports: o.exports ?? undefined,
    imports: o.imports ?? undefined,
  };
}
