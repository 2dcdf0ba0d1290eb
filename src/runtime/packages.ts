/**
 * Which installed packages a stall ran through: each frame's file under `node_modules/<name>`
 * (or `node_modules/@scope/name`) belongs to the package whose own `package.json` sits there,
 * read once per package (name and version as installed, not as a lockfile says).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { PackageRef, StallPackage } from '../shared/protocol/runtime';
import { isLocalFile } from './sourceMaps';

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
   * The packages of `files` (innermost first, as a stack; `frames` their functions and lines),
   * between the user's frame at `userIndex` (exclusive; undefined when the stack never touches
   * user code) and the leaf, outermost first, each package once. The one the user's code called
   * is marked `direct`: the outermost one that is not a dependency of another package of the
   * chain (lowdb's `db.get().write()` runs through lodash's chain wrapper first: lowdb is the one
   * the user called); with no user code, the outermost such one (the place to look: json-server,
   * not the express it runs its routes in). `name` and `version` are those of the package the
   * operation ran in: the innermost one that is not a pass-through (see `passThroughs`), else the
   * innermost.
   */
  async chainOf(
    files: readonly string[],
    userIndex: number | undefined,
    frames: StackText = { names: [], lines: [] },
  ): Promise<StallPackage | undefined> {
    const end = userIndex ?? files.length;
    const refs: Array<Known | undefined> = [];
    const known: Known[] = [];
    for (let i = end - 1; i >= 0; i--) {
      const ref = await this.of(files[i]);
      refs[i] = ref;
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
    const wrappers = passThroughs(files.slice(0, end), frames, refs);
    let at = known.length - 1;
    while (at > 0 && wrappers.has(known[at])) at--;
    const ran = chain[wrappers.has(known[at]) ? known.length - 1 : at];
    return { name: ran.name, version: ran.version, chain };
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

/**
 * `module.exports.writeFile`, `go$writeFile` → `writeFile`: the name a caller knows it by; ''
 * for what no call names (`(anonymous)`, V8's `RegExp: <source>` code, `get x`), which also keeps
 * such text out of the call pattern built from it (a regexp's source is no pattern of ours).
 */
function bareName(name: string | undefined): string {
  const last = (name?.split('.').at(-1) ?? '').replace(/^[\w]*\$/, '');
  return /^[\w$]+$/.test(last) ? last : '';
}

/** A stack's function names and the source text of each frame's line (innermost first). */
export interface StackText {
  names: readonly string[];
  lines: ReadonlyArray<string | undefined>;
}

/**
 * The packages of a stack (innermost first) that only pass a call through, judged by their
 * innermost stretch of frames: what runs next is the function the caller asked for, by the
 * stretch's own name (graceful-fs's `writeFile` calls `fs.writeFile`; steno's `writeFile` calls
 * graceful-fs's `writeFile`) or by the name on the caller's call line (lowdb's
 * `writeFile(this.source, …)` runs pify's promise wrapper, which calls steno's `writeFile`). The
 * work is not theirs: the data was their caller's (lowdb serialised the whole database and
 * handed it down to be written).
 */
export function passThroughs<K>(
  files: readonly string[],
  frames: StackText,
  refs: ReadonlyArray<K | undefined>,
): Set<K> {
  const { names, lines } = frames;
  const out = new Set<K>();
  // Frames with a script of their own end a stretch; a built-in (`Promise`) does not.
  const scripted = (k: number): boolean =>
    refs[k] !== undefined || isLocalFile(files[k] ?? '') || files[k]!.startsWith('node:');
  let i = files.length - 1;
  while (i >= 0) {
    const ref = refs[i];
    if (ref === undefined) {
      i--;
      continue;
    }
    // The stretch of `ref` from its entry (i) inward to its innermost frame (j).
    let j = i;
    for (let k = i - 1; k >= 0; k--) {
      if (refs[k] === ref) j = k;
      else if (scripted(k)) break;
    }
    const next = bareName(j > 0 ? names[j - 1] : undefined);
    const asked = lines[i + 1]?.replace(/\/\/.*$/, '');
    const calls = (n: string): boolean =>
      !!asked && new RegExp(`(^|[^\\w$])${n.replace(/\$/g, '\\$')}\\s*\\(`).test(asked);
    if (next && (bareName(names[i]) === next || calls(next))) out.add(ref);
    else out.delete(ref);
    i = j - 1;
  }
  return out;
}
