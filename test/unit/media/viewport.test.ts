import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  barAt,
  delayPoints,
  fit,
  followEnd,
  layoutBars,
  niceMax,
  niceTicks,
  pan,
  track,
  zoom,
  MIN_SPAN_MS,
} from '../../../media/src/viewport';
import { metrics, stall } from './helpers';

test('fit shows the whole recording; follow shows the last minute', () => {
  assert.deepEqual(fit(90_000), { startMs: 0, spanMs: 90_000, follow: false });
  assert.deepEqual(followEnd(90_000), {
    startMs: 30_000,
    spanMs: 60_000,
    follow: true,
    grow: true,
  });
  // A young live recording fills the view (at least 10 s) instead of a minute of empty space.
  assert.deepEqual(followEnd(5_000), { startMs: 0, spanMs: 10_000, follow: true, grow: true });
  assert.deepEqual(track(followEnd(3_000), 25_000), {
    startMs: 0,
    spanMs: 25_000,
    follow: true,
    grow: true,
  });
  // After a zoom by hand the span is the user's, and it no longer grows.
  const zoomed = zoom(followEnd(30_000), 0.5, 30_000, 30_000);
  assert.equal(zoomed.grow, false);
  assert.equal(zoomed.follow, true);
  assert.equal(track(zoomed, 40_000).spanMs, 15_000);
});

test('zoom keeps the anchor in place and stays inside the recording', () => {
  const vp = zoom(fit(10_000), 0.5, 2_000, 10_000);
  assert.equal(vp.spanMs, 5_000);
  assert.equal(vp.startMs, 1_000); // 2 s was at 20 % of the view, and still is
  const tiny = zoom(vp, 0.0001, 2_000, 10_000);
  assert.equal(tiny.spanMs, MIN_SPAN_MS);
  const out = zoom(vp, 100, 2_000, 10_000);
  assert.deepEqual(out, { startMs: 0, spanMs: 10_000, follow: false, grow: false });
});

test('pan is clamped; panning back from the end stops following, reaching it resumes', () => {
  const live = followEnd(120_000);
  const back = pan(live, -10_000, 120_000);
  assert.equal(back.follow, false);
  assert.equal(back.startMs, 50_000);
  assert.equal(pan(back, -1e9, 120_000).startMs, 0);
  const again = pan(back, 1e9, 120_000);
  assert.equal(again.follow, true);
  assert.equal(again.startMs, 60_000);
});

test('a following viewport slides as the recording grows; a fixed one stays', () => {
  assert.equal(track(followEnd(70_000), 80_000).startMs, 20_000);
  const fixed = { startMs: 1_000, spanMs: 5_000, follow: false };
  assert.deepEqual(track(fixed, 80_000), fixed);
});

test('ticks are round numbers', () => {
  assert.deepEqual(niceTicks(0, 1000, 4), [0, 500, 1000]);
  assert.deepEqual(niceTicks(0, 100, 5), [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(niceTicks(1_000, 61_000, 3), [20_000, 40_000, 60_000]);
  assert.equal(niceMax(173), 200);
  assert.equal(niceMax(51), 60);
  assert.equal(niceMax(0), 1);
});

test('bars: one per stall when wide, merged to the longest per pixel when dense', () => {
  const vp = fit(1_000);
  const bars = layoutBars([stall(100, 100, 'cpu'), stall(500, 200, 'gc')], vp, 100, 200);
  assert.deepEqual(
    bars.map((b) => [b.x0, b.x1, b.kind]),
    [
      [10, 20, 'cpu'],
      [50, 70, 'gc'],
    ],
  );
  const dense = Array.from({ length: 10_000 }, (_, i) =>
    stall(i * 100, 50 + (i % 7) * 10, i === 5000 ? 'gc' : 'cpu'),
  );
  const wide = fit(1_000_000);
  const many = layoutBars(dense, wide, 300, 120);
  assert.ok(many.length <= 300, `${many.length} bars for 300 px`);
  assert.ok(many.length >= 250);
  // Stalls sharing a pixel column merge into the longest of them (its kind and index).
  const column = [stall(0, 60, 'cpu'), stall(200, 90, 'gc'), stall(400, 70, 'cpu')];
  const merged = layoutBars(column, fit(100_000), 100, 90);
  assert.deepEqual(
    merged.map((b) => [b.x0, b.index, b.kind, b.durationMs]),
    [[0, 1, 'gc', 90]],
  );
  assert.equal(barAt(bars, 15)?.kind, 'cpu');
  assert.equal(barAt(bars, 72)?.kind, 'gc', 'slack of a few pixels for thin bars');
  assert.equal(barAt(bars, 40), undefined);
});

test('bars of stalls outside the view are not laid out', () => {
  const bars = layoutBars(
    [stall(0, 60, 'cpu'), stall(5_000, 60, 'cpu'), stall(9_000, 60, 'cpu')],
    { startMs: 4_000, spanMs: 2_000, follow: false },
    200,
    60,
  );
  assert.equal(bars.length, 1);
  assert.equal(bars[0]!.index, 1);
});

test('the p99 line keeps the peak of each pixel column and reaches the edges', () => {
  const samples = Array.from({ length: 3600 }, (_, i) =>
    metrics((i + 1) * 1000, i === 1800 ? 900 : 5),
  );
  const pts = delayPoints(samples, fit(3_600_000), 300);
  assert.ok(pts.length <= 302, `${pts.length} points for 300 px`);
  assert.equal(Math.max(...pts.map((p) => p.value)), 900, 'the one-second spike survives');
  const zoomed = delayPoints(samples, { startMs: 10_500, spanMs: 5_000, follow: false }, 500);
  assert.equal(zoomed[0]!.x < 0, true, 'starts with the sample before the view');
  assert.equal(zoomed[zoomed.length - 1]!.x > 500, true, 'ends with the sample after it');
  assert.deepEqual(delayPoints([], fit(1000), 100), []);
});
