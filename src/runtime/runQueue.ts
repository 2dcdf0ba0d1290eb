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

const SAMPLE_MS = 20;
const KEEP_US = 60_000_000;

export class RunQueueMonitor {
  /** [time µs, cumulative run-queue wait µs, cumulative on-CPU µs, 1 = asleep in epoll (idle loop)] */
  private samples: Sample[] = [];
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
    const w = counterDuring(this.samples, 1, sUs, eUs);
    return w === undefined ? 0 : Math.max(0, Math.min(eUs - sUs, w));
  }

  /** On-CPU time (µs) of the main thread within [sUs, eUs]; undefined when unknown. */
  cpuDuring(sUs: number, eUs: number): number | undefined {
    return counterDuring(this.samples, 2, sUs, eUs);
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

type Sample = [number, number, number, number];

/**
 * Growth of cumulative counter `k` over [sUs, eUs], read off the samples around each edge by
 * linear interpolation: taking the bracketing samples whole counted up to two sampling periods
 * (20 ms) of what happened outside the gap, and dropped real stalls as "waiting for a CPU".
 */
export function counterDuring(
  samples: Sample[],
  k: 1 | 2,
  sUs: number,
  eUs: number,
): number | undefined {
  const s = valueAt(samples, k, sUs);
  const e = valueAt(samples, k, eUs);
  return s === undefined || e === undefined ? undefined : Math.max(0, e - s);
}

function valueAt(samples: Sample[], k: 1 | 2, t: number): number | undefined {
  let i = samples.length - 1;
  while (i >= 0 && samples[i][0] > t) i--;
  const a = samples[i];
  const b = samples[i + 1];
  if (!a) return undefined;
  if (a[0] === t || !b) return a[0] === t ? a[k] : undefined;
  return a[k] + ((b[k] - a[k]) * (t - a[0])) / (b[0] - a[0]);
}

function readOr(file: string, fallback: string): string {
  try {
    // loop-lens-ignore-next-line sync-fs -- procfs, answered from memory
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}
