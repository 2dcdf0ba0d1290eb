/**
 * The event-loop timeline: a canvas with the p99 loop delay (line, from metrics) and every stall
 * as a bar coloured by kind, zoomable with the wheel, the buttons or the keyboard, and following
 * the newest data while live. Clicking a bar opens the line it was blamed on.
 */
import type { Stall } from '../../../src/shared/protocol/runtime';
import type { ViewState } from '../state';
import type { Bar, Viewport } from '../viewport';
import { barAt, fit, followEnd, layoutBars, niceMax, pan, track, zoom } from '../viewport';
import { h, sizeCanvas } from './dom';
import { kindLabel, readPalette } from './palette';
import { stallDetails } from './stallDetails';
import {
  describeTimeline,
  drawAxes,
  drawDelayLine,
  legendItem,
  maxVisibleDelay,
} from './timelineDraw';

const HEIGHT = 150;
const PAD = { left: 40, right: 8, top: 8, bottom: 18 };

export class TimelineView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private readonly followButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private state: ViewState | undefined;
  private vp: Viewport = fit(0);
  private bars: Bar[] = [];
  private generation = -1;
  private hover: Bar | undefined;
  private drag: { x: number; startMs: number; moved: boolean } | undefined;
  private listeners: ((vp: Viewport) => void)[] = [];

  constructor(
    private readonly onOpenStall: (stall: Stall) => void,
    /** The stall's thread by its lane's name, when the recording has several threads. */
    private readonly threadOf: (stall: Stall) => string | undefined = () => undefined,
  ) {
    this.canvas = h('canvas', {
      class: 'chart-canvas',
      tabindex: 0,
      role: 'img',
      'aria-label': 'Event-loop delay timeline',
      'aria-describedby': 'timeline-help',
    });
    this.tooltip = h('div', { class: 'tooltip', role: 'status', hidden: true });
    this.status = h('span', { class: 'visually-hidden', 'aria-live': 'polite' });
    const button = (label: string, text: string, onClick: () => void): HTMLButtonElement => {
      const b = h(
        'button',
        { class: 'icon-button', type: 'button', 'aria-label': label, title: label },
        text,
      );
      b.addEventListener('click', onClick);
      return b;
    };
    this.followButton = button('Follow live data', 'Live', () =>
      this.setViewport(followEnd(this.duration(), this.vp.spanMs)),
    );
    const toolbar = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Timeline zoom' },
      button('Zoom out (-)', '−', () => this.zoomBy(2)),
      button('Zoom in (+)', '+', () => this.zoomBy(0.5)),
      button('Show the whole recording (0)', 'Fit', () => this.setViewport(fit(this.duration()))),
      this.followButton,
    );
    const legend = h('div', { class: 'legend', 'aria-label': 'Legend' });
    legend.append(
      legendItem('line delay', 'p99 loop delay'),
      legendItem('dash threshold', 'threshold'),
      ...(['cpu', 'sync-io', 'gc', 'native'] as const).map((k) =>
        legendItem(`kind-${k}`, kindLabel(k)),
      ),
    );
    this.element = h(
      'section',
      { class: 'section timeline', 'aria-labelledby': 'timeline-title' },
      h(
        'div',
        { class: 'section-head' },
        h('h2', { id: 'timeline-title' }, 'Event-loop delay'),
        toolbar,
      ),
      legend,
      h('div', { class: 'chart' }, this.canvas, this.tooltip),
      h(
        'p',
        { id: 'timeline-help', class: 'hint' },
        'Wheel or +/− zooms, drag or ←/→ pans. Click a bar to open its line.',
      ),
      this.status,
    );
    this.wire();
  }

  /** Called with the new viewport whenever it changes (the thread strips share it). */
  onViewport(listener: (vp: Viewport) => void): void {
    this.listeners.push(listener);
  }

  get viewport(): Viewport {
    return this.vp;
  }

  update(state: ViewState): void {
    this.state = state;
    if (state.generation !== this.generation) {
      this.generation = state.generation;
      this.vp = state.status === 'live' ? followEnd(state.durationMs) : fit(state.durationMs);
    } else {
      this.vp = track(this.vp, state.durationMs);
    }
    this.followButton.setAttribute('aria-pressed', String(this.vp.follow));
    this.followButton.hidden = state.status !== 'live';
    this.draw();
    this.emit();
  }

  private duration(): number {
    return this.state?.durationMs ?? 0;
  }

  private setViewport(vp: Viewport): void {
    this.vp = track(vp, this.duration());
    this.followButton.setAttribute('aria-pressed', String(this.vp.follow));
    this.draw();
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l(this.vp);
  }

  private zoomBy(factor: number, anchorMs = this.vp.startMs + this.vp.spanMs / 2): void {
    this.setViewport(zoom(this.vp, factor, anchorMs, this.duration()));
  }

  private plotWidth(): number {
    return Math.max(1, this.canvas.clientWidth - PAD.left - PAD.right);
  }

  private msAt(clientX: number): number {
    const x = clientX - this.canvas.getBoundingClientRect().left - PAD.left;
    return this.vp.startMs + (x / this.plotWidth()) * this.vp.spanMs;
  }

  private wire(): void {
    const c = this.canvas;
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
          const d = e.shiftKey ? e.deltaY : e.deltaX;
          this.setViewport(pan(this.vp, (d / this.plotWidth()) * this.vp.spanMs, this.duration()));
        } else {
          this.zoomBy(Math.exp(e.deltaY * 0.002), this.msAt(e.clientX));
        }
      },
      { passive: false },
    );
    c.addEventListener('pointerdown', (e) => {
      c.setPointerCapture(e.pointerId);
      this.drag = { x: e.clientX, startMs: this.vp.startMs, moved: false };
    });
    c.addEventListener('pointermove', (e) => this.pointerMove(e));
    c.addEventListener('pointerup', (e) => {
      const d = this.drag;
      this.drag = undefined;
      if (d && !d.moved) this.clickAt(e.clientX);
    });
    c.addEventListener('pointerleave', () => this.showTooltip(undefined, 0));
    c.addEventListener('keydown', (e) => this.key(e));
  }

  private pointerMove(e: PointerEvent): void {
    const d = this.drag;
    if (d) {
      if (Math.abs(e.clientX - d.x) > 3) d.moved = true;
      if (d.moved) {
        const deltaMs = ((d.x - e.clientX) / this.plotWidth()) * this.vp.spanMs;
        this.setViewport(pan({ ...this.vp, startMs: d.startMs }, deltaMs, this.duration()));
      }
      return;
    }
    const x = e.clientX - this.canvas.getBoundingClientRect().left - PAD.left;
    this.showTooltip(barAt(this.bars, x), x);
  }

  private clickAt(clientX: number): void {
    const bar = barAt(this.bars, clientX - this.canvas.getBoundingClientRect().left - PAD.left);
    const stall = bar && this.state?.stalls[bar.index];
    if (stall) this.onOpenStall(stall);
  }

  private key(e: KeyboardEvent): void {
    const step = this.vp.spanMs * 0.2;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => this.setViewport(pan(this.vp, -step, this.duration())),
      ArrowRight: () => this.setViewport(pan(this.vp, step, this.duration())),
      '+': () => this.zoomBy(0.5),
      '=': () => this.zoomBy(0.5),
      '-': () => this.zoomBy(2),
      '0': () => this.setViewport(fit(this.duration())),
      Home: () => this.setViewport(fit(this.duration())),
      End: () => this.setViewport(followEnd(this.duration(), this.vp.spanMs)),
    };
    const act = actions[e.key];
    if (!act) return;
    e.preventDefault();
    act();
  }

  private showTooltip(bar: Bar | undefined, x: number): void {
    this.hover = bar;
    const stall = bar && this.state?.stalls[bar.index];
    if (!stall) {
      this.tooltip.hidden = true;
      this.draw();
      return;
    }
    this.tooltip.replaceChildren(...stallDetails(stall, this.vp.spanMs, this.threadOf(stall)));
    this.tooltip.hidden = false;
    const left = Math.min(
      Math.max(0, PAD.left + x - 80),
      Math.max(0, this.canvas.clientWidth - 170),
    );
    this.tooltip.style.left = `${left}px`;
    this.draw();
  }

  private draw(): void {
    const ctx = sizeCanvas(this.canvas, HEIGHT);
    const s = this.state;
    if (!ctx || !s) return;
    const pal = readPalette(this.canvas);
    const w = this.plotWidth();
    const maxDur = s.stalls.reduce((m, x) => Math.max(m, x.durationMs), 0);
    this.bars = layoutBars(s.stalls, this.vp, w, maxDur);
    const visibleMax = Math.max(
      s.thresholdMs * 2,
      this.bars.reduce((m, b) => Math.max(m, b.durationMs), 0),
      maxVisibleDelay(s.metrics, this.vp),
    );
    const yMax = niceMax(visibleMax * 1.05);
    drawAxes(ctx, pal, {
      w,
      yMax,
      thresholdMs: s.thresholdMs,
      vp: this.vp,
      height: HEIGHT,
      pad: PAD,
    });
    ctx.save();
    ctx.translate(PAD.left, PAD.top);
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    // The p99 line goes under the bars: the stalls are what one clicks.
    ctx.globalAlpha = 0.85;
    drawDelayLine(ctx, s.metrics, this.vp, w, plotH, yMax, pal.delay);
    ctx.globalAlpha = 1;
    for (const b of this.bars) {
      const bh = Math.max(2, (Math.min(b.durationMs, yMax) / yMax) * plotH);
      ctx.fillStyle = pal.kinds[b.kind] ?? pal.other;
      ctx.fillRect(b.x0, plotH - bh, Math.max(2, b.x1 - b.x0), bh);
      if (b === this.hover) {
        ctx.strokeStyle = pal.focus;
        ctx.lineWidth = 2;
        ctx.strokeRect(b.x0 - 1, plotH - bh - 1, Math.max(2, b.x1 - b.x0) + 2, bh + 2);
      }
    }
    ctx.restore();
    this.canvas.setAttribute('aria-label', describeTimeline(this.bars, s.stalls, this.vp));
  }
}
