/**
 * `--rotate <minutes>` with `--out rec.json`: a long-running recorder writes what it saw in each
 * period to a file of its own, the way logs rotate: every period the newest window goes to
 * `rec.1.json` (the one before becomes `rec.2.json`, and so on, `--rotate-keep` files at most),
 * and on stop `rec.json` gets the window since the last rotation. Together with the session's
 * bounded memory (src/runtime/ring.ts) a recorder can run for days.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Recording } from '../shared/protocol/runtime';
import { summarizeHotspots } from '../runtime/hotspots';

export const DEFAULT_ROTATE_KEEP = 24;

/** The part of a recording between `fromMs` and `toMs` (ms since its start), as a recording. */
export function windowOf(rec: Recording, fromMs: number, toMs: number): Recording {
  const stalls = rec.stalls.filter((s) => s.startMs >= fromMs && s.startMs < toMs);
  const started = Date.parse(rec.startedAt) + fromMs;
  const { droppedStalls: _dropped, ...rest } = rec;
  return {
    ...rest,
    startedAt: new Date(started).toISOString(),
    durationMs: toMs - fromMs,
    stalls: stalls.map((s) => ({ ...s, startMs: s.startMs - fromMs })),
    hotspots: summarizeHotspots(stalls),
    metrics: rec.metrics
      .filter((m) => m.atMs >= fromMs && m.atMs < toMs)
      .map((m) => ({ ...m, atMs: m.atMs - fromMs })),
  };
}

/** `rec.json`, 2 → `rec.2.json`. */
export function rotatedName(out: string, n: number): string {
  const ext = path.extname(out);
  return `${out.slice(0, out.length - ext.length)}.${n}${ext}`;
}

export class Rotation {
  private fromMs = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly out: string,
    everyMs: number,
    private readonly keep: number,
    private readonly snapshot: () => Recording,
    private readonly onError: (message: string) => void,
  ) {
    this.timer = setInterval(() => this.rotate(), everyMs);
    this.timer.unref();
  }

  /** Writes the window that just ended to `rec.1.json`, shifting the older files up. */
  rotate(): void {
    const rec = this.snapshot();
    const toMs = rec.durationMs;
    try {
      rmSync(rotatedName(this.out, this.keep), { force: true });
      for (let n = this.keep - 1; n >= 1; n--) {
        const from = rotatedName(this.out, n);
        if (existsSync(from)) renameSync(from, rotatedName(this.out, n + 1));
      }
      writeFileSync(rotatedName(this.out, 1), JSON.stringify(windowOf(rec, this.fromMs, toMs)));
      this.fromMs = toMs;
    } catch (e) {
      this.onError(`cannot rotate ${this.out}: ${(e as Error).message}`);
    }
  }

  /** Stops rotating; the final recording's window since the last rotation, for `--out`. */
  finish(rec: Recording): Recording {
    clearInterval(this.timer);
    return this.fromMs === 0 ? rec : windowOf(rec, this.fromMs, rec.durationMs);
  }
}
