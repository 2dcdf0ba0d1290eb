/** Drawing helpers of the timeline that need no view state. */
import type { Metrics, Stall } from '../../../src/shared/protocol/runtime';
import { formatMs, formatOffset } from '../format';
import type { Bar, Viewport } from '../viewport';
import { delayPoints, niceTicks } from '../viewport';
import type { Palette } from './palette';
import { kindLabel } from './palette';
import { h } from './dom';

/** The largest p99 loop delay of the samples in view. */
export function maxVisibleDelay(metrics: readonly Metrics[], vp: Viewport): number {
  let max = 0;
  const end = vp.startMs + vp.spanMs;
  for (const m of metrics) {
    if (m.atMs >= vp.startMs && m.atMs <= end) max = Math.max(max, m.loopDelay.p99);
  }
  return max;
}

/** The p99 loop delay as a line through the metrics samples (one a second). */
export function drawDelayLine(
  ctx: CanvasRenderingContext2D,
  metrics: readonly Metrics[],
  vp: Viewport,
  w: number,
  plotH: number,
  yMax: number,
  colour: string,
): void {
  const y = (v: number): number => plotH - (Math.min(v, yMax) / yMax) * plotH;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, w, plotH);
  ctx.clip();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.5;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  delayPoints(metrics, vp, w).forEach((p, i) => {
    if (i) ctx.lineTo(p.x, y(p.value));
    else ctx.moveTo(p.x, y(p.value));
  });
  ctx.stroke();
  ctx.restore();
}

/** One legend entry: a swatch with the class `swatch-<kind>` and its label. */
export function legendItem(kind: string, label: string): HTMLElement {
  return h(
    'span',
    { class: 'legend-item' },
    h('span', {
      class: `swatch ${kind
        .split(' ')
        .map((k) => `swatch-${k}`)
        .join(' ')}`,
      'aria-hidden': 'true',
    }),
    label,
  );
}

/** Geometry of the timeline's plot for {@link drawAxes}. */
export interface AxesLayout {
  w: number;
  yMax: number;
  thresholdMs: number;
  vp: Viewport;
  height: number;
  pad: { left: number; right: number; top: number; bottom: number };
}

/** Grid lines with loop-delay labels, time labels, and the dashed stall threshold. */
export function drawAxes(ctx: CanvasRenderingContext2D, pal: Palette, a: AxesLayout): void {
  const { w, yMax, vp, pad } = a;
  const plotH = a.height - pad.top - pad.bottom;
  const y = (v: number): number => Math.round(pad.top + plotH - (v / yMax) * plotH) + 0.5;
  const hLine = (v: number): void => {
    ctx.beginPath();
    ctx.moveTo(pad.left, y(v));
    ctx.lineTo(pad.left + w, y(v));
    ctx.stroke();
  };
  ctx.font = pal.font;
  ctx.fillStyle = pal.text;
  ctx.strokeStyle = pal.grid;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of niceTicks(0, yMax, 4)) {
    hLine(t);
    ctx.fillText(t === 0 ? '0' : formatMs(t), pad.left - 4, y(t));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const end = vp.startMs + vp.spanMs;
  for (const t of niceTicks(vp.startMs, end, Math.max(2, Math.floor(w / 70)))) {
    const x = pad.left + ((t - vp.startMs) / vp.spanMs) * w;
    ctx.fillText(formatOffset(t, vp.spanMs), x, a.height - pad.bottom + 4);
  }
  if (a.thresholdMs < yMax) {
    ctx.strokeStyle = pal.threshold;
    ctx.setLineDash([4, 3]);
    hLine(a.thresholdMs);
    ctx.setLineDash([]);
  }
}

/** A text equivalent of the picture for screen readers (the canvas's aria-label). */
export function describeTimeline(
  bars: readonly Bar[],
  stalls: readonly Stall[],
  vp: Viewport,
): string {
  const at = (ms: number): string => formatOffset(ms, vp.spanMs);
  const span = `${at(vp.startMs)} to ${at(vp.startMs + vp.spanMs)}`;
  const longest = bars.reduce<Bar | undefined>(
    (m, b) => (!m || b.durationMs > m.durationMs ? b : m),
    undefined,
  );
  if (!longest) return `Event-loop timeline, ${span}: no stalls in view.`;
  const when = at(stalls[longest.index]?.startMs ?? 0);
  return `Event-loop timeline, ${span}: ${bars.length} stall bars, longest ${formatMs(longest.durationMs)} (${kindLabel(longest.kind)}) at ${when}.`;
}
