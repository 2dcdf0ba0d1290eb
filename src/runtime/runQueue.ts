/**
 * How long the target's main thread waited for a CPU (Linux run-queue time from
 * /proc/<pid>/task/<pid>/schedstat), sampled by the recorder, never by the target.
 *
 * On a loaded machine a process that is merely descheduled shows the same heartbeat gap as a
 * blocked loop, and the profile shows the JavaScript that was running when it lost the CPU.
 * Subtracting run-queue time from a stall tells the two apart: what remains is what the code
 * itself blocked. Sync I/O waits in D/S state, not in the run queue, so it is not subtracted.
 * Both clocks are CLOCK_MONOTONIC on one machine, so target times compare with ours directly.
 *
 * Each sample also says whether the main thread sat in the event loop's own epoll wait: the
 * loop was idle then, so not blocked. This is the liveness signal of a local target (the agent
 * sends no ticks to a local recorder, which saves the target a message every 40 ms). From
 * /proc/<pid>/task/<pid>/syscall the wait's timeout tells the loop's wait from the one inside
 * execSync/spawnSync (a loop of its own, waiting for its child without a timeout); where that
 * file is not readable (it needs ptrace access, e.g. Yama's ptrace_scope 1 for a process we did
 * not start), wchan only says "some epoll wait", and `tellsSyncWaits` is false.
 */
import { ProcFile } from './procFile';
import { parseSyscall } from './waitingOn/syscalls';
import type { Sample } from './procSamples';
import {
  activeIn,
  counterDuring,
  epollWaitOf,
  lastIdleIn,
  sleptOutsideLoopIn,
  stallStartFrom,
} from './procSamples';
import { nowUs } from './clock';

export { activeIn, counterDuring, epollWaitOf, lastIdleIn, stallStartFrom };

/**
 * While the loop keeps being seen idle (IDLE_RUN samples running), one sample every idle period
 * ({@link idleSampleMsFor}), back to SAMPLE_MS at the first sample that is not idle. The period
 * stays shorter than a stall at the threshold, so a sample lands inside every stall (a resting
 * beat reports a stall only when probed, stackProbe.ts), and the stall's start is taken from
 * the thread's CPU time (stallStartFrom). Each wake-up of the recorder costs ~0.1–0.25 ms of CPU
 * on a busy machine (a bare Node process with a 40 ms timer: ~6 ms/s at load 7-10): this is
 * most of an idle recorder's cost (npm run bench -- fleet). (IDLE_RUN 3 saved the 20 ms samples
 * after the metrics poll's own evaluate, but a busy server then went sparse between requests and
 * its run-queue wait, read off sparser samples, left false sync-io stalls at load 10-17.)
 */
const SAMPLE_MS = 20;
const IDLE_SAMPLE_MS = 40;
const MAX_IDLE_SAMPLE_MS = 80;
const IDLE_RUN = 5;
/** A sampling tick later than this (ms) means a busy machine: see {@link idlePeriodMs}. */
const LATE_MS = 10;
/** How long (µs) a late tick keeps the idle period at IDLE_SAMPLE_MS. */
const LATE_KEEP_US = 10_000_000;

/**
 * The idle period to use now: the threshold's ({@link idleSampleMsFor}) on a machine where the
 * sampling timer comes on time, IDLE_SAMPLE_MS while it has come late in the last 10 s. A late
 * timer stretches the gap between two samples by its lateness. While the beat rests, a stall is
 * probed only after two samples running that did not see the loop idle (stackProbe.ts); at
 * `--threshold 100` (80 ms) a 250 ms execSync stall after a quiet spell was missed on a machine
 * at load ~7 (a stress run of npm test), the late samples coming after it. At 40 ms the
 * second sample is due 80 ms into the stall, so 20 ms of lateness no longer decides it.
 */
export function idlePeriodMs(thresholdPeriodMs: number, cameLate: boolean): number {
  return cameLate ? Math.min(IDLE_SAMPLE_MS, thresholdPeriodMs) : thresholdPeriodMs;
}

/**
 * The idle period for a stall threshold on a machine where the sampling timer comes on time
 * ({@link idlePeriodMs}): 20 ms under it, 40 ms at least (the default threshold, 50 ms), 80 ms
 * at most (stackProbe.ts re-arms its watchdog when no sample follows an idle one for twice the
 * silence).
 */
export function idleSampleMsFor(thresholdMs: number): number {
  return Math.min(MAX_IDLE_SAMPLE_MS, Math.max(IDLE_SAMPLE_MS, Math.floor(thresholdMs - 20)));
}
/** Longest epoll timeout of the loop while the agent beats (a beat is at most 40 ms). */
const LOOP_WAIT_MAX_MS = 60;
const KEEP_US = 60_000_000;

