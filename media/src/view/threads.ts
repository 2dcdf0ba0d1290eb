/**
 * The process's threads over time: one strip per thread coloured by state (R running, S sleeping,
 * D uninterruptible I/O), a red band where the libuv threadpool was saturated, on the same time
 * axis as the timeline above it.
 */
import type { ViewState } from '../state';
import type { ThreadModel } from '../threadRows';
import { shareInState, threadRows } from '../threadRows';
import type { Viewport } from '../viewport';
import { h, sizeCanvas } from './dom';
import type { Palette } from './palette';
import { readPalette } from './palette';
import { legendItem } from './timelineDraw';

const ROW_H = 9;
const GAP = 2;
const LABEL_W = 40;
const RIGHT = 8;

export class ThreadsView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly note: HTMLElement;
  private model: ThreadModel = { rows: [], saturated: [] };
  private metricsRef: unknown;
  private vp: Viewport | undefined;

  constructor() {
    this.canvas = h('canvas', {
      class: 'chart-canvas',
      role: 'img',
      'aria-label': 'Thread states',
    });
    this.note = h('p', { class: 'hint' });
    const legend = h(
      'div',
      { class: 'legend' },
      legendItem('thread-running', 'R running'),
      legendItem('thread-sleeping', 'S sleeping'),
      legendItem('thread-disk', 'D disk wait'),
      legendItem('saturated', 'pool saturated'),
    );
    this.element = h(
      'section',
      { class: 'section threads', 'aria-labelledby': 'threads-title' },
      h('div', { class: 'section-head' }, h('h2', { id: 'threads-title' }, 'Threads')),
      legend,
      h('div', { class: 'chart' }, this.canvas),
      this.note,
    );
  }

  update(state: ViewState, vp: Viewport): void {
    this.vp = vp;
    if (state.metrics !== this.metricsRef) {
      this.metricsRef = state.metrics;
      this.model = threadRows(state.metrics, state.target?.pid);
    }
    const has = this.model.rows.length > 0;
    this.canvas.hidden = !has;
    this.note.textContent = has
      ? `${this.model.rows.length} threads${this.model.saturated.length ? `; threadpool saturated ${this.model.saturated.length}×` : ''}.`
      : 'Thread states are sampled for local Linux processes only.';
    if (has) this.draw();
  }

  private draw(): void {
    const vp = this.vp;
    const rows = this.model.rows;
    const height = (rows.length + 1) * (ROW_H + GAP) + 2;
    const ctx = sizeCanvas(this.canvas, height);
    if (!ctx || !vp) return;
    const pal = readPalette(this.canvas);
    const w = Math.max(1, this.canvas.clientWidth - LABEL_W - RIGHT);
    const x = (ms: number): number => LABEL_W + ((ms - vp.startMs) / vp.spanMs) * w;
    ctx.font = pal.font;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    ctx.fillStyle = pal.text;
    ctx.fillText('pool', LABEL_W - 4, ROW_H / 2 + 1);
    ctx.fillStyle = pal.saturated;
    for (const s of this.model.saturated) {
      fillSpan(ctx, x(s.fromMs), x(s.toMs), 1, ROW_H, LABEL_W, LABEL_W + w);
    }
    rows.forEach((row, i) => {
      const top = (i + 1) * (ROW_H + GAP) + 1;
      ctx.fillStyle = pal.text;
      ctx.fillText(row.label, LABEL_W - 4, top + ROW_H / 2);
      for (const s of row.spans) {
        if (s.toMs < vp.startMs || s.fromMs > vp.startMs + vp.spanMs) continue;
        ctx.fillStyle = stateColour(pal, s.state);
        fillSpan(ctx, x(s.fromMs), x(s.toMs), top, ROW_H, LABEL_W, LABEL_W + w);
      }
    });
    const main = rows.find((r) => r.label === 'main');
    this.canvas.setAttribute(
      'aria-label',
      `Thread states of ${rows.length} threads${main ? `; main thread running ${Math.round(shareInState(main, 'R') * 100)} % of the time` : ''}${this.model.saturated.length ? '; threadpool saturated' : ''}.`,
    );
  }
}

function fillSpan(
  ctx: CanvasRenderingContext2D,
  x0: number,
  x1: number,
  top: number,
  hgt: number,
  min: number,
  max: number,
): void {
  const a = Math.max(min, x0);
  const b = Math.min(max, x1);
  if (b > a) ctx.fillRect(a, top, Math.max(1, b - a - 0.5), hgt);
}

function stateColour(pal: Palette, state: string): string {
  switch (state) {
    case 'R':
      return pal.running;
    case 'S':
    case 'I':
      return pal.sleeping;
    case 'D':
      return pal.diskWait;
    default:
      return pal.other;
  }
}
