/**
 * Pure math of the timeline: which slice of the recording is on screen, zoom and pan around it,
 * axis ticks, and the bars to draw. Bars are merged per pixel column, so drawing cost depends on
 * the canvas width, not on the number of stalls.
 */
import type { Metrics, Stall, StallKind } from '../../src/shared/protocol/runtime';

export interface Viewport {
  startMs: number;
  spanMs: number;
  /** Keep the newest data in view as a live recording grows. */
  follow: boolean;
  /** Live and not zoomed by hand: the span grows with the recording up to a minute. */
  grow?: boolean;
}

/** The narrowest slice one can zoom to. */
export const MIN_SPAN_MS = 200;
/** What a live recording shows while following. */
export const LIVE_SPAN_MS = 60_000;

/** The whole recording (at least one second). */
export function fit(durationMs: number, follow = false): Viewport {
  return { startMs: 0, spanMs: Math.max(1000, durationMs), follow };
}

/** The first seconds shown of a live recording: the span grows from this up to a minute. */
export const LIVE_MIN_SPAN_MS = 10_000;

/**
 * The end of a live recording, scrolling as it grows. Without a span: the whole recording while
 * it is short (at least 10 s), then the last minute; with one (the user zoomed): that span.
 */
export function followEnd(durationMs: number, spanMs?: number): Viewport {
  const grow = spanMs === undefined;
  const span = grow
    ? Math.min(LIVE_SPAN_MS, Math.max(LIVE_MIN_SPAN_MS, durationMs))
    : Math.max(MIN_SPAN_MS, spanMs);
  return { startMs: Math.max(0, durationMs - span), spanMs: span, follow: true, grow };
}

function clamp(vp: Viewport, durationMs: number): Viewport {
  const maxSpan = Math.max(1000, durationMs);
  const spanMs = Math.min(maxSpan, Math.max(MIN_SPAN_MS, vp.spanMs));
  const startMs = Math.min(Math.max(0, vp.startMs), Math.max(0, durationMs - spanMs));
  return { startMs, spanMs, follow: vp.follow };
}

/** Zooms by `factor` (< 1 zooms in) keeping `anchorMs` at the same place on screen. */
export function zoom(vp: Viewport, factor: number, anchorMs: number, durationMs: number): Viewport {
  const spanMs = vp.spanMs * factor;
  const ratio = vp.spanMs > 0 ? (anchorMs - vp.startMs) / vp.spanMs : 0.5;
  const next = clamp({ startMs: anchorMs - ratio * spanMs, spanMs, follow: false }, durationMs);
  return {
    ...next,
    follow: vp.follow && next.startMs + next.spanMs >= durationMs - 1,
    grow: false,
  };
}

/** Moves by `deltaMs`; moving away from the end stops following. */
export function pan(vp: Viewport, deltaMs: number, durationMs: number): Viewport {
  const next = clamp({ ...vp, startMs: vp.startMs + deltaMs }, durationMs);
  const atEnd = next.startMs + next.spanMs >= durationMs - 1;
  return { ...next, follow: deltaMs > 0 ? vp.follow || atEnd : vp.follow && atEnd };
}

/** Re-applies the bounds after the recording grew; a following viewport slides to the end. */
export function track(vp: Viewport, durationMs: number): Viewport {
  if (!vp.follow) return clamp(vp, durationMs);
  if (vp.grow) return followEnd(durationMs);
  const spanMs = Math.max(MIN_SPAN_MS, vp.spanMs);
  return { startMs: Math.max(0, durationMs - spanMs), spanMs, follow: true };
}

/** Round tick values (1, 2, 5 × 10^k) between `lo` and `hi`, at most about `maxTicks`. */
export function niceTicks(lo: number, hi: number, maxTicks: number): number[] {
  const range = hi - lo;
  if (!(range > 0) || maxTicks < 1) return [];
  const raw = range / maxTicks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(+t.toFixed(6));
  return out;
}

