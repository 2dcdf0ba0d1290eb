/**
 * Resolution of bare specifiers into installed packages, after Node's algorithm: the `exports`
 * map (conditions `import`, then `require`, with `node` and `default`; sub-paths and patterns,
 * through `resolve.exports`), the package's `imports` map for `#internal` specifiers, else `main`,
 * `module` and `index`; files with CommonJS's extension and folder probing. Type declarations are
 * never the answer: a `.d.ts` target gives way to the compiled `.js` beside it.
 */
import * as fs from 'node:fs';
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { exports as exportsOf, imports as importsOf } from 'resolve.exports';
import { isSourceFile } from '../files';
import { type Manifest, Manifests, splitSpecifier } from './manifest';

/** Extensions tried after the exact path, in CommonJS's order first. */
const probeExts = ['.js', '.cjs', '.mjs', '.jsx', '.ts', '.tsx', '.mts', '.cts'];
const declaration = /\.d\.([cm]?)ts$/i;

type Kind = 'file' | 'dir' | undefined;

/** Resolves specifiers to files on disk; every lookup is cached for the session. */
export class PackageResolver {
  private readonly kinds = new Map<string, Kind>();
  readonly manifests = new Manifests();

  /** Whether `spec` names an installed package (not a Node built-in, not a path). */
  static isPackageSpecifier(spec: string): boolean {
    return !!spec && !spec.startsWith('.') && !path.isAbsolute(spec) && !isBuiltin(spec);
  }

  /** The source file a bare (or `#internal`) specifier loads from file `from`. */
  bare(from: string, spec: string): string | undefined {
    if (spec.startsWith('#')) return this.internal(from, spec);
    if (!PackageResolver.isPackageSpecifier(spec)) return undefined;
    const split = splitSpecifier(spec);
    const m = split && this.manifests.find(path.dirname(from), split[0]);
    return m && split ? this.entry(m, split[1]) : undefined;
  }

  /** A relative or absolute specifier from `from`, probed on disk. */
  relative(from: string, spec: string): string | undefined {
    return this.file(path.resolve(path.dirname(from), spec));
  }

  private entry(m: Manifest, sub: string): string | undefined {
    if (m.exports !== undefined && m.exports !== null) {
      const mapped = this.mapped(m, (require) => exportsOf(m, sub, { require }));
      if (mapped) return mapped;
      // Not exported: Node would refuse; bundlers and older Node versions load the file, and
      // projects that import a deep path rely on that.
    }
    if (sub !== '.') return this.file(path.join(m.dir, sub));
    for (const field of [m.main, m.module, './index']) {
      const f = field && this.file(path.join(m.dir, field));
      if (f) return f;
    }
    return undefined;
  }

  /** `#name` through the `imports` map of the package that owns `from`. */
  private internal(from: string, spec: string): string | undefined {
    const m = this.manifests.ownerOf(from);
    if (!m?.imports) return undefined;
    return this.mapped(m, (require) => importsOf(m, spec, { require }), from);
  }

  /** First existing source target of a map, `import` conditions before `require`. */
  private mapped(
    m: Manifest,
    lookup: (require: boolean) => string[] | void,
    from?: string,
  ): string | undefined {
    for (const require of [false, true]) {
      let targets: string[] | void;
      try {
        targets = lookup(require);
      } catch {
        targets = undefined; // not in the map under these conditions
      }
      for (const t of targets ?? []) {
        const f = t.startsWith('./')
          ? this.file(path.join(m.dir, t), true)
          : from && this.bare(from, t);
        if (f) return f;
      }
    }
    return undefined;
  }

  /**
   * The source file for `p` as CommonJS tries it: the exact file, then with an extension, then as
   * a folder (its package.json `main`, then `index`). `exact` (map targets) skips the probing.
   */
  file(p: string, exact = false, depth = 0): string | undefined {
    const kind = this.kind(p);
    if (kind === 'file') return this.source(p);
    if (exact || depth > 2) return undefined;
    for (const e of probeExts) if (this.kind(p + e) === 'file') return this.source(p + e);
    if (kind !== 'dir') return undefined;
    const main = this.mainOf(p);
    const viaMain = main && this.file(path.join(p, main), false, depth + 1);
    return viaMain || this.file(path.join(p, 'index'), false, depth + 1);
  }

  /** A file worth analysing: source, or the compiled `.js` beside a declaration file. */
  private source(p: string): string | undefined {
    const d = declaration.exec(p);
    if (d) {
      const js = p.slice(0, d.index) + `.${d[1] ?? ''}js`;
      return this.kind(js) === 'file' ? js : undefined;
    }
    return isSourceFile(p) ? p : undefined;
  }

  private mainOf(dir: string): string | undefined {
    try {
      const raw = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        main?: unknown;
      };
      return typeof raw.main === 'string' && raw.main !== '' ? raw.main : undefined;
    } catch {
      return undefined;
    }
  }

  private kind(p: string): Kind {
    if (this.kinds.has(p)) return this.kinds.get(p);
    let k: Kind;
    try {
      const st = fs.statSync(p);
      k = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : undefined;
    } catch {
      k = undefined;
    }
    this.kinds.set(p, k);
    return k;
  }
}
