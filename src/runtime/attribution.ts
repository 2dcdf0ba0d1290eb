/**
 * Turns profile nodes (profile mode) or paused call frames (watch mode) into the stall's stack,
 * mapped through source maps, and picks the blame: the deepest frame in the user's own code
 * (not `node:` internals, not node_modules unless nothing else), at the line that blocked.
 */
import type { LineSource, StackFrame } from '../shared/protocol/runtime';
import { describeStack } from './blameDetails';
import { hottestLine } from './hotLines';
import { nodeFrame, type Attribution, type RawFrame, type StallWindow } from './rawFrames';

export { hottestLine } from './hotLines';
export { kindOfFrames } from './rawFrames';
export type { Attribution, RawFrame } from './rawFrames';
import { withCallersSeen } from './callbackCallers';
import {
  findBlockingLine,
  findRequireLine,
  functionEdgeLines,
  preloadStaticFinder,
} from './callSite';
import { kindOfStack } from './operation';
import { PackageResolver, packageRootOf } from './packages';
import type { ProfileStore } from './profileStore';
import type { SourceMapResolver } from './sourceMaps';
import { isLocalFile } from './sourceMaps';
import { heaviestBlamedLeaf, isAgentFrame } from './stallAnalysis';
import { StepClock } from './attributionSteps';
import { rehearsalFrames, rehearsalProfile } from './rehearsal';
import { FramePaths } from './framePaths';
import { FileWarmer, MAX_FILE_BYTES } from './warmUp';
import { warmCodeLines } from './codeLines';

export class Attributor extends FramePaths {
  readonly packages = new PackageResolver();
  /** Stalls being attributed now: the warm-up waits meanwhile. */
  private attributing = 0;
  /** Reads the profile's scripts before a stall needs them (warmUp.ts), into the same caches. */
  readonly warmer = new FileWarmer({
    load: (p, pause) => this.warmOne(p, pause),
    busy: () => this.attributing > 0,
  });
  private warmedUpTo = 0;

  constructor(
    private readonly resolver: SourceMapResolver,
    roots: { localRoot?: string; remoteRoot?: string } = {},
  ) {
    super(roots);
    // At attach, not at the first stall that needs it (callSite.ts).
    preloadStaticFinder();
    setTimeout(() => void this.rehearse(), 0).unref();
  }

  /** Names a made-up stall once, so the first real one runs warm code (rehearsal.ts). */
  private async rehearse(): Promise<void> {
    const { store, weights } = rehearsalProfile();
    await this.safely(() => this.profileStack(store, weights, 0, 1_000_000, new StepClock(false)));
    await this.safely(() => this.map(rehearsalFrames(), undefined));
  }

  /** Queues the local files of the profile nodes added since the last call (warmUp.ts). */
  warmFrom(store: ProfileStore): void {
    const files = new Set<string>();
    for (let id = this.warmedUpTo + 1; store.nodes.has(id); id++, this.warmedUpTo++) {
      const url = store.nodes.get(id)!.callFrame.url;
      if (this.rank(url) > 0) files.add(this.toPath(url));
    }
    this.warmer.add(files);
  }

  /** Reads a local file's text, source map and package.json into the caches a stall reads. */
  private prefetch(file: string): Promise<unknown> {
    return Promise.all([this.resolver.prepare(file), this.packages.of(file)]);
  }

  /** Prefetches a file and indexes its call sites (not a bundle's), a slice at a time. */
  private async warmOne(file: string, pause: () => Promise<void>): Promise<void> {
    await this.prefetch(file);
    const text = await this.resolver.text(file);
    if (text && text.length <= MAX_FILE_BYTES) await warmCodeLines(text, pause);
  }

  /**
   * The files of a stack the probe took while the loop was blocked: read and indexed now, while
   * the target is still stalled, so that naming the stall once it ends finds them ready (each
   * once; a stall's own reads are these same cached promises; indexing pauses while one is named).
   */
  prefetchStack(frames: readonly RawFrame[]): void {
    const files = new Set(frames.map((f) => this.toPath(f.url)).filter((p) => isLocalFile(p)));
    for (const p of files) void this.warmOne(p, () => this.idleTurn()).catch(() => undefined);
  }

