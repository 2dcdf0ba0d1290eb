/**
 * The report's tables: heatmap of blocked time per file → line, hotspot table and per-stall
 * stacks. Each returns an HTML fragment; every recorded string goes through `escapeHtml`.
 * Long lists are capped so a recording of 10,000 stalls still renders fast.
 */
import type {
  Hotspot,
  PackageHotspot,
  Recording,
  Stall,
  StackFrame,
} from '../../shared/protocol/runtime';
import { escapeHtml as e } from './escape';
import { threadLabel } from '../../shared/protocol/threadLanes';
import { buildHeatmap, displayPath, formatMs, type HeatRow } from './model';

export const LIMITS = { heatFiles: 40, heatCells: 80, hotspots: 100, stacks: 300 };

/** Pale yellow → deep red; `t` in 0..1. Text turns white on the dark end. */
function heat(t: number): { bg: string; fg: string } {
  const hue = 52 - 52 * t;
  const light = 90 - 45 * t;
  return { bg: `hsl(${hue.toFixed(0)},95%,${light.toFixed(0)}%)`, fg: t > 0.55 ? '#fff' : '#222' };
}

function heatRow(row: HeatRow, maxCell: number, cwd?: string): string {
  const cells = row.cells.slice(0, LIMITS.heatCells).map((c) => {
    const { bg, fg } = heat(maxCell > 0 ? c.totalMs / maxCell : 0);
    const title = `${displayPath(row.file, cwd)}:${c.line} ${c.functionName}: ${formatMs(c.totalMs)} in ${c.count} stall(s), max ${formatMs(c.maxMs)}`;
    return (
      `<span class="cell" style="background:${bg};color:${fg}" title="${e(title)}" ` +
      `data-line="${c.line}" data-total-ms="${c.totalMs}" data-count="${c.count}">` +
      `<b>:${c.line}</b> ${e(c.functionName)} <i>${e(formatMs(c.totalMs))}</i></span>`
    );
  });
  const hidden = row.cells.length - LIMITS.heatCells;
  if (hidden > 0) cells.push(`<span class="more">… ${hidden} more lines</span>`);
  return (
    `<div class="heat-row" data-file="${e(row.file)}" data-total-ms="${row.totalMs}">` +
    `<div class="heat-file" title="${e(row.file)}">${e(displayPath(row.file, cwd))}` +
    `<span class="dim stat">${e(formatMs(row.totalMs))} · ${row.count}×</span></div>` +
    `<div class="heat-cells">${cells.join('')}</div></div>`
  );
}

/** Rows = files (most blocked first), cells = blamed lines, colour = total ms of that line. */
export function renderHeatmap(rec: Recording, cwd?: string): string {
  const rows = buildHeatmap(rec.stalls);
  if (rows.length === 0) return '<p class="empty">No blocked lines.</p>';
  // A loop, not Math.max(...spread): ~130,000 cells as arguments overflow the stack.
  let maxCell = 0;
  for (const r of rows) for (const c of r.cells) maxCell = Math.max(maxCell, c.totalMs);
  const html = rows.slice(0, LIMITS.heatFiles).map((r) => heatRow(r, maxCell, cwd));
  if (rows.length > LIMITS.heatFiles) {
    html.push(`<p class="more">… ${rows.length - LIMITS.heatFiles} more files</p>`);
  }
  return `<div id="heatmap">${html.join('')}</div>`;
}

/** file:line, function, total, count, max; sorted by total. */
export function renderHotspotTable(hotspots: readonly Hotspot[], cwd?: string): string {
  if (hotspots.length === 0) return '<p class="empty">No hotspots.</p>';
  const rows = hotspots
    .slice(0, LIMITS.hotspots)
    .map(
      (h) =>
        `<tr class="hotspot"><td class="loc" title="${e(h.file)}">${e(displayPath(h.file, cwd))}${h.line > 0 ? `:${h.line}` : ''}</td>` +
        `<td>${e(h.functionName)}</td><td class="op">${e(h.operation ?? '')}</td>` +
        `<td class="pkg">${e(h.package ?? '')}</td><td class="num">${e(formatMs(h.totalMs))}</td>` +
        `<td class="num">${h.count}</td><td class="num">${e(formatMs(h.maxMs))}</td></tr>`,
    );
  const more =
    hotspots.length > LIMITS.hotspots
      ? `<p class="more">… ${hotspots.length - LIMITS.hotspots} more lines</p>`
      : '';
  return (
    '<table id="hotspots"><thead><tr><th>your line</th><th>function</th><th>operation</th><th>package</th><th class="num">total</th>' +
    `<th class="num">count</th><th class="num">max</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`
  );
}

