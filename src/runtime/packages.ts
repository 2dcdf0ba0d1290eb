/**
 * Which installed packages a stall ran through: each frame's file under `node_modules/<name>`
 * (or `node_modules/@scope/name`) belongs to the package whose own `package.json` sits there,
 * read once per package (name and version as installed, not as a lockfile says).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { PackageRef, StallPackage } from '../shared/protocol/runtime';

/** The package folder of a file inside `node_modules`, the innermost one; undefined outside. */
export function packageRootOf(file: string): string | undefined {
  const norm = file.replace(/\\/g, '/');
  const at = norm.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const rest = norm.slice(at + '/node_modules/'.length).split('/');
  const n = rest[0]?.startsWith('@') ? 2 : 1;
  if (rest.length <= n) return undefined;
  return norm.slice(0, at) + '/node_modules/' + rest.slice(0, n).join('/');
}

interface Known extends PackageRef {
  /** Names it depends on (dependencies, optional and peer): a helper of it is not the entry. */
  deps: Set<string>;
}

export class PackageResolver {
  private readonly refs = new Map<string, Promise<Known | undefined>>();

  /** The package a file belongs to, from its package.json (cached per package folder). */
  of(file: string): Promise<Known | undefined> {
    const root = packageRootOf(file);
    if (!root) return Promise.resolve(undefined);
    let ref = this.refs.get(root);
    if (!ref) {
      ref = readFile(path.join(root, 'package.json'), 'utf8').then(
        (text) => {
          const j = JSON.parse(text) as Record<string, unknown>;
          const name = typeof j.name === 'string' ? j.name : path.basename(root);
          const deps = new Set<string>();
          for (const k of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
            const d = j[k];
            if (d && typeof d === 'object') for (const n of Object.keys(d)) deps.add(n);
          }
          return { name, version: typeof j.version === 'string' ? j.version : '?', deps };
        },
        // Not readable here (a remote target's paths): the folder still names the package.
        () => ({
          name: root.slice(root.lastIndexOf('/node_modules/') + 14),
          version: '?',
          deps: new Set<string>(),
        }),
      );
      this.refs.set(root, ref);
    }
    return ref;
  }

  /**
   * The packages of `files` (innermost first, as a stack), between the user's frame at
   * `userIndex` (exclusive; undefined when the stack never touches user code) and the leaf,
   * outermost first, each package once. The one the user's code called is
   * marked `direct`: the outermost one that is not a dependency of another package of the chain
   * (lowdb's `db.get().write()` runs through lodash's chain wrapper first: lowdb is the one the
   * user called); with no user code, the outermost such one (the place to look: json-server,
   * not the express it runs its routes in). `name` and `version`
   * are those of the innermost package, whose code ran the operation.
   */
  async chainOf(
    files: readonly string[],
    userIndex: number | undefined,
  ): Promise<StallPackage | undefined> {
    const end = userIndex ?? files.length;
    const known: Known[] = [];
    for (let i = end - 1; i >= 0; i--) {
      const ref = await this.of(files[i]);
      // Once each, where the stack first entered it (express → json-server → express → …).
      if (ref && !known.includes(ref)) known.push(ref);
    }
    if (known.length === 0) return undefined;
    const chain: PackageRef[] = known.map((k) => ({ name: k.name, version: k.version }));
    const helper = (k: Known): boolean => known.some((o) => o !== k && o.deps.has(k.name));
    chain[
      Math.max(
        0,
        known.findIndex((k) => !helper(k)),
      )
    ].direct = true;
    const inner = chain[chain.length - 1];
    return { name: inner.name, version: inner.version, chain };
  }

  /**
   * The function of the innermost package that was called from outside it (the package's entry,
   * `renderFile` of ejs): frames from the leaf outward while they stay in that package.
   */
  async entryOf(files: readonly string[], names: readonly string[]): Promise<string | undefined> {
    const first = await this.of(files[0] ?? '');
    if (!first) return undefined;
    let entry = names[0];
    for (let i = 1; i < files.length; i++) {
      const ref = await this.of(files[i]);
      if (!ref || ref.name !== first.name) break;
      if (names[i]) entry = names[i];
    }
    // `bcrypt.hashSync` (a method named with its object) reads `bcryptjs.hashSync`.
    const fn = entry?.split('.').at(-1);
    return fn ? `${first.name}.${fn}` : first.name;
  }
}