  private async idleTurn(): Promise<void> {
    do await new Promise<void>((r) => setImmediate(r));
    while (this.attributing > 0);
  }

  /** Local script files (paths as the target knows them) the target has loaded (warmUp.ts). */
  warmFiles(files: readonly string[]): void {
    this.warmer.add(files.filter((f) => this.rank(f) > 0).map((f) => this.toPath(f)));
  }

  /**
   * The stack of the stall window: the heaviest blamed frame's heaviest leaf. Never throws: a
   * stall whose details cannot be worked out keeps its time and kind, without them.
   */
  fromProfile(
    store: ProfileStore,
    weights: Map<number, number>,
    startUs: number,
    endUs: number,
  ): Promise<Attribution> {
    return this.safely(() => this.profileStack(store, weights, startUs, endUs));
  }

  /** Watch mode (and profile mode's probe): frames of a stack the probe took. Never throws. */
  fromPaused(frames: RawFrame[]): Promise<Attribution> {
    return this.safely(async () => {
      const ph = new StepClock();
      const a = await this.map(
        frames.filter((f) => !isAgentFrame(f.url)),
        undefined,
        undefined,
        ph,
      );
      ph.report('paused');
      return a;
    });
  }

  /** Each distinct failure is reported once (a recording's warnings), not once per stall. */
  private readonly failures = new Set<string>();

