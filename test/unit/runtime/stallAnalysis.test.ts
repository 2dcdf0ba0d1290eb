/** Pure stall analysis on synthetic profiles: backward attribution, merging, kinds. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Protocol } from 'devtools-protocol';
import { ProfileStore } from '../../../src/runtime/profileStore';
import {
  classify,
  dominantNode,
  findBlockedRun,
  sampleKind,
} from '../../../src/runtime/stallAnalysis';

type Frame = [name: string, url: string];
const cf = ([functionName, url]: Frame, line = 0): Protocol.Runtime.CallFrame => ({
  functionName,
  url,
  scriptId: url ? '7' : '0',
  lineNumber: line,
  columnNumber: 0,
});

/**
 * A chunk from paths (outermost first) and samples `[pathIndex, timeDeltaUs]`. Node ids are
 * chunk-local and deliberately differ between chunks, as they do in V8.
 */
function chunk(startTime: number, paths: Frame[][], samples: Array<[number, number]>, idBase = 1) {
  const nodes: Protocol.Profiler.ProfileNode[] = [
    { id: idBase, callFrame: cf(['(root)', '']), children: [] },
  ];
  const leafOf: number[] = [];
  for (const path of paths) {
    let parent = nodes[0];
    for (const f of path) {
      let n = nodes.find(
        (x) =>
          x.callFrame.functionName === f[0] &&
          nodes.find((p) => p.children?.includes(x.id)) === parent,
      );
      if (!n) {
        n = { id: idBase + nodes.length, callFrame: cf(f, 3), children: [] };
        parent.children!.push(n.id);
        nodes.push(n);
      }
      parent = n;
    }
    leafOf.push(parent.id);
  }
  const total = samples.reduce((a, [, d]) => a + d, 0);
  return {
    nodes,
    startTime,
    endTime: startTime + total,
    samples: samples.map(([p]) => leafOf[p]),
    timeDeltas: samples.map(([, d]) => d),
  } satisfies Protocol.Profiler.Profile;
}

const IDLE: Frame[] = [['(idle)', '']];
const USER: Frame[] = [
  ['main', 'file:///app/main.js'],
  ['work', 'file:///app/main.js'],
];
const READ: Frame[] = [
  ['main', 'file:///app/main.js'],
  ['load', 'file:///app/main.js'],
  ['readFileSync', 'node:fs'],
  ['read', ''],
];
const GC: Frame[] = [['(garbage collector)', '']];

describe('findBlockedRun', () => {
  test('a single sample whose delta covers a long syscall counts backwards as one stall', () => {
    const s = new ProfileStore();
    // idle 1 ms ×3, then one READ sample 200 ms after the last idle one, then idle.
    s.append(
      chunk(
        0,
        [IDLE, READ],
        [
          [0, 1000],
          [0, 1000],
          [0, 1000],
          [1, 200_000],
          [0, 1000],
          [0, 1000],
        ],
      ),
    );
    const w = findBlockedRun(s, 0, 300_000, 50_000);
    assert.ok(w);
    assert.equal(w.startUs, 3000);
    assert.equal(w.endUs, 203_000);
    assert.equal(classify(s, w.weights), 'sync-io');
  });

  test('a run shorter than the minimum, or only idle samples, is no stall', () => {
    const s = new ProfileStore();
    s.append(
      chunk(
        0,
        [IDLE, USER],
        [
          [0, 1000],
          [1, 30_000],
          [0, 1000],
          [0, 60_000],
        ],
      ),
    );
    assert.equal(findBlockedRun(s, 0, 100_000, 50_000), undefined);
  });

  test('the window clips the run: busy work before the heartbeat gap is not part of the stall', () => {
    const s = new ProfileStore();
    const samples: Array<[number, number]> = Array.from({ length: 100 }, () => [1, 1000]);
    s.append(chunk(0, [IDLE, USER], [[0, 1000], ...samples, [0, 1000]]));
    const w = findBlockedRun(s, 40_000, 90_000, 30_000);
    assert.deepEqual([w?.startUs, w?.endUs], [40_000, 90_000]);
  });

  test('a stall across a rotation boundary is one run (chunks merged by call frame)', () => {
    const s = new ProfileStore();
    const busy = (n: number): Array<[number, number]> => Array.from({ length: n }, () => [1, 1000]);
    s.append(chunk(0, [IDLE, USER], [[0, 1000], ...busy(40)], 1));
    // The next chunk starts 0.4 ms later (bridge) and uses other node ids.
    s.append(chunk(41_400, [IDLE, USER], [...busy(40), [0, 1000]], 100));
    const w = findBlockedRun(s, 0, 200_000, 50_000);
    assert.ok(w, 'one stall');
    assert.ok(w.endUs - w.startUs >= 80_000, `${w.endUs - w.startUs} µs`);
    assert.equal(w.weights.size, 1, 'the same node in both chunks');
    const profile = s.toCpuProfile()!;
    assert.equal(profile.samples!.length, 82);
    assert.equal(
      profile.timeDeltas!.reduce((a, b) => a + b, 0),
      profile.endTime - profile.startTime - 1000 + 1000,
    );
  });
});

