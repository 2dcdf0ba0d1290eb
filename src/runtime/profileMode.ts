/**
 * Profile mode: the Profiler samples continuously and is rotated about once a second (and at
 * once when the agent reports a heartbeat gap) with a `console.profile` bridge held open across
 * stop + start, so V8 keeps its code map and the rotation costs the target well under 1 ms.
 *
 * A stall is reported only when the agent saw real loop lag (a heartbeat gap ≥ threshold) AND
 * the profile shows a run of non-idle samples ≥ threshold inside that gap: back-to-back short
 * tasks leave no idle sample but keep the heartbeat ticking, so they are not stalls.
 */
import type { Blame } from '../shared/protocol/runtime';
import type { AgentMessage } from './agent';
import type { Attribution, RawFrame } from './attribution';
import { kindOfFrames } from './attribution';
import type { IModeDriver, ModeContext } from './modeDriver';
import { usToMs } from './modeDriver';
import { ProfileStore } from './profileStore';
import { StackProbe } from './stackProbe';
import { classify, findBlockedRun } from './stallAnalysis';

/**
 * Periodic rotation only bounds how much one `Profiler.stop` serialises; a heartbeat gap rotates
 * at once, so this does not delay stall reports. Every rotation re-sends the whole node tree,
 * which under load is most of the rotation's cost: every 5 s instead of every second took profile
 * mode from +9.0 % to +6.4 % CPU per request in the bench (target at 22 % of a core).
 */
const ROTATE_EVERY_MS = Number(process.env.LOOP_LENS_ROTATE_MS) || 5000;
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
    this.timer = setInterval(() => this.requestRotation(), ROTATE_EVERY_MS);
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
    const s = late ? m.s - Math.max(m.e - m.s, 2 * this.ctx.heartbeatMs * 1000) : m.s;
    const idleAt = late ? undefined : this.ctx.lastIdleWithin(m.s, m.e);
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
      await this.reportGap(g, g.e <= covered);
    }
  }

  private async reportGap(g: PendingGap, covered: boolean): Promise<void> {
    const thresholdUs = this.ctx.thresholdMs * 1000;
    if (!covered) {
      // The profiler missed it (should not happen); the heartbeat alone proves the lag.
      const frames = await g.snapshot;
      const a = await this.fromSnapshot(frames);
      this.ctx.emitStall({
        startMs: usToMs(g.s - this.t0Us),
        durationMs: usToMs(g.e - g.s),
        kind: frames ? kindOfFrames(frames) : 'cpu',
        ...(a.blame ? { blame: a.blame } : {}),
        stack: a.stack,
      });
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
    let kind = classify(this.store, w.weights, thresholdUs);
    const frames = await g.snapshot;
    const snapshotKind = frames && kindOfFrames(frames);
    // A sync call in the stack is the code's own doing, however long the CPU wait inside it.
    if (kind !== 'sync-io' && snapshotKind !== 'sync-io') {
      const cpuUs = g.cpu ?? this.ctx.mainThreadCpuUs(w.startUs, w.endUs);
      if (!(await this.ownedByCode(w.startUs, w.endUs, cpuUs))) return;
    }
    let a = await this.ctx.attributor.fromProfile(this.store, w.weights, w.startUs, w.endUs);
    const probed = frames && (await this.fromSnapshot(frames));
    if (probed && !a.blame) {
      // No frame of the user's code in the profile: V8 recorded the sample covering a long
      // syscall after the call had returned, or without a stack. The probe's stack has it.
      this.ctx.logger.trace('runtime.stall', 'profile has no user frame; using the probe stack');
      a = probed;
      if (kind !== 'gc' && snapshotKind) kind = snapshotKind;
    } else if (probed && a.blame && lostInnerFrames(a.blame, probed)) {
      // The profile blames a call line whose callee the probe saw running: V8 ran code the
      // profiler does not know (compiled before it started, or with a coverage tool on).
      this.ctx.logger.trace(
        'runtime.stall',
        'profile lost the inner frames; using the probe stack',
      );
      a = probed;
      // Those frames were the kind too: a sync read the profile saw only as its caller's line.
      if (kind !== 'gc' && snapshotKind) kind = snapshotKind;
    }
    this.ctx.emitStall({
      startMs: usToMs(w.startUs - this.t0Us),
      durationMs: usToMs(w.endUs - w.startUs),
      kind,
      ...(a.blame ? { blame: a.blame } : {}),
      stack: a.stack,
    });
  }

  private fromSnapshot(frames: RawFrame[] | undefined): Promise<Attribution> {
    return frames ? this.ctx.attributor.fromPaused(frames) : Promise.resolve({ stack: [] });
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

/**
 * Whether the profile's blame is a frame the probe saw calling deeper user code at that very
 * line: then the profile lost those frames (the probe's stack walk sees all of them).
 */
export function lostInnerFrames(blame: Blame, probed: Attribution): boolean {
  if (!probed.blame) return false;
  const deepest = probed.stack.indexOf(probed.blame);
  const at = probed.stack.findIndex(
    (f) => f.file === blame.file && f.functionName === blame.functionName && f.line === blame.line,
  );
  return deepest >= 0 && at > deepest;
}

/**
 * Makes V8 drop the optimized code it compiled before the profiler started. Such code misleads
 * the profile: an on-stack-replacement (OSR) loop compiled earlier is never re-logged when the
 * profiler starts, so its samples lose that frame and land on the caller's call line, and
 * optimized code compiled without the profiler lacks the detailed positions of inlined code.
 * Switching V8 to precise coverage deoptimizes all functions (and empties the OSR cache);
 * switching straight back leaves no coverage running. The code is re-optimized, now under the
 * profiler, within a few hot calls. Cost, one pause of the target about as long as
 * `Profiler.start`'s own (both walk the heap): measured 4 ms on a small server, 32 ms with
 * TypeScript loaded, 180 ms (1.1 s on a loaded machine) on a 300 MB heap.
 *
 * Skipped when the target collects coverage itself (NODE_V8_COVERAGE, c8): coverage mode is
 * global, and turning it back off would discard the target's own coverage data.
 */
async function discardPreProfilerCode(ctx: ModeContext): Promise<void> {
  const s = ctx.session;
  const ownCoverage = await s.send('Runtime.evaluate', {
    expression: `typeof process === 'object' && !!process.env && !!process.env.NODE_V8_COVERAGE`,
    returnByValue: true,
  });
  if (ownCoverage?.result?.value !== false) {
    ctx.logger.info(
      'runtime.profile',
      'the target collects coverage (or could not be asked): code optimized before attaching is kept; its lines may point at callers',
    );
    return;
  }
  const started = await s.send('Profiler.startPreciseCoverage', {
    callCount: false,
    detailed: false,
  });
  if (started) await s.send('Profiler.stopPreciseCoverage');
}
