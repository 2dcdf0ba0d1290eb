import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordingStore } from '../../../src/common/recordingStore';
import type { RecordingChange } from '../../../src/common/recordingStore';
import { recording, stall } from '../media/helpers';

function storeWithLog(): { store: RecordingStore; changes: RecordingChange[] } {
  const store = new RecordingStore();
  const changes: RecordingChange[] = [];
  store.onDidChange((c) => changes.push(c));
  return { store, changes };
}

test('the store knows a live session from a stopped one from a file it opened', () => {
  const { store, changes } = storeWithLog();
  assert.equal(store.origin, undefined);
  store.startLive(recording([]));
  assert.deepEqual([store.live, store.origin], [true, { kind: 'session' }]);
  store.append({ type: 'stall', stall: stall(10, 60, 'cpu') });
  assert.equal(store.current!.stalls.length, 1);
  store.finishLive(recording([stall(10, 60, 'cpu')]));
  assert.deepEqual(
    [store.live, store.origin, store.endReason],
    [false, { kind: 'session' }, undefined],
  );
  store.openFile(recording([]), 'rec.json');
  assert.deepEqual([store.live, store.origin], [false, { kind: 'file', fileName: 'rec.json' }]);
  store.clear();
  assert.deepEqual([store.current, store.origin, store.live], [undefined, undefined, false]);
  assert.deepEqual(
    changes.map((c) => (c.type === 'reset' ? `reset ${c.live}` : c.event.type)),
    ['reset true', 'stall', 'reset false', 'reset false', 'reset false'],
  );
});

test("a target's exit ends the live recording, and its reason survives the final copy", () => {
  const { store } = storeWithLog();
  store.startLive(recording([]));
  store.append({ type: 'exit', code: 0, reason: 'target exited with code 0' });
  assert.equal(store.live, false);
  store.finishLive(recording([]));
  assert.equal(store.endReason, 'target exited with code 0');
  // A new live session starts with no reason; so does a file.
  store.startLive(recording([]));
  assert.equal(store.endReason, undefined);
  store.append({ type: 'exit', reason: 'gone' });
  store.openFile(recording([]), 'a.json');
  assert.equal(store.endReason, undefined);
});

test('live events never land in a recording opened from a file', () => {
  const { store, changes } = storeWithLog();
  store.openFile(recording([]), 'a.json');
  store.append({ type: 'stall', stall: stall(10, 60, 'cpu') });
  store.append({ type: 'exit', reason: 'late' });
  assert.equal(store.current!.stalls.length, 0);
  assert.deepEqual([store.origin?.kind, store.endReason, changes.length], ['file', undefined, 1]);
});
