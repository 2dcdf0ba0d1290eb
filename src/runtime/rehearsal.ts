/**
 * A made-up stall the attributor names once when it is made, off any stall's path: the first
 * real stall used to pay for running the naming code for the first time (V8 compiles each
 * function on its first call and learns its shapes): 5-15 ms of its wall time in the bench at
 * load 12-18, where later stalls of known shapes take under 1 ms. Its frames point at a file that
 * does not exist, in a package that does not exist: nothing is read, nothing is kept but a few
 * cache entries for those names.
 */
import type { RawFrame } from './rawFrames';
import { ProfileStore } from './profileStore';

const DIR = '/nonexistent-loop-lens-rehearsal';
const USER = `file://${DIR}/app.js`;
const DEP = `file://${DIR}/node_modules/dep/index.js`;

/** A profile of one blocked second: node:internal → the user's `save` → the package's `write`. */
export function rehearsalProfile(): { store: ProfileStore; weights: Map<number, number> } {
  const cf = (functionName: string, url: string, lineNumber: number) => ({
    functionName,
    scriptId: '0',
    url,
    lineNumber,
    columnNumber: 0,
  });
  const store = new ProfileStore();
  store.append({
    nodes: [
      { id: 1, callFrame: cf('(root)', '', -1), children: [2] },
      { id: 2, callFrame: cf('processTicksAndRejections', 'node:internal/x', 1), children: [3] },
      { id: 3, callFrame: cf('save', USER, 4), children: [4] },
      {
        id: 4,
        callFrame: cf('write', DEP, 9),
        children: [],
        positionTicks: [
          { line: 10, ticks: 3 },
          { line: 11, ticks: 1 },
        ],
      },
    ],
    startTime: 0,
    endTime: 1_000_000,
    samples: [4, 4],
    timeDeltas: [500_000, 500_000],
  });
  const leaf = [...store.nodes.values()].find((n) => n.callFrame.functionName === 'write');
  return { store, weights: new Map(leaf ? [[leaf.id, 1_000_000]] : []) };
}

/** The same stall as a probe's stack (watch mode). */
export function rehearsalFrames(): RawFrame[] {
  const f = (functionName: string, url: string, line0: number): RawFrame => ({
    functionName,
    url,
    line0,
    col0: 2,
    isDefinition: false,
  });
  return [f('write', DEP, 10), f('save', USER, 5), f('', 'node:internal/x', 1)];
}
