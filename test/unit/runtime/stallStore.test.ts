/** The kept stalls of a recording: bounded, and equal frames, stacks and texts shared. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { StallStore } from '../../../src/runtime/stallStore';
import type { Stall, StackFrame } from '../../../src/shared/protocol/runtime';

/** A stall as the attributor emits it: fresh objects and strings every time. */
function stall(startMs: number, lines: number[]): Stall {
  const stack: StackFrame[] = lines.map((line, k) => ({
    functionName: ['handle', String(k)].join(''),
    file: ['/srv/app/', 'route', String(k), '.js'].join(''),
    line,
    column: k + 1,
  }));
  return {
    startMs,
    durationMs: 60,
    kind: 'sync-io',
    stack,
    blame: stack[1],
    operation: ['fs.', 'readFileSync'].join(''),
    waitingOn: ['read /data/', 'a.bin (D) 100 %'].join(''),
    thread: { id: 2, name: 'cruncher' },
  };
}

describe('StallStore', () => {
  it('keeps each stall equal to what was emitted', () => {
    const store = new StallStore(10);
    const s = stall(100, [10, 20, 30]);
    const kept = store.push(s);
    assert.deepEqual(kept, s);
    assert.deepEqual([...store], [s]);
  });

  it('shares frames, stacks and texts between stalls of the same path, and keeps the blame one of its frames', () => {
    const store = new StallStore(10);
    const a = store.push(stall(100, [10, 20, 30]));
    const b = store.push(stall(900, [10, 20, 30]));
    assert.notEqual(a, b);
    assert.equal(a.stack, b.stack);
    assert.equal(a.blame, b.blame);
    assert.equal(b.blame, b.stack[1]);
    // A stack that differs in one frame shares the others.
    const c = store.push(stall(1500, [10, 20, 31]));
    assert.notEqual(c.stack, a.stack);
    assert.equal(c.stack[0], a.stack[0]);
    assert.notEqual(c.stack[2], a.stack[2]);
    assert.deepEqual(c.stack[2], {
      functionName: 'handle2',
      file: '/srv/app/route2.js',
      line: 31,
      column: 3,
    });
    assert.equal(b.startMs, 900);
  });

  it('keeps only the newest stalls and counts the ones it forgot', () => {
    const store = new StallStore(3);
    for (let i = 1; i <= 5; i++) store.push(stall(i, [i]));
    assert.deepEqual(
      [...store].map((s) => s.startMs),
      [3, 4, 5],
    );
    assert.equal(store.dropped, 2);
    assert.equal(store.length, 3);
  });
});
