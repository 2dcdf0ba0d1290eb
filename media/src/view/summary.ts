/**
 * The header: whether anything is live and where the recording came from (statusLine.ts), then
 * the numbers a developer checks first — current loop delay p99, event-loop utilization, heap,
 * and the stall totals.
 */
import { laneKey } from '../../../src/shared/protocol/threadLanes';
import type { Aggregation } from '../aggregate';
import { formatBytes, formatCount, formatMs, formatPercent } from '../format';
import type { ViewState } from '../state';
import { latestMetrics } from '../state';
import { statusLine } from '../statusLine';
import { h } from './dom';

interface Tile {
  label: HTMLElement;
  value: HTMLElement;
  root: HTMLElement;
}

function tile(label: string, key: string): Tile {
  const value = h('span', { class: 'tile-value', 'data-metric': key }, '–');
  const name = h('span', { class: 'tile-label' }, label);
  return { label: name, value, root: h('div', { class: 'tile' }, name, value) };
}

export class SummaryView {
  readonly element: HTMLElement;
  private readonly badge = h('span', { class: 'badge' });
  private readonly target = h('span', { class: 'target' });
  private readonly notice = h('p', { class: 'notice', role: 'status' });
  private readonly tiles = {
    delay: tile('Loop delay p99', 'delay'),
    elu: tile('Loop utilization', 'elu'),
    heap: tile('Heap used', 'heap'),
    stalls: tile('Stalls', 'stalls'),
    blocked: tile('Blocked', 'blocked'),
    longest: tile('Longest', 'longest'),
  };

  constructor() {
    this.element = h(
      'section',
      { class: 'summary', 'aria-label': 'Summary' },
      h('div', { class: 'summary-head' }, this.badge, this.target),
      h('div', { class: 'tiles' }, ...Object.values(this.tiles).map((t) => t.root)),
      this.notice,
    );
  }

  update(state: ViewState, agg: Aggregation): void {
    const line = statusLine(state);
    this.badge.textContent = line.badge;
    this.badge.className = `badge badge-${state.status}`;
    this.target.textContent = line.text;
    this.target.title = line.title;
    const m = latestMetrics(state);
    this.set(
      'delay',
      m ? formatMs(m.loopDelay.p99) : '–',
      !!m && m.loopDelay.p99 >= state.thresholdMs,
    );
    this.set('elu', m ? formatPercent(m.elu) : '–', !!m && m.elu >= 0.9);
    this.set('heap', m ? formatBytes(m.heapUsed) : '–', false);
    this.set('stalls', formatCount(agg.count), false);
    // A share of one loop's time: stalls of several threads overlap, so none is given then.
    const loops = new Set(state.stalls.map((x) => laneKey(x, state.target?.pid))).size;
    const share =
      state.durationMs > 0 && agg.count && loops <= 1
        ? formatPercent(agg.totalMs / state.durationMs)
        : '';
    this.tiles.blocked.label.textContent = share ? `Blocked · ${share}` : 'Blocked';
    this.set('blocked', formatMs(agg.totalMs), agg.totalMs > 0);
    this.set('longest', agg.count ? formatMs(agg.maxMs) : '–', agg.maxMs >= state.thresholdMs);
    const st = agg.starved;
    const starved = st.count
      ? `${st.count} starved stall${st.count === 1 ? '' : 's'} (${formatMs(st.totalMs)}, ${formatPercent(st.waitShare)} waiting for a CPU): the machine was busy, not the code; not counted here.`
      : '';
    const unknown =
      state.starvationKnown === false
        ? 'Starved stalls (a busy machine) cannot be told apart from code stalls for this target (no /proc).'
        : '';
    const notice = [state.notice, starved, unknown].filter(Boolean).join(' ');
    this.notice.textContent = notice;
    this.notice.hidden = !notice;
  }

  private set(key: keyof SummaryView['tiles'], text: string, warn: boolean): void {
    const t = this.tiles[key];
    t.value.textContent = text;
    t.root.classList.toggle('warn', warn);
  }
}
