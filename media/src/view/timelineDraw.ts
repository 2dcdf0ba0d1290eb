/** Drawing helpers of the timeline that need no view state. */
import type { Metrics } from '../../../src/shared/protocol/runtime';
import type { Viewport } from '../viewport';
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
  const end = vp.startMs + vp.spanMs;
  const x = (ms: number): number => ((ms - vp.startMs) / vp.spanMs) * w;
  const y = (v: number): number => plotH - (Math.min(v, yMax) / yMax) * plotH;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, w, plotH);
  ctx.clip();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1.5;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  let started = false;
  let lastX = -Infinity;
  for (let i = 0; i < metrics.length; i++) {
    const m = metrics[i]!;
    const next = metrics[i + 1];
    if (m.atMs < vp.startMs && next && next.atMs < vp.startMs) continue;
    const px = x(m.atMs);
    // Many samples per pixel when zoomed out: one point per pixel keeps the path short.
    if (px - lastX < 1 && next && next.atMs <= end) continue;
    lastX = px;
    if (started) ctx.lineTo(px, y(m.loopDelay.p99));
    else ctx.moveTo(px, y(m.loopDelay.p99));
    started = true;
    if (m.atMs > end) break;
  }
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
