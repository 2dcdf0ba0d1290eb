/**
 * The recording's JavaScript threads (main thread and workers, grouped by process): one lane
 * each with its stalls coloured by kind, on the timeline's time axis (it shares the zoom). Shown
 * only when more than one thread was recorded; clicking a bar opens its line.
 */
import type { Stall } from '../../../src/shared/protocol/runtime';
import { laneKey, threadLanes, type ThreadLane } from '../../../src/shared/protocol/threadLanes';
import { formatMs } from '../format';
import type { ViewState } from '../state';
import type { Viewport } from '../viewport';
import { h, sizeCanvas } from './dom';
import { readPalette } from './palette';

const ROW_H = 12;
const GAP = 3;
const GROUP_GAP = 6;
const LABEL_W = 96;
const RIGHT = 8;

interface Row {
  lane: ThreadLane;
  top: number;
  label: string;
}

export class LanesView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly note: HTMLElement;
  private rows: Row[] = [];
  private byLane = new Map<string, Stall[]>();
  private stallsRef: unknown;
  private processesRef: unknown;
  private vp: Viewport | undefined;

  constructor(private readonly onOpenStall: (stall: Stall) => void) {
    this.canvas = h('canvas', {
      class: 'chart-canvas',
      role: 'img',
      'aria-label': 'Stalls per thread',
    });
    this.note = h('p', { class: 'hint' });
    this.element = h(
      'section',
      { class: 'section lanes', 'aria-labelledby': 'lanes-title' },
      h('div', { class: 'section-head' }, h('h2', { id: 'lanes-title' }, 'Stalls per thread')),
      h('div', { class: 'chart' }, this.canvas),
      this.note,
    );
    this.element.hidden = true;
    this.canvas.addEventListener('click', (e) => this.onClick(e));
  }

  update(state: ViewState, vp: Viewport): void {
    this.vp = vp;
    if (state.stalls !== this.stallsRef || state.processes !== this.processesRef) {
      this.stallsRef = state.stalls;
      this.processesRef = state.processes;
      this.layout(state);
    }
    this.element.hidden = this.rows.length < 2;
    if (!this.element.hidden) this.draw();
  }

  private layout(state: ViewState): void {
    const pid = state.target?.pid;
    const lanes = threadLanes({
      target: state.target,
      processes: state.processes,
      stalls: state.stalls,
    });
    const several = new Set(lanes.map((l) => l.group)).size > 1;
    this.byLane = new Map();
    for (const s of state.stalls) {
      const k = laneKey(s, pid);
      const list = this.byLane.get(k);
      if (list) list.push(s);
      else this.byLane.set(k, [s]);
    }
    let top = 1;
    let group = lanes[0]?.group ?? 0;
    this.rows = lanes.map((lane) => {
      if (lane.group !== group) {
        group = lane.group;
        top += GROUP_GAP;
      }
      const short =
        lane.thread.id === 0
          ? 'main'
          : `w${lane.thread.id}${lane.thread.name ? ` ${lane.thread.name}` : ''}`;
      const row = {
        lane,
        top,
        label: several && lane.thread.id === 0 ? `${lane.pid} main` : short,
      };
      top += ROW_H + GAP;
      return row;
    });
    const counts = this.rows.map(
      (r) =>
        `${r.lane.label}${several ? ` (pid ${r.lane.pid})` : ''}: ${this.byLane.get(r.lane.key)?.length ?? 0} stalls`,
    );
    this.note.textContent = `${this.rows.length} threads${several ? ` in ${new Set(lanes.map((l) => l.group)).size} processes` : ''}.`;
    this.canvas.setAttribute('aria-label', `Stalls per thread: ${counts.join('; ')}.`);
  }

  private x(ms: number, w: number): number {
    const vp = this.vp!;
    return LABEL_W + ((ms - vp.startMs) / vp.spanMs) * w;
  }

  private draw(): void {
    const vp = this.vp;
    const last = this.rows[this.rows.length - 1];
    const ctx = sizeCanvas(this.canvas, (last?.top ?? 0) + ROW_H + 2);
    if (!ctx || !vp) return;
    const pal = readPalette(this.canvas);
    const w = Math.max(1, this.canvas.clientWidth - LABEL_W - RIGHT);
    ctx.font = pal.font;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    for (const r of this.rows) {
      ctx.fillStyle = pal.text;
      ctx.fillText(
        r.label.length > 16 ? `${r.label.slice(0, 15)}…` : r.label,
        LABEL_W - 4,
        r.top + ROW_H / 2,
      );
      ctx.fillStyle = pal.grid;
      ctx.fillRect(LABEL_W, r.top, w, ROW_H);
      for (const s of this.byLane.get(r.lane.key) ?? []) {
        if (s.startMs + s.durationMs < vp.startMs || s.startMs > vp.startMs + vp.spanMs) continue;
        const a = Math.max(LABEL_W, this.x(s.startMs, w));
        const b = Math.min(LABEL_W + w, this.x(s.startMs + s.durationMs, w));
        ctx.fillStyle = pal.kinds[s.kind] ?? pal.text;
        ctx.fillRect(a, r.top, Math.max(2, b - a), ROW_H);
      }
    }
  }

  /** The stall under a click, if any: opens its blamed line. */
  private onClick(e: MouseEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    const row = this.rows.find((r) => py >= r.top && py < r.top + ROW_H);
    if (!row || !this.vp) return;
    const w = Math.max(1, this.canvas.clientWidth - LABEL_W - RIGHT);
    const hit = (this.byLane.get(row.lane.key) ?? []).find((s) => {
      const a = this.x(s.startMs, w);
      const b = Math.max(a + 2, this.x(s.startMs + s.durationMs, w));
      return px >= a - 2 && px <= b + 2;
    });
    if (hit) {
      this.canvas.title = `${formatMs(hit.durationMs)} ${hit.kind} in ${row.lane.label}`;
      this.onOpenStall(hit);
    }
  }
}
