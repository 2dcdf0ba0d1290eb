/**
 * One JavaScript stack taken while the loop is blocked, for each stall: when the recorder has
 * had no sign of life from the loop for a while, the loop is blocked right now, so it sends ONE
 * `Runtime.evaluate` that captures the current JavaScript stack. Signs of life: any message of
 * the agent (a remote target's agent sends a tick every {@link TICK_EVERY_MS}), and for a local
 * target the main thread seen asleep in the loop's epoll wait (/proc, see runQueue.ts), which
 * costs the target nothing.
 *
 * Why an evaluate and not `Debugger.pause`: Node dispatches inspector messages from a V8
 * interrupt, so an evaluate runs on top of the blocked JavaScript just like a pause would, and
 * `new Error()` there sees the interrupted frames (inlined ones too). It needs no
 * `Debugger.enable` (110–230 ms stall at attach), and the target never waits for our round
 * trip: a pause holds the target until our resume arrives, which on a loaded machine turned
 * healthy processes' late heartbeats into 60–140 ms stalls of our own making. During a sync
 * syscall (readFileSync, execSync) the interrupt is taken as soon as the call returns, still
 * inside the caller's frames. A stack taken after the stall ended (empty, or inside the agent's
 * own heartbeat, or arriving after the gap report) is discarded.
 *
 * Watch mode names its stalls from this stack alone; profile mode falls back to it when the
 * profile has no frame of the user's code for a stall (V8 now and then records the one sample
 * that covers a long syscall after the call returned, or without a stack).
 */
import type { AgentMessage } from './agent';
import type { RawFrame } from './attribution';
import type { ModeContext } from './modeDriver';
import { LoadedModules } from './loadedModules';
import { framesOfSnapshot, stackExpression } from './probeSnapshot';
import { nowUs } from './clock';

/**
 * How often the agent tells us it is alive. Each message costs the target CPU: ticks with every
 * 20 ms beat raised profile mode's idle cost from ~18 to ~23.5 ms per second, so 40 ms.
 */
export const TICK_EVERY_MS = 40;
const WATCHDOG_MS = 10;
/*
 * A local target's probe also checks at each /proc sample; its 10 ms watchdog runs only while
 * the last sample did not see the loop surely idle (the next sample re-arms it if the loop is
 * busy), or when no sample follows an idle one for SAMPLES_LOST_MS (or two thresholds: longer
 * than the idle period). An idle recorder's wake-up costs ~0.1 ms (npm run bench -- fleet). */
const STARVED_US = 60_000;
const SAMPLES_LOST_MS = 100;
/** Local target: no idle sample (one every 20 ms) for this long at least means blocked. */
const IDLE_SILENCE_MS = 40;
/**
 * Local target whose probe found the loop busy but turning (its beat on time): a stall may have
 * just begun, so one more probe as soon as the beat would be overdue; if that one also finds
 * the loop turning, the next waits this long. Probing every 40 ms while busy took 7.4 probes a
 * second at 1,500 requests a second (each ~0.2–0.3 ms of the target's CPU); one per silence,
 * 1.6, but then a stall right after a busy spell, or in a server that never sleeps, got no stack.
 */
const REPROBE_BUSY_MS = 200;
/** A local loop seen idle this recently is idle now (/proc samples it every 20 ms). */
const IDLE_NOW_US = 25_000;

interface Snapshot {
  /** When it was taken, on the target's clock (µs). */
  t: number;
  frames: RawFrame[];
}

/** How long a stack waits for the gap that contains it. */
const KEEP_US = 10_000_000;
/** How long a gap report waits for a stack still on its way. */
const REPLY_WAIT_MS = 100;

export class StackProbe {
  /** Last message of the agent, or idle reply of a probe (our monotonic clock, µs). */
  private lastHeard = nowUs();
  /** When the last probe was sent (a new silence starts when the loop is heard after it). */
  private probedAt: number | undefined;
  /** A probe of this silence ran with the beat overdue: the loop is blocked, we have its stack. */
  private blockedSeen = false;
  /** A probe of this silence found the loop turning: no other one before this time (µs). */
  private reprobeAt = 0;
  /** Probes of this silence that found the loop turning. */
  private turning = 0;
  private readonly expression: string;
  private inflight: Promise<void> | undefined;
  private snapshots: Snapshot[] = [];
  private watchdog: NodeJS.Timeout | undefined;
  /** Re-arms the watchdog when samples stop coming after an idle one (see onLoopSample). */
  private samplesLost: NodeJS.Timeout | undefined;
  /** Stops following the local target's /proc samples (see WATCHDOG_MS). */
  private unfollow: (() => void) | undefined;
  private lastCheckAt = nowUs();
  /** Checks since the last probe that held one back: the silence was mostly no block. */
  private heldBack = 0;

