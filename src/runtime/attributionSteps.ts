/**
 * Where the time of naming one stall goes, step by step (wall time of the recorder's thread, and
 * the process's CPU time meanwhile): `npm run bench -- blame` prints it for the slow stalls, so
 * that a slow one is explained (a file read, a text split, GC, the machine's load) rather than
 * guessed at. Costs a clock read per step; nothing is kept unless a listener is set.
 */
import { performance } from 'node:perf_hooks';

export type StepTimes = Record<string, number>;

/**
 * Set by the bench: each attribution's steps (ms), `cpu` the process's CPU time (ms) in it, and
 * when it began (`performance.now()` and `process.cpuUsage()` then).
 */
export const attributionSteps: {
  listener?: (
    how: 'profile' | 'paused',
    steps: StepTimes,
    began: { wallMs: number; cpu: NodeJS.CpuUsage },
  ) => void;
} = {};

export class StepClock {
  private readonly t0 = performance.now();
  private t = this.t0;
  private readonly cpu0: NodeJS.CpuUsage | undefined;
  readonly times: StepTimes = {};

  /** @param reports false: a rehearsal (rehearsal.ts), no stall's steps. */
  constructor(reports = true) {
    this.cpu0 = reports && attributionSteps.listener ? process.cpuUsage() : undefined;
  }

  /** Books the time since the last lap (or the start) to `step`. */
  lap(step: string): void {
    const now = performance.now();
    this.times[step] = (this.times[step] ?? 0) + now - this.t;
    this.t = now;
  }

  /** Hands the steps to the listener, if any. */
  report(how: 'profile' | 'paused'): void {
    const l = attributionSteps.listener;
    if (!l || !this.cpu0) return;
    const c = process.cpuUsage(this.cpu0);
    l(how, { ...this.times, cpu: (c.user + c.system) / 1000 }, { wallMs: this.t0, cpu: this.cpu0 });
  }
}
