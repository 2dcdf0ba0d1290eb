/**
 * Profile mode: the Profiler samples continuously and is rotated about once a second (and at
 * once when the agent reports a heartbeat gap) with a `console.profile` bridge held open across
 * stop + start, so V8 keeps its code map and the rotation costs the target well under 1 ms.
 *
 * A stall is reported only when the agent saw real loop lag (a heartbeat gap ≥ threshold) AND
 * the profile shows a run of non-idle samples ≥ threshold inside that gap: back-to-back short
 * tasks leave no idle sample but keep the heartbeat ticking, so they are not stalls.
 */
import type { AgentMessage } from './agent';
import type { IModeDriver, ModeContext } from './modeDriver';
import { usToMs } from './modeDriver';
import { ProfileStore } from './profileStore';
import { classify, findBlockedRun } from './stallAnalysis';

/**
 * Periodic rotation only bounds how much one `Profiler.stop` serialises; a heartbeat gap rotates
 * at once, so this does not delay stall reports. Every rotation re-sends the whole node tree.
 */
const ROTATE_EVERY_MS = Number(process.env.LOOP_LENS_ROTATE_MS) || 1000;
/** A gap not covered by the profile after this long is reported without attribution. */
const MAX_GAP_WAIT_MS = 2000;

interface PendingGap {
  s: number;
  e: number;
  /** Process CPU time (µs) within the gap, from the agent. */
  cpu?: number;
  /** When we heard of it (our clock, ms). */
  since: number;
}

export class ProfileMode implements IModeDriver {
  private readonly store = new ProfileStore();
  private readonly gaps: PendingGap[] = [];
  private rotating: Promise<void> | undefined;
  private rotateAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private rotation = 0;
  private t0Us = 0;
  private disposed = false;

  constructor(
    private readonly ctx: ModeContext,
    private readonly samplingIntervalUs: number,
  ) {}

  async start(): Promise<void> {
    const s = this.ctx.session;
    await s.sendOrThrow('Profiler.enable');
    await s.sendOrThrow('Profiler.setSamplingInterval', { interval: this.samplingIntervalUs });
    await s.sendOrThrow('Profiler.start');
  }

  begin(t0Us: number): void {
    this.t0Us = t0Us;
    this.timer = setInterval(() => this.requestRotation(), ROTATE_EVERY_MS);
  }

  onAgentMessage(m: AgentMessage): void {
    if (m.type !== 'gap') return;
    this.gaps.push({ s: m.s, e: m.e, cpu: m.cpu, since: performance.now() });
    this.requestRotation();
  }

  private recheck: NodeJS.Timeout | undefined;

  private scheduleRecheck(): void {
    this.recheck ??= setTimeout(
      () => {
        this.recheck = undefined;
        this.requestRotation();
        // Long enough for the sampler to take one more sample past the gap's end.
      },
      Math.max(3, (this.samplingIntervalUs / 1000) * 1.2),
    );
  }

  private requestRotation(): void {
    if (this.disposed) return;
    if (this.rotating) {
      this.rotateAgain = true;
      return;
    }
    this.rotating = this.rotate().finally(() => {
      this.rotating = undefined;
      if (this.rotateAgain) {
        this.rotateAgain = false;
        this.requestRotation();
      }
    });
  }

  /** stop + start inside an open bridge profile; all four commands go out at once. */
  private async rotate(restart = true): Promise<void> {
    const s = this.ctx.session;
    const title = JSON.stringify(`loop-lens-bridge-${this.ctx.id}-${this.rotation++}`);
    if (restart) void s.send('Runtime.evaluate', { expression: `console.profile(${title})` });
    const stopping = s.send('Profiler.stop');
    if (restart) {
      void s.send('Profiler.start');
      void s.send('Runtime.evaluate', { expression: `console.profileEnd(${title})` });
    }
    const r = await stopping;
    if (r?.profile) this.store.append(r.profile);
    await this.processGaps(!restart);
  }

  private async processGaps(final: boolean): Promise<void> {
    // Covered once a SAMPLE at or after the gap's end arrived: the profile's endTime is not
    // enough, V8 may deliver the sample that closes a syscall stall in the next chunk.
    const covered = this.store.lastSampleTime;
    for (const g of [...this.gaps]) {
      if (g.e > covered && !final && performance.now() - g.since < MAX_GAP_WAIT_MS) {
        this.scheduleRecheck();
        continue;
      }
      this.gaps.splice(this.gaps.indexOf(g), 1);
      await this.reportGap(g, g.e <= covered);
    }
  }

  private async reportGap(g: PendingGap, covered: boolean): Promise<void> {
    const thresholdUs = this.ctx.thresholdMs * 1000;
    if (!covered) {
      // The profiler missed it (should not happen); the heartbeat alone proves the lag.
      this.ctx.emitStall({
        startMs: usToMs(g.s - this.t0Us),
        durationMs: usToMs(g.e - g.s),
        kind: 'cpu',
        stack: [],
      });
      return;
    }
    const w = findBlockedRun(this.store, g.s, g.e, thresholdUs);
    if (!w) {
      this.ctx.logger.trace(
        'runtime.stall',
        `gap of ${usToMs(g.e - g.s)} ms: idle samples, not blocked`,
      );
      return;
    }
    const kind = classify(this.store, w.weights, thresholdUs);
    // A sync call in the stack is the code's own doing, however long the CPU wait inside it.
    if (kind !== 'sync-io' && !(await this.ownedByCode(w.startUs, w.endUs, g.cpu))) return;
    const a = await this.ctx.attributor.fromProfile(this.store, w.weights, w.startUs, w.endUs);
    this.ctx.emitStall({
      startMs: usToMs(w.startUs - this.t0Us),
      durationMs: usToMs(w.endUs - w.startUs),
      kind,
      ...(a.blame ? { blame: a.blame } : {}),
      stack: a.stack,
    });
  }

  /**
   * False on an overloaded machine: most of the run was spent waiting for a CPU (run queue), or
   * the process used little CPU in it (it lost the CPU in the middle of some JavaScript).
   */
  private async ownedByCode(
    startUs: number,
    endUs: number,
    cpuUs: number | undefined,
  ): Promise<boolean> {
    const halfUs = (this.ctx.thresholdMs * 1000) / 2;
    const starvedUs = await this.ctx.runQueueWaitUs(startUs, endUs);
    const owned = endUs - startUs - starvedUs >= halfUs && (cpuUs === undefined || cpuUs >= halfUs);
    if (!owned) {
      const d = `${usToMs(endUs - startUs)} ms: ${usToMs(starvedUs)} ms waiting for a CPU, ${cpuUs === undefined ? '?' : usToMs(cpuUs)} ms on one`;
      this.ctx.logger.trace('runtime.stall', `${d}; not a stall`);
    }
    return owned;
  }

  async flush(): Promise<void> {
    clearInterval(this.timer);
    try {
      while (this.rotating) await this.rotating;
      this.disposed = true;
      await this.rotate(false);
    } catch (e) {
      this.ctx.logger.warn('runtime.profile', `final profile: ${(e as Error).message}`);
    }
  }

  async teardown(): Promise<void> {
    await this.ctx.session.send('Profiler.stop');
    await this.ctx.session.send('Profiler.disable');
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    clearTimeout(this.recheck);
  }

  cpuProfile(): unknown | undefined {
    return this.store.toCpuProfile();
  }
}