  private async safely(attribute: () => Promise<Attribution>): Promise<Attribution> {
    try {
      return await attribute();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!this.failures.has(message) && this.failures.size < 20) {
        this.failures.add(message);
        this.resolver.onWarning(
          `a stall's operation, package and line could not be worked out (${message}); the stall is kept without them`,
        );
      }
      return { stack: [] };
    }
  }

  private async profileStack(
    store: ProfileStore,
    weights: Map<number, number>,
    startUs: number,
    endUs: number,
    ph = new StepClock(),
  ): Promise<Attribution> {
    const best = heaviestBlamedLeaf(store, weights, (frames) => this.blameIndex(frames));
    if (best === undefined) return { stack: [] };
    ph.lap('group');
    const nodes = store.stackOf(best);
    const raw = nodes.map((n) => nodeFrame(n));
    const ticks = store.lineTicks(best, startUs, endUs);
    const leaf = raw[0];
    const text =
      ticks.size > 1 && leaf ? await this.resolver.text(this.toPath(leaf.url)) : undefined;
    const edges = text ? functionEdgeLines(text, leaf.line0 + 1) : undefined;
    ph.lap('leafText');
    const a = await this.map(raw, hottestLine(ticks, edges), { store, startUs, endUs }, ph);
    // The stack begins in the package it ran in (a callback the loop called): it cannot say
    // who asked for the work; the callers the profile saw can (callbackCallers.ts).
    const root = (u: string) => packageRootOf(this.toPath(u));
    const starts = a.package && a.package.chain[0]?.name === a.package.name;
    const seen = starts && withCallersSeen(store, nodes, (u) => this.rank(u), root);
    ph.lap('callers');
    const via = seen && (await this.map(seen.map(nodeFrame), undefined, undefined, ph));
    ph.report('profile');
    return via && via.package ? { ...a, package: via.package } : a;
  }

  private async map(
    raw: RawFrame[],
    leafLine1: number | undefined,
    window?: StallWindow,
    ph?: StepClock,
  ): Promise<Attribution> {
    this.attributing++;
    return this.mapNow(raw, leafLine1, window, ph).finally(() => this.attributing--);
  }

  private async mapNow(
    raw: RawFrame[],
    leafLine1: number | undefined,
    window: StallWindow | undefined,
    ph?: StepClock,
  ): Promise<Attribution> {
    const stack: StackFrame[] = [];
    const bi = this.blameIndex(raw);
    let lineSource: LineSource | undefined;
    // A stack's files (text, source map, package.json) are read at once and awaited once: one
    // wait per frame let the recorder's other work in each time (bench: p95 30-60 ms at load 10).
    const files = new Set(raw.map((f) => this.toPath(f.url)).filter((p) => isLocalFile(p)));
    await Promise.all([...files].flatMap((p) => [this.resolver.prepare(p), this.packages.of(p)]));
    ph?.lap('files');
    for (let i = 0; i < raw.length; i++) {
      const m = await this.mapFrame(raw, i, i === 0 ? leafLine1 : undefined, i === bi, window);
      stack.push(m.frame);
      if (i === bi) lineSource = m.source;
    }
    ph?.lap('frames');
    const details = await describeStack(raw, stack, bi, this.packages, this.resolver);
    ph?.lap('details');
    return {
      stack,
      ...(bi !== undefined ? { blame: stack[bi], lineSource } : {}),
      ...(raw.length ? { kind: kindOfStack(raw) } : {}),
      ...details,
    };
  }

  /** Original lines where a profile frame's own code ran in the stall window (its ticks). */
  private async ranLines(
    f: RawFrame,
    file: string,
    w: StallWindow | undefined,
  ): Promise<Set<number>> {
    const ticks = w && f.nodeId !== undefined && w.store.lineTicks(f.nodeId, w.startUs, w.endUs);
    const lines = new Set<number>();
    for (const l of ticks ? ticks.keys() : []) {
      lines.add((await this.resolver.original(file, l)).line);
    }
    return lines;
  }

  private async mapFrame(
    raw: RawFrame[],
    i: number,
    leafLine1: number | undefined,
    blamed: boolean,
    window: StallWindow | undefined,
  ): Promise<{ frame: StackFrame; source?: LineSource }> {
    const f = raw[i];
    const functionName = f.functionName || '(anonymous)';
    const file = this.toPath(f.url);
    if (!file) return { frame: { functionName, file: '(native)', line: 0, column: 0 } };
    if (!isLocalFile(file)) {
      return { frame: { functionName, file, line: f.line0 + 1, column: f.col0 + 1 } };
    }
    if (!f.isDefinition) {
      const p = await this.resolver.original(file, f.line0 + 1, f.col0);
      return {
        frame: { functionName, file: p.file, line: p.line, column: p.column },
        source: 'stack',
      };
    }
    if (leafLine1 !== undefined) {
      const p = await this.resolver.original(file, leafLine1);
      return {
        frame: { functionName, file: p.file, line: p.line, column: p.column },
        source: 'profile',
      };
    }
    // A non-leaf frame (or a leaf without ticks): find the call into the next frames in its body
    // (the static engine helps only for the blamed frame, the line people act on). Module
    // top-level code is a function without a name that starts at the file's very start.
    const def = await this.resolver.original(file, f.line0 + 1, f.col0);
    const topLevel = !f.functionName && f.line0 === 0 && f.col0 === 0;
    const callees = raw
      .slice(Math.max(0, i - 8), i)
      .reverse()
      .map((c) => c.functionName)
      .filter((n, k, all) => n && all.indexOf(n) === k);
    const text = await this.resolver.originalText(file, def.file);
    // Loading a package (`require` at the top of a module): the require of that package.
    const loading = callees[0] === 'require' ? this.loadingPackage(raw, i) : undefined;
    const required = text && loading ? findRequireLine(text, loading) : undefined;
    const line =
      required ??
      (text && i > 0
        ? await findBlockingLine(
            text,
            def.file,
            topLevel ? 0 : def.line,
            f.functionName,
            callees,
            blamed,
            await this.ranLines(f, file, window),
          )
        : undefined);
    return {
      frame: {
        functionName,
        file: def.file,
        line: line ?? def.line,
        column: line ? 1 : def.column,
      },
      source: line ? 'static' : 'definition',
    };
  }
}
