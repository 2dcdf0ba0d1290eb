/**
 * The worker session's routing over its parent (pure logic: the parent is a fake that records
 * what was sent; test/runtime/workers.test.ts runs the real thing against real workers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IInspectorSession } from '../../../src/runtime/inspectorSession';
import { WorkerSession } from '../../../src/runtime/workerSession';
import { threadOfWorker } from '../../../src/runtime/workerThreads';
import { nullLogger } from '../../../src/common/logger';

function fakeParent(accept = true) {
  const sent: Array<{ method: string; params: { sessionId: string; message: string } }> = [];
  const parent = {
    sendUntyped: async (method: string, params: { sessionId: string; message: string }) => {
      sent.push({ method, params });
      return accept ? {} : undefined;
    },
  } as unknown as IInspectorSession;
  return { parent, sent };
}

test('threadOfWorker: the id and the name option from the inspector title', () => {
  assert.deepEqual(threadOfWorker({ workerId: '1', title: '[worker 1] cruncher' }), {
    id: 1,
    name: 'cruncher',
  });
  assert.deepEqual(threadOfWorker({ workerId: '4', title: '[worker 4] ' }), { id: 4 });
  assert.deepEqual(threadOfWorker({ workerId: '2', title: 'something else' }), { id: 2 });
});

test('a command goes out as sendMessageToWorker and its reply comes back by id; errors reject', async () => {
  const { parent, sent } = fakeParent();
  const s = new WorkerSession(parent, '7', '[worker 1]', nullLogger);
  const a = s.sendOrThrow('Runtime.evaluate', { expression: '1' });
  const b = s.send('Profiler.enable');
  assert.equal(sent[0].method, 'NodeWorker.sendMessageToWorker');
  assert.equal(sent[0].params.sessionId, '7');
  const [ma, mb] = sent.map((x) => JSON.parse(x.params.message) as { id: number; method: string });
  assert.equal(ma.method, 'Runtime.evaluate');
  // Replies in any order; an error reply makes `send` resolve undefined.
  s.deliver(JSON.stringify({ id: mb.id, error: { message: 'nope' } }));
  s.deliver(JSON.stringify({ id: ma.id, result: { result: { type: 'number', value: 1 } } }));
  assert.deepEqual(await a, { result: { type: 'number', value: 1 } });
  assert.equal(await b, undefined);
});

test('events reach their listeners; close fails what is pending and fires once', async () => {
  const { parent } = fakeParent();
  const s = new WorkerSession(parent, '1', '[worker 1]', nullLogger);
  const got: unknown[] = [];
  const sub = s.on('Runtime.bindingCalled', (e) => got.push(e.payload));
  s.deliver(
    JSON.stringify({ method: 'Runtime.bindingCalled', params: { name: 'b', payload: 'x' } }),
  );
  sub.dispose();
  s.deliver(
    JSON.stringify({ method: 'Runtime.bindingCalled', params: { name: 'b', payload: 'y' } }),
  );
  s.deliver('not json');
  assert.deepEqual(got, ['x']);
  let closes = 0;
  s.onClose(() => closes++);
  const pending = s.sendOrThrow('Profiler.enable');
  s.dispose();
  s.dispose();
  await assert.rejects(pending, /closed/);
  assert.equal(closes, 1);
  assert.equal(s.closed, true);
  await assert.rejects(s.sendOrThrow('Profiler.enable'), /closed/);
});

test('a message the parent could not pass on fails the command', async () => {
  const { parent } = fakeParent(false);
  const s = new WorkerSession(parent, '1', '[worker 1]', nullLogger);
  await assert.rejects(s.sendOrThrow('Profiler.enable'), /did not take the message/);
});
