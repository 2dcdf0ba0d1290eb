import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, latestMetrics, reduce } from '../../../media/src/state';
import { MessageType } from '../../../src/shared/protocol/webview';
import type { RecordingOrigin, ToWebviewMessage } from '../../../src/shared/protocol/webview';
import { metrics, recording, stall } from './helpers';
import type { RecordedProcess } from '../../../src/shared/protocol/runtime';

const fromFile: RecordingOrigin = { kind: 'file', fileName: 'rec.json' };
const hydrate = (
  rec = recording([stall(500, 80, 'cpu')]),
  live = false,
  origin: RecordingOrigin = live ? { kind: 'session' } : fromFile,
  endReason?: string,
): ToWebviewMessage => ({ type: MessageType.Hydrate, recording: rec, live, origin, endReason });

test('starts empty, and a delta before any recording changes nothing', () => {
  assert.equal(initialState.status, 'empty');
  const s = reduce(initialState, { type: MessageType.Stall, stall: stall(1, 60, 'cpu') });
  assert.equal(s, initialState);
});

test('hydrate replaces everything, sorts stalls and metrics, and bumps the generation', () => {
  const rec = recording([stall(3000, 60, 'gc'), stall(1000, 90, 'cpu')], {
    metrics: [metrics(2000, 5), metrics(1000, 90)],
    durationMs: 2500,
  });
  const s = reduce(initialState, hydrate(rec, true));
  assert.equal(s.status, 'live');
  assert.deepEqual(
    s.stalls.map((x) => x.startMs),
    [1000, 3000],
  );
  assert.deepEqual(
    s.metrics.map((m) => m.atMs),
    [1000, 2000],
  );
  // The recording's own duration is extended to the last stall's end.
  assert.equal(s.durationMs, 3060);
  assert.equal(s.generation, 1);
  const opened = reduce(s, hydrate(recording([]), false));
  assert.equal(opened.status, 'opened');
  assert.equal(opened.fileName, 'rec.json');
  assert.equal(opened.stalls.length, 0);
  assert.equal(opened.generation, 2);
});

test('hydrate with no recording goes back to the empty state', () => {
  const s = reduce(reduce(initialState, hydrate()), {
    type: MessageType.Hydrate,
    recording: undefined,
    live: false,
    origin: undefined,
  });
  assert.equal(s.status, 'empty');
  assert.equal(s.stalls.length, 0);
});

test('live deltas append without mutating the previous state', () => {
  const s0 = reduce(
    initialState,
    hydrate(recording([stall(500, 80, 'cpu')], { durationMs: 1000 }), true),
  );
  const before = s0.stalls;
  const s1 = reduce(s0, { type: MessageType.Stall, stall: stall(1500, 120, 'sync-io') });
  const s2 = reduce(s1, { type: MessageType.Metrics, metrics: metrics(2000, 118) });
  assert.equal(before.length, 1, 'the old array is untouched');
  assert.notEqual(s1.stalls, s0.stalls);
  assert.equal(s2.stalls.length, 2);
  assert.equal(s2.durationMs, 2000);
  assert.equal(latestMetrics(s2)?.loopDelay.p99, 118);
  // A late stall (out of order) is inserted at its place.
  const s3 = reduce(s2, { type: MessageType.Stall, stall: stall(1000, 60, 'gc') });
  assert.deepEqual(
    s3.stalls.map((x) => x.startMs),
    [500, 1000, 1500],
  );
});

test('ended marks a live recording ended with the reason; errors are kept as a notice', () => {
  const live = reduce(initialState, hydrate(recording([]), true));
  const ended = reduce(live, {
    type: MessageType.Ended,
    reason: 'target exited with code 1',
    code: 1,
  });
  assert.equal(ended.status, 'ended');
  assert.equal(ended.notice, 'target exited with code 1');
  const err = reduce(ended, { type: MessageType.Error, message: 'inspector closed' });
  assert.equal(err.notice, 'inspector closed');
  // Ended on a recording opened from a file is meaningless and ignored.
  const opened = reduce(initialState, hydrate());
  assert.equal(reduce(opened, { type: MessageType.Ended, reason: 'x' }), opened);
});

test('a session recording after Stop is stopped, after its target exited ended with the reason', () => {
  const session: RecordingOrigin = { kind: 'session' };
  const live = reduce(initialState, hydrate(recording([]), true));
  const stopped = reduce(live, hydrate(recording([]), false, session));
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.fileName, undefined);
  assert.equal(stopped.notice, undefined);
  // The final snapshot after an exit keeps the reason the host's store remembered.
  const ended = reduce(live, hydrate(recording([]), false, session, 'target exited with code 0'));
  assert.equal(ended.status, 'ended');
  assert.equal(ended.notice, 'target exited with code 0');
  // Only a live recording can end; an Ended after Stop changes nothing.
  assert.equal(reduce(stopped, { type: MessageType.Ended, reason: 'x' }), stopped);
});

test('malformed stalls and metrics are dropped, not shown as NaN', () => {
  const bad = { startMs: Number.NaN, durationMs: 10, kind: 'cpu', stack: [] } as never;
  const rec = recording([bad, stall(10, 60, 'cpu')], {
    metrics: [{ atMs: 5 } as never, metrics(1000, 3)],
  });
  const s = reduce(initialState, hydrate(rec, true));
  assert.equal(s.stalls.length, 1);
  assert.equal(s.metrics.length, 1);
  assert.equal(reduce(s, { type: MessageType.Stall, stall: bad }), s);
});

test('an unknown message type throws (the never check), so main.ts can ignore it', () => {
  assert.throws(() => reduce(initialState, { type: 'webview/nope' } as never), /Unknown message/);
});

test('a recording that cannot tell starved stalls apart says so; old recordings say nothing', () => {
  const rec = recording([stall(0, 100, 'cpu')]);
  assert.equal(
    reduce(initialState, hydrate({ ...rec, starvationKnown: false }, false)).starvationKnown,
    false,
  );
  assert.equal(reduce(initialState, hydrate(rec, false)).starvationKnown, undefined);
});

test('hydrate keeps the recorded processes and their threads (lanes); malformed ones are dropped', () => {
  const rec = recording([], {
    version: 2,
    processes: [
      {
        pid: 10,
        threads: [
          { id: 0, name: 'main' },
          { id: 1, name: 'cruncher' },
        ],
      },
      { pid: 'x', threads: [] } as unknown as RecordedProcess,
      { pid: 11, threads: [{ id: 'y' }] } as unknown as RecordedProcess,
    ],
  });
  const s = reduce(initialState, {
    type: MessageType.Hydrate,
    recording: rec,
    live: false,
    origin: { kind: 'file', fileName: 'r.json' },
  });
  assert.deepEqual(s.processes, [rec.processes![0]]);
  const v1 = reduce(initialState, {
    type: MessageType.Hydrate,
    recording: recording([]),
    live: false,
    origin: { kind: 'file', fileName: 'r.json' },
  });
  assert.equal(v1.processes, undefined);
});
