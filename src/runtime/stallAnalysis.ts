/**
 * Pure analysis of a stall window in the merged profile: where the blocked run of samples
 * starts and ends, how its time splits over profile nodes, and what kind of stall it was.
 *
 * A sample's time belongs to the interval BEFORE it (its timeDelta): a 200 ms `readFileSync`
 * yields one sample whose delta covers the whole read. So sample i covers (t[i-1], t[i]].
 */
import type { CodeStallKind, StallKind } from '../shared/protocol/runtime';
import type { ProfileStore, StoreNode } from './profileStore';
import { AGENT_SOURCE_URL } from './agent';
import { isSyncIoFrame, kindOfStack } from './operation';

export interface StallWindow {
  startUs: number;
  endUs: number;
  /** Blocked time (µs) per merged node id. */
  weights: Map<number, number>;
}

const SPECIAL = new Set(['(root)', '(program)', '(idle)', '(garbage collector)']);

export function isIdle(n: StoreNode | undefined): boolean {
  return n?.callFrame.functionName === '(idle)';
}

/**
 * The longest run of non-idle samples inside [sUs, eUs], clipped to that window. `undefined`
 * when it is shorter than `minUs` (the loop was not blocked by the target's own work, e.g. the
 * process was descheduled). A sample interval of `stuckUs` or more means the sampler was held
 * off (a long syscall); see below for where its time goes.
 */
export function findBlockedRun(
  store: ProfileStore,
  sUs: number,
  eUs: number,
  minUs: number,
  stuckUs = Infinity,
): StallWindow | undefined {
  const ts = store.timestamps;
  let best: { a: number; b: number; from: number; to: number } | undefined;
  let runFrom = -1;
  const close = (to: number) => {
    if (runFrom < 0) return;
    const a = Math.max(sUs, runFrom > 0 ? ts[runFrom - 1] : (store.startTime ?? ts[0]));
    const b = Math.min(eUs, ts[to]);
    if (b > a && (!best || b - a > best.b - best.a)) best = { a, b, from: runFrom, to };
    runFrom = -1;
  };
  let i = store.firstAfter(sUs);
  for (; i < ts.length && (i === 0 || ts[i - 1] < eUs); i++) {
    if (isIdle(store.nodes.get(store.samples[i]))) close(i - 1);
    else if (runFrom < 0) runFrom = i;
  }
  close(i - 1);
  if (!best || best.b - best.a < minUs) return undefined;
  const weights = new Map<number, number>();
  let lastCode: number | undefined;
  for (let k = best.from; k <= best.to; k++) {
    const a = Math.max(best.a, k > 0 ? ts[k - 1] : best.a);
    const b = Math.min(best.b, ts[k]);
    let id = store.samples[k];
    const inScript = hasScriptFrame(store, id);
    // The sampler was held off for many periods (a long syscall) and the sample that ends the
    // wait shows no script at all ((program), a timer re-arm after the call returned): the
    // time belongs to the code the previous sample of this run was in, which made the call.
    if (inScript) lastCode = id;
    else if (b - a >= stuckUs && lastCode !== undefined && !isGc(store, id)) id = lastCode;
    if (b > a) weights.set(id, (weights.get(id) ?? 0) + (b - a));
  }
  return { startUs: best.a, endUs: best.b, weights };
}

function isGc(store: ProfileStore, id: number): boolean {
  return store.nodes.get(id)?.callFrame.functionName === '(garbage collector)';
}

/** Whether the sample's stack holds a frame of a script outside Node's internals and ours. */
function hasScriptFrame(store: ProfileStore, id: number): boolean {
  return store
    .stackOf(id)
    .some(
      (n) =>
        !!n.callFrame.url && !n.callFrame.url.startsWith('node:') && !isAgentFrame(n.callFrame.url),
    );
}

export { isSyncIoFrame };

export function isAgentFrame(url: string): boolean {
  return url === AGENT_SOURCE_URL;
}

/** Category of one sample, from its leaf node and ancestry. */
export function sampleKind(store: ProfileStore, nodeId: number): CodeStallKind {
  const node = store.nodes.get(nodeId);
  if (!node) return 'native';
  const name = node.callFrame.functionName;
  if (name === '(garbage collector)') return 'gc';
  // V8's own machinery: discounted by `classify` unless it is all there is.
  if (isMachinery(node.callFrame)) return 'native';
  return kindOfStack(store.stackOf(nodeId).map((n) => n.callFrame));
}

/** The kind with the most time; `gc` only when it is most of the stall. */
export function classify(
  store: ProfileStore,
  weights: Map<number, number>,
  minSyncIoUs = Infinity,
): StallKind {
  return classifyShares(store, weights, minSyncIoUs).kind;
}