export class RunQueueMonitor {
  /**
   * [time µs, cumulative run-queue wait µs, cumulative on-CPU µs, state]: state 1 = asleep in
   * the loop's epoll wait (idle loop), 2 = asleep elsewhere (or maybe: an epoll wait whose
   * timeout cannot be read), 3 = asleep in a lock (a futex), 0 = running or waiting for a CPU.
   */
  private samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private periodMs = SAMPLE_MS;
  /** When the timer last fired or was set (µs), and when it last came over LATE_MS late. */
  private tickedUs = 0;
  private lateUs = -LATE_KEEP_US;
  /** Samples running that saw the loop surely idle. */
  private idleRun = 0;
  private readonly file: ProcFile;
  private readonly wchanFile: ProcFile;
  private readonly syscallFile: ProcFile;
  /** Unknown until read; false from the start when told not to read it (liveness 'wchan'). */
  private syscallReadable: boolean | undefined;
  private lastIdle = 0;
  /** Seen waits whose timeout cannot be read (epoll_pwait2): idle is then a guess. */
  private noTimeouts = false;
  /** Told of each sample: whether it saw the loop idle (waitingOn/sampler.ts starts on a busy one). */
  onSample: ((idle: boolean) => void) | undefined;
  /** Also told of each sample: whether it saw the loop surely idle in its own wait (state 1). */
  private readonly listeners = new Set<(idle: boolean) => void>();

  /** `readSyscall` false: as if `syscall` were not readable (tuning `liveness: 'wchan'`); `tid`: a worker's thread. */
  constructor(
    pid: number,
    readSyscall = true,
    tid = pid,
    private readonly idleSampleMs = IDLE_SAMPLE_MS,
  ) {
    if (!readSyscall) this.syscallReadable = false;
    this.file = new ProcFile(`/proc/${pid}/task/${tid}/schedstat`);
    this.wchanFile = new ProcFile(`/proc/${pid}/task/${tid}/wchan`);
    this.syscallFile = new ProcFile(`/proc/${pid}/task/${tid}/syscall`);
  }

  /** Whether a wait inside execSync/spawnSync is told from the loop's idle wait (see above). */
  get tellsSyncWaits(): boolean {
    return this.syscallReadable === true && !this.noTimeouts;
  }

  /** Samples are being taken, with the idle flag. */
  get sampling(): boolean {
    return this.timer !== undefined && this.samples.length > 0;
  }

