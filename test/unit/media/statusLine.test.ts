import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, reduce } from '../../../media/src/state';
import { statusLine } from '../../../media/src/statusLine';
import { formatDateTime } from '../../../media/src/format';
import { MessageType } from '../../../src/shared/protocol/webview';
import type { RecordingOrigin } from '../../../src/shared/protocol/webview';
import { recording, stall } from './helpers';

const startedAt = '2026-11-26T09:41:07.000Z';
const target = { pid: 4242, url: 'ws://127.0.0.1:9229/x', command: 'node server.js' };
const rec = recording([stall(100, 80, 'cpu')], { startedAt, durationMs: 12_300, target });

function lineFor(live: boolean, origin: RecordingOrigin, endReason?: string) {
  const msg = { type: MessageType.Hydrate, recording: rec, live, origin, endReason } as const;
  return statusLine(reduce(initialState, msg));
}

test('a live session shows the live badge with its duration and target', () => {
  const l = lineFor(true, { kind: 'session' });
  assert.equal(l.badge, '● Live');
  assert.equal(l.text, '12.3 s · pid 4242 · node server.js');
});

test('a recording opened from a file names the file and when it was recorded, never "Live"', () => {
  const l = lineFor(false, { kind: 'file', fileName: 'demo-recording.json' });
  const when = formatDateTime(startedAt)!;
  assert.equal(l.badge, 'Opened');
  assert.equal(l.text, `demo-recording.json · recorded ${when} · 12.3 s`);
  assert.doesNotMatch(`${l.badge} ${l.text}`, /Live|Recording\b|pid/);
  // The process it was recorded from is still one hover away.
  assert.match(l.title, /Opened from demo-recording\.json\nnode server\.js\n/);
  // A file without a start time (the parser stores the epoch) says nothing rather than 1970.
  const old = statusLine(
    reduce(initialState, {
      type: MessageType.Hydrate,
      recording: { ...rec, startedAt: new Date(0).toISOString() },
      live: false,
      origin: { kind: 'file', fileName: 'old.json' },
    }),
  );
  assert.equal(old.text, 'old.json · 12.3 s');
});

test('a stopped session says Stopped; one whose target exited says Ended', () => {
  assert.equal(lineFor(false, { kind: 'session' }).badge, 'Stopped');
  assert.equal(lineFor(false, { kind: 'session' }).text, '12.3 s · pid 4242 · node server.js');
  assert.equal(lineFor(false, { kind: 'session' }, 'target exited').badge, 'Ended');
});

test('formatDateTime prints local time as YYYY-MM-DD HH:MM, and nothing for a bad time', () => {
  const d = new Date(startedAt);
  const two = (n: number) => String(n).padStart(2, '0');
  assert.equal(
    formatDateTime(startedAt),
    `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}\u00a0${two(d.getHours())}:${two(d.getMinutes())}`,
  );
  assert.equal(formatDateTime('not a date'), undefined);
  assert.equal(formatDateTime(undefined), undefined);
});
