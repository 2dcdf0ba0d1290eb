/**
 * The cross-file phase: resolves imports between summaries, decides which functions run on the
 * event loop and which sync functions block (through any depth of helpers, cycles terminate),
 * and turns that into findings. Works on summaries only, so it is cheap to redo after an edit.
 */
import * as path from 'node:path';
import type { DependencyLinks } from './deps/dependencies';
import { silences } from './patterns';
import type { ApiHit, CallSite, CallTarget, FileSummary } from './summaryTypes';
import type { ChainStep, FileNote, Finding, LoopLensConfig, Severity } from './types';
import { isRelative } from './syntax';
import { findingOf } from './linkFinding';
import { LinkIndex } from './linkIndex';

/** What a target stands for: an API, a function (a method when found through a class), a class. */
type Resolved =
  | { hit: ApiHit }
  | { file: string; fn: number; method?: boolean }
  | { file: string; cls: number; inst: boolean };
export interface Chain {
  steps: ChainStep[];
  hit: ApiHit;
}

const exts = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export class Linker {
  private readonly specCache = new Map<string, string | undefined>();
  /** File → specifier → `path.resolve`d base: asked for every call of every linked file. */
  private readonly bases = new Map<string, Map<string, string>>();
  private readonly ix = new LinkIndex<Chain>();
  /** Each file's config during one {@link findings} pass (asked for every call site). */
  private readonly configs = new Map<string, LoopLensConfig | undefined>();

  /**
   * `summaries.has` answers for the project's files; `get` may also return installed packages'
   * files, which `deps` resolves (see deps/linked.ts).
   */
  constructor(
    private readonly summaries: ReadonlyMap<string, FileSummary>,
    private readonly configOf: (file: string) => LoopLensConfig | undefined,
    private readonly deps?: DependencyLinks,
  ) {
    for (const [file, s] of summaries) this.index(file, s);
  }

  /** Files whose registrations or workers could not be indexed (an engine bug), as notes. */
  get errors(): FileNote[] {
    return this.ix.errors();
  }

  private index(file: string, s: FileSummary): void {
    try {
      for (const spec of s.workerSpecs) {
        const w = this.resolveSpec(file, spec);
        if (w) this.ix.addWorker(file, w);
      }
      for (const r of s.registrations) {
        const t = this.resolveTarget(file, { kind: 'import', spec: r.spec, path: r.path });
        if (t && 'fn' in t) this.ix.register(file, `${t.file}#${t.fn}`, r.reason);
      }
    } catch (e) {
      const reason = `internal error while linking: ${e instanceof Error ? e.message : String(e)}`;
      this.ix.error(file, { file, kind: 'error', reason });
    }
  }

  /**
   * The summaries of `files` changed (the set of files did not): drops the chains of those
   * files and of every file whose linking went through them, and indexes them again. A worker
   * file started or no longer started changes the chains of its own functions too.
   */
  update(files: readonly string[]): void {
    this.configs.clear();
    const stale = this.ix.dependents(files);
    const workers = new Set<string>();
    for (const f of stale) for (const w of this.ix.unindex(f)) workers.add(w);
    for (const f of stale) {
      const s = this.summaries.get(f);
      if (s) this.index(f, s);
    }
    for (const f of stale) for (const w of this.ix.workersOf(f)) workers.add(w);
    for (const f of this.ix.dependents([...stale, ...workers])) this.ix.memo.delete(f);
  }

  /**
   * Absolute file for a specifier: relative ones among the project's files (trying TypeScript's
   * `.js` → `.ts` mapping), else on disk for files of installed packages; bare ones through
   * {@link resolveBare}.
   */
  resolveSpec(from: string, spec: string): string | undefined {
    if (typeof spec !== 'string') return undefined;
    if (!isRelative(spec)) return this.resolveBare(from, spec);
    let bases = this.bases.get(from);
    if (!bases) this.bases.set(from, (bases = new Map()));
    let base = bases.get(spec);
    if (base === undefined) bases.set(spec, (base = path.resolve(path.dirname(from), spec)));
    if (this.specCache.has(base)) {
      const hit = this.specCache.get(base);
      if (hit) this.ix.used(from, hit);
      return hit;
    }
    const stem = base.replace(/\.[cm]?jsx?$/, '');
    const candidates = [base, ...exts.map((e) => base + e), ...exts.map((e) => stem + e)];
    candidates.push(...exts.map((e) => path.join(base, 'index' + e)));
    const found =
      candidates.find((c) => this.summaries.has(c)) ??
      (this.isDependency(from) ? this.deps?.relative(from, spec) : undefined);
    this.specCache.set(base, found);
    if (found) this.ix.used(from, found);
    return found;
  }

  /** A package specifier: into installed packages, unless the config turns that off. */
  private resolveBare(from: string, spec: string): string | undefined {
    if (!this.deps || this.config(from)?.followDependencies === false) return undefined;
    return this.deps.bare(from, spec);
  }

  /** A file of an installed package (not one of the project's). */
  private isDependency(file: string): boolean {
    return this.deps !== undefined && !this.summaries.has(file);
  }

  private resolveTarget(file: string, t: CallTarget, depth = 0): Resolved | undefined {
    if (t.kind === 'api') return { hit: t.hit };
    if (t.kind === 'fn') return { file, fn: t.fn };
    if (t.kind === 'class' || t.kind === 'inst') {
      return { file, cls: t.cls, inst: t.kind === 'inst' };
    }
    const target = this.resolveSpec(file, t.spec);
    return target ? this.resolveExport(target, t.path, depth) : undefined;
  }

  /**
   * Export path `p` of `file`: a name, then (through a class) `()` for an instance and a method
   * name: `['UsersService', 'loadSeed']`, `['users', 'findAll']`, `['()', 'findAll']` (the
   * module itself is the class).
   */
  private resolveExport(file: string, p: readonly string[], depth: number): Resolved | undefined {
    const s = this.summaries.get(file);
    if (!s || depth > 25) return undefined;
    let parts = p;
    if (parts[0] === 'default' && parts.length > 1 && !Object.hasOwn(s.exports, 'default')) {
      parts = parts.slice(1);
    }
    if (parts[0] === '()') parts = ['', ...parts];
    const name = parts[0] ?? '';
    const rest = parts.slice(1);
    const names = name === '' ? ['=', 'default'] : name === 'default' ? ['default', '='] : [name];
    for (const n of names) {
      const t = Object.hasOwn(s.exports, n) ? s.exports[n] : undefined;
      if (!t) continue;
      if (t.kind === 'import' && rest.length) {
        const next = this.resolveSpec(file, t.spec);
        return next ? this.resolveExport(next, [...t.path, ...rest], depth + 1) : undefined;
      }
      const r = this.resolveTarget(file, t, depth + 1);
      return rest.length ? this.descend(r, rest, depth + 1) : r;
    }
    for (const star of s.stars) {
      const next = this.resolveSpec(file, star);
      const r = next && this.resolveExport(next, parts, depth + 1);
      if (r) return r;
    }
    // `module.exports = new X()` (or a class): its methods are the module's names.
    const whole = Object.hasOwn(s.exports, '=') ? s.exports['='] : undefined;
    if (name && (whole?.kind === 'class' || whole?.kind === 'inst')) {
      return this.descend(this.resolveTarget(file, whole, depth + 1), parts, depth + 1);
    }
    return undefined;
  }

  /** `()` and method names applied to a class or an instance. */
  private descend(
    r: Resolved | undefined,
    rest: readonly string[],
    depth: number,
  ): Resolved | undefined {
    for (const part of rest) {
      if (r && 'fn' in r && (part === 'call' || part === 'apply')) continue;
      if (!r || !('cls' in r)) return undefined;
      if (part === '()') r = r.inst ? undefined : { ...r, inst: true };
      else r = this.methodOf(r.file, r.cls, part, r.inst, depth);
    }
    return r;
  }

  /** Method `name` of class `cls` of `file`, its own or inherited (also across files). */
  private methodOf(
    file: string,
    cls: number,
    name: string,
    inst: boolean,
    depth: number,
  ): Resolved | undefined {
    const c = this.summaries.get(file)?.classes?.[cls];
    if (!c || depth > 25) return undefined;
    const table = inst ? c.methods : c.statics;
    if (Object.hasOwn(table, name)) return { file, fn: table[name]!, method: true };
    const b = c.base && this.resolveTarget(file, c.base, depth + 1);
    if (!b || !('cls' in b) || b.inst) return undefined;
    return this.methodOf(b.file, b.cls, name, inst, depth + 1);
  }

  /** Effective severity of a hit in `file`, or undefined when the config turns it off. */
  private severity(file: string, hit: ApiHit): Severity | undefined {
    const cfg = this.config(file);
    if (hit.category === 'threadpool' && cfg?.threadpool === false) return undefined;
    const s = cfg?.severity?.[hit.rule] ?? cfg?.severity?.[hit.category] ?? hit.severity;
    return s === 'off' ? undefined : s;
  }

  private active(file: string, call: CallSite, hit: ApiHit): boolean {
    const s = this.summaries.get(file);
    if (silences(call.suppressed, hit.rule) || silences(s?.fileSuppressed, hit.rule)) return false;
    return this.severity(file, hit) !== undefined;
  }

  /** The first chain by which sync function `fn` of `file` reaches a blocking API, or null. */
  blocking(file: string, fn: number): Chain | null {
    const memo = this.ix.memoOf(file);
    const known = memo.get(fn);
    if (known !== undefined) return known;
    memo.set(fn, null); // cycle guard: a function in progress does not block (yet)
    const f = this.summaries.get(file)?.fns[fn];
    let result: Chain | null = null;
    // A package's async function blocks its caller too: nobody reports inside the package.
    const followed = f && (!f.isAsync || this.isDependency(file));
    if (f && followed && !f.worker && !this.ix.isWorker(file)) {
      for (const call of f.calls) {
        if (call.target.kind === 'api' && call.target.hit.local) continue;
        result = this.chainOf(file, call);
        if (result) break;
      }
    }
    memo.set(fn, result);
    return result;
  }

  private chainOf(file: string, call: CallSite): Chain | null {
    const r = this.resolveTarget(file, call.target);
    if (!r || 'cls' in r) return null;
    const method = 'fn' in r && (call.method || r.method);
    const name = method ? (this.summaries.get(r.file)?.fns[r.fn]?.name ?? call.name) : call.name;
    const step = { file, line: call.line, column: call.column, name };
    if ('hit' in r) {
      return this.active(file, call, r.hit)
        ? { steps: [{ ...step, name: r.hit.api }], hit: r.hit }
        : null;
    }
    if (this.config(file)?.followCalls === false && !call.inline) return null;
    const sub = this.blocking(r.file, r.fn);
    if (!sub || silences(call.suppressed, sub.hit.rule)) return null;
    return { steps: call.inline ? sub.steps : [step, ...sub.steps], hit: sub.hit };
  }

  /** Why function `fn` of `file` runs on the event loop, or undefined. */
  context(file: string, fn: number, depth = 0): string | undefined {
    const s = this.summaries.get(file);
    const f = s?.fns[fn];
    if (!f || f.worker || this.ix.isWorker(file) || depth > 50) return undefined;
    if (f.isAsync) return `async ${f.name}`;
    if (f.eventLoop) return f.eventLoop;
    const reg = this.ix.registration(`${file}#${fn}`);
    if (reg) return reg;
    if (f.inherits && f.parent >= 0) return this.context(file, f.parent, depth + 1);
    return undefined;
  }

  private config(file: string): LoopLensConfig | undefined {
    if (this.configs.has(file)) return this.configs.get(file);
    const c = this.configOf(file);
    this.configs.set(file, c);
    return c;
  }

  /** Findings of one file. */
  findings(file: string): Finding[] {
    this.configs.clear();
    const s = this.summaries.get(file);
    if (!s) return [];
    const out: Finding[] = [];
    s.fns.forEach((f, i) => {
      const ctx = this.context(file, i);
      if (!ctx) return;
      for (const call of f.calls) {
        if (call.inline) continue;
        const chain = this.chainOf(file, call);
        if (!chain) continue;
        const severity = this.severity(file, chain.hit) ?? chain.hit.severity;
        out.push(findingOf(file, call, chain, ctx, severity));
      }
    });
    return out;
  }
}
