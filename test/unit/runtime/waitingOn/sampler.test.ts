import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isQuietLook } from '../../../../src/runtime/waitingOn/sampler';

test('running and the loop poll tell nothing a stall waited on; reads, children and locks do', () => {
  const quiet = (label: string, idle = false) => isQuietLook({ label, idle });
  assert.equal(quiet('running'), true);
  assert.equal(quiet('epoll_pwait (S)', true), true);
  assert.equal(quiet('asleep in ep_poll (S)', true), true);
  assert.equal(quiet('futex (S)', true), false, 'a lock or Atomics.wait');
  assert.equal(quiet('read /tmp/a.fifo (S)'), false);
  assert.equal(quiet('wait for child sleep 0.15'), false);
});
