/** The fleet-export tests' shared part: a recorder of the runtime blocker fixture, by CLI. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Recording, Stall } from '../../src/shared/protocol/runtime';
import { waitFor } from '../waitFor';
import { cli, kill, type Proc } from './cliHelpers';
import type { Prometheus } from './prometheusServer';
import { BLOCKER, ROOT, startTarget, type Target } from './runtimeHelpers';

export type Counts = Record<string, number>;

export function tally(keys: string[]): Counts {
  const out: Counts = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** A stall's line as the exporters label it (relative to the recorder's cwd, ROOT). */
export function lineLabel(s: Stall): string {
  const b = s.blame;
  if (!b) return '(no line)';
  return `${relative(ROOT, b.file)}:${b.line}${b.functionName ? ` ${b.functionName}` : ''}`;
}

export interface FleetRun {
  t: Target;
  rec: Proc;
  /** Stops the recorder with Ctrl-C and reads its --out recording. */
  stop(): Promise<Recording>;
  dispose(): Promise<void>;
}

/** `loop-lens record --port … --mode watch --out rec.json <exportArgs>` on the blocker fixture. */
export async function recordBlocker(exportArgs: string[]): Promise<FleetRun> {
  const dir = mkdtempSync(join(tmpdir(), 'loop-lens-fleet-'));
  const out = join(dir, 'rec.json');
  const t = await startTarget(BLOCKER);
  const rec = cli([
    'record',
    '--port',
    String(t.port),
    '--mode',
    'watch',
    '--out',
    out,
    ...exportArgs,
  ]);
  return {
    t,
    rec,
    async stop() {
      rec.child.kill('SIGINT');
      const { code } = await rec.exited;
      if (code !== 0) throw new Error(`record exited with ${code}: ${rec.err()}`);
      return JSON.parse(readFileSync(out, 'utf8')) as Recording;
    },
    async dispose() {
      await kill(rec);
      t.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until two scrapes in a row hold the same stall counts (`counts`, from Prometheus), and
 * as many stalls as the recorder printed: the target is quiet and every stall is scraped.
 */
export async function waitForEveryStallScraped(
  p: Prometheus,
  rec: Proc,
  counts: () => Promise<Counts>,
): Promise<void> {
  let lastScrape = 0;
  let previous = '';
  await waitFor(async () => {
    const at = (await p.query('timestamp(up{job="loop-lens"})'))[0]?.value ?? 0;
    if (at <= lastScrape) return false;
    lastScrape = at;
    const now = await counts();
    const printed = rec
      .out()
      .split('\n')
      .filter((l) => /^\s+\+\d/.test(l)).length;
    const total = Object.values(now).reduce((a, b) => a + b, 0);
    const text = JSON.stringify(now);
    const stable = text === previous && total === printed && printed > 0;
    previous = text;
    return stable;
  }, 'Prometheus to hold every stall the recorder printed, twice in a row');
}
