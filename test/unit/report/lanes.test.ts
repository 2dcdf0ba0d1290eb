/** One lane per thread, grouped by process (threadLanes.ts), and the report's lanes and filter. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { laneKey, threadLanes } from '../../../src/shared/protocol/threadLanes';
import { renderReportHtml } from '../../../src/runtime/report/html';
import { ROOT, recording, stall } from './makeRecording';

const a = `${ROOT}/src/a.ts`;
const w = `${ROOT}/src/worker.ts`;

function multiThread() {
  return recording(
    [
      { ...stall(100, 80, 'cpu', a, 3, 'main'), pid: 4242, thread: { id: 0, name: 'main' } },
      { ...stall(500, 150, 'cpu', w, 9, 'spin'), pid: 4242, thread: { id: 1, name: 'cruncher' } },
      { ...stall(900, 200, 'sync-io', w, 12, 'load'), pid: 4243, thread: { id: 0, name: 'main' } },
    ],
    {
      version: 2,
      processes: [
        {
          pid: 4242,
          command: 'node app.js',
          threads: [{ id: 0, name: 'main' }, { id: 1, name: 'cruncher' }, { id: 2 }],
        },
        { pid: 4243, command: 'node app.js', threads: [{ id: 0, name: 'main' }], parentPid: 4242 },
      ],
    },
  );
}

test('lanes: every thread of every process, main first; threads that never stalled too', () => {
  const lanes = threadLanes(multiThread());
  assert.deepEqual(
    lanes.map((l) => [l.key, l.label, l.group]),
    [
      ['4242:0', 'main', 0],
      ['4242:1', 'worker 1: cruncher', 0],
      ['4242:2', 'worker 2', 0],
      ['4243:0', 'main', 1],
    ],
  );
  // A version 1 recording: one lane, the target's main thread; stalls without pid/thread on it.
  const v1 = recording([stall(0, 60, 'cpu', a, 1, 'f')]);
  assert.deepEqual(
    threadLanes(v1).map((l) => l.key),
    ['4242:0'],
  );
  assert.equal(laneKey(v1.stalls[0]!, 4242), '4242:0');
  // A thread the process list does not know still gets its lane.
  const extra = recording([{ ...stall(0, 60, 'cpu', a, 1, 'f'), thread: { id: 5 } }]);
  assert.deepEqual(
    threadLanes(extra).map((l) => l.label),
    ['main', 'worker 5'],
  );
});

test('report: a lane per thread grouped by process, hotspots per thread behind a CSS-only filter', () => {
  const html = renderReportHtml(multiThread(), { cwd: ROOT, generatedAt: new Date(0) });
  assert.match(html, /<section id="threads-section">/);
  assert.equal((html.match(/<g class="lane" data-lane=/g) ?? []).length, 4);
  assert.match(html, /class="lane-process"[^>]*>pid 4242 · node app\.js</);
  assert.match(html, /class="lane-process"[^>]*>pid 4243 ← 4242 · node app\.js</);
  assert.equal((html.match(/class="stall lane-stall/g) ?? []).length, 3);
  // The filter: all threads plus one choice per lane; the page keeps a single #hotspots table.
  assert.equal((html.match(/<input type="radio" name="hs-thread"/g) ?? []).length, 5);
  assert.match(
    html,
    /<label for="hs-1" class="hs-choice" data-choice="1">pid 4242 worker 1: cruncher<\/label>/,
  );
  assert.equal((html.match(/id="hotspots"/g) ?? []).length, 1);
  const cruncher = /data-table="1" data-lane="4242:1">(.*?)<\/div>/.exec(html)?.[1] ?? '';
  assert.match(cruncher, /src\/worker\.ts:9/);
  assert.doesNotMatch(cruncher, /src\/a\.ts:3|worker\.ts:12/);
  // The stall list names a worker's thread.
  assert.match(html, /<span class="thread">worker 1: cruncher<\/span>/);
  assert.doesNotMatch(html, /<script/);
});

test('report: a single-thread recording has no lanes and the plain hotspot table', () => {
  const html = renderReportHtml(recording([stall(0, 60, 'cpu', a, 1, 'f')]), { cwd: ROOT });
  assert.doesNotMatch(html, /threads-section|hs-thread/);
  assert.match(html, /<table id="hotspots">/);
});

test('report: the lane of a thread that exited ends where it exited', () => {
  const rec = multiThread();
  rec.processes![0]!.threads[2] = { id: 2, exitedAtMs: rec.durationMs / 2 };
  const lanes = threadLanes(rec);
  assert.deepEqual(
    lanes.map((l) => l.exitedAtMs),
    [undefined, undefined, rec.durationMs / 2, undefined],
  );
  assert.deepEqual(lanes[2]!.thread, { id: 2 });
  const html = renderReportHtml(rec, { cwd: ROOT, generatedAt: new Date(0) });
  const widths = [...html.matchAll(/class="lane-bg"[^>]*width="([\d.]+)"/g)].map((m) => +m[1]!);
  assert.equal(widths.length, 4);
  assert.ok(widths[2]! < widths[0]! && widths[0] === widths[3], widths.join());
  assert.match(html, /<title>exited at [\d.]+ s<\/title>/);
});
