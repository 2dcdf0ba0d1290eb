/**
 * Starved, not blocked: on a busy machine a process can be late because it waited for a CPU,
 * not because its code blocked. The recorder reads the main thread's run-queue wait
 * and its time on a CPU (/proc/<pid>/task/<pid>/schedstat, runQueue.ts) over the stall; when the
 * code ran less than a threshold's worth and waiting for a CPU explains the rest (see `judge`),
 * the code alone would not have stalled the loop: the stall is `starved`, reported with the share
 * of it spent waiting and the machine's load, apart from the code's stalls. Without /proc (a remote or non-Linux target) the wait reads 0 and this kind
 * cannot be told apart (`Recording.starvationKnown`).
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import type { Stall, Starvation } from '../shared/protocol/runtime';
import type { Attribution } from './attribution';
import type { ModeContext } from './modeDriver';
import { usToMs } from './modeDriver';

export type Verdict =
  /** `syncWait`: /proc saw the thread asleep in a sync call during it (sync-io, whatever the stack). */
  | { is: 'code'; syncWait?: boolean }
  | { is: 'starved'; starvation: Starvation }
  /** Little CPU and no sync call: asleep (idle), not blocked and not starved. */
  | { is: 'asleep' };

/** The machine's 1-minute load average and CPU count, when /proc/loadavg is readable. */
export function machineLoad(): { load1?: number; cpus: number } {
  const cpus = os.availableParallelism?.() ?? os.cpus().length;
  try {
    // loop-lens-ignore-next-line sync-fs -- procfs, answered from memory, once per stall
    const load1 = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    return Number.isFinite(load1) ? { load1, cpus } : { cpus };
  } catch {
    return { cpus };
  }
}

/**
 * Pure rule: `durUs` of stall, `waitUs` of it runnable but not running, `cpuUs` of it on a CPU
 * (the main thread's; undefined when unknown). A threshold's worth of CPU is the code's stall
 * however long it also waited. Otherwise, when what is left of the stall after the wait is under
 * the threshold, the code alone would not have stalled the loop: starved. With under half a
 * threshold of CPU and no such wait the thread slept (idle, not blocked): asleep. CPU time is read
 * off samples 20 ms apart and interpolated, so it decides only at these margins; the wait, which
 * a blocked thread does not have, decides the rest. A sync call in the stack is the code's own
 * doing however long the wait inside it: the caller skips this.
 */
export function judge(
  durUs: number,
  waitUs: number,
  cpuUs: number | undefined,
  thresholdUs: number,
): 'code' | 'starved' | 'asleep' {
  if (cpuUs !== undefined && cpuUs >= thresholdUs) return 'code';
  if (waitUs > 0 && durUs - waitUs < thresholdUs) return 'starved';
  return cpuUs !== undefined && cpuUs < thresholdUs / 2 ? 'asleep' : 'code';
}

/** Judges a stall window [startUs, endUs] (the target's clock) from the run-queue samples. */
export async function judgeStall(
  ctx: ModeContext,
  startUs: number,
  endUs: number,
  fallbackCpuUs: number | undefined,
  syncIo: boolean,
): Promise<Verdict> {
  if (syncIo) return { is: 'code' };
  // The wait first: it makes sure a sample after the stall exists, which the CPU time needs too.
  const waitUs = await ctx.liveness.runQueueWaitUs(startUs, endUs);
  // The main thread's own CPU (the agent's covers the whole gap and every thread), where /proc has it.
  const cpuUs = ctx.liveness.mainThreadCpuUs(startUs, endUs) ?? fallbackCpuUs;
  const durUs = endUs - startUs;
  const v = judge(durUs, waitUs, cpuUs, ctx.thresholdMs * 1000);
  // Little CPU, but /proc saw the thread asleep in a sync call (a read of a pipe, execSync's
  // wait) and not in its loop: blocked, though the stack was taken before or after the call.
  if (v === 'asleep' && ctx.liveness.sleptOutsideLoop?.(startUs, endUs)) {
    ctx.logger.trace('runtime.stall', 'asleep outside the loop: a sync call');
    return { is: 'code', syncWait: true };
  }
  const d = `${usToMs(durUs)} ms: ${usToMs(waitUs)} ms waiting for a CPU, ${cpuUs === undefined ? '?' : usToMs(cpuUs)} ms on one`;
  ctx.logger.trace('runtime.stall', `${d}; ${v}`);
  if (v !== 'starved') return { is: v };
  const waitShare = Math.round((waitUs / durUs) * 100) / 100;
  return { is: 'starved', starvation: { waitShare, ...machineLoad() } };
}

/** The stall record of an attribution: blame, operation, package and where the line came from. */
export function stallOf(
  startMs: number,
  durationMs: number,
  kind: Stall['kind'],
  a: Attribution,
  extra: Partial<Stall> = {},
): Stall {
  if (kind === 'starved') {
    // What ran when the CPU was taken away is no one's fault: no blame, no heat on a line.
    return { startMs, durationMs, kind, stack: a.stack, ...extra };
  }
  const operation = kind === 'gc' ? 'garbage collection' : a.operation;
  return {
    startMs,
    durationMs,
    kind,
    ...(a.blame ? { blame: a.blame } : {}),
    stack: a.stack,
    ...(operation ? { operation } : {}),
    ...(a.package ? { package: a.package } : {}),
    ...(a.blame && a.lineSource ? { lineSource: a.lineSource } : {}),
    ...extra,
  };
}
