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

export class PackageResolver {
  private readonly refs = new Map<string, Promise<PackageRef | undefined>>();

  /** The package a file belongs to, from its package.json (cached per package folder). */
  of(file: string): Promise<PackageRef | undefined> {
    const root = packageRootOf(file);
    if (!root) return Promise.resolve(undefined);
    let ref = this.refs.get(root);
    if (!ref) {
      ref = readFile(path.join(root, 'package.json'), 'utf8').then(
        (text) => {
          const j = JSON.parse(text) as { name?: unknown; version?: unknown };
          const name = typeof j.name === 'string' ? j.name : path.basename(root);
          return { name, version: typeof j.version === 'string' ? j.version : '?' };
        },
        // Not readable here (a remote target's paths): the folder still names the package.
        () => ({ name: root.slice(root.lastIndexOf('/node_modules/') + 14), version: '?' }),
      );
      this.refs.set(root, ref);
    }
    return ref;
  }

  /**
   * The packages of `files` (innermost first, as a stack), between the user's frame at
   * `userIndex` (exclusive; undefined when the stack never touches user code) and the leaf,
   * outermost first, each package once per run of frames. The one directly below the user's
   * code is marked `direct`; with no user code, the outermost one (the place to look). `name`
   * and `version` are those of the innermost package, whose code ran the operation.
   */
  async chainOf(
    files: readonly string[],
    userIndex: number | undefined,
  ): Promise<StallPackage | undefined> {
    const end = userIndex ?? files.length;
    const chain: PackageRef[] = [];
    for (let i = end - 1; i >= 0; i--) {
      const ref = await this.of(files[i]);
      const last = chain.at(-1);
      if (ref && !(last && last.name === ref.name && last.version === ref.version)) {
        chain.push({ ...ref });
      }
    }
    if (chain.length === 0) return undefined;
    chain[0].direct = true;
    const inner = chain[chain.length - 1];
    return { name: inner.name, version: inner.version, chain };
  }

  /**
   * The function of the innermost package that was called from outside it (the package's entry,
   * `renderFile` of ejs): frames from the leaf outward while they stay in that package.
   */
  async entryOf(
    files: readonly string[],
    names: readonly string[],
  ): Promise<string | undefined> {
    const first = await this.of(files[0] ?? '');
    if (!first) return undefined;
    let entry = names[0];
    for (let i = 1; i < files.length; i++) {
      const ref = await this.of(files[i]);
      if (!ref || ref.name !== first.name) break;
      if (names[i]) entry = names[i];
    }
    return entry ? `${first.name}.${entry}` : first.name;
  }
}
