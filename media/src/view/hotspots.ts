/**
 * The hotspot list: blamed lines by total blocked time. Each row is a button; activating it
 * opens the file at the line. Only the top rows are built (the rest on demand), so a recording
 * with thousands of distinct lines stays light. With several threads a picker filters the list
 * by thread (grouped by process), as the HTML report's thread filter does.
 */
import {
  laneName,
  processLabel,
  severalProcesses,
  type ThreadLane,
} from '../../../src/shared/protocol/threadLanes';
import type { Aggregation, LineNode } from '../aggregate';
import type { ViewState } from '../state';
import { shortCommand } from '../statusLine';
import { baseName, formatMs, shortDir } from '../format';
import { h, replaceChildrenKeepFocus } from './dom';
import { kindLabel } from './palette';

/** Enough to see the worst lines without scrolling past the timeline. */
const FIRST = 6;
const MORE = 200;

/** The thread filter's input: the recording's lanes and the one picked ('' for all). */
export interface ThreadFilter {
  lanes: readonly ThreadLane[];
  picked: string;
  state: Pick<ViewState, 'target' | 'processes'>;
}

export class HotspotsView {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly picker: HTMLSelectElement;
  private agg: Aggregation | undefined;
  private lanesRef: unknown;
  private limit = FIRST;

  constructor(
    private readonly open: (row: LineNode) => void,
    onPickThread: (laneKey: string) => void,
  ) {
    this.list = h('ol', { class: 'hotspots', 'aria-labelledby': 'hotspots-title' });
    this.footer = h('div', { class: 'list-footer' });
    this.picker = h('select', {
      class: 'thread-picker',
      'aria-label': 'Show the hotspots of',
      title: 'Show the hotspots of one thread',
      hidden: true,
    });
    this.picker.addEventListener('change', () => onPickThread(this.picker.value));
    this.element = h(
      'section',
      { class: 'section', 'aria-labelledby': 'hotspots-title' },
      h(
        'div',
        { class: 'section-head' },
        h('h2', { id: 'hotspots-title' }, 'Hotspots by your line'),
        this.picker,
      ),
      this.list,
      this.footer,
    );
  }

  update(agg: Aggregation, filter: ThreadFilter): void {
    this.updatePicker(filter);
    if (agg === this.agg) return;
    this.agg = agg;
    this.render();
  }

  /** One option per thread, under its process when there are several; hidden for one thread. */
  private updatePicker(f: ThreadFilter): void {
    this.picker.hidden = f.lanes.length < 2;
    if (f.lanes !== this.lanesRef) {
      this.lanesRef = f.lanes;
      const multi = severalProcesses(f.lanes);
      const option = (value: string, text: string) => h('option', { value }, text);
      const groups = new Map<number, HTMLElement>();
      const items: HTMLElement[] = [option('', 'all threads')];
      for (const l of f.lanes) {
        // Chosen, the closed picker shows the option alone: it names its process too.
        const o = option(l.key, laneName(l, multi));
        if (!multi) {
          items.push(o);
          continue;
        }
        let g = groups.get(l.group);
        if (!g) {
          g = h('optgroup', { label: processLabel(f.state, l.pid, 40, shortCommand) });
          groups.set(l.group, g);
          items.push(g);
        }
        g.append(o);
      }
      this.picker.replaceChildren(...items);
    }
    if (this.picker.value !== f.picked) this.picker.value = f.picked;
  }

  private render(): void {
    const agg = this.agg;
    if (!agg) return;
    const rows = agg.hotspots.slice(0, this.limit);
    const top = rows[0]?.totalMs || 1;
    replaceChildrenKeepFocus(this.list, ...rows.map((r, i) => h('li', {}, this.row(r, i, top))));
    if (rows.length === 0) {
      const one = this.picker.value !== '' && !this.picker.hidden;
      this.list.append(
        h(
          'li',
          { class: 'hint' },
          one ? 'No stalls in this thread yet.' : 'No stalls recorded yet.',
        ),
      );
    }
    const rest = agg.hotspots.length - rows.length;
    const more = h(
      'button',
      { class: 'link-button', type: 'button', 'data-key': 'more' },
      rest > 0 ? `Show ${Math.min(rest, MORE)} more of ${rest}` : '',
    );
    more.addEventListener('click', () => {
      this.limit += MORE;
      this.render();
    });
    replaceChildrenKeepFocus(this.footer, ...(rest > 0 ? [more] : []));
  }

  private row(r: LineNode, rank: number, top: number): HTMLElement {
    const where = r.file ? `${baseName(r.file)}:${r.line}` : 'no source line';
    const what = [r.operation, r.package && `in ${r.package}`].filter(Boolean).join(' ');
    const waited = r.waitingOn ? `waiting on ${r.waitingOn}` : '';
    const label = `${r.functionName} at ${where}${what ? `, ${what}` : ''}: ${formatMs(r.totalMs)} blocked in ${r.count} stall${r.count === 1 ? '' : 's'}, longest ${formatMs(r.maxMs)}, mostly ${kindLabel(r.kind)}${waited ? `, ${waited}` : ''}`;
    const b = h(
      'button',
      {
        class: 'hotspot',
        type: 'button',
        'data-key': `${r.file}:${r.line}:${r.functionName}`,
        'data-file': r.file,
        'data-line': r.line,
        'aria-label': label,
        title: r.file
          ? `${r.file}:${r.line}`
          : 'This stall has no source line (GC or native work).',
        disabled: !r.file,
      },
      h('span', { class: `swatch swatch-kind-${r.kind}`, 'aria-hidden': 'true' }),
      h(
        'span',
        { class: 'hs-main' },
        h('span', { class: 'hs-fn' }, r.functionName),
        h(
          'span',
          { class: 'hs-loc' },
          where,
          r.file ? h('span', { class: 'hs-dir' }, ` ${shortDir(r.file)}`) : undefined,
        ),
        what ? h('span', { class: 'hs-op' }, what) : undefined,
        waited ? h('span', { class: 'hs-op hs-waiting', title: waited }, waited) : undefined,
      ),
      h(
        'span',
        { class: 'hs-nums' },
        h('span', { class: 'hs-total' }, formatMs(r.totalMs)),
        h('span', { class: 'hs-count' }, `${r.count}× · max ${formatMs(r.maxMs)}`),
      ),
      h('span', { class: 'hs-bar', 'aria-hidden': 'true' }),
    );
    const bar = b.lastElementChild as HTMLElement;
    bar.style.width = `${Math.max(2, (r.totalMs / top) * 100)}%`;
    if (rank === 0) b.classList.add('top');
    b.addEventListener('click', () => this.open(r));
    return b;
  }
}
