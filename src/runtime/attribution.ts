/**
 * Turns profile nodes (profile mode) or paused call frames (watch mode) into the stall's stack,
 * mapped through source maps, and picks the blame: the deepest frame in the user's own code
 * (not `node:` internals, not node_modules unless nothing else), at the line that blocked.
 */
import type {
  Blame,
  CodeStallKind,
  LineSource,
  StackFrame,
  StallKind,
  StallPackage,
} from '../shared/protocol/runtime';
import { describeStack } from './blameDetails';
import { hottestLine } from './hotLines';
/** The profile and stall window a stall is mapped in (a frame's own line ticks come from it). */
interface StallWindow {
  store: ProfileStore;
  startUs: number;
  endUs: number;
}

export { hottestLine } from './hotLines';
import { withCallersSeen } from './callbackCallers';
import {
  findBlockingLine,
  findRequireLine,
  functionEdgeLines,
  preloadStaticFinder,
} from './callSite';
import { kindOfStack } from './operation';
import { PackageResolver, packageRootOf } from './packages';
import type { ProfileStore, StoreNode } from './profileStore';
import type { SourceMapResolver } from './sourceMaps';
import { isLocalFile } from './sourceMaps';
import { isAgentFrame } from './stallAnalysis';
import { FramePaths } from './framePaths';
import { FileWarmer } from './warmUp';
import { warmCodeLines } from './codeLines';

/** A frame before mapping: 0-based generated position. */
export interface RawFrame {
  functionName: string;
  url: string;
  line0: number;
  col0: number;
  /** Profile node: the position is where the function is defined, not the executing line. */
  isDefinition: boolean;
  nodeId?: number;
}

export interface Attribution {
  stack: StackFrame[];
  blame?: Blame;
  /** Where the blamed line came from. */
  lineSource?: LineSource;
  /** The kind of this stack's shape (operation.ts): one cause, one kind. */
  kind?: CodeStallKind;
  operation?: string;
  /** The operation is a Node API, a V8 built-in or GC, not merely a function's name. */
  operationNamed?: boolean;
  package?: StallPackage;
}

export class Attributor extends FramePaths {
  readonly packages = new PackageResolver();
  /** Stalls being attributed now: the warm-up waits meanwhile. */
  private attributing = 0;
  /** Reads the profile's scripts before a stall needs them (warmUp.ts), into the same caches. */
  readonly warmer = new FileWarmer({
    load: async (p) => {
      await Promise.all([this.resolver.prepare(p), this.packages.of(p)]);
      const text = await this.resolver.text(p);
      if (text) warmCodeLines(text);
    },
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

  /** The stack of the stall window: the heaviest blamed frame's heaviest leaf. */
  async fromProfile(
    store: ProfileStore,
    weights: Map<number, number>,
    startUs: number,
    endUs: number,
  ): Promise<Attribution> {
    const byBlame = new Map<string, { w: number; leaf: number; leafW: number }>();
    for (const [id, w] of weights) {
      const stack = store.stackOf(id);
      const leafName = stack[0]?.callFrame.functionName ?? '';
      if (!stack.length || leafName === '(idle)' || isAgentFrame(stack[0].callFrame.url)) continue;
      const bi = this.blameIndex(stack.map((n) => n.callFrame));
      const key = bi === undefined ? 'none' : String(stack[bi].id);
      // Frames without a stack (GC, program) count for the kind, not for the blame.
      if (key === 'none' && stack.length === 1) continue;
      const e = byBlame.get(key) ?? { w: 0, leaf: id, leafW: -1 };
      e.w += w;
      if (w > e.leafW) {
        e.leaf = id;
        e.leafW = w;
      }
      byBlame.set(key, e);
    }
    // The heaviest group with a blamed frame, unless frames without one (V8 machinery, Node
    // internals) outweigh it four to one.
    let best: { w: number; leaf: number } | undefined;
    let none: { w: number; leaf: number } | undefined;
    for (const [k, e] of byBlame) {
      if (k === 'none') none = e;
      else if (!best || e.w > best.w) best = e;
    }
    if (!best || (none && none.w > 4 * best.w)) best = none;
    if (!best) return { stack: [] };
    const nodes = store.stackOf(best.leaf);
    const raw = nodes.map((n) => nodeFrame(n));
    const ticks = store.lineTicks(best.leaf, startUs, endUs);
    const leaf = raw[0];
    const text =
      ticks.size > 1 && leaf ? await this.resolver.text(this.toPath(leaf.url)) : undefined;
    const edges = text ? functionEdgeLines(text, leaf.line0 + 1) : undefined;
    const a = await this.map(raw, hottestLine(ticks, edges), { store, startUs, endUs });
    // The stack begins in the package it ran in (a callback the loop called): it cannot say
    // who asked for the work; the callers the profile saw can (callbackCallers.ts).
    const root = (u: string) => packageRootOf(this.toPath(u));
    const starts = a.package && a.package.chain[0]?.name === a.package.name;
    const seen = starts && withCallersSeen(store, nodes, (u) => this.rank(u), root);
    const via = seen && (await this.map(seen.map(nodeFrame), undefined));
    return via && via.package ? { ...a, package: via.package } : a;
  }

  /** Watch mode: frames of a `Debugger.paused` event, positions already exact. */
  fromPaused(frames: RawFrame[]): Promise<Attribution> {
    return this.map(
      frames.filter((f) => !isAgentFrame(f.url)),
      undefined,
    );
  }

  /** The package whose files frames inner to `i` run in (the nearest), if any. */
  private loadingPackage(raw: RawFrame[], i: number): string | undefined {
    for (let k = i - 1; k >= 0; k--) {
      const root = packageRootOf(this.toPath(raw[k].url));
      if (root) return root.slice(root.lastIndexOf('/node_modules/') + 14);
    }
    return undefined;
  }

  private async map(
    raw: RawFrame[],
    leafLine1: number | undefined,
    window?: StallWindow,
  ): Promise<Attribution> {
    this.attributing++;
    return this.mapNow(raw, leafLine1, window).finally(() => this.attributing--);
  }

  private async mapNow(
    raw: RawFrame[],
    leafLine1: number | undefined,
    window: StallWindow | undefined,
  ): Promise<Attribution> {
    const stack: StackFrame[] = [];
    const bi = this.blameIndex(raw);
    let lineSource: LineSource | undefined;
    // A stack's files (text, source map, package.json) are read at once and awaited once: one
    // wait per frame let the recorder's other work in each time (bench: p95 30-60 ms at load 10).
    const files = new Set(raw.map((f) => this.toPath(f.url)).filter((p) => isLocalFile(p)));
    await Promise.all([...files].flatMap((p) => [this.resolver.prepare(p), this.packages.of(p)]));
    for (let i = 0; i < raw.length; i++) {
      const m = await this.mapFrame(raw, i, i === 0 ? leafLine1 : undefined, i === bi, window);
      stack.push(m.frame);
      if (i === bi) lineSource = m.source;
    }
    const details = await describeStack(raw, stack, bi, this.packages, this.resolver);
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

function nodeFrame(n: StoreNode): RawFrame {
  const cf = n.callFrame;
  return {
    functionName: cf.functionName,
    url: cf.url,
    line0: cf.lineNumber,
    col0: cf.columnNumber,
    isDefinition: true,
    nodeId: n.id,
  };
}

/** Kind of a probe's stack, by its shape (operation.ts), the same rules as the profile's. */
export function kindOfFrames(frames: RawFrame[]): StallKind {
  return kindOfStack(frames);
}