/** A share under this is noise (a few samples), not a second cause worth naming. */
const MIN_SHARE = 0.1;

/**
 * The stall's kind, and each kind's share of its time when it mixed causes (two or more kinds
 * with at least a tenth each, largest first; empty otherwise).
 */
export function classifyShares(
  store: ProfileStore,
  weights: Map<number, number>,
  minSyncIoUs = Infinity,
): { kind: CodeStallKind; shares: Array<{ kind: CodeStallKind; share: number }> } {
  const per = new Map<CodeStallKind, number>();
  let total = 0;
  for (const [id, w] of weights) {
    const k = sampleKind(store, id);
    per.set(k, (per.get(k) ?? 0) + w);
    total += w;
  }
  const gcUs = per.get('gc') ?? 0;
  // A sync call that blocked for a threshold's worth is the actionable cause, even when the GC
  // that frees its buffers took longer.
  const gcWins = gcUs > total / 2 && (per.get('sync-io') ?? 0) < minSyncIoUs;
  // `(program)` is V8's own machinery (microtask queue, IC misses): it says nothing about the
  // cause unless it is all there is.
  const others = [...per.keys()].filter((k) => k !== 'gc');
  if (others.length > 1 || (others.length === 1 && others[0] !== 'native')) {
    const native = (per.get('native') ?? 0) - programWeight(store, weights);
    if (native > 0) per.set('native', native);
    else per.delete('native');
  }
  let best: CodeStallKind = 'cpu';
  let bestW = -1;
  for (const [k, w] of per) {
    if (k !== 'gc' && w > bestW) {
      best = k;
      bestW = w;
    }
  }
  const sum = [...per.values()].reduce((a, b) => a + b, 0);
  const shares = [...per]
    .map(([kind, w]) => ({ kind, share: sum > 0 ? Math.round((w / sum) * 100) / 100 : 0 }))
    .filter((x) => x.share >= MIN_SHARE)
    .sort((a, b) => b.share - a.share);
  return { kind: gcWins ? 'gc' : best, shares: shares.length > 1 ? shares : [] };
}

/** V8's own machinery: `(program)` and the microtask runner (async continuations sit above it). */
function isMachinery(cf: { functionName: string; url: string } | undefined): boolean {
  return (
    !!cf && (cf.functionName === '(program)' || (cf.functionName === 'runMicrotasks' && !cf.url))
  );
}

function programWeight(store: ProfileStore, weights: Map<number, number>): number {
  let w = 0;
  for (const [id, v] of weights) {
    if (isMachinery(store.nodes.get(id)?.callFrame)) w += v;
  }
  return w;
}

/**
 * The node whose stack stands for the stall: the one with the most time among nodes that have
 * a real frame (not GC, idle, program); falls back to the heaviest node of all.
 */
export function dominantNode(
  store: ProfileStore,
  weights: Map<number, number>,
): number | undefined {
  let best: number | undefined;
  let bestW = -1;
  let any: number | undefined;
  let anyW = -1;
  for (const [id, w] of weights) {
    const n = store.nodes.get(id);
    if (w > anyW) {
      any = id;
      anyW = w;
    }
    if (!n || SPECIAL.has(n.callFrame.functionName) || isAgentFrame(n.callFrame.url)) continue;
    if (w > bestW) {
      best = id;
      bestW = w;
    }
  }
  return best ?? any;
}

/**
 * The leaf node of the stall window's stack to blame: samples grouped by their blamed frame
 * (`blameIndex`: the deepest user frame, else the deepest package frame), the heaviest group
 * with a blamed frame, unless frames without one (V8 machinery, Node internals) outweigh it four
 * to one; in the group, its heaviest leaf. `undefined` when nothing but idle time weighed.
 */
export function heaviestBlamedLeaf(
  store: ProfileStore,
  weights: Map<number, number>,
  blameIndex: (frames: Array<{ url: string }>) => number | undefined,
): number | undefined {
  const byBlame = new Map<string, { w: number; leaf: number; leafW: number }>();
  for (const [id, w] of weights) {
    const stack = store.stackOf(id);
    const leafName = stack[0]?.callFrame.functionName ?? '';
    if (!stack.length || leafName === '(idle)' || isAgentFrame(stack[0].callFrame.url)) continue;
    const bi = blameIndex(stack.map((n) => n.callFrame));
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
  let best: { w: number; leaf: number } | undefined;
  let none: { w: number; leaf: number } | undefined;
  for (const [k, e] of byBlame) {
    if (k === 'none') none = e;
    else if (!best || e.w > best.w) best = e;
  }
  if (!best || (none && none.w > 4 * best.w)) best = none;
  return best?.leaf;
}
