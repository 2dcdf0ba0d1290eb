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
import type { Attribution, RawFrame } from './attribution';
import { kindOfFrames } from './attribution';
import { lostInnerFrames, withProbedLine } from './probedStack';
import type { IModeDriver, ModeContext } from './modeDriver';
import { usToMs } from './modeDriver';
import { discardPreProfilerCode } from './preProfilerCode';
import { ProfileStore } from './profileStore';
import { StackProbe } from './stackProbe';
import { classifyShares, findBlockedRun } from './stallAnalysis';
import { judgeStall, stallOf } from './starvation';
import type { StallKind } from '../shared/protocol/runtime';

/**
 * Periodic rotation only bounds how much one `Profiler.stop` serialises; a heartbeat gap rotates
 * at once, so this does not delay stall reports. Every rotation re-sends the whole node tree,
 * which under load is most of the rotation's cost: every 5 s instead of every second took profile
 * mode from +9.0 % to +6.4 % CPU per request in the bench (target at 22 % of a core).
 */
export const ROTATE_EVERY_MS = 5000;
/** A gap not covered by the profile after this long is reported without attribution. */
const MAX_GAP_WAIT_MS = 2000;

interface PendingGap {
  s: number;
  e: number;
  /** Process CPU time (µs) within the gap, from the agent. */
  cpu?: number;
  /** When we heard of it (our clock, ms). */
  since: number;
  /** The stack the probe took while the loop was blocked, if it did. */
  snapshot: Promise<RawFrame[] | undefined>;
}

export class ProfileMode implements IModeDriver {
  private readonly store = new ProfileStore();
  private readonly gaps: PendingGap[] = [];
  private readonly probe: StackProbe;
  private rotating: Promise<void> | undefined;
  private rotateAgain = false;
  private timer: NodeJS.Timeout | undefined;
  private rotation = 0;
  private t0Us = 0;
  private disposed = false;

  /**
   * @param codeRanBefore the target already ran code before we attached (not a launch held
   *   at its first line): its optimized code predates the profiler and is discarded once.
   */
  constructor(
    private readonly ctx: ModeContext,
    private readonly samplingIntervalUs: number,
    private readonly codeRanBefore = true,
    private readonly rotateEveryMs = ROTATE_EVERY_MS,
  ) {
    this.probe = new StackProbe(ctx);
  }

  async start(): Promise<void> {
    const s = this.ctx.session;
    await s.sendOrThrow('Profiler.enable');
    await s.sendOrThrow('Profiler.setSamplingInterval', { interval: this.samplingIntervalUs });
    await s.sendOrThrow('Profiler.start');
    if (this.codeRanBefore) await discardPreProfilerCode(this.ctx);
  }

  begin(t0Us: number): void {
    this.t0Us = t0Us;
    this.timer = setInterval(() => this.requestRotation(), this.rotateEveryMs);
    this.probe.begin();
  }