/** A rounded upper bound for a value axis (e.g. 173 → 200). */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const pow = 10 ** Math.floor(Math.log10(value));
  return ([1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * pow >= value) ?? 10) * pow;
}

export interface Bar {
  /** Pixel columns [x0, x1). */
  x0: number;
  x1: number;
  durationMs: number;
  kind: StallKind;
  /** Index of the (longest) stall in the input array. */
  index: number;
}

/** First index whose `startMs` is >= `ms` (stalls sorted by start). */
export function lowerBound(stalls: readonly Stall[], ms: number): number {
  let lo = 0;
  let hi = stalls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stalls[mid]!.startMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The bars of the stalls in view, at most about one per pixel column: stalls narrower than two
 * pixels that share a column are merged into the longest of them. Stalls never overlap in time
 * (the loop is blocked by one thing at a time), so wide bars are bounded by the width too.
 */
export function layoutBars(
  stalls: readonly Stall[],
  vp: Viewport,
  widthPx: number,
  maxDurationMs: number,
): Bar[] {
  const bars: Bar[] = [];
  if (widthPx <= 0 || vp.spanMs <= 0) return bars;
  const scale = widthPx / vp.spanMs;
  const end = vp.startMs + vp.spanMs;
  for (let i = lowerBound(stalls, vp.startMs - maxDurationMs); i < stalls.length; i++) {
    const s = stalls[i]!;
    if (s.startMs > end) break;
    if (s.startMs + s.durationMs < vp.startMs) continue;
    const x0 = Math.max(0, Math.floor((s.startMs - vp.startMs) * scale));
    const x1 = Math.min(
      widthPx,
      Math.max(x0 + 1, Math.ceil((s.startMs + s.durationMs - vp.startMs) * scale)),
    );
    const last = bars[bars.length - 1];
    if (last && x0 < last.x1 && x1 - x0 <= 2) {
      if (s.durationMs > last.durationMs) {
        Object.assign(last, { durationMs: s.durationMs, kind: s.kind, index: i });
      }
      continue;
    }
    bars.push({ x0, x1, durationMs: s.durationMs, kind: s.kind, index: i });
  }
  return bars;
}

/** The bar under pixel column `x`, allowing a few pixels of slack for thin bars. */
export function barAt(bars: readonly Bar[], x: number, slackPx = 3): Bar | undefined {
  let best: Bar | undefined;
  let bestDist = Infinity;
  for (const b of bars) {
    const d = x < b.x0 ? b.x0 - x : x >= b.x1 ? x - b.x1 + 1 : 0;
    if (
      d <= slackPx &&
      (d < bestDist || (d === bestDist && best && b.durationMs > best.durationMs))
    ) {
      best = b;
      bestDist = d;
    }
  }
  return best;
}

/**
 * Points of the p99 loop-delay line in view: one per pixel column, keeping the column's highest
 * sample (an hour of one-second samples on 300 pixels must not lose its peaks), plus the
 * samples just outside the view so the line runs to the edges.
 */
export function delayPoints(
  metrics: readonly Metrics[],
  vp: Viewport,
  widthPx: number,
): { x: number; value: number }[] {
  const out: { x: number; value: number }[] = [];
  if (!metrics.length || vp.spanMs <= 0) return out;
  const scale = widthPx / vp.spanMs;
  const end = vp.startMs + vp.spanMs;
  let lo = 0;
  let hi = metrics.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (metrics[mid]!.atMs < vp.startMs) lo = mid + 1;
    else hi = mid;
  }
  for (let i = Math.max(0, lo - 1); i < metrics.length; i++) {
    const m = metrics[i]!;
    const x = Math.round((m.atMs - vp.startMs) * scale);
    const last = out[out.length - 1];
    if (last && last.x === x) last.value = Math.max(last.value, m.loopDelay.p99);
    else out.push({ x, value: m.loopDelay.p99 });
    if (m.atMs > end) break;
  }
  return out;
}
