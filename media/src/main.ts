/**
 * Webview entry: acquires the VS Code API, applies host messages to the state with the pure
 * reducer, and renders the views at most once per animation frame.
 */
import type { LineNode } from './aggregate';
import { aggregate, aggregateHotspots } from './aggregate';
import type { Aggregation } from './aggregate';
import { initialState, reduce } from './state';
import type { ViewState } from './state';
import { MessageType } from '../../src/shared/protocol/webview';
import type { ToWebviewMessage, WebviewCommand } from '../../src/shared/protocol/webview';
import type { Stall } from '../../src/shared/protocol/runtime';
import { vscode } from './vscodeApi';
import { h } from './view/dom';
import { BackgroundView } from './view/background';
import { emptyState } from './view/empty';
import { HeatmapView } from './view/heatmap';
import { HotspotsView } from './view/hotspots';
import { LanesView } from './view/lanes';
import { PackagesView } from './view/packages';
import { SummaryView } from './view/summary';
import { ThreadsView } from './view/threads';
import { TimelineView } from './view/timeline';

interface Saved {
  expanded: string[];
}

const api = vscode();
let state: ViewState = initialState;
let agg: Aggregation = aggregate([]);
let aggOf: unknown;
let frame = 0;

const openLine = (l: { file: string; line: number }): void => {
  if (l.file) api.post({ type: MessageType.OpenLocation, file: l.file, line: l.line });
};
const openStall = (s: Stall): void => {
  const where = s.blame;
  if (where) {
    api.post({
      type: MessageType.OpenLocation,
      file: where.file,
      line: where.line,
      column: where.column,
    });
  }
};

const summary = new SummaryView();
const timeline = new TimelineView(openStall);
const hotspots = new HotspotsView((r: LineNode) => openLine(r));
const packages = new PackagesView();
const heatmap = new HeatmapView(
  (r) => openLine(r),
  (expanded) => api.setState<Saved>({ expanded }),
  api.getState<Saved>().expanded,
);
const threads = new ThreadsView();
const lanes = new LanesView(openStall);
const runCommand = (command: WebviewCommand): void =>
  api.post({ type: MessageType.RunCommand, command });
const empty = emptyState(runCommand);
const background = new BackgroundView(runCommand);
const content = h(
  'div',
  { class: 'content' },
  summary.element,
  hotspots.element,
  packages.element,
  timeline.element,
  lanes.element,
  heatmap.element,
  threads.element,
);
const root = h(
  'main',
  { id: 'root', 'aria-label': 'Loop Lens event loop' },
  background.element,
  empty,
  content,
);
document.body.append(root);
timeline.onViewport((vp) => {
  if (state.status === 'empty') return;
  lanes.update(state, vp);
  threads.update(state, vp);
});

function render(): void {
  frame = 0;
  const isEmpty = state.status === 'empty';
  empty.hidden = !isEmpty;
  content.hidden = isEmpty;
  root.dataset.status = state.status;
  root.dataset.rendered = String(state.generation);
  background.update(state);
  if (isEmpty) return;
  if (aggOf !== state.stalls) {
    aggOf = state.stalls;
    agg =
      state.stalls.length || !state.fileHotspots.length
        ? aggregate(state.stalls)
        : aggregateHotspots(state.fileHotspots);
  }
  summary.update(state, agg);
  hotspots.update(agg);
  packages.update(agg);
  heatmap.update(agg);
  timeline.update(state);
  root.dataset.stalls = String(state.stalls.length);
}

function schedule(): void {
  if (!frame) frame = requestAnimationFrame(render);
}

window.addEventListener('message', (e: MessageEvent<ToWebviewMessage>) => {
  const msg = e.data;
  if (
    !msg ||
    typeof msg !== 'object' ||
    typeof msg.type !== 'string' ||
    !msg.type.startsWith('webview/')
  ) {
    return;
  }
  try {
    state = reduce(state, msg);
  } catch {
    return; // A message this version does not know: keep what is shown.
  }
  schedule();
});

// Canvases follow the sidebar width; themes change the colours of everything drawn.
new ResizeObserver(() => schedule()).observe(document.body);
new MutationObserver(() => schedule()).observe(document.body, {
  attributes: true,
  attributeFilter: ['class', 'style'],
});
new MutationObserver(() => schedule()).observe(document.documentElement, {
  attributes: true,
  attributeFilter: ['style', 'class'],
});
render();
api.post({ type: MessageType.Ready });
