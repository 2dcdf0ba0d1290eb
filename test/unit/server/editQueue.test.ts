import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EditQueue } from '../../../server/src/handlers/editQueue';
import { waitFor } from '../../waitFor';

/** A queue whose runs are recorded; `edit` does what the change handler does. */
function recorded() {
  const runs: string[][] = [];
  const q = new EditQueue((uris) => runs.push(uris));
  const edit = (uri: string, delayMs = 0) => {
    q.touched(uri);
    q.changed(uri, delayMs);
  };
  return { q, runs, edit };
}

test('edits of two documents in one turn: one run with both, each once', async () => {
  const { q, runs, edit } = recorded();
  edit('a');
  edit('b');
  edit('a');
  assert.deepEqual(runs, [], 'nothing runs inside the change handler');
  await waitFor(() => runs.length > 0, 'a run');
  assert.deepEqual(runs, [['a', 'b']]);
  assert.equal(q.pending('a') || q.pending('b'), false);
  q.dispose();
});

test('edits arriving on the next turns fold into the waiting run', async () => {
  const { q, runs, edit } = recorded();
  edit('a');
  // Each turn brings a new edit, as a client typing into the connection's queue does.
  for (const uri of ['b', 'a', 'c']) {
    await new Promise<void>((r) => setImmediate(r));
    edit(uri);
  }
  await waitFor(() => runs.length > 0, 'a run');
  assert.deepEqual(runs, [['a', 'b', 'c']]);
  q.dispose();
});

test('an opened document runs at once, and its queued run is dropped', async () => {
  const { q, runs, edit } = recorded();
  edit('a');
  edit('b');
  q.now('a');
  assert.deepEqual(runs, [['a']]);
  await waitFor(() => runs.length > 1, 'the queued run');
  assert.deepEqual(runs, [['a'], ['b']]);
  q.dispose();
});

test('a delay holds the run until it passed; a closed document is forgotten', async () => {
  const { q, runs, edit } = recorded();
  edit('a', 30);
  edit('b', 30);
  assert.equal(q.pending('a'), true);
  q.cancel('b');
  await waitFor(() => runs.length > 0, 'the delayed run');
  assert.deepEqual(runs, [['a']]);
  assert.equal(q.pending('b'), false);
  q.dispose();
});
