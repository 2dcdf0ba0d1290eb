/**
 * The recording's JavaScript threads (main thread and workers, grouped by process under a
 * `pid · command` heading when there are several): one lane each with its stalls coloured by
 * kind, on the timeline's time axis (it shares the zoom). A lane appears as soon as its thread
 * is recorded (live thread events), stalled or not; a thread that exited is marked where it
 * ended. Shown only when more than one thread was recorded; hovering a bar tells the stall,
 * clicking it opens its line.
 */
import type { Stall } from '../../../src/shared/protocol/runtime';
import {
  laneKey,
  laneName,
  processLabel,
  severalProcesses,
  threadLanes,
  type ThreadLane,
} from '../../../src/shared/protocol/threadLanes';
import type { ViewState } from '../state';
import { shortCommand } from '../statusLine';
import type { Viewport } from '../viewport';
import { h, sizeCanvas } from './dom';
import { readPalette } from './palette';
import { stallDetails } from './stallDetails';

const ROW_H = 12;
const GAP = 3;
const HEAD_H = 14;
const LABEL_W = 96;
const RIGHT = 8;

interface Row {
  lane: ThreadLane;
  top: number;
  label: string;
  /** About when its thread exited (ms), null when only known to have exited. */
  exitedAt?: number | null;
}