function isInternal(f: StackFrame): boolean {
  return f.file.startsWith('node:') || f.file.includes('/node_modules/') || f.file === '';
}

function frame(f: StackFrame, blame: StackFrame | undefined, cwd?: string): string {
  const isBlame = blame !== undefined && f.file === blame.file && f.line === blame.line;
  const cls = isBlame ? 'blame' : isInternal(f) ? 'internal' : '';
  // Native frames have no file or line: show what there is, never `:0:0`.
  const where = !f.file
    ? '(native)'
    : f.line > 0
      ? `${displayPath(f.file, cwd)}:${f.line}:${f.column}`
      : f.file;
  return `<li class="${cls}"><span class="fn">${e(f.functionName || '(anonymous)')}</span> <span class="dim">${e(where)}</span></li>`;
}

/** The user's code stalls by installed package: what to replace or configure. */
export function renderPackageTable(rows: readonly PackageHotspot[], cwd?: string): string {
  if (rows.length === 0) return '<p class="empty">No installed package was involved.</p>';
  const body = rows
    .slice(0, LIMITS.hotspots)
    .map(
      (p) =>
        `<tr class="package"><td class="pkg">${e(`${p.name}@${p.version}`)}</td>` +
        `<td class="op">${e(p.operations.join(', '))}</td>` +
        `<td class="loc">${e(p.lines.map((l) => displayPath(l, cwd)).join(', '))}</td>` +
        `<td class="num">${e(formatMs(p.totalMs))}</td><td class="num">${p.count}</td>` +
        `<td class="num">${e(formatMs(p.maxMs))}</td></tr>`,
    );
  return (
    '<table id="packages"><thead><tr><th>package</th><th>operations</th><th>from your lines</th>' +
    '<th class="num">total</th><th class="num">count</th><th class="num">max</th></tr></thead>' +
    `<tbody>${body.join('')}</tbody></table>`
  );
}

function stallWhere(s: Stall, cwd?: string): string {
  if (s.kind === 'starved') {
    const st = s.starvation;
    const load = st?.load1 !== undefined ? `, load ${st.load1.toFixed(1)} on ${st.cpus} CPUs` : '';
    return `${st ? `${Math.round(st.waitShare * 100)}% ` : ''}waiting for a CPU (busy machine${load})`;
  }
  const where = s.blame
    ? `${displayPath(s.blame.file, cwd)}:${s.blame.line} ${s.blame.functionName}`
    : 'unattributed';
  // A loop of the user's own function needs no operation beside its name.
  const op = s.operation && s.operation !== s.blame?.functionName ? s.operation : '';
  const pkg = s.package ? ` in ${s.package.name}@${s.package.version}` : '';
  const mix = s.kindShares?.length
    ? ` (${s.kindShares.map((k) => `${k.kind} ${Math.round(k.share * 100)}%`).join(', ')})`
    : '';
  const what = `${op}${pkg}${mix}`.trim();
  const on = s.waitingOn ? ` (waiting on ${s.waitingOn})` : '';
  return (what ? `${what} ← ${where}` : where) + on;
}

function stallItem(s: Stall, cwd?: string): string {
  const where = stallWhere(s, cwd);
  const frames = s.stack.map((f) => frame(f, s.blame, cwd)).join('');
  return (
    `<details class="stall-item"><summary><span class="t">+${(Math.max(0, s.startMs) / 1000).toFixed(3)} s</span> ` +
    `<span class="num">${e(formatMs(s.durationMs))}</span> <span class="kind kind-${e(s.kind)}">${e(s.kind)}</span> ` +
    (s.thread && s.thread.id !== 0
      ? `<span class="thread">${e(threadLabel(s.thread))}</span> `
      : '') +
    `${e(where)}</summary><ol class="stack">${frames || '<li class="dim">no stack</li>'}</ol></details>`
  );
}

/** Every stall (the longest ones when there are too many), in time order, stacks collapsed. */
export function renderStalls(rec: Recording, cwd?: string): string {
  if (rec.stalls.length === 0) return '<p class="empty">No stalls.</p>';
  let shown = [...rec.stalls];
  let note = '';
  if (shown.length > LIMITS.stacks) {
    shown = shown.sort((a, b) => b.durationMs - a.durationMs).slice(0, LIMITS.stacks);
    note = `<p class="more">Showing the ${LIMITS.stacks} longest of ${rec.stalls.length} stalls.</p>`;
  }
  shown.sort((a, b) => a.startMs - b.startMs);
  return `${note}<div id="stalls">${shown.map((s) => stallItem(s, cwd)).join('')}</div>`;
}
