/**
 * "Blocked on what" for the main thread of a local Linux target: while its loop may be blocked
 * (the /proc liveness monitor saw it anywhere but the loop's idle wait, runQueue.ts), this looks
 * at the thread every {@link EVERY_MS} (observe.ts) and keeps what it saw with a time stamp;
 * a stall then gets the summary of the looks inside it (`read /data/big.bin (D) 80 %, running
 * 20 %`). While the loop is idle nothing runs here: no timer, no read (the monitor's own samples
 * decide when to start), so it costs nothing when there is no stall.
 */
import type { Observation } from './observe';
import { observeThread, summarizeLabels } from './observe';
import { nowUs } from '../clock';

/** How often a thread that may be blocked is looked at: 10 looks in a 100 ms stall. */
const EVERY_MS = 10;
/** Looks kept (about 40 s of continuous blocking at 10 ms), oldest dropped first. */
const KEEP = 4096;

export class WaitSampler {
  private times = new Float64Array(KEEP);
  private labels: string[] = new Array<string>(KEEP);
  /** 1 where the look told nothing a stall waited on: running, or back in its loop's poll. */
  private quiet = new Uint8Array(KEEP);
  private n = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Unknown until the first look; false once the syscall file could not be read. */
  private syscallReadable: boolean | undefined;
  private disposed = false;
  private noted = false;
  private busySamples = 0;

  constructor(
    private readonly pid: number,
    private readonly tid: number,
    /** Said once, when the syscall file cannot be read (why the labels are coarser). */
    private readonly note: (message: string) => void,
    /** False: never read the syscall file (tuning `liveness: 'wchan'`, as if it were unreadable). */
    readSyscall = true,
    private readonly everyMs = EVERY_MS,
  ) {
    if (!readSyscall) this.syscallReadable = false;
  }

  /** Whether looks are being taken now (tests, bench). */
  get active(): boolean {
    return this.timer !== undefined;
  }

  /** Looks taken so far. */
  get looks(): number {
    return this.n;
  }

  /**
   * The liveness monitor's sample (every 20 ms): idle stops the looks; two in a row that are not
   * start them (one alone is mostly the loop turning once, seen at idle a few times a second).
   */
  onLoopSample(idle: boolean): void {
    if (this.disposed) return;
    if (idle) {
      this.busySamples = 0;
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    if (this.timer || ++this.busySamples < 2) return;
    this.look();
    this.timer = setInterval(() => this.look(), this.everyMs);
    this.timer.unref();
  }

  /** Takes one look now. */
  look(): Observation | undefined {
    const o = observeThread(this.pid, this.tid, this.syscallReadable !== false);
    if (!o) return undefined;
    if (!this.noted) {
      this.noted = true;
      this.syscallReadable ??= o.syscallRead;
      if (!o.syscallRead) {
        this.note(
          `/proc/${this.pid}/task/${this.tid}/syscall cannot be read (it needs ptrace access to the target: another user, a container, or Yama's ptrace_scope); what a stall waited on is told by the thread's state and wchan only`,
        );
      }
    }
    const i = this.n % KEEP;
    this.times[i] = nowUs();
    this.labels[i] = o.label;
    this.quiet[i] = isQuietLook(o) ? 1 : 0;
    this.n++;
    return o;
  }

  /** Labels of the looks within [sUs, eUs] (our monotonic clock = the target's), oldest first. */
  labelsWithin(sUs: number, eUs: number): string[] {
    return this.looksWithin(sUs, eUs).labels;
  }

  private looksWithin(sUs: number, eUs: number): { labels: string[]; told: boolean } {
    const labels: string[] = [];
    let telling = 0;
    for (let k = Math.max(0, this.n - KEEP); k < this.n; k++) {
      const t = this.times[k % KEEP];
      if (t < sUs || t > eUs) continue;
      labels.push(this.labels[k % KEEP]);
      if (!this.quiet[k % KEEP]) telling++;
    }
    // One look in a lock among fifty of a CPU spin (`running 98 %, futex (S) 2 %`) is noise.
    return { labels, told: telling > 0 && telling >= labels.length / 10 };
  }

  /**
   * What the thread did during [sUs, eUs]; undefined when no look fell inside, or when it only
   * ran (a CPU stall: the stack already says what it computed), with at most a look or two back
   * in its loop's poll at the stall's edges (`running 95 %, epoll_pwait (S) 5 %` says nothing).
   */
  summary(sUs: number, eUs: number): string | undefined {
    const { labels, told } = this.looksWithin(sUs, eUs);
    return told ? summarizeLabels(labels) : undefined;
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * A look that tells nothing a stall waited on: the thread ran, or was back in its loop's poll
 * (at a stall's edges). A futex is a lock or an `Atomics.wait`: a real wait, so it tells.
 */
export function isQuietLook(o: Pick<Observation, 'label' | 'idle'>): boolean {
  return o.label === 'running' || (o.idle && !o.label.includes('futex'));
}