export class LanesView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly note: HTMLElement;
  private readonly tooltip: HTMLElement;
  private rows: Row[] = [];
  private heads: { top: number; text: string }[] = [];
  private names = new Map<string, string>();
  private byLane = new Map<string, Stall[]>();
  private targetPid: number | undefined;
  private refs: unknown[] = [];
  private vp: Viewport | undefined;

  constructor(private readonly onOpenStall: (stall: Stall) => void) {
    this.canvas = h('canvas', {
      class: 'chart-canvas',
      role: 'img',
      'aria-label': 'Stalls per thread',
    });
    this.note = h('p', { class: 'hint' });
    this.tooltip = h('div', { class: 'tooltip', role: 'status', hidden: true });
    this.element = h(
      'section',
      { class: 'section lanes', 'aria-labelledby': 'lanes-title' },
      h('div', { class: 'section-head' }, h('h2', { id: 'lanes-title' }, 'Stalls per thread')),
      h('div', { class: 'chart' }, this.canvas, this.tooltip),
      this.note,
    );
    this.element.hidden = true;
    this.canvas.addEventListener('click', (e) => {
      const hit = this.stallAt(e);
      if (hit) this.onOpenStall(hit);
    });
    this.canvas.addEventListener('pointermove', (e) => this.hover(e));
    this.canvas.addEventListener('pointerleave', () => (this.tooltip.hidden = true));
  }

  update(state: ViewState, vp: Viewport): void {
    this.vp = vp;
    const refs = [state.stalls, state.processes, state.exited, state.target, state.generation];
    if (refs.some((r, i) => r !== this.refs[i])) {
      // A tooltip of another recording (a new snapshot) must not stay; live stalls keep it.
      if (state.generation !== this.refs[4]) this.tooltip.hidden = true;
      this.refs = refs;
      this.layout(state);
    }
    this.element.hidden = this.rows.length < 2;
    if (!this.element.hidden) this.draw();
  }

  /** The stall's thread as its lane is named, when there are several lanes. */
  nameOf(stall: Stall): string | undefined {
    return this.rows.length > 1 ? this.names.get(laneKey(stall, this.targetPid)) : undefined;
  }

  private layout(state: ViewState): void {
    const pid = state.target?.pid;
    this.targetPid = pid;
    const lanes = threadLanes({
      target: state.target,
      processes: state.processes,
      stalls: state.stalls,
    });
    const several = severalProcesses(lanes);
    this.byLane = new Map();
    for (const s of state.stalls) {
      const k = laneKey(s, pid);
      const list = this.byLane.get(k);
      if (list) list.push(s);
      else this.byLane.set(k, [s]);
    }
    this.names = new Map(lanes.map((l) => [l.key, laneName(l, several)]));
    this.heads = [];
    let top = 1;
    let group = -1;
    this.rows = lanes.map((lane) => {
      if (several && lane.group !== group) {
        if (group >= 0) top += GAP * 2;
        this.heads.push({ top, text: processLabel(state, lane.pid, 48, shortCommand) });
        top += HEAD_H;
      }
      group = lane.group;
      const t = lane.thread;
      const label = t.id === 0 ? 'main' : `w${t.id}${t.name ? ` ${t.name}` : ''}`;
      const exitedAt = state.exited?.[lane.key];
      const row: Row = { lane, top, label, ...(exitedAt !== undefined ? { exitedAt } : {}) };
      top += ROW_H + GAP;
      return row;
    });
    const counts = this.rows.map(
      (r) =>
        `${this.names.get(r.lane.key)}: ${this.byLane.get(r.lane.key)?.length ?? 0} stalls${r.exitedAt !== undefined ? ' (exited)' : ''}`,
    );
    const processes = new Set(lanes.map((l) => l.group)).size;
    this.note.textContent = `${this.rows.length} threads${several ? ` in ${processes} processes` : ''}. Hover a bar for the stall, click it to open its line.`;
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
    ctx.textAlign = 'left';
    ctx.fillStyle = pal.text;
    for (const head of this.heads) ctx.fillText(head.text, 2, head.top + HEAD_H / 2, LABEL_W + w);
    ctx.textAlign = 'right';
    for (const r of this.rows) {
      const exited = r.exitedAt !== undefined;
      const label = `${r.label.length > 14 ? `${r.label.slice(0, 13)}…` : r.label}${exited ? ' ✕' : ''}`;
      ctx.fillStyle = pal.text;
      ctx.fillText(label, LABEL_W - 4, r.top + ROW_H / 2);
      // An exited thread's lane ends where it exited (when that is known), with a mark there.
      const endX =
        typeof r.exitedAt === 'number'
          ? Math.min(LABEL_W + w, Math.max(LABEL_W, this.x(r.exitedAt, w)))
          : LABEL_W + w;
      ctx.fillStyle = pal.grid;
      ctx.fillRect(LABEL_W, r.top, endX - LABEL_W, ROW_H);
      if (exited && endX < LABEL_W + w) {
        ctx.fillStyle = pal.text;
        ctx.fillRect(endX, r.top - 1, 2, ROW_H + 2);
        ctx.textAlign = 'left';
        if (endX + 40 < LABEL_W + w) ctx.fillText('exited', endX + 5, r.top + ROW_H / 2);
        ctx.textAlign = 'right';
      }
      for (const s of this.byLane.get(r.lane.key) ?? []) {
        if (s.startMs + s.durationMs < vp.startMs || s.startMs > vp.startMs + vp.spanMs) continue;
        const a = Math.max(LABEL_W, this.x(s.startMs, w));
        const b = Math.min(LABEL_W + w, this.x(s.startMs + s.durationMs, w));
        ctx.fillStyle = pal.kinds[s.kind] ?? pal.text;
        ctx.fillRect(a, r.top, Math.max(2, b - a), ROW_H);
      }
    }
  }

  /** The stall under the pointer, if any. */
  private stallAt(e: MouseEvent): Stall | undefined {
    const rect = this.canvas.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    const row = this.rows.find((r) => py >= r.top && py < r.top + ROW_H);
    if (!row || !this.vp) return undefined;
    const w = Math.max(1, this.canvas.clientWidth - LABEL_W - RIGHT);
    return (this.byLane.get(row.lane.key) ?? []).find((s) => {
      const a = this.x(s.startMs, w);
      const b = Math.max(a + 2, this.x(s.startMs + s.durationMs, w));
      return px >= a - 2 && px <= b + 2;
    });
  }

  private hover(e: PointerEvent): void {
    const hit = this.stallAt(e);
    if (!hit || !this.vp) {
      this.tooltip.hidden = true;
      return;
    }
    this.tooltip.replaceChildren(...stallDetails(hit, this.vp.spanMs, this.nameOf(hit)));
    const rect = this.canvas.getBoundingClientRect();
    const x = e.clientX - rect.left;
    this.tooltip.style.left = `${Math.max(0, Math.min(x - 80, this.canvas.clientWidth - 170))}px`;
    this.tooltip.style.top = `${Math.round(e.clientY - rect.top + 14)}px`;
    this.tooltip.hidden = false;
  }
}
