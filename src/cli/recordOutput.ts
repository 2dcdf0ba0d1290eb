/**
 * What `loop-lens record` prints and writes: one line per stall as it happens, an optional
 * compact metrics line, the hotspot summary on exit, and the output files (--out, --cpuprofile,
 * --html). Formatting is pure so it is unit-tested; only `writeOutputs` touches the disk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Hotspot, Metrics, Recording, Stall } from '../shared/protocol/runtime';
import { renderReportHtml } from '../runtime/report/html';
import { aggregateByLine, displayPath, formatMs } from '../runtime/report/model';

/** `file:line function` of a stall, relative to cwd when inside it. */
export function stallLocation(stall: Stall, cwd?: string): string {
  const b = stall.blame;
  if (!b) {
    const top = stall.stack[0];
    return top ? `(no user frame; in ${top.functionName || '(anonymous)'})` : '(unattributed)';
  }
  return `${displayPath(b.file, cwd)}:${b.line}${b.functionName ? ` ${b.functionName}` : ''}`;
}

/** `  +3.214s   1234 ms  sync-io  src/render.ts:12 loadTemplate` */
export function formatStallLine(stall: Stall, cwd?: string): string {
  // A stall caught as the recording starts may begin a hair before t0: show it at 0.
  const t = `+${(Math.max(0, stall.startMs) / 1000).toFixed(3)}s`.padStart(10);
  const d = `${Math.round(stall.durationMs)} ms`.padStart(9);
  return `${t} ${d}  ${stall.kind.padEnd(7)}  ${stallLocation(stall, cwd)}`;
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
  if (m.threadpoolSaturated) parts.push('THREADPOOL SATURATED');
  return parts.join(' · ');
}

/** The recording's hotspots, or computed from its stalls when it has none. */
export function hotspotsOf(rec: Recording): Hotspot[] {
  const hs = rec.hotspots.length > 0 ? [...rec.hotspots] : aggregateByLine(rec.stalls);
  return hs.sort((a, b) => b.totalMs - a.totalMs);
}

/** The closing summary: one row per blamed line, sorted by total blocked time. */
export function formatHotspotSummary(rec: Recording, cwd?: string, limit = 20): string {
  const span = formatMs(rec.durationMs);
  if (rec.stalls.length === 0) {
    return `No stall longer than ${rec.thresholdMs} ms in ${span}.`;
  }
  const total = rec.stalls.reduce((a, s) => a + s.durationMs, 0);
  const hs = hotspotsOf(rec);
  const lines = [
    `Hotspots: ${rec.stalls.length} stall${rec.stalls.length === 1 ? '' : 's'}, ${formatMs(total)} blocked in ${span}`,
    `${'total'.padStart(10)} ${'count'.padStart(6)} ${'max'.padStart(9)}  where`,
  ];
  for (const h of hs.slice(0, limit)) {
    const where = h.line > 0 ? `${displayPath(h.file, cwd)}:${h.line}` : displayPath(h.file, cwd);
    lines.push(
      `${`${Math.round(h.totalMs)} ms`.padStart(10)} ${String(h.count).padStart(6)} ${`${Math.round(h.maxMs)} ms`.padStart(9)}  ${where}${h.functionName ? ` ${h.functionName}` : ''}`,
    );
  }
  if (hs.length > limit) lines.push(`  … ${hs.length - limit} more lines (see --out or --html)`);
  return lines.join('\n');
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