  /** Calls `listener` after each sample (see `listeners`) until the returned function is called. */
  addSampleListener(listener: (idle: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** When (our monotonic clock, µs) the main thread was last seen idle in the loop's wait. */
  lastIdleUs(): number {
    return this.lastIdle;
  }

  start(): void {
    this.every(SAMPLE_MS);
    this.sample();
  }

  /** The period of the sampling timer now (ms). */
  get period(): number {
    return this.periodMs;
  }

  private every(ms: number): void {
    clearInterval(this.timer);
    this.periodMs = ms;
    this.tickedUs = nowUs();
    this.timer = setInterval(() => this.tick(), ms);
    this.timer.unref();
  }

  /** A tick of the timer: notes how late it came (a busy machine, see idlePeriodMs), samples. */
  private tick(): void {
    const now = nowUs();
    if (now - this.tickedUs > (this.periodMs + LATE_MS) * 1000) this.lateUs = now;
    this.tickedUs = now;
    this.sample();
  }

  /**
   * Reads one sample now (also used right before a stall is judged). Synchronously: procfs answers
   * from memory in µs, where the promise API costs four pool round trips per file, 200 times a second.
   */
  sample(): void {
    const x = this.read();
    if (!x) return;
    this.samples.push(x);
    this.idleRun = x[3] === 1 ? this.idleRun + 1 : 0;
    const late = x[0] - this.lateUs < LATE_KEEP_US;
    const period = this.idleRun >= IDLE_RUN ? idlePeriodMs(this.idleSampleMs, late) : SAMPLE_MS;
    if (period !== SAMPLE_MS) x[4] = 1;
    if (this.timer && period !== this.periodMs) this.every(period);
    this.onSample?.(this.lastIdle === x[0]);
    for (const l of this.listeners) l(x[3] === 1);
    if (this.samples.length > 64 && this.samples[0][0] < x[0] - KEEP_US) {
      this.samples = this.samples.filter((s) => s[0] >= x[0] - KEEP_US);
    }
  }

  /** One reading of /proc now; a sure idle (or a maybe) also counts as a sign of life. */
  private read(): Sample | undefined {
    try {
      const text = this.file.read();
      if (text === undefined) throw new Error('gone');
      const idle = this.loopIdle();
      const [runNs, waitNs] = text.split(' ').map(Number);
      const now = nowUs();
      if (!Number.isFinite(waitNs)) return undefined;
      if (idle === 'idle' || idle === 'maybe') this.lastIdle = now;
      // Only a sure idle narrows or drops a gap; "some epoll wait" may be execSync's.
      return [now, waitNs / 1000, runNs / 1000, STATE[idle]];
    } catch {
      this.dispose(); // the process is gone or /proc has no schedstat
      return undefined;
    }
  }

  /**
   * Whether the main thread is asleep in the event loop's own epoll wait right now: `idle`
   * (sure), `maybe` (in an epoll wait that may be execSync's: a sign of life for the probe,
   * not proof enough to shorten a stall), `asleep` elsewhere (a sync syscall, a page fault,
   * execSync's wait), `lock` (in a futex), or `busy` (running, or waiting for a CPU).
   */
  private loopIdle(): LoopState {
    if (this.syscallReadable !== false) {
      const text = this.syscallFile.read() ?? '';
      const w = epollWaitOf(text, process.arch);
      if (text) this.syscallReadable = true;
      else this.syscallReadable ??= false;
      if (text) {
        // "running" unless blocked: then the syscall's number (-1: blocked outside one).
        if (w === undefined) {
          if (text.startsWith('running')) return 'busy';
          // A futex: a lock, most often one of V8's own (a GC helper thread that waits for a CPU
          // on a busy machine), not a sync call of the code.
          const sc = parseSyscall(text, process.arch);
          return sc?.in === 'call' && sc.name === 'futex' ? 'lock' : 'asleep';
        }
        // The agent's heartbeat is a timer of the loop, so the loop's own wait never lasts
        // longer than a beat; execSync's loop waits for its child without a timeout (or the
        // caller's). Without a timeout to read (epoll_pwait2), any epoll wait, as with wchan.
        if (w.timeoutMs !== undefined) {
          return w.timeoutMs >= 0 && w.timeoutMs <= LOOP_WAIT_MAX_MS ? 'idle' : 'asleep';
        }
        this.noTimeouts = true;
        return 'maybe';
      }
    }
    // wchan: where the thread sleeps, "0" when it runs.
    const wchan = (this.wchanFile.read() ?? '').trim();
    return /epoll|ep_poll/.test(wchan) ? 'maybe' : wchan && wchan !== '0' ? 'asleep' : 'busy';
  }

  /**
   * How long (µs) the main thread may have been blocking its loop since `sUs`, up to a reading
   * of /proc taken now (see {@link activeIn}). A loaded server on a busy machine is seldom seen idle,
   * not because its loop is blocked but because it waits in the run queue and sleeps between
   * samples (measured: silences of 40–100 ms of which the thread ran 10–25 ms and waited for a
   * CPU for most of the rest); a blocked loop runs, or sleeps in a syscall, all along.
   */
  activeSince(sUs: number): number | undefined {
    // A reading outside the series: extra samples would change where gaps are placed
    // (stallStartFrom), which must not depend on how often the probe looked.
    const now = this.read();
    if (!now) return undefined;
    let i = this.samples.length - 1;
    while (i > 0 && this.samples[i][0] > sUs) i--;
    return activeIn([...this.samples.slice(i), now], sUs);
  }

  /** A sample within (sUs, eUs) saw the thread in a sync call (only where waits are told apart). */
  sleptOutsideLoop = (sUs: number, eUs: number) =>
    this.tellsSyncWaits && sleptOutsideLoopIn(this.samples, sUs, eUs);

  /** The last sample within (sUs, eUs) that saw the loop idle. */
  lastIdleWithin = (sUs: number, eUs: number) => lastIdleIn(this.samples, sUs, eUs);

  /** See {@link stallStartFrom}. */
  startAfter(sUs: number, eUs: number, fallbackUs: number): number {
    return stallStartFrom(this.samples, sUs, eUs, fallbackUs);
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

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
    for (const f of [this.file, this.wchanFile, this.syscallFile]) f.close();
  }
}

type LoopState = 'idle' | 'maybe' | 'asleep' | 'lock' | 'busy';
const STATE: Record<LoopState, number> = { busy: 0, idle: 1, asleep: 2, maybe: 2, lock: 3 };
