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
import { stallsOfLane, threadLanes, type ThreadLane } from '../../src/shared/protocol/threadLanes';
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
  /** The lane whose hotspots are shown ('' or absent: every thread). */
  thread: string;
}

const api = vscode();
let state: ViewState = initialState;
let agg: Aggregation = aggregate([]);
let aggOf: unknown;
let frame = 0;
/** The thread filter of the hotspots: the lanes, the one picked and its own aggregation. */
let lanesList: ThreadLane[] = [];
let lanesOf: unknown[] = [];
let pickedLane = api.getState<Saved>().thread ?? '';
let laneAgg: { of: unknown[]; agg: Aggregation } | undefined;
const saveState = (s: Partial<Saved>): void =>
  api.setState<Partial<Saved>>({ ...api.getState<Saved>(), ...s });

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
const lanes = new LanesView(openStall);
const timeline = new TimelineView(openStall, (s) => lanes.nameOf(s));
const hotspots = new HotspotsView(
  (r: LineNode) => openLine(r),
  (key) => {
    pickedLane = key;
    saveState({ thread: key });
    schedule();
  },
);
const packages = new PackagesView();
const heatmap = new HeatmapView(
  (r) => openLine(r),
  (expanded) => saveState({ expanded }),
  api.getState<Saved>().expanded,
);
const threads = new ThreadsView();
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
  const { agg: shown, picked } = hotspotsOf();
  hotspots.update(shown, { lanes: lanesList, picked, state });
  packages.update(agg);
  heatmap.update(agg);
  timeline.update(state);
  root.dataset.stalls = String(state.stalls.length);
}

/** The hotspots' aggregation: every thread's, or the picked thread's alone. */
function hotspotsOf(): { agg: Aggregation; picked: string } {
  const refs = [state.stalls, state.processes, state.target];
  if (refs.some((r, i) => r !== lanesOf[i])) {
    lanesOf = refs;
    lanesList = threadLanes(state);
  }
  // A thread of another recording (or none yet): every thread until it appears.
  const picked =
    lanesList.length > 1 && lanesList.some((l) => l.key === pickedLane) ? pickedLane : '';
  if (!picked || !state.stalls.length) return { agg, picked };
  const of = [state.stalls, picked];
  if (!laneAgg || laneAgg.of.some((r, i) => r !== of[i])) {
    laneAgg = { of, agg: aggregate(stallsOfLane(state.stalls, picked, state.target?.pid)) };
  }
  return { agg: laneAgg.agg, picked };
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
