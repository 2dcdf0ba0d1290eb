/**
 * What the /proc samples of a thread (runQueue.ts) say about a stretch of time: pure functions
 * over the samples, and the epoll wait read from /proc/<pid>/task/<tid>/syscall.
 */

/**
 * [time µs, cumulative run-queue wait µs, cumulative on-CPU µs, state (0 busy, 1 idle in the
 * loop's wait, 2 asleep elsewhere, 3 asleep in a lock: see RunQueueMonitor),
 * and 1 when the loop had been quiet so long that the next sample came after a sparse period].
 */
export type Sample = [number, number, number, number, (0 | 1)?];

/**
 * How long (µs) the main thread may have been blocking its loop from `sUs` to the last sample:
 * its on-CPU time, plus the time it slept if any sample since saw it asleep outside the loop's
 * epoll wait (a sync syscall, execSync's wait). Sleep no sample saw outside the loop's wait was
 * the loop's own idle wait between two samples (a loaded server sleeps a few ms per turn), and
 * time in the run queue is no block at all. `undefined` when no sample is as old as `sUs`.
 */
export function activeIn(samples: Sample[], sUs: number): number | undefined {
  const last = samples.at(-1);
  if (!last || last[0] <= sUs) return undefined;
  const rq = counterDuring(samples, 1, sUs, last[0]);
  const cpu = counterDuring(samples, 2, sUs, last[0]);
  if (rq === undefined || cpu === undefined) return undefined;
  let slept = false;
  for (let i = samples.length - 1; i >= 0 && samples[i][0] > sUs && !slept; i--) {
    slept = samples[i][3] >= 2;
  }
  return slept ? Math.max(cpu, last[0] - sUs - rq) : cpu;
}

/**
 * Whether a sample within (sUs, eUs) saw the thread asleep outside the loop's wait in a sync call
 * (not in a lock: state 3, a futex).
 */
export function sleptOutsideLoopIn(samples: Sample[], sUs: number, eUs: number): boolean {
  for (let i = samples.length - 1; i >= 0 && samples[i][0] > sUs; i--) {
    if (samples[i][0] < eUs && samples[i][3] === 2) return true;
  }
  return false;
}

/** The last sample within (sUs, eUs) that saw the loop idle. */
export function lastIdleIn(samples: Sample[], sUs: number, eUs: number): number | undefined {
  for (let i = samples.length - 1; i >= 0 && samples[i][0] > sUs; i--) {
    if (samples[i][0] < eUs && samples[i][3] === 1) return samples[i][0];
  }
  return undefined;
}

/**
 * Narrows the start of a stall that ended at `eUs` and began after `sUs` (the last beat): the
 * loop was idle at the last idle sample inside, so the stall began after that sample and before
 * the next one (their midpoint). Never seen idle inside: between the beat and the first sample
 * after it, if that is earlier than `fallbackUs` (half a beat).
 */
export function stallStartFrom(
  samples: Sample[],
  sUs: number,
  eUs: number,
  fallbackUs: number,
): number {
  let i = samples.length - 1;
  while (i >= 0 && samples[i][0] >= eUs) i--;
  let firstInside: number | undefined;
  for (; i >= 0 && samples[i][0] > sUs; i--) {
    if (samples[i][3] === 1) {
      const n = samples[i + 1];
      const next = Math.min(n?.[0] ?? eUs, eUs);
      // After a quiet spell sampled sparsely (runQueue.ts), a running thread at the next sample
      // ran or waited for a CPU all along since the stall began, so it began no earlier than its
      // CPU and run-queue time before that sample: exact when the loop was quiet before it. (A
      // busy loop's short tasks would count too, so not where the loop was busy.)
      if (n && n[3] === 0 && samples[i][4] === 1) {
        const ranUs = n[1] - samples[i][1] + (n[2] - samples[i][2]);
        return Math.min(next, Math.max(samples[i][0], n[0] - ranUs));
      }
      return (samples[i][0] + next) / 2;
    }
    firstInside = samples[i][0];
  }
  return firstInside === undefined ? fallbackUs : Math.min(fallbackUs, (sUs + firstInside) / 2);
}

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

/** epoll_wait and epoll_pwait (x64; arm64 has only pwait), and epoll_pwait2 (timeout by pointer). */
const EPOLL_WAITS: Record<string, number[]> = { x64: [232, 281], arm64: [22] };
const EPOLL_PWAIT2 = 441;

/**
 * The epoll wait a thread is in, from /proc/<pid>/task/<tid>/syscall ("281 0xe 0x7ffc… 0x400
 * 0x1f4 …": timeout 500 ms), or `undefined` when it is running or in any other syscall. The
 * timeout is unknown (`undefined`) for epoll_pwait2, whose timeout is a pointer.
 */
export function epollWaitOf(
  syscallText: string,
  arch: string,
): { timeoutMs: number | undefined } | undefined {
  const [nr, , , , timeout] = syscallText.trim().split(' ');
  const waits = EPOLL_WAITS[arch] ?? EPOLL_WAITS.x64;
  const n = Number(nr);
  if (!waits.includes(n) && n !== EPOLL_PWAIT2) return undefined;
  if (n === EPOLL_PWAIT2 || timeout === undefined) return { timeoutMs: undefined };
  // An int argument in a 64-bit register: -1 (wait forever) reads 0xffffffff.
  const t = Number.parseInt(timeout, 16) | 0;
  return { timeoutMs: Number.isFinite(t) ? t : undefined };
}
