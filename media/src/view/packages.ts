/**
 * The code stalls by installed package (the one whose code ran the operation): what to replace
 * or configure, with its operations and the user's lines that led into it. A short list: the
 * heaviest rows only.
 */
import type { Aggregation } from '../aggregate';
import { baseName, formatMs } from '../format';
import { h, replaceChildrenKeepFocus } from './dom';

const SHOWN = 8;

export class PackagesView {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private agg: Aggregation | undefined;

  constructor() {
    this.list = h('ol', { class: 'packages', 'aria-labelledby': 'packages-title' });
    this.element = h(
      'section',
      { class: 'section', 'aria-labelledby': 'packages-title' },
      h('div', { class: 'section-head' }, h('h2', { id: 'packages-title' }, 'By package')),
      this.list,
    );
  }

  update(agg: Aggregation): void {
    if (agg === this.agg) return;
    this.agg = agg;
    this.element.hidden = agg.packages.length === 0;
    const rows = agg.packages.slice(0, SHOWN).map((p) => {
      const from = p.lines.map((l) => baseName(l)).join(', ');
      const label = `${p.name}@${p.version}: ${formatMs(p.totalMs)} blocked in ${p.count} stall${p.count === 1 ? '' : 's'}, ${p.operations.join(', ')}${from ? `, from ${from}` : ''}`;
      return h(
        'li',
        { class: 'package-row', 'data-package': p.name, 'aria-label': label, title: label },
        h(
          'span',
          { class: 'hs-main' },
          h('span', { class: 'hs-fn' }, `${p.name}@${p.version}`),
          h('span', { class: 'hs-op' }, p.operations.join(', ')),
          from ? h('span', { class: 'hs-loc' }, `← ${from}`) : undefined,
        ),
        h(
          'span',
          { class: 'hs-nums' },
          h('span', { class: 'hs-total' }, formatMs(p.totalMs)),
          h('span', { class: 'hs-count' }, `${p.count}× · max ${formatMs(p.maxMs)}`),
        ),
      );
    });
    replaceChildrenKeepFocus(this.list, ...rows);
  }
}
