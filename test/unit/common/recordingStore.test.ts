import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordingStore } from '../../../src/common/recordingStore';
import type { RecordingChange } from '../../../src/common/recordingStore';
import { metrics, recording, stall } from '../media/helpers';

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

test('opening a file while a session records keeps the session running behind it', () => {
  const { store, changes } = storeWithLog();
  const session: string[] = [];
  store.onDidChangeSession(() => session.push(`${store.running} ${store.sessionInBackground}`));
  store.startLive(recording([]));
  store.openFile(recording([]), 'old.json');
  // Stop stays offered (`running`), but the sidebar shows the file, not a live recording.
  assert.deepEqual([store.running, store.live, store.origin?.kind], [true, false, 'file']);
  assert.equal(store.sessionInBackground, true);
  store.append({ type: 'stall', stall: stall(10, 60, 'cpu') });
  store.append({ type: 'metrics', metrics: metrics(1000, 80) });
  // The live events land in the session's recording, never in the file, and readers of the
  // shown recording hear nothing of them.
  assert.equal(store.current!.stalls.length, 0);
  assert.equal(store.sessionRecording!.stalls.length, 1);
  assert.equal(store.sessionRecording!.metrics.length, 1);
  assert.ok(changes.every((c) => c.type === 'reset'));
  // Showing the session again shows it live with what it recorded meanwhile.
  assert.equal(store.showSession(), true);
  assert.deepEqual(
    [store.live, store.origin, store.current!.stalls.length],
    [true, { kind: 'session' }, 1],
  );
  store.clear();
  assert.deepEqual(
    [store.running, store.current, store.sessionInBackground],
    [true, undefined, true],
  );
  assert.deepEqual(session, ['true false', 'true true', 'true false', 'true true']);
});

test('stopping a session recorded behind a file shows what it recorded', () => {
  const { store } = storeWithLog();
  store.startLive(recording([]));
  store.openFile(recording([]), 'old.json');
  store.append({ type: 'stall', stall: stall(10, 60, 'cpu') });
  // The adapter's final copy after Stop: the user asked for it to end, so it is shown.
  store.finishLive(recording([stall(10, 60, 'cpu'), stall(90, 70, 'sync-io')]));
  assert.deepEqual(
    [store.running, store.live, store.origin, store.endReason, store.sessionInBackground],
    [false, false, { kind: 'session' }, undefined, false],
  );
  assert.equal(store.current!.stalls.length, 2);
});

test('a session whose target exits behind a file stays in the background, with its reason', () => {
  const { store } = storeWithLog();
  store.startLive(recording([]));
  store.openFile(recording([]), 'old.json');
  store.append({ type: 'exit', code: 1, reason: 'target exited with code 1' });
  assert.equal(store.running, false);
  store.finishLive(recording([stall(10, 60, 'cpu')]));
  // The file the user is reading is not replaced by a recording they did not ask for.
  assert.deepEqual([store.origin?.kind, store.sessionInBackground], ['file', true]);
  assert.equal(store.showSession(), true);
  assert.deepEqual(
    [store.origin, store.endReason, store.current!.stalls.length, store.live],
    [{ kind: 'session' }, 'target exited with code 1', 1, false],
  );
  // Nothing to show without a session.
  assert.equal(new RecordingStore().showSession(), false);
});

test("live thread events put the thread in the session's processes and mark its exit", () => {
  const { store, changes } = storeWithLog();
  store.startLive(recording([], { version: 2, processes: [{ pid: 10, threads: [{ id: 0 }] }] }));
  store.append({ type: 'thread', thread: { id: 1, name: 'reader' }, state: 'recording' });
  store.append({ type: 'thread', pid: 11, thread: { id: 0, name: 'main' }, state: 'recording' });
  assert.deepEqual(
    store.current!.processes!.map((p) => `${p.pid}: ${p.threads.map((t) => t.id).join(',')}`),
    ['10: 0,1', '11: 0'],
  );
  assert.deepEqual(store.exitedLanes, []);
  store.append({ type: 'thread', pid: 10, thread: { id: 1, name: 'reader' }, state: 'exited' });
  assert.deepEqual(store.exitedLanes, ['10:1']);
  assert.equal(changes.filter((c) => c.type === 'event').length, 3, 'each reaches the views');
  // Not the shown recording's: a file opened over the session.
  store.openFile(recording([]), 'rec.json');
  assert.deepEqual(store.exitedLanes, []);
  store.showSession();
  assert.deepEqual(store.exitedLanes, ['10:1']);
  // A new session starts with none.
  store.startLive(recording([]));
  assert.deepEqual(store.exitedLanes, []);
});
