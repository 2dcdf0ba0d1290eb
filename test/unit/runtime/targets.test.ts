/** Target resolution that needs no process: loopback rules and the non-loopback warning. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTarget } from '../../../src/runtime/targets/resolve';
import { isLoopbackHost } from '../../../src/runtime/targets/inspectorHttp';
import { isThreadpoolSaturated } from '../../../src/runtime/threads';

describe('targets', () => {
  test('loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) {
      assert.ok(isLoopbackHost(h), h);
    }
    for (const h of ['0.0.0.0', '10.0.0.5', 'example.com', '::']) assert.ok(!isLoopbackHost(h), h);
  });
  test('a ws URL on another host resolves with a warning about what an open inspector exposes', async () => {
    const r = await resolveTarget({ kind: 'ws', url: 'ws://10.1.2.3:9229/abc' }, 1000);
    assert.equal(r.local, false);
    assert.match(r.warnings[0] ?? '', /not a loopback address.*run any code/);
    const l = await resolveTarget({ kind: 'ws', url: 'ws://127.0.0.1:9229/abc' }, 1000);
    assert.deepEqual(l.warnings, []);
    await assert.rejects(
      resolveTarget({ kind: 'ws', url: 'not a url' }, 1000),
      /not a WebSocket URL/,
    );
  });
});

describe('threadpool saturation', () => {
  const t = (tid: number, state: string) => ({ tid, name: 'node', state });
  test('all pool threads busy while more work waits', () => {
    const threads = [t(100, 'S'), t(101, 'S'), t(102, 'R'), t(103, 'D'), t(104, 'R'), t(105, 'R')];
    assert.deepEqual(isThreadpoolSaturated(threads, 100, 4, 9, false), {
      saturated: true,
      busy: true,
    });
    assert.deepEqual(isThreadpoolSaturated(threads, 100, 4, 0, false), {
      saturated: false,
      busy: true,
    });
    assert.deepEqual(isThreadpoolSaturated(threads, 100, 4, 0, true), {
      saturated: true,
      busy: true,
    });
    assert.equal(
      isThreadpoolSaturated([t(100, 'R'), t(101, 'R')], 100, 4, 9, true).saturated,
      false,
    );
  });
});
