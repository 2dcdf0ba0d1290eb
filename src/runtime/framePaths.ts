/**
 * Where a frame's URL points on this machine (`localRoot`/`remoteRoot` for a remote target) and
 * whose code it is: the user's, an installed package's, or neither (Node, eval'd code).
 */
import { packageRootOf } from './packages';
import { isLocalFile, urlToPath } from './sourceMaps';
import { isAgentFrame } from './stallAnalysis';

export type Rank = 0 | 1 | 2; // 2 = user code, 1 = node_modules, 0 = neither

export class FramePaths {
  constructor(private readonly roots: { localRoot?: string; remoteRoot?: string } = {}) {}

  /** URL → local path, kept: every frame of every sample of a stall window asks (`rank`). */
  private readonly paths = new Map<string, string>();

  protected toPath(url: string): string {
    let p = this.paths.get(url);
    if (p === undefined) {
      p = this.mapRoots(urlToPath(url));
      if (this.paths.size >= 5000) this.paths.clear();
      this.paths.set(url, p);
    }
    return p;
  }

  private mapRoots(p: string): string {
    const { localRoot, remoteRoot } = this.roots;
    if (localRoot && remoteRoot && p.startsWith(remoteRoot)) {
      return localRoot + p.slice(remoteRoot.length);
    }
    return p;
  }

  /** URL → rank, kept: every frame of every weighted sample of a stall window asks. */
  private readonly ranks = new Map<string, Rank>();

  rank(url: string): Rank {
    let r = this.ranks.get(url);
    if (r === undefined) {
      r = this.rankOf(url);
      if (this.ranks.size >= 5000) this.ranks.clear();
      this.ranks.set(url, r);
    }
    return r;
  }

  private rankOf(url: string): Rank {
    if (!url || isAgentFrame(url) || url.startsWith('node:')) return 0;
    const p = this.toPath(url);
    // Not a file: Node's internals, eval'd code, and templates compiled with a `sourceURL` of
    // their own (ejs: `"/app/page.ejs"`, quotes included): the user's line is the call into them.
    if (!p || p.startsWith('node:') || !isLocalFile(p)) return 0;
    return /[\\/]node_modules[\\/]/.test(p) ? 1 : 2;
  }

  /** The package whose files frames inner to `i` run in (the nearest), if any. */
  protected loadingPackage(raw: ReadonlyArray<{ url: string }>, i: number): string | undefined {
    for (let k = i - 1; k >= 0; k--) {
      const root = packageRootOf(this.toPath(raw[k].url));
      if (root) return root.slice(root.lastIndexOf('/node_modules/') + 14);
    }
    return undefined;
  }

  /** Index of the blamed frame (innermost first): deepest user frame, else deepest dependency. */
  blameIndex(frames: Array<{ url: string }>): number | undefined {
    let dep: number | undefined;
    for (let i = 0; i < frames.length; i++) {
      const r = this.rank(frames[i].url);
      if (r === 2) return i;
      if (r === 1 && dep === undefined) dep = i;
    }
    return dep;
  }
}
