import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withCallersSeen } from '../../../src/runtime/callbackCallers';
import { ProfileStore } from '../../../src/runtime/profileStore';
import { packageRootOf } from '../../../src/runtime/packages';

const NM = 'file:///app/node_modules';
type F = [string, string, number];

/** A profile of the given paths (outermost first), each a chain below the root. */
function storeOf(paths: F[][]): ProfileStore {
  let id = 1;
  const nodes = [{ id: 1, callFrame: cf('(root)', '', 0), children: [] as number[] }];
  const leaves: number[] = [];
  for (const path of paths) {
    let parent = nodes[0];
    for (const [fn, url, line] of path) {
      const n = { id: ++id, callFrame: cf(fn, url, line), children: [] as number[] };
      parent.children.push(n.id);
      nodes.push(n);
      parent = n;
    }
    leaves.push(parent.id);
  }
  const store = new ProfileStore();
  store.append({
    nodes,
    startTime: 0,
    endTime: 1000 * leaves.length,
    samples: leaves,
    timeDeltas: leaves.map(() => 1000),
  });
  return store;
}

function cf(functionName: string, url: string, lineNumber: number) {
  return { functionName, url, lineNumber, columnNumber: 0, scriptId: url ? '1' : '0' };
}

const rank = (url: string): 0 | 1 | 2 =>
  url.startsWith('node:') || !url ? 0 : url.includes('/node_modules/') ? 1 : 2;
const pkg = (url: string) => packageRootOf(url.replace('file://', ''));
const leafOf = (store: ProfileStore, fn: string, under: string) =>
  [...store.nodes.values()].find(
    (n) =>
      n.callFrame.functionName === fn &&
      store.stackOf(n.id).some((a) => a.callFrame.functionName === under),
  )!;

const writer: F = ['Writer.write', `${NM}/steno/index.js`, 18];
const below: F[] = [
  ['writeFile', `${NM}/graceful-fs/graceful-fs.js`, 130],
  ['writeFile', 'node:fs', 2290],
  ['from', 'node:buffer', 290],
];
const asked: F[] = [
  ['processTimers', 'node:internal/timers', 500],
  ['handle', `${NM}/express/lib/router/layer.js`, 85],
  ['write', `${NM}/lowdb/adapters/FileAsync.js`, 56],
  ['ret', `${NM}/pify/index.js`, 66],
  ['module.exports.writeFile', `${NM}/steno/index.js`, 67],
  writer,
  ...below,
];
const queued: F[] = [
  ['(anonymous)', 'node:fs', 186],
  ['(anonymous)', `${NM}/steno/index.js`, 43],
  writer,
  ...below,
];

test("a package's callback the loop called takes the callers the profile saw for its code", () => {
  const store = storeOf([asked, queued]);
  const stall = store.stackOf(leafOf(store, 'from', '(anonymous)').id);
  const seen = withCallersSeen(store, stall, rank, pkg)!;
  assert.deepEqual(
    seen.map((n) => n.callFrame.functionName),
    [...asked].reverse().map((f) => f[0]),
  );
  // The stall's own inner frames are kept (the same nodes), the callers are the other path's.
  assert.equal(seen[0], stall[0]);
});

test('user code on the stack, or no other caller seen: nothing to add', () => {
  const user: F[] = [['save', 'file:///app/store.js', 9], writer, ...below];
  const store = storeOf([user, queued]);
  const own = store.stackOf(leafOf(store, 'from', 'save').id);
  assert.equal(withCallersSeen(store, own, rank, pkg), undefined);
  const alone = storeOf([queued]);
  const stall = alone.stackOf(leafOf(alone, 'from', '(anonymous)').id);
  assert.equal(withCallersSeen(alone, stall, rank, pkg), undefined);
});
