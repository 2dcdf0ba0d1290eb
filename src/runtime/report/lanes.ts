/**
 * The report's view of a recording with more than one thread or process: one lane per thread
 * (grouped by process, main thread first) with its stalls on the recording's time axis, and the
 * hotspots filterable by thread. The report runs no script (its CSP forbids it), so the filter is
 * a group of radio buttons whose `:checked` state CSS turns into which table shows.
 */
import type { Recording } from '../../shared/protocol/runtime';
import {
  laneKey,
  laneName,
  processLabel,
  severalProcesses,
  stallsOfLane,
  threadLanes,
  type ThreadLane,
} from '../../shared/protocol/threadLanes';
import { summarizeHotspots } from '../hotspots';
import { escapeHtml as e } from './escape';
import { displayPath, formatMs, reportHotspots } from './model';
import { renderHotspotTable } from './sections';
import { KIND_COLORS } from './timeline';

const W = 1000;
const LABEL_W = 170;
const ROW_H = 22;
const GROUP_GAP = 10;

/** The lanes of the report, or none when the recording has a single thread. */
export function reportLanes(rec: Recording): ThreadLane[] {
  const lanes = threadLanes(rec);
  return lanes.length > 1 ? lanes : [];
}

/** One row per thread with its stalls drawn where they happened, as wide as they lasted. */
export function renderLanes(rec: Recording, lanes: ThreadLane[], cwd?: string): string {
  let span = Math.max(rec.durationMs, 1);
  for (const s of rec.stalls) span = Math.max(span, s.startMs + s.durationMs);
  const plotW = W - LABEL_W - 8;
  const x = (ms: number) => LABEL_W + (Math.max(0, ms) / span) * plotW;
  const rows: string[] = [];
  const tops = new Map<string, number>();
  let y = 4;
  let group = -1;
  for (const lane of lanes) {
    if (lane.group !== group) {
      if (group >= 0) y += GROUP_GAP;
      group = lane.group;
      rows.push(
        `<text class="lane-process" x="4" y="${y + 12}">${e(processLabel(rec, lane.pid))}</text>`,
      );
      y += 18;
    }
    tops.set(lane.key, y);
    // A thread that exited: its lane ends there.
    const end = lane.exitedAtMs === undefined ? W - 8 : Math.max(x(lane.exitedAtMs), LABEL_W + 2);
    const exited =
      lane.exitedAtMs === undefined
        ? ''
        : `<title>exited at ${(lane.exitedAtMs / 1000).toFixed(2)} s</title>`;
    rows.push(
      `<g class="lane" data-lane="${e(lane.key)}"><rect class="lane-bg" x="${LABEL_W}" y="${y}" width="${(end - LABEL_W).toFixed(1)}" height="${ROW_H - 4}">${exited}</rect>` +
        `<text class="lane-label" x="${LABEL_W - 6}" y="${y + (ROW_H - 4) / 2}" text-anchor="end" dominant-baseline="middle">${e(lane.label)}</text></g>`,
    );
    y += ROW_H;
  }
  const bars = rec.stalls.map((s) => {
    const top = tops.get(laneKey(s, rec.target.pid));
    if (top === undefined) return '';
    const x0 = x(s.startMs);
    const w = Math.max(2, x(s.startMs + s.durationMs) - x0);
    const where = s.blame
      ? `${displayPath(s.blame.file, cwd)}:${s.blame.line} ${s.blame.functionName}`
      : 'unattributed';
    const title = `${(Math.max(0, s.startMs) / 1000).toFixed(2)} s: ${formatMs(s.durationMs)} ${s.kind} at ${where}`;
    return `<rect class="stall lane-stall kind-${e(s.kind)}" x="${x0.toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${ROW_H - 4}" fill="${KIND_COLORS[s.kind] ?? '#666'}"><title>${e(title)}</title></rect>`;
  });
  return `<svg id="lanes" viewBox="0 0 ${W} ${y + 4}" role="img" aria-label="Stalls per thread">${rows.join('')}${bars.join('')}</svg>`;
}

/**
 * The hotspots table for every thread together and for each thread alone, with a radio group
 * that picks which one shows (CSS only: `#hs-<n>:checked ~ .hs-tables` shows table n).
 */
export function renderThreadHotspots(rec: Recording, lanes: ThreadLane[], cwd?: string): string {
  const multiProcess = severalProcesses(lanes);
  const choices = [
    { id: 'all', label: 'all threads' },
    ...lanes.map((l, i) => ({ id: String(i), label: laneName(l, multiProcess) })),
  ];
  const inputs = choices
    .map(
      (c, i) =>
        `<input type="radio" name="hs-thread" id="hs-${c.id}" class="hs-pick"${i === 0 ? ' checked' : ''}>`,
    )
    .join('');
  const labels = choices
    .map(
      (c) =>
        `<label for="hs-${c.id}" class="hs-choice" data-choice="${c.id}">${e(c.label)}</label>`,
    )
    .join('');
  const tables = [
    `<div class="hs-table" data-table="all">${renderHotspotTable(reportHotspots(rec), cwd)}</div>`,
    ...lanes.map((l, i) => {
      const own = stallsOfLane(rec.stalls, l.key, rec.target.pid);
      // (One table keeps the page's `#hotspots` id; the others are the same table, per thread.)
      const table = renderHotspotTable(summarizeHotspots(own), cwd).replace(
        '<table id="hotspots">',
        '<table class="hotspots-thread">',
      );
      return `<div class="hs-table" data-table="${i}" data-lane="${e(l.key)}">${table}</div>`;
    }),
  ];
  // One rule per choice: the checked radio shows its table and marks its label.
  const css = choices
    .map(
      (c) =>
        `#hs-${c.id}:checked~.hs-tables>.hs-table[data-table="${c.id}"]{display:block}` +
        `#hs-${c.id}:checked~.hs-choices>label[data-choice="${c.id}"]{background:#1c7ed6;color:#fff}`,
    )
    .join('');
  return (
    `<style>.hs-pick{position:absolute;opacity:0}.hs-table{display:none}${css}</style>` +
    `<div class="hs-filter">${inputs}<div class="hs-choices" role="group" aria-label="Thread">${labels}</div><div class="hs-tables">${tables.join('')}</div></div>`
  );
}
