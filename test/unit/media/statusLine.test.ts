import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, reduce } from '../../../media/src/state';
import { backgroundLine, shortCommand, statusLine } from '../../../media/src/statusLine';
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

test('a session behind an opened file is named above it: still recording, or stopped', () => {
  const opened = (background: { running: boolean; target: typeof target } | undefined) =>
    reduce(initialState, {
      type: MessageType.Hydrate,
      recording: rec,
      live: false,
      origin: { kind: 'file', fileName: 'yesterday.json' },
      ...(background ? { background } : {}),
    });
  assert.equal(backgroundLine(opened(undefined)), undefined, 'no session behind it: no line');
  const running = backgroundLine(opened({ running: true, target }))!;
  assert.equal(running.text, '● Still recording pid 4242 · server.js');
  assert.equal(running.button, 'Show live');
  const stopped = backgroundLine(opened({ running: false, target }))!;
  assert.equal(stopped.text, "The session's recording of pid 4242 · server.js is not shown");
  assert.equal(stopped.button, 'Show it');
  // The view cleared while the session records: empty, and the line still says so.
  const cleared = reduce(initialState, {
    type: MessageType.Hydrate,
    recording: undefined,
    live: false,
    origin: undefined,
    background: { running: true, target },
  });
  assert.equal(cleared.status, 'empty');
  assert.match(backgroundLine(cleared)!.text, /Still recording pid 4242/);
  // A malformed field from another version is ignored.
  const bad = reduce(initialState, {
    type: MessageType.Hydrate,
    recording: rec,
    live: false,
    origin: { kind: 'file', fileName: 'x.json' },
    background: { running: 'yes' } as never,
  });
  assert.equal(backgroundLine(bad), undefined);
});

test('the background line shortens a command line to the script and its arguments', () => {
  assert.equal(
    shortCommand('/usr/bin/node --inspect-port=0 /tmp/w/blocker.js cpu 300'),
    'blocker.js cpu 300',
  );
  assert.equal(shortCommand('node server.js'), 'server.js');
  assert.equal(shortCommand('node.exe C:\\app\\main.js --port 80'), 'main.js --port 80');
  assert.equal(shortCommand('npm run dev'), 'npm run dev');
  assert.equal(shortCommand('/usr/bin/node --inspect'), '/usr/bin/node --inspect');
  const line = backgroundLine(
    reduce(initialState, {
      type: MessageType.Hydrate,
      recording: undefined,
      live: false,
      origin: undefined,
      background: {
        running: true,
        target: {
          pid: 7,
          url: 'ws://x',
          command: '/usr/bin/node --inspect /srv/app/server.js --port 80',
        },
      },
    }),
  )!;
  assert.equal(line.text, '● Still recording pid 7 · server.js --port 80');
  assert.match(line.title, /pid 7 · \/usr\/bin\/node --inspect \/srv\/app\/server\.js --port 80/);
});
