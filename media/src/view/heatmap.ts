/**
 * The heatmap of blocked time, nested file → function → line. Each level is a button row whose
 * tint grows with its total blocked time; files and functions expand and collapse, lines open
 * the editor. Only expanded levels are built, and each level shows its top entries first.
 */
import type { Aggregation, FileNode, FunctionNode, LineNode } from '../aggregate';
import { baseName, formatMs, shortDir } from '../format';
import { h, replaceChildrenKeepFocus } from './dom';

const TOP_FILES = 25;
const TOP_CHILDREN = 15;

export class HeatmapView {
  readonly element: HTMLElement;
  private readonly tree: HTMLElement;
  private agg: Aggregation | undefined;
  /** Keys of expanded files and functions; the hottest file starts open. */
  private expanded = new Set<string>();
  private touched = false;
  private max = { file: 1, fn: 1, line: 1 };

  constructor(
    private readonly open: (row: LineNode) => void,
    private readonly persist: (expanded: string[]) => void,
    initial: string[] = [],
  ) {
    this.tree = h('ul', { class: 'heat-tree', 'aria-labelledby': 'heatmap-title' });
    this.element = h(
      'section',
      { class: 'section', 'aria-labelledby': 'heatmap-title' },
      h('div', { class: 'section-head' }, h('h2', { id: 'heatmap-title' }, 'Blocked time by file')),
      this.tree,
    );
    if (initial.length) {
      this.expanded = new Set(initial);
      this.touched = true;
    }
  }

  update(agg: Aggregation): void {
    if (agg === this.agg) return;
    this.agg = agg;
    if (!this.touched && agg.files[0]) {
      const f = agg.files[0];
      this.expanded.add(f.file);
      if (f.functions[0]) this.expanded.add(`${f.file}\0${f.functions[0].functionName}`);
    }
    this.render();
  }

  private render(): void {
    const agg = this.agg;
    if (!agg) return;
    // Each level is tinted against the hottest entry of the same level, so the hottest line is as
    // strong as the hottest file even when that file spreads its time over many lines.
    this.max = {
      file: agg.files[0]?.totalMs || 1,
      fn: Math.max(1, ...agg.files.map((f) => f.functions[0]?.totalMs ?? 0)),
      line: agg.hotspots[0]?.totalMs || 1,
    };
    const items = agg.files.slice(0, TOP_FILES).map((f) => this.fileItem(f));
    if (agg.files.length > TOP_FILES) {
      items.push(
        h(
          'li',
          { class: 'hint' },
          `${agg.files.length - TOP_FILES} more files with less blocked time.`,
        ),
      );
    }
    if (!items.length) items.push(h('li', { class: 'hint' }, 'No stalls recorded yet.'));
    replaceChildrenKeepFocus(this.tree, ...items);
  }

  private toggle(key: string): void {
    this.touched = true;
    if (this.expanded.has(key)) this.expanded.delete(key);
    else this.expanded.add(key);
    this.persist([...this.expanded]);
    this.render();
  }

  private fileItem(f: FileNode): HTMLElement {
    const open = this.expanded.has(f.file);
    const name = f.file ? baseName(f.file) : '(no source line)';
    const row = this.heatRow(
      f.file,
      0,
      f.totalMs / this.max.file,
      open,
      [name, f.file ? shortDir(f.file) : ''],
      f,
      () => this.toggle(f.file),
    );
    row.title = f.file || 'GC or native work without a source line';
    const li = h('li', {}, row);
    if (open) {
      li.append(
        this.group(
          f.functions.slice(0, TOP_CHILDREN).map((fn) => this.functionItem(f, fn)),
          f.functions.length,
        ),
      );
    }
    return li;
  }

  private functionItem(f: FileNode, fn: FunctionNode): HTMLElement {
    const key = `${f.file}\0${fn.functionName}`;
    const open = this.expanded.has(key);
    const row = this.heatRow(
      key,
      1,
      fn.totalMs / this.max.fn,
      open,
      [fn.functionName, ''],
      fn,
      () => this.toggle(key),
    );
    const li = h('li', {}, row);
    if (open) {
      li.append(
        this.group(
          fn.lines.slice(0, TOP_CHILDREN).map((l) => this.lineItem(l)),
          fn.lines.length,
        ),
      );
    }
    return li;
  }

  private lineItem(l: LineNode): HTMLElement {
    const key = `${l.file}\0${l.functionName}\0${l.line}`;
    const row = this.heatRow(
      key,
      2,
      l.totalMs / this.max.line,
      undefined,
      [l.file ? `line ${l.line}` : 'no line', ''],
      l,
      () => this.open(l),
    );
    row.dataset.file = l.file;
    row.dataset.line = String(l.line);
    row.title = l.file ? `Open ${l.file}:${l.line}` : 'No source line';
    if (!l.file) row.setAttribute('aria-disabled', 'true');
    return h('li', {}, row);
  }

  private group(items: HTMLElement[], total: number): HTMLElement {
    if (total > items.length) {
      items.push(h('li', { class: 'hint' }, `${total - items.length} more…`));
    }
    return h('ul', {}, ...items);
  }

  private heatRow(
    key: string,
    level: number,
    intensity: number,
    expanded: boolean | undefined,
    [label, detail]: [string, string],
    n: { totalMs: number; count: number },
    onActivate: () => void,
  ): HTMLButtonElement {
    const b = h(
      'button',
      {
        class: `heat-row level-${level}`,
        type: 'button',
        'aria-expanded': expanded === undefined ? undefined : String(expanded),
        'data-key': key,
        'aria-label': `${label}${detail ? ` (${detail})` : ''}: ${formatMs(n.totalMs)} blocked in ${n.count} stalls`,
      },
      h('span', { class: 'heat-fill', 'aria-hidden': 'true' }),
      h(
        'span',
        { class: 'twisty', 'aria-hidden': 'true' },
        expanded === undefined ? '' : expanded ? '▾' : '▸',
      ),
      h(
        'span',
        { class: 'heat-label' },
        label,
        detail ? h('span', { class: 'heat-detail' }, ` ${detail}`) : undefined,
      ),
      h('span', { class: 'heat-num' }, formatMs(n.totalMs)),
      h('span', { class: 'heat-count' }, `${n.count}×`),
    );
    const fill = b.firstElementChild as HTMLElement;
    // Width and strength both follow the share of blocked time, so the hottest rows stand out.
    fill.style.width = `${Math.max(1, intensity * 100)}%`;
    // Capped so the text on top stays readable in every theme.
    fill.style.opacity = String(0.12 + 0.33 * Math.min(1, intensity));
    b.addEventListener('click', onActivate);
    return b;
  }
}
