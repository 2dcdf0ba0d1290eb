/**
 * How long the target's main thread waited for a CPU (Linux run-queue time from
 * /proc/<pid>/task/<pid>/schedstat), sampled by the recorder, never by the target.
 *
 * On a loaded machine a process that is merely descheduled shows the same heartbeat gap as a
 * blocked loop, and the profile shows the JavaScript that was running when it lost the CPU.
 * Subtracting run-queue time from a stall tells the two apart: what remains is what the code
 * itself blocked. Sync I/O waits in D/S state, not in the run queue, so it is not subtracted.
 * Both clocks are CLOCK_MONOTONIC on one machine, so target times compare with ours directly.
 */
import { readFileSync } from 'node:fs';

const SAMPLE_MS = 10;
const KEEP_US = 60_000_000;

export class RunQueueMonitor {
  /** [time µs, cumulative run-queue wait µs, cumulative on-CPU µs, 1 = asleep in epoll (idle loop)] */
  private samples: Array<[number, number, number, number]> = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly file: string;
  private readonly wchanFile: string;

  constructor(pid: number) {
    this.file = `/proc/${pid}/task/${pid}/schedstat`;
    this.wchanFile = `/proc/${pid}/task/${pid}/wchan`;
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
    this.sample();
  }

  /**
   * Reads one sample now (also used right before a stall is judged). Synchronously: procfs
   * answers from memory in microseconds, where the promise API costs four thread-pool round
   * trips per file, 200 times a second.
   */
  sample(): void {
    try {
      // loop-lens-ignore-next-line sync-fs -- procfs, answered from memory
      const text = readFileSync(this.file, 'utf8');
      const wchan = readOr(this.wchanFile, '');
      const [runNs, waitNs] = text.split(' ').map(Number);
      const now = Number(process.hrtime.bigint() / 1000n);
      if (Number.isFinite(waitNs)) {
        this.samples.push([now, waitNs / 1000, runNs / 1000, /epoll|ep_poll/.test(wchan) ? 1 : 0]);
      }
      if (this.samples.length > 64 && this.samples[0][0] < now - KEEP_US) {
        this.samples = this.samples.filter((s) => s[0] >= now - KEEP_US);
      }
    } catch {
      this.dispose(); // the process is gone or /proc has no schedstat
    }
  }

  /** Run-queue wait (µs) within [sUs, eUs], after making sure a sample at or after `eUs` exists. */
  async waitDuringSettled(sUs: number, eUs: number): Promise<number> {
    for (let i = 0; i < 5 && this.timer && !this.samples.some((x) => x[0] >= eUs); i++) {
      this.sample();
      if (!this.samples.some((x) => x[0] >= eUs)) await new Promise((r) => setTimeout(r, 5));
    }
    return this.waitDuring(sUs, eUs);
  }

  /** Run-queue wait (µs) of the main thread within [sUs, eUs]; 0 when unknown. */
  waitDuring(sUs: number, eUs: number): number {
    const before = findLastAtOrBefore(this.samples, sUs);
    const after = this.samples.find((x) => x[0] >= eUs);
    if (!before || !after) return 0;
    return Math.max(0, Math.min(eUs - sUs, after[1] - before[1]));
  }

  /** On-CPU time (µs) of the main thread between the samples around [sUs, eUs]. */
  cpuDuring(sUs: number, eUs: number): number | undefined {
    const before = findLastAtOrBefore(this.samples, sUs);
    const after = this.samples.find((x) => x[0] >= eUs);
    return before && after ? after[2] - before[2] : undefined;
  }

  /**
   * Whether the main thread was seen outside the loop's epoll wait during [sUs, eUs] (busy or
   * asleep in a syscall such as a sync read or waitpid); `undefined` without a sample inside.
   */
  sawBusyDuring(sUs: number, eUs: number): boolean | undefined {
    const inside = this.samples.filter((x) => x[0] > sUs && x[0] < eUs);
    return inside.length ? inside.some((x) => x[3] === 0) : undefined;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

function findLastAtOrBefore<T extends number[]>(samples: T[], t: number): T | undefined {
  for (let i = samples.length - 1; i >= 0; i--) if (samples[i][0] <= t) return samples[i];
  return undefined;
}

function readOr(file: string, fallback: string): string {
  try {
    // loop-lens-ignore-next-line sync-fs -- procfs, answered from memory
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}