  /** The target's loaded modules, read while its loop is idle (loadedModules.ts). */
  readonly modules: LoadedModules;

  constructor(private readonly ctx: ModeContext) {
    this.expression = stackExpression(ctx.agentKey);
    this.modules = new LoadedModules(ctx);
  }

  begin(): void {
    this.lastHeard = nowUs();
    this.lastCheckAt = this.lastHeard;
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.samplesLost);
    this.samplesLost = undefined;
    this.watchdog ??= setInterval(() => this.check(), WATCHDOG_MS);
  }

  /**
   * A /proc sample of a local target: check now; the watchdog runs only while not idle, or when
   * samples stop (the monitor stopped or was replaced): a resting beat reports a stall only when
   * probed, so a probe waiting on samples that never come would miss every stall.
   */
  private onLoopSample(idle: boolean): void {
    this.check();
    if (!idle) {
      this.arm();
      return;
    }
    if (this.watchdog) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
    }
    const lostMs = Math.max(SAMPLES_LOST_MS, 2 * this.ctx.thresholdMs); // > the idle period
    this.samplesLost ??= setTimeout(() => this.arm(), lostMs).unref();
    this.samplesLost.refresh();
  }

  /** Whether the 10 ms watchdog runs now (see WATCHDOG_MS). */
  get watching(): boolean {
    return this.watchdog !== undefined;
  }

  /** Watchdog checks so far (tests wait on them, not on the clock). */
  checks = 0;

  private check(): void {
    this.checks++;
    if (this.inflight) return;
    const now = nowUs();
    // This recorder was starved of CPU (no check for 60 ms, or the threshold): a stall of a local
    // target may have come and gone unseen; a resting beat (agent.ts) reports only when probed.
    const live = this.ctx.liveness;
    const loop = live.loop();
    if (loop?.onSample && !this.unfollow) {
      this.unfollow = loop.onSample((idle) => this.onLoopSample(idle));
    }
    const starvedUs = Math.max(STARVED_US, 1000 * (this.ctx.thresholdMs + 10));
    const starved = loop !== undefined && now - this.lastCheckAt > starvedUs;
    this.lastCheckAt = now;
    const idleAt = loop?.idleAt() ?? 0;
    const heard = Math.max(this.lastHeard, idleAt);
    const probedAt = this.probedAt ?? 0;
    if (heard > probedAt) {
      this.blockedSeen = false;
      this.turning = 0;
    }
    const { thresholdMs } = this.ctx;
    const tickEveryMs = live.tickEveryMs();
    // Idle: a local loop seen asleep in its wait just now (one /proc sample ago); a remote one
    // heard from within a tick period. Never in a silence (a stall may have begun).
    this.modules.tick(
      heard > probedAt &&
        (loop ? now - idleAt < IDLE_NOW_US : tickEveryMs > 0 && now - heard < tickEveryMs * 1000),
    );
    // Ticks: silence longer than a tick period and half a beat means blocked right now (a stall
    // started up to one tick after the last message). With a high threshold, armed a little
    // before it, so that the evaluate reaches a stall just over it in time. One per silence.
    const tickSilent =
      tickEveryMs > 0 &&
      this.lastHeard > probedAt &&
      now - this.lastHeard >=
        1000 * Math.max(tickEveryMs + live.heartbeatMs() / 2 + 5, thresholdMs - tickEveryMs / 2);
    // Local: not seen idle in two samples running. The loop may be busy but turning (a loaded
    // server): then probe again later (REPROBE_BUSY_MS), unless a probe already found the beat
    // overdue (blocked: that stack is the stall's).
    const fresh = heard > probedAt || (!this.blockedSeen && now >= this.reprobeAt);
    const silenceUs = 1000 * Math.max(IDLE_SILENCE_MS, thresholdMs - 10);
    let idleSilent = loop !== undefined && fresh && now - heard >= silenceUs;
    // (A starved recorder probes once more only where the rules above would probe again later.)
    const starvedProbe = starved && !this.blockedSeen && now >= this.reprobeAt;
    let active: number | undefined;
    if (idleSilent && !starvedProbe && loop) {
      // Silent that long on the clock, but could the loop have been blocked that long? Not while
      // the thread waited for a CPU or slept in the loop's own wait (see loopActiveSince).
      // Counted from the silence's start, or from the last probe, which found the loop turning.
      active = loop.activeSince(heard > probedAt ? heard : probedAt);
      // (That read /proc: it may have seen the loop idle just now.)
      const seenIdle = loop.idleAt() > heard;
      if (seenIdle || (active !== undefined && active < silenceUs)) {
        if (!seenIdle) this.heldBack++;
        idleSilent = false;
      }
    }
    if (!tickSilent && !idleSilent && !starvedProbe) return;
    this.probedAt = now;
    const why = starvedProbe ? 'recorder starved; ' : '';
    const held = this.heldBack ? `; held back ${this.heldBack}× before` : '';
    this.heldBack = 0;
    this.ctx.logger.trace(
      'runtime.probe',
      `${why}silent for ${Math.round((now - heard) / 1000)} ms${active === undefined ? '' : ` (${Math.round(active / 1000)} ms of it running or asleep outside the loop${held})`}: taking the stack`,
    );
    this.inflight = this.ctx.session
      .send('Runtime.evaluate', { expression: this.expression, returnByValue: true })
      .then((r) => this.onReply(r?.result?.value))
      .finally(() => (this.inflight = undefined));
  }

  private onReply(value: unknown): void {
    let snap: Snapshot | undefined;
    try {
      const v = JSON.parse(String(value)) as {
        t: number;
        b: number;
        stack: Array<[string, string, number, number]>;
      };
      const frames = framesOfSnapshot(v.stack);
      if (frames && typeof v.t === 'number') snap = { t: v.t, frames };
      if (snap && v.b > 0 && v.t - v.b > (this.ctx.liveness.heartbeatMs() + 5) * 1000) {
        this.blockedSeen = true;
      } else if (snap) {
        this.ctx.logger.trace(
          'runtime.probe',
          v.b > 0
            ? `the loop was turning (its last beat ${Math.round((v.t - v.b) / 1000)} ms before)`
            : 'the loop was busy; the resting beat woke',
        );
        const overdueAt = v.b + (this.ctx.liveness.heartbeatMs() + 10) * 1000;
        this.reprobeAt =
          this.turning++ === 0 && v.b > 0 ? overdueAt : nowUs() + REPROBE_BUSY_MS * 1000;
      }
    } catch {
      snap = undefined;
    }
    if (!snap) {
      // Nothing but our own frames: the loop was free when it ran, so it is alive.
      this.lastHeard = nowUs();
      this.ctx.logger.trace('runtime.probe', 'the loop was free when the stack was taken');
      return;
    }
    this.snapshots = this.snapshots.filter((x) => x.t > snap.t - KEEP_US);
    this.snapshots.push(snap);
    // Its files are read while the stall lasts, not after it (attribution.ts).
    this.ctx.attributor.prefetchStack(snap.frames);
  }

  /**
   * Every agent message proves the loop turned. For a gap [s, e] (target clock, µs), resolves
   * with the stack taken inside it, if one was; a reply still on its way gets a short wait.
   */
  async onAgentMessage(m: AgentMessage): Promise<RawFrame[] | undefined> {
    this.lastHeard = nowUs();
    // The loop turns right now (it sent this): a busy server may never be seen idle.
    this.modules.tick(true);
    if (m.type !== 'gap') return undefined;
    if (this.inflight) {
      let t: NodeJS.Timeout | undefined;
      const wait = new Promise<void>((r) => (t = setTimeout(r, REPLY_WAIT_MS)));
      await Promise.race([this.inflight, wait]).finally(() => clearTimeout(t));
    }
    // The latest stack inside the gap that cannot be from a loop still turning: taken with the
    // beat already due (no beat fired after `s`), or after the loop was seen idle inside the gap
    // (the stall began after that). An earlier stack of a busy loop is not the stall's. A gap
    // found by a woken beat (agent.ts) began before the probe that woke it, and the beat's
    // check proved the loop blocked from that probe on: its stacks are the stall's.
    const dueUs = m.s + (this.ctx.liveness.heartbeatMs() - 5) * 1000;
    const woken = m.w === 1 && m.l !== 1;
    const inGap = this.snapshots.filter(
      (x) =>
        x.t <= m.e &&
        x.t >= m.s &&
        (woken || x.t >= dueUs || this.ctx.liveness.lastIdleWithin(m.s, x.t) !== undefined),
    );
    const taken = this.snapshots;
    this.snapshots = this.snapshots.filter((x) => x.t > m.e);
    const snap = inGap.at(-1);
    if (!snap) {
      const near = taken.map((x) => Math.round((x.t - m.s) / 1000));
      this.ctx.logger.trace(
        'runtime.probe',
        `no stack was taken inside this gap (${Math.round((m.e - m.s) / 1000)} ms; stacks at ${near.join(', ') || 'none'} ms from its start)`,
      );
      return undefined;
    }
    return snap.frames;
  }

  dispose(): void {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    clearTimeout(this.samplesLost);
    this.samplesLost = undefined;
    this.unfollow?.();
    this.unfollow = undefined;
    this.modules.dispose();
  }
}
