/**
 * Who asked for the work of a callback. A stall whose stack starts in a package's callback,
 * entered from the event loop with no user code on it (steno writing the data it queued, from its
 * `fs.rename` callback), does not show the package that handed that data over (lowdb). The
 * profile saw the same package code called the other way, from its callers (steno's
 * `Writer.write` from its `writeFile`, from pify, from lowdb's `write`): those callers are where
 * the stall's package is named (blameDetails.ts), not its stack or its blamed line.
 */
import type { ProfileStore, StoreNode } from './profileStore';

type Rank = 0 | 1 | 2;

const sameFrame = (a: StoreNode, b: StoreNode): boolean =>
  a.callFrame.url === b.callFrame.url &&
  a.callFrame.functionName === b.callFrame.functionName &&
  a.callFrame.lineNumber === b.callFrame.lineNumber &&
  a.callFrame.columnNumber === b.callFrame.columnNumber;

/**
 * `nodes` (innermost first) with the callers the profile saw for its outermost package's code
 * in place of the event loop's frames, or `undefined` when the stack is not such a callback's
 * (user code on it, no package, or something besides Node outer to the package) or the
 * profile saw no other caller. `rank` is the attributor's (2 user code, 1 a package, 0 Node).
 */
export function withCallersSeen(
  store: ProfileStore,
  nodes: readonly StoreNode[],
  rank: (url: string) => Rank,
  packageOf: (url: string) => string | undefined,
): StoreNode[] | undefined {
  const ranks = nodes.map((n) => rank(n.callFrame.url));
  if (ranks.includes(2)) return undefined;
  const outer = ranks.lastIndexOf(1);
  if (outer < 0) return undefined;
  const pkg = packageOf(nodes[outer].callFrame.url);
  // The package's outermost stretch, inward from the callback the loop called.
  for (let k = outer - 1; k >= 0 && packageOf(nodes[k].callFrame.url) === pkg; k--) {
    const here = nodes[k];
    for (const other of store.nodes.values()) {
      if (other === here || !sameFrame(other, here) || other.parent === undefined) continue;
      const parent = store.nodes.get(other.parent);
      if (!parent || sameFrame(parent, nodes[k + 1])) continue;
      const callers = store.stackOf(other.id);
      // Only callers that reach out of the package (else it is another callback of its own).
      if (!callers.some((c) => rank(c.callFrame.url) === 1 && packageOf(c.callFrame.url) !== pkg)) {
        continue;
      }
      return [...nodes.slice(0, k), ...callers];
    }
  }
  return undefined;
}
