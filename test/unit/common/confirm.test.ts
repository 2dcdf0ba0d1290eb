import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONFIRMED_MARK,
  confirmedMessage,
  confirmedSuffix,
  confirmingLine,
  type BlamedLine,
  type BlameLookup,
  type FindingSite,
} from '../../../src/common/confirm';

const handler = '/ws/src/handler.ts';
const templates = '/ws/src/templates.ts';

/** A recording's heat: file → blamed lines (1-based, as the runtime reports them). */
function lookup(heat: Record<string, BlamedLine[]>): BlameLookup {
  return (file) => heat[file] ?? [];
}

const hot = (line: number, totalMs = 1234, count = 14, maxMs = 220): BlamedLine => ({
  line,
  totalMs,
  count,
  maxMs,
});

/** readFileSync on line 6 of handler.ts: 0-based line 5 in the diagnostic range. */
const direct: FindingSite = { file: handler, startLine: 5, endLine: 5 };
/** renderPage(name) on line 7, whose chain ends at readFileSync on line 3 of templates.ts. */
const chained: FindingSite = {
  file: handler,
  startLine: 6,
  endLine: 6,
  chainEnd: { file: templates, line: 2 },
};

test('a finding on a blamed line is confirmed (1-based blame vs 0-based range)', () => {
  assert.deepEqual(confirmingLine(direct, lookup({ [handler]: [hot(6)] })), hot(6));
  // Off by one either way is another line: not confirmed.
  assert.equal(confirmingLine(direct, lookup({ [handler]: [hot(5), hot(7)] })), undefined);
  // The same line of another file is not this finding.
  assert.equal(confirmingLine(direct, lookup({ [templates]: [hot(6)] })), undefined);
});

test('a multi-line finding is confirmed by a blame on any of its lines', () => {
  const site: FindingSite = { file: handler, startLine: 10, endLine: 12 };
  assert.equal(confirmingLine(site, lookup({ [handler]: [hot(13)] }))?.line, 13);
  assert.equal(confirmingLine(site, lookup({ [handler]: [hot(14)] })), undefined);
});

test('a finding whose call chain ends at a blamed line is confirmed by that line', () => {
  const b = hot(3, 500, 2, 300);
  assert.deepEqual(confirmingLine(chained, lookup({ [templates]: [b] })), b);
  assert.equal(confirmingLine(chained, lookup({ [templates]: [hot(2)] })), undefined);
  // The finding's own line wins over its chain end.
  const own = hot(7, 90, 1, 90);
  assert.deepEqual(confirmingLine(chained, lookup({ [handler]: [own], [templates]: [b] })), own);
});

test('the message gets the runtime numbers, and stays as it was without a recording', () => {
  const msg = 'readFileSync blocks the event loop';
  assert.equal(
    confirmedMessage(msg, direct, lookup({ [handler]: [hot(6)] })),
    `${msg} — ${CONFIRMED_MARK}: blocked 1.2 s in 14 stalls (max 220 ms)`,
  );
  assert.equal(confirmedMessage(msg, direct, lookup({})), msg);
  assert.equal(
    confirmedSuffix(hot(3, 180.4, 1, 180.4)),
    ' — confirmed at run time: blocked 180 ms in 1 stall (max 180 ms)',
  );
});
