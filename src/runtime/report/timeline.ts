/**
 * The report's timeline: an inline SVG of loop delay (p99 per metrics second) over the recording
 * with each stall drawn as a bar whose height is its duration, coloured by kind. Stalls are
 * binned per horizontal pixel (the longest one of a pixel is drawn) so 10,000 stalls still make
 * a small document.
 */
import type { Recording, Stall, StallKind } from '../../shared/protocol/runtime';
import { escapeHtml } from './escape';
import { STALL_KINDS, displayPath, formatMs } from './model';

export const KIND_COLORS: Record<StallKind, string> = {
  cpu: '#d9480f',
  'sync-io': '#1c7ed6',
  gc: '#9c36b5',
  native: '#e8a400',
  starved: '#868e96',
};

const W = 1000;
const H = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

interface Scale {
  x(ms: number): number;
  y(ms: number): number;
  spanMs: number;
  maxMs: number;
}

function makeScale(rec: Recording): Scale {
  let spanMs = Math.max(rec.durationMs, 1);
  let maxMs = rec.thresholdMs;
  for (const s of rec.stalls) {
    spanMs = Math.max(spanMs, s.startMs + s.durationMs);
    maxMs = Math.max(maxMs, s.durationMs);
  }
  for (const m of rec.metrics) {
    spanMs = Math.max(spanMs, m.atMs);
    maxMs = Math.max(maxMs, m.loopDelay.p99);
  }
  maxMs *= 1.1;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  return {
    spanMs,
    maxMs,
    x: (ms) => PAD.left + (ms / spanMs) * plotW,
    y: (ms) => PAD.top + plotH - (Math.min(ms, maxMs) / maxMs) * plotH,
  };
}

/** The longest stall per pixel column: what the eye can see anyway. */
function binStalls(stalls: readonly Stall[], sc: Scale): Array<{ stall: Stall; n: number }> {
  const bins = new Map<number, { stall: Stall; n: number }>();
  for (const s of stalls) {
    const px = Math.floor(sc.x(s.startMs));
    const b = bins.get(px);
    if (!b) bins.set(px, { stall: s, n: 1 });
    else {
      b.n += 1;
      if (s.durationMs > b.stall.durationMs) b.stall = s;
    }
  }
  return [...bins.values()];
}

/** 1, 2 or 5 times a power of ten: round axis labels. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-3)));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function axes(sc: Scale, thresholdMs: number): string {
  const out: string[] = [];
  const step = niceStep(sc.maxMs / 4);
  for (let v = 0; v <= sc.maxMs; v += step) {
    const y = sc.y(v).toFixed(1);
    out.push(`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}"/>`);
    out.push(
      `<text class="axis" x="${PAD.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeHtml(formatMs(v))}</text>`,
    );
  }
  for (let i = 0; i <= 5; i++) {
    const t = (sc.spanMs * i) / 5;
    const x = sc.x(t).toFixed(1);
    out.push(
      `<text class="axis" x="${x}" y="${H - 8}" text-anchor="middle">${(t / 1000).toFixed(1)} s</text>`,
    );
  }
  const ty = sc.y(thresholdMs).toFixed(1);
  out.push(
    `<line class="threshold" x1="${PAD.left}" x2="${W - PAD.right}" y1="${ty}" y2="${ty}"><title>threshold ${thresholdMs} ms</title></line>`,
  );
  return out.join('');
}

function stallBars(rec: Recording, sc: Scale, cwd?: string): string {
  return binStalls(rec.stalls, sc)
    .map(({ stall: s, n }) => {
      const x = sc.x(s.startMs);
      const w = Math.max(2, sc.x(s.startMs + s.durationMs) - x);
      const y = sc.y(s.durationMs);
      const where = s.blame
        ? `${displayPath(s.blame.file, cwd)}:${s.blame.line} ${s.blame.functionName}`
        : 'unattributed';
      const more = n > 1 ? ` (+${n - 1} more here)` : '';
      const title = `${(Math.max(0, s.startMs) / 1000).toFixed(2)} s: ${formatMs(s.durationMs)} ${s.kind} at ${where}${more}`;
      return `<rect class="stall kind-${escapeHtml(s.kind)}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${(sc.y(0) - y).toFixed(1)}" fill="${KIND_COLORS[s.kind] ?? '#666'}"><title>${escapeHtml(title)}</title></rect>`;
    })
    .join('');
}

function delayLine(rec: Recording, sc: Scale): string {
  if (rec.metrics.length === 0) return '';
  const pts = rec.metrics.map(
    (m) => `${sc.x(m.atMs).toFixed(1)},${sc.y(m.loopDelay.p99).toFixed(1)}`,
  );
  return `<polyline class="delay" points="${pts.join(' ')}"><title>loop delay p99 per second</title></polyline>`;
}

/** The legend under the chart: one swatch per stall kind plus the delay line and threshold. */
export function renderLegend(): string {
  const kinds = STALL_KINDS.map(
    (k) =>
      `<span class="legend-item"><span class="swatch" style="background:${KIND_COLORS[k]}"></span>${k}</span>`,
  );
  kinds.push('<span class="legend-item"><span class="swatch line"></span>loop delay p99</span>');
  kinds.push('<span class="legend-item"><span class="swatch dash"></span>threshold</span>');
  return `<div class="legend">${kinds.join('')}</div>`;
}

/** The whole timeline figure as inline SVG + legend. */
export function renderTimeline(rec: Recording, cwd?: string): string {
  const sc = makeScale(rec);
  const svg =
    `<svg id="timeline" viewBox="0 0 ${W} ${H}" role="img" aria-label="Loop delay and stalls over time">` +
    axes(sc, rec.thresholdMs) +
    delayLine(rec, sc) +
    stallBars(rec, sc, cwd) +
    '</svg>';
  return svg + renderLegend();
}
