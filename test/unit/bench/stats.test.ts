/** The runtime bench's estimators (pure arithmetic on made-up ratios). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error: plain ES module without types (bench/ is JavaScript)
import { geomean, geomeanSe } from '../../../bench/fixtures/stats.mjs';

test("a geometric mean's standard error comes from the spread of its cycles' means", () => {
  // Two cycles of two rounds: cycle means of the logs are ln(1.02) and ln(1.00) (within a cycle
  // the server effects cancel: 1.04·1.00 and 0.98·1.02 are about the same as 1.02² and 1.00²).
  const ratios = [1.04, 1.0, 0.98, 1.02];
  const a = (Math.log(1.04) + Math.log(1.0)) / 2;
  const b = (Math.log(0.98) + Math.log(1.02)) / 2;
  const expected = Math.abs(a - b) / 2; // sd of two values / sqrt(2) = |a − b| / 2
  assert.ok(Math.abs(geomeanSe(ratios, 2) - expected) < 1e-12);
  assert.ok(Math.abs(geomean(ratios) - Math.exp((a + b) / 2)) < 1e-12);
  // Identical cycles: no spread, whatever the spread inside each cycle.
  assert.equal(geomeanSe([1.1, 0.9, 1.1, 0.9, 1.1, 0.9], 2), 0);
  assert.ok(Number.isNaN(geomeanSe([1.01, 1.02], 2)), 'one cycle: no standard error');
  // An incomplete last group is left out.
  assert.equal(geomeanSe([1.0, 1.0, 1.0, 1.0, 5.0], 2), 0);
});
