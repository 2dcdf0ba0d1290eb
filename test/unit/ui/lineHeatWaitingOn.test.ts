/** The editor hover of a blamed line says what its longest stall waited on (waitingOn). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Stall } from '../../../src/shared/protocol/runtime';
import { computeLineHeat } from '../../../src/ui/lineHeat';

function stall(durationMs: number, waitingOn?: string): Stall {
  const blame = { functionName: 'load', file: '/app/a.js', line: 3, column: 1 };
  return {
    startMs: 0,
    durationMs,
    kind: 'sync-io',
    stack: [blame],
    blame,
    ...(waitingOn ? { waitingOn } : {}),
  };
}

test('a line keeps the waitingOn of its longest stall that has one', () => {
  const heat = computeLineHeat([
    stall(80, 'read /data/small.bin (D) 100 %'),
    stall(300, 'read /data/big.bin (D) 90 %, running 10 %'),
    stall(500),
    stall(120, 'read /data/mid.bin (S) 100 %'),
  ]);
  const [line] = heat.get('/app/a.js') ?? [];
  assert.equal(line.waitingOn, 'read /data/big.bin (D) 90 %, running 10 %');
  const [none] = computeLineHeat([stall(90)]).get('/app/a.js') ?? [];
  assert.equal(none.waitingOn, undefined);
});
