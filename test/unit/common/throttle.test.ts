import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Throttle } from '../../../src/common/throttle';

test('a burst passes once at once, then once a period, and its last change is not lost', () => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  try {
    const fired: number[] = [];
    const th = new Throttle(1000, () => fired.push(Date.now()));
    th.schedule();
    mock.timers.tick(0);
    assert.deepEqual(fired, [0], 'the first change goes out at once');
    // A change every 100 ms for 2.5 s: one call a second, never postponed by the next change.
    for (let i = 0; i < 25; i++) {
      mock.timers.tick(100);
      th.schedule();
    }
    assert.deepEqual(fired, [0, 1000, 2000]);
    for (let i = 0; i < 10; i++) mock.timers.tick(100);
    assert.deepEqual(fired, [0, 1000, 2000, 3000], 'the trailing call after the burst');
    th.schedule(); // due at 4000
    th.now();
    for (let i = 0; i < 20; i++) mock.timers.tick(100);
    assert.deepEqual(fired, [0, 1000, 2000, 3000, 3500], 'now() calls at once, drops the pending');
    th.dispose();
  } finally {
    mock.timers.reset();
  }
});
