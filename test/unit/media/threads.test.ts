/**
 * The sidebar's threads: live thread events in the reducer (a lane appears with its thread and
 * is marked when it exits), the shared lane helpers the hotspot filter and the report use, and
 * what a line's stalls waited on in the aggregation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate } from '../../../media/src/aggregate';
import { initialState, reduce } from '../../../media/src/state';
import {
  laneName,
  processLabel,
  severalProcesses,
  stallsOfLane,
  threadLanes,
  withThread,
} from '../../../src/shared/protocol/threadLanes';
import { MessageType } from '../../../src/shared/protocol/webview';
import type { ToWebviewMessage } from '../../../src/shared/protocol/webview';
import type { Stall } from '../../../src/shared/protocol/runtime';
import { recording, stall } from './helpers';

const live = (exitedLanes?: string[]): ToWebviewMessage => ({
  type: MessageType.Hydrate,
  recording: recording([stall(100, 60, 'cpu')], {
    version: 2,
    durationMs: 1000,
    processes: [{ pid: 10, threads: [{ id: 0, name: 'main' }] }],
  }),
  live: true,
  origin: { kind: 'session' },
  ...(exitedLanes ? { exitedLanes } : {}),
});

const thread = (
  id: number,
  state: 'recording' | 'exited',
  pid?: number,
  name?: string,
): ToWebviewMessage => ({
  type: MessageType.Thread,
  ...(pid !== undefined ? { pid } : {}),
  thread: name ? { id, name } : { id },
  state,
});

test("a live worker's lane appears when it is recorded, before any stall of it", () => {
  let s = reduce(initialState, live());
  assert.deepEqual(
    threadLanes(s).map((l) => l.label),
    ['main'],
  );
  s = reduce(s, thread(1, 'recording', undefined, 'reader'));
  assert.deepEqual(
    threadLanes(s).map((l) => `${l.key} ${l.label}`),
    ['10:0 main', '10:1 worker 1: reader'],
  );
  // The same event again changes nothing that a view compares.
  const again = reduce(s, thread(1, 'recording', undefined, 'reader'));
  assert.equal(again.processes, s.processes);
});

test("a worker's exit marks its lane at the recording's length; it keeps its lane", () => {
  let s = reduce(reduce(initialState, live()), thread(1, 'recording', 10, 'reader'));
  s = reduce(s, { type: MessageType.Stall, stall: stall(1500, 80, 'sync-io') });
  s = reduce(s, thread(1, 'exited', 10, 'reader'));
  assert.deepEqual(s.exited, { '10:1': 1580 });
  assert.equal(threadLanes(s).length, 2);
  // A snapshot says which exited, without a time.
  const again = reduce(s, live(['10:1']));
  assert.deepEqual(again.exited, { '10:1': null });
});

test("another process's main thread gets a group of its own", () => {
  let s = reduce(initialState, live());
  s = reduce(s, thread(0, 'recording', 11, 'main'));
  const lanes = threadLanes(s);
  assert.deepEqual(
    lanes.map((l) => [l.key, l.group]),
    [
      ['10:0', 0],
      ['11:0', 1],
    ],
  );
  assert.equal(severalProcesses(lanes), true);
  assert.deepEqual(
    lanes.map((l) => laneName(l, true)),
    ['pid 10 main', 'pid 11 main'],
  );
});

test('thread events of a recording that is not live, or malformed, change nothing', () => {
  const opened = reduce(initialState, { ...(live() as object), live: false } as ToWebviewMessage);
  assert.equal(reduce(opened, thread(1, 'recording')), opened);
  const s = reduce(initialState, live());
  const bad = { type: MessageType.Thread, thread: { id: 'x' }, state: 'recording' };
  assert.equal(reduce(s, bad as unknown as ToWebviewMessage), s);
});

test('withThread adds a thread (and its process) once, main thread first', () => {
  const one = withThread(undefined, 7, { id: 2, name: 'w' });
  assert.deepEqual(one, [
    {
      pid: 7,
      threads: [
        { id: 0, name: 'main' },
        { id: 2, name: 'w' },
      ],
    },
  ]);
  assert.equal(withThread(one, 7, { id: 2, name: 'w' }), one);
  assert.deepEqual(
    withThread(one, 7, { id: 3 })[0]!.threads.map((t) => t.id),
    [0, 2, 3],
  );
});

test("stallsOfLane keeps one thread's stalls; a stall without pid is the target's", () => {
  const on = (pid: number | undefined, id: number): Stall => ({
    ...stall(1, 60, 'cpu'),
    ...(pid !== undefined ? { pid } : {}),
    thread: { id },
  });
  const stalls = [on(10, 0), on(10, 1), on(undefined, 1), on(11, 1)];
  assert.equal(stallsOfLane(stalls, '10:1', 10).length, 2);
  assert.equal(stallsOfLane(stalls, '11:1', 10).length, 1);
});

test('processLabel names a process by pid and command, cut to fit', () => {
  const rec = { processes: [{ pid: 5, command: 'node ' + 'x'.repeat(80), threads: [] }] };
  const label = processLabel(rec, 5, 20);
  assert.equal(label, `pid 5 · node ${'x'.repeat(14)}…`);
  assert.equal(processLabel({}, undefined), 'pid ?');
});

test("a line's waitingOn is its longest stall's that says one", () => {
  const at: [string, number, string] = ['/w.js', 9, 'read'];
  const agg = aggregate([
    { ...stall(1, 300, 'sync-io', at), waitingOn: 'read /a (S) 100 %' },
    { ...stall(2, 900, 'sync-io', at) },
    { ...stall(3, 500, 'sync-io', at), waitingOn: 'read /b (D) 80 %, running 20 %' },
  ]);
  assert.equal(agg.hotspots[0]!.waitingOn, 'read /b (D) 80 %, running 20 %');
  assert.equal(aggregate([stall(1, 60, 'cpu', at)]).hotspots[0]!.waitingOn, undefined);
});
