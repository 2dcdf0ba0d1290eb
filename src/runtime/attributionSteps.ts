/**
 * Where the time of naming one stall goes, step by step (wall time of the recorder's thread):
 * `npm run bench -- blame` prints it for the slow stalls, with the process's CPU time and GC
 * pauses meanwhile, so that a slow one is explained (a file read, a text split, GC, the
 * machine's load) rather than guessed at. Costs a clock read per step and no system call: with
 * a `process.cpuUsage()` per step (a system call, where a loaded machine may preempt the
 * thread) the bench's median rose from 0.6 to 0.7-1.5 ms at load 8-10.
 */
import { performance } from 'node:perf_hooks';

export type StepTimes = Record<string, number>;

/** Set by the bench: when naming a stall begins, and each naming's steps (ms) at its end. */
export const attributionSteps: {
  onStart?: () => void;
  listener?: (how: 'profile' | 'paused', steps: StepTimes) => void;
} = {};

export class StepClock {
  private t = performance.now();
  readonly times: StepTimes = {};

  /** @param reports false: a rehearsal (rehearsal.ts), no stall's steps. */
  constructor(private readonly reports = true) {
    if (reports) attributionSteps.onStart?.();
  }

  /** Books the time since the last lap (or the start) to `step`. */
  lap(step: string): void {
    const now = performance.now();
    this.times[step] = (this.times[step] ?? 0) + now - this.t;
    this.t = now;
  }

  /** Hands the steps to the listener, if any. */
  report(how: 'profile' | 'paused'): void {
    if (this.reports) attributionSteps.listener?.(how, this.times);
  }
}
