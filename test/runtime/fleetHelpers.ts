/** The fleet-export tests' shared part: a recorder of the runtime blocker fixture, by CLI. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Recording, Stall } from '../../src/shared/protocol/runtime';
import { cli, kill, type Proc } from './cliHelpers';
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
