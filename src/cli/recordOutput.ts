/**
 * What `loop-lens record` prints and writes: one line per stall as it happens, an optional
 * compact metrics line, the hotspot summary on exit, and the output files (--out, --cpuprofile,
 * --html). Formatting is pure so it is unit-tested; only `writeOutputs` touches the disk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Hotspot, Metrics, Recording, Stall } from '../shared/protocol/runtime';
import { renderReportHtml } from '../runtime/report/html';
import { displayPath, formatMs } from '../runtime/report/model';
import {
  packageLabel,
  summarizeHotspots,
  summarizePackages,
  summarizeStarved,
} from '../runtime/hotspots';

/** `file:line function` of a stall, relative to cwd when inside it. */
export function stallLocation(stall: Stall, cwd?: string): string {
  const b = stall.blame;
  if (!b) {
    const top = stall.stack[0];
    return top ? `(no user frame; in ${top.functionName || '(anonymous)'})` : '(unattributed)';
  }
  return `${displayPath(b.file, cwd)}:${b.line}${b.functionName ? ` ${b.functionName}` : ''}`;
}

/** `JSON.stringify in lowdb@1.0.0 ← src/store.ts:33 save`: what, where it ran, the user's line. */
export function stallWhat(stall: Stall, cwd?: string): string {
  if (stall.kind === 'starved') {
    const st = stall.starvation;
    const share = st ? `${Math.round(st.waitShare * 100)}% ` : '';
    const load =
      st?.load1 !== undefined ? ` (load ${st.load1.toFixed(1)} on ${st.cpus ?? '?'} CPUs)` : '';
    return `${share}waiting for a CPU: the machine was busy${load}, not the code`;
  }
  // A loop of the user's own function needs no operation beside its name.
  const op =
    stall.operation && stall.operation !== stall.blame?.functionName ? stall.operation : '';
  const pkg = stall.package ? ` in ${packageLabel(stall.package)}` : '';
  const where = stallLocation(stall, cwd);
  const mix = stall.kindShares?.length
    ? ` (${stall.kindShares.map((k) => `${k.kind} ${Math.round(k.share * 100)}%`).join(', ')})`
    : '';
  const what = `${op}${pkg}${mix}`.trim();
  return what ? `${what} ← ${where}` : where;
}

/**
 * `  +8.214s    107 ms  cpu      JSON.stringify in lowdb@1.0.0 ← src/store.ts:33 save`, and
 * under it `waiting on read /data/big.bin (D) 80 %, running 20 %` when the recording says.
 */
export function formatStallLine(stall: Stall, cwd?: string): string {
  // A stall caught as the recording starts may begin a hair before t0: show it at 0.
  const t = `+${(Math.max(0, stall.startMs) / 1000).toFixed(3)}s`.padStart(10);
  const d = `${Math.round(stall.durationMs)} ms`.padStart(9);
  const line = `${t} ${d}  ${stall.kind.padEnd(7)}  ${threadTag(stall)}${stallWhat(stall, cwd)}`;
  // What the thread waited on, on a line of its own under the stall's (local Linux targets).
  return stall.waitingOn ? `${line}\n${' '.repeat(31)}waiting on ${stall.waitingOn}` : line;
}

/** `[worker 2: cruncher] ` for a worker thread's stall; nothing for the main thread's. */
export function threadTag(stall: Stall): string {
  const t = stall.thread;
  if (!t || t.id === 0) return '';
  return `[worker ${t.id}${t.name ? `: ${t.name}` : ''}] `;
}

/** `loop p50 11 ms p99 15 ms max 60 ms · elu 34% · heap 21.3 MB · threadpool saturated` */
export function formatMetricsLine(m: Metrics): string {
  const d = m.loopDelay;
  const parts = [
    `loop p50 ${Math.round(d.p50)} ms p99 ${Math.round(d.p99)} ms max ${Math.round(d.max)} ms`,
    `elu ${Math.round(m.elu * 100)}%`,
    `heap ${(m.heapUsed / 1e6).toFixed(1)} MB`,
  ];
  const res = Object.entries(m.activeResources)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(' ');
  if (res) parts.push(res);
  if (m.threadpoolSaturated) {
    const on = m.threadpoolWaitingOn ? `: ${m.threadpoolWaitingOn}` : '';
    parts.push(`THREADPOOL SATURATED${on}`);
  }
  return parts.join(' · ');
}