describe('a sample the sampler was held off for', () => {
  // V8 sometimes records the one sample that ends a long syscall only after the call returned
  // (in a timer re-arm of Node's) or without a stack ((program)).
  const AFTER: Frame[] = [
    ['listOnTimeout', 'node:internal/timers'],
    ['insert', 'node:internal/timers'],
  ];
  const PROGRAM: Frame[] = [['(program)', '']];
  const BEFORE: Frame[] = [
    ['main', 'file:///app/main.js'],
    ['load', 'file:///app/main.js'],
    ['readFileSync', 'node:fs'],
    ['allocUnsafe', 'node:buffer'],
  ];
  const run = (late: Frame[], first: Frame[]) => {
    const s = new ProfileStore();
    s.append(
      chunk(
        0,
        [IDLE, first, late],
        [
          [0, 5000],
          [1, 5000],
          [2, 120_000],
          [0, 5000],
        ],
      ),
    );
    return { s, w: findBlockedRun(s, 0, 200_000, 50_000, 20_000)! };
  };
  const heaviest = (s: ProfileStore, weights: Map<number, number>) =>
    s.nodes.get([...weights].sort((a, b) => b[1] - a[1])[0][0])?.callFrame.functionName;

  for (const [name, late] of [
    ['a timer re-arm after the call', AFTER],
    ['(program)', PROGRAM],
  ] as const) {
    test(`${name}: its time goes to the code the previous sample of the run was in`, () => {
      const { s, w } = run(late, BEFORE);
      assert.equal(heaviest(s, w.weights), 'allocUnsafe');
      assert.equal(classify(s, w.weights), 'sync-io');
    });
  }

  test('a long sample in the user code itself, or GC, keeps its time', () => {
    const cpu = run(USER, BEFORE);
    assert.equal(heaviest(cpu.s, cpu.w.weights), 'work');
    const gc = run(GC, BEFORE);
    assert.equal(classify(gc.s, gc.w.weights), 'gc');
  });

  test('with no earlier sample in the run there is nothing to move it to', () => {
    const { s, w } = run(AFTER, AFTER);
    assert.equal(heaviest(s, w.weights), 'insert');
  });
});

describe('late samples', () => {
  test('a sample handed to the next chunk with an earlier time is stored in time order', () => {
    const s = new ProfileStore();
    s.append(
      chunk(
        0,
        [IDLE],
        [
          [0, 1000],
          [0, 1000],
          [0, 1000],
        ],
      ),
    );
    // Next chunk starts at 3.5 ms but its first sample was taken at 2.5 ms (negative delta).
    s.append(
      chunk(
        3500,
        [IDLE, READ],
        [
          [1, -1000],
          [0, 2000],
        ],
        50,
      ),
    );
    assert.deepEqual(s.timestamps, [1000, 2000, 2500, 3000, 4500]);
    assert.equal(s.lastSampleTime, 4500);
    assert.equal(s.nodes.get(s.samples[2])?.callFrame.functionName, 'read');
  });

  test("a late sample's line ticks count for the window it was taken in", () => {
    const s = new ProfileStore();
    s.append(chunk(0, [IDLE], [[0, 1000]]));
    const late = chunk(
      10_000,
      [IDLE, USER],
      [
        [1, -6000],
        [0, 7000],
      ],
      50,
    );
    late.nodes.find((n) => n.callFrame.functionName === 'work')!.positionTicks = [
      { line: 9, ticks: 1 },
    ];
    s.append(late);
    const work = s.samples[s.timestamps.indexOf(4000)];
    assert.deepEqual([...s.lineTicks(work, 2000, 5000)], [[9, 1]]);
  });
});

describe('kinds and dominant stack', () => {
  test('mostly GC is gc; some GC in a CPU stall stays cpu; a Node binding is cpu', () => {
    const s = new ProfileStore();
    const NATIVE: Frame[] = [
      ['main', 'file:///app/main.js'],
      ['pbkdf2Sync', 'node:internal/crypto/pbkdf2'],
      ['run', ''],
    ];
    s.append(
      chunk(
        0,
        [IDLE, USER, GC, NATIVE],
        [
          [0, 1000],
          [1, 10_000],
          [2, 60_000],
          [3, 1000],
          [0, 1000],
        ],
      ),
    );
    const gcRun = findBlockedRun(s, 0, 100_000, 1)!;
    assert.equal(classify(s, gcRun.weights), 'gc');
    const ids = [...gcRun.weights.keys()];
    const weights = new Map(ids.map((id) => [id, sampleKind(s, id) === 'gc' ? 10_000 : 50_000]));
    assert.equal(classify(s, weights), 'cpu');
    const dom = dominantNode(s, weights)!;
    assert.equal(s.nodes.get(dom)?.callFrame.functionName, 'work');
    // pbkdf2Sync's binding is Node's own CPU work, which the operation names: not `native`.
    const nativeId = ids.find((id) => s.nodes.get(id)?.callFrame.functionName === 'run')!;
    assert.equal(sampleKind(s, nativeId), 'cpu');
  });
});