  onAgentMessage(m: AgentMessage): void {
    const snapshot = this.probe.onAgentMessage(m);
    if (m.type !== 'gap') return;
    // A local target's loop seen idle inside the gap leaves too little of it for a stall: a beat
    // a little late (the gap is judged without rotating, which costs the target a profile chunk).
    // A gap placed late (agent.ts: the stall had ended before the probe woke the beat) has idle
    // samples after the stall's real end; it is widened by its own length instead (the
    // profile's own samples place the stall exactly).
    const late = m.l === 1;
    const s = late ? m.s - Math.max(m.e - m.s, 2 * this.ctx.liveness.heartbeatMs() * 1000) : m.s;
    const idleAt = late ? undefined : this.ctx.liveness.lastIdleWithin(m.s, m.e);
    if (idleAt !== undefined && m.e - idleAt < this.ctx.thresholdMs * 1000) {
      this.ctx.logger.trace(
        'runtime.stall',
        `gap of ${usToMs(m.e - m.s)} ms: loop seen idle inside`,
      );
      return;
    }
    this.gaps.push({ s, e: m.e, cpu: m.cpu, since: performance.now(), snapshot });
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
    const t0 = performance.now();
    const r = await stopping;
    if (r?.profile) {
      this.ctx.logger.trace(
        'runtime.profile',
        `chunk: ${r.profile.samples?.length ?? 0} samples, ${r.profile.nodes.length} nodes, ${Math.round(performance.now() - t0)} ms to stop`,
      );
      this.store.append(r.profile);
      // The scripts seen so far: their files are read before a stall needs them (warmUp.ts).
      this.ctx.attributor.warmFrom(this.store);
    }
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
      // One gap that cannot be judged must not end the recording (its rotations, its stalls).
      await this.reportGap(g, g.e <= covered).catch((e: unknown) =>
        this.ctx.logger.warn('runtime.stall', `a gap could not be judged: ${String(e)}`),
      );
    }
  }

  private async reportGap(g: PendingGap, covered: boolean): Promise<void> {
    const thresholdUs = this.ctx.thresholdMs * 1000;
    if (!covered) {
      // The profiler missed it (should not happen); the heartbeat alone proves the lag.
      const frames = await g.snapshot;
      const kind = frames ? kindOfFrames(frames) : 'cpu';
      const verdict = await judgeStall(this.ctx, g.s, g.e, g.cpu, kind === 'sync-io');
      if (verdict.is === 'asleep') return;
      const a = await this.fromSnapshot(frames);
      const starved = verdict.is === 'starved' ? { starvation: verdict.starvation } : {};
      const k = verdict.is === 'starved' ? 'starved' : verdict.syncWait ? 'sync-io' : kind;
      this.ctx.emitStall(stallOf(usToMs(g.s - this.t0Us), usToMs(g.e - g.s), k, a, starved));
      return;
    }
    const w = findBlockedRun(this.store, g.s, g.e, thresholdUs, 4 * this.samplingIntervalUs);
    if (!w) {
      this.ctx.logger.trace(
        'runtime.stall',
        `gap of ${usToMs(g.e - g.s)} ms: idle samples, not blocked`,
      );
      return;
    }
    const classified = classifyShares(this.store, w.weights, thresholdUs);
    const frames = await g.snapshot;
    const snapshotKind = frames && kindOfFrames(frames);
    // A sync call in the stack is the code's own doing, however long the CPU wait inside it.
    const syncIo = classified.kind === 'sync-io' || snapshotKind === 'sync-io';
    const verdict = await judgeStall(this.ctx, w.startUs, w.endUs, g.cpu, syncIo);
    if (verdict.is === 'asleep') return;
    const t0 = performance.now();
    let a = await this.ctx.attributor.fromProfile(this.store, w.weights, w.startUs, w.endUs);
    const probed = frames && (await this.fromSnapshot(frames));
    if (probed && !a.blame) {
      // No frame of the user's code in the profile: V8 recorded the sample covering a long
      // syscall after the call had returned, or without a stack. The probe's stack has it.
      this.ctx.logger.trace('runtime.stall', 'profile has no user frame; using the probe stack');
      a = probed;
    } else if (probed && a.blame && lostInnerFrames(a.blame, probed)) {
      // The profile blames a call line whose callee the probe saw running: V8 ran code the
      // profiler does not know (compiled before it started, or with a coverage tool on).
      // Those frames are the kind too: a sync read the profile saw only as its caller's line.
      this.ctx.logger.trace(
        'runtime.stall',
        'profile lost the inner frames; using the probe stack',
      );
      a = probed;
    } else a = withProbedLine(a, probed);
    this.ctx.logger.trace(
      'runtime.blame',
      `attributed in ${(performance.now() - t0).toFixed(2)} ms`,
    );
    // One cause, one kind: the kind of the operation's stack, so the same shape gets the same
    // kind in every stall (the GC its garbage forced is a share); `gc` when no code frame weighed.
    const kind: StallKind = a.kind ?? classified.kind;
    const shares = classified.shares;
    this.ctx.emitStall(
      stallOf(
        usToMs(w.startUs - this.t0Us),
        usToMs(w.endUs - w.startUs),
        verdict.is === 'starved' ? 'starved' : verdict.syncWait ? 'sync-io' : kind,
        a,
        verdict.is === 'starved'
          ? { starvation: verdict.starvation }
          : shares.length
            ? { kindShares: shares }
            : {},
      ),
    );
  }

  private fromSnapshot(frames: RawFrame[] | undefined): Promise<Attribution> {
    return frames ? this.ctx.attributor.fromPaused(frames) : Promise.resolve({ stack: [] });
  }

  async flush(): Promise<void> {
    clearInterval(this.timer);
    this.probe.dispose();
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
    this.probe.dispose();
    clearInterval(this.timer);
    clearTimeout(this.recheck);
  }

  cpuProfile(): unknown | undefined {
    return this.store.toCpuProfile();
  }
}