/** The recording's hotspots, or computed from its stalls when it has none. */
export function hotspotsOf(rec: Recording): Hotspot[] {
  const hs = rec.hotspots.length > 0 ? [...rec.hotspots] : summarizeHotspots(rec.stalls);
  return hs.sort((a, b) => b.totalMs - a.totalMs);
}

function row(totalMs: number, count: number, maxMs: number, what: string): string {
  return `${`${Math.round(totalMs)} ms`.padStart(10)} ${String(count).padStart(6)} ${`${Math.round(maxMs)} ms`.padStart(9)}  ${what}`;
}

/**
 * The closing summary of the code stalls: one row per blamed line (with its operation and
 * package), then one per package, sorted by total blocked time; starved stalls on a line apart.
 */
export function formatHotspotSummary(rec: Recording, cwd?: string, limit = 20): string {
  const span = formatMs(rec.durationMs);
  const code = rec.stalls.filter((s) => s.kind !== 'starved');
  const starved = summarizeStarved(rec.stalls);
  const starvedLine =
    starved.count > 0
      ? `Starved: ${starved.count} stall${starved.count === 1 ? '' : 's'}, ${formatMs(starved.totalMs)}, ${Math.round(starved.waitShare * 100)}% of it waiting for a CPU: the machine was busy, not the code (not counted above).`
      : undefined;
  const unknown =
    rec.starvationKnown === false
      ? 'Starved stalls (a busy machine) cannot be told apart from code stalls for this target (no /proc).'
      : undefined;
  const tail = [starvedLine, unknown].filter((x): x is string => !!x);
  if (code.length === 0) {
    const none = starved.count ? 'No stall of the code' : 'No stall';
    return [`${none} longer than ${rec.thresholdMs} ms in ${span}.`, ...tail].join('\n');
  }
  const total = code.reduce((a, s) => a + s.durationMs, 0);
  const hs = hotspotsOf(rec);
  const lines = [
    `Hotspots: ${code.length} stall${code.length === 1 ? '' : 's'}, ${formatMs(total)} blocked in ${span}`,
    `${'total'.padStart(10)} ${'count'.padStart(6)} ${'max'.padStart(9)}  where`,
  ];
  for (const h of hs.slice(0, limit)) {
    const where = h.line > 0 ? `${displayPath(h.file, cwd)}:${h.line}` : displayPath(h.file, cwd);
    const what = [h.operation, h.package && `in ${h.package}`].filter(Boolean).join(' ');
    const fn = h.functionName ? ` ${h.functionName}` : '';
    lines.push(row(h.totalMs, h.count, h.maxMs, `${where}${fn}${what ? `  (${what})` : ''}`));
  }
  if (hs.length > limit) lines.push(`  … ${hs.length - limit} more lines (see --out or --html)`);
  const pkgs = summarizePackages(rec.stalls);
  if (pkgs.length > 0) {
    lines.push(
      `By package:`,
      `${'total'.padStart(10)} ${'count'.padStart(6)} ${'max'.padStart(9)}  package`,
    );
    for (const p of pkgs.slice(0, limit)) {
      const from = p.lines.map((l) => displayPath(l, cwd)).join(', ');
      const what = `${packageLabel(p)}  ${p.operations.join(', ')}${from ? ` ← ${from}` : ''}`;
      lines.push(row(p.totalMs, p.count, p.maxMs, what));
    }
  }
  return [...lines, ...tail].join('\n');
}

export interface OutputFiles {
  out?: string;
  cpuprofile?: string;
  html?: string;
}

/** Writes the requested files; returns what was written and what could not be, never throws. */
export function writeOutputs(
  rec: Recording,
  cpuProfile: unknown,
  files: OutputFiles,
  cwd: string,
): { written: string[]; problems: string[] } {
  const written: string[] = [];
  const problems: string[] = [];
  const write = (file: string, text: string): void => {
    try {
      mkdirSync(path.dirname(path.resolve(cwd, file)), { recursive: true });
      writeFileSync(path.resolve(cwd, file), text);
      written.push(file);
    } catch (err) {
      problems.push(`cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  if (files.out) write(files.out, JSON.stringify(rec, null, 2) + '\n');
  if (files.html) write(files.html, renderReportHtml(rec, { cwd }));
  if (files.cpuprofile) {
    if (cpuProfile === undefined) {
      problems.push(
        `no CPU profile to write to ${files.cpuprofile} (watch mode samples no profile)`,
      );
    } else write(files.cpuprofile, JSON.stringify(cpuProfile));
  }
  return { written, problems };
}
