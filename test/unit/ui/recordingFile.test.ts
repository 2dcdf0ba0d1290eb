/**
 * `Open Recording…`'s loader (parseRecording) on malformed and hostile files
 * (test/robustness/hostileRecordings.ts): each is refused with a message naming the field, or
 * opens into data every consumer handles: saving, the editor heat, the webview's reducer and
 * aggregation. The Chromium test (test/e2e/webviewHostile.test.ts) checks the display.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecording, serializeRecording } from '../../../src/ui/recordingFile';
import { MAX_TEXT } from '../../../src/ui/recordingShape';
import { computeLineHeat } from '../../../src/ui/lineHeat';
import { initialState, reduce } from '../../../media/src/state';
import { aggregate } from '../../../media/src/aggregate';
import { MessageType } from '../../../src/shared/protocol/webview';
import { PAYLOADS, baseRecording, hostileRecordings } from '../../robustness/hostileRecordings';

/** What a clear refusal says: where and what, never a bare TypeError from deep inside. */
const CLEAR =
  /^(not JSON \(|not a Loop Lens recording|unsupported recording version|too large|"?[\w.[\]"]+ must be (a|an) )/;

const cases = hostileRecordings(8);
const byName = (prefix: string) => cases.find((c) => c.name.startsWith(prefix))!;

for (const c of cases) {
  test(`hostile recording: ${c.name}`, () => {
    let rec;
    try {
      rec = parseRecording(c.text);
    } catch (e) {
      assert.ok(e instanceof Error && CLEAR.test(e.message), String(e));
      return;
    }
    const again = parseRecording(serializeRecording(rec));
    assert.deepEqual(again.stalls, rec.stalls);
    computeLineHeat(rec.stalls);
    const state = reduce(initialState, {
      type: MessageType.Hydrate,
      recording: rec,
      live: false,
      origin: { kind: 'file', fileName: c.name },
    });
    assert.equal(state.status, 'opened');
    assert.equal(state.stalls.length, rec.stalls.length);
    aggregate(state.stalls);
    for (const s of rec.stalls) {
      for (const f of [...s.stack, ...(s.blame ? [s.blame] : [])]) {
        assert.ok(f.file.length <= MAX_TEXT + 1 && f.functionName.length <= MAX_TEXT + 1);
      }
    }
    assert.ok(rec.target.url.length <= MAX_TEXT + 1);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
}

test('the refusals name the field and the value', () => {
  const err = (prefix: string) => {
    try {
      parseRecording(byName(prefix).text);
    } catch (e) {
      return (e as Error).message;
    }
    return 'opened';
  };
  assert.equal(
    err('1e308 durationMs'),
    'stalls[3].durationMs must be a number from 0 to 10000000000 (got 1e+308)',
  );
  assert.equal(
    err('wrong type: frame file a number'),
    'stalls[0].stack[0].file must be a string (got 42)',
  );
  assert.match(err('NaN literal'), /^not JSON/);
  assert.match(err('1e999'), /metrics\[0\]\.atMs .*got Infinity/);
  assert.equal(err('10,000-deep unknown field'), 'opened');
});

test('markup stays text, huge strings are cut, deep unknown fields are dropped', () => {
  const rec = parseRecording(byName('HTML and script').text);
  assert.ok(
    PAYLOADS.some((p) => rec.stalls[0]!.stack[0]!.file.startsWith(p)),
    rec.stalls[0]!.stack[0]!.file,
  );
  assert.equal(parseRecording(byName('8 MB string').text).target.url.length, MAX_TEXT + 1);
  const deep = parseRecording(byName('10,000-deep unknown field').text);
  assert.equal((deep.stalls[0] as unknown as Record<string, unknown>).deep, undefined);
  assert.ok(serializeRecording(deep).length > 0);
});

test("a later version's shallow fields survive opening and saving", () => {
  const r = baseRecording() as Record<string, unknown> & { stalls: Array<Record<string, unknown>> };
  r.starvationKnown = true;
  r.stalls[0]!.starvation = { waitShare: 0.8, load: 3.1 };
  const rec = parseRecording(serializeRecording(parseRecording(JSON.stringify(r))));
  assert.equal((rec as unknown as Record<string, unknown>).starvationKnown, true);
  assert.deepEqual((rec.stalls[0] as unknown as Record<string, unknown>).starvation, {
    waitShare: 0.8,
    load: 3.1,
  });
});

test('a version 1 recording opens as version 2: one process, its main thread', () => {
  const text = readFileSync(join(__dirname, '../../fixtures/recordings/blocker-real.json'), 'utf8');
  assert.equal((JSON.parse(text) as { version: number }).version, 1);
  const rec = parseRecording(text);
  assert.equal(rec.version, 2);
  assert.deepEqual(rec.processes, [
    { pid: 22691, command: rec.target.command, threads: [{ id: 0, name: 'main' }] },
  ]);
  assert.ok(rec.stalls.length > 0);
  assert.ok(rec.stalls.every((s) => s.thread === undefined && s.pid === undefined));
  assert.deepEqual(parseRecording(serializeRecording(rec)).processes, rec.processes);
});

test('version 2: processes with their threads and each stall with pid and thread round-trip', () => {
  const r = baseRecording() as Record<string, unknown> & { stalls: Array<Record<string, unknown>> };
  r.version = 2;
  r.processes = [
    {
      pid: 10,
      command: 'node w.js',
      threads: [
        { id: 0, name: 'main' },
        { id: 1, name: 'cruncher' },
      ],
    },
    { pid: 11, threads: [{ id: 0, name: 'main' }], parentPid: 10 },
  ];
  r.stalls[0]!.pid = 10;
  r.stalls[0]!.thread = { id: 1, name: 'cruncher' };
  const rec = parseRecording(serializeRecording(parseRecording(JSON.stringify(r))));
  assert.equal(rec.version, 2);
  assert.deepEqual(rec.processes, r.processes);
  assert.equal(rec.stalls[0]!.pid, 10);
  assert.deepEqual(rec.stalls[0]!.thread, { id: 1, name: 'cruncher' });
  const bad = (patch: (x: typeof r) => void) => {
    const x = JSON.parse(JSON.stringify(r)) as typeof r;
    patch(x);
    return () => parseRecording(JSON.stringify(x));
  };
  assert.throws(
    bad((x) => ((x.stalls[0]!.thread as { id: unknown }).id = 'one')),
    /stalls\[0\]\.thread\.id must be a number/,
  );
  assert.throws(
    bad((x) => ((x.processes as Array<{ pid: unknown }>)[1]!.pid = -1)),
    /processes\[1\]\.pid must be a number/,
  );
  assert.throws(
    bad((x) => (x.processes = {})),
    /"processes" must be an array/,
  );
  assert.throws(
    bad((x) => (x.version = 3)),
    /unsupported recording version 3 \(expected 1 or 2\)/,
  );
});
