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
import { AGENT_SOURCE_URL } from './agent';
import type { RawFrame } from './attribution';
import type { ModeContext } from './modeDriver';
import { isAgentFrame } from './stallAnalysis';

/**
 * How often the agent tells us it is alive. Each message costs the target CPU (main thread,
 * inspector thread, a socket write): ticks with every 20 ms beat instead of every other one
 * raised profile mode's idle cost from ~18 to ~23.5 ms per second in the bench, so 40 ms.
 */
export const TICK_EVERY_MS = 40;
const WATCHDOG_MS = 10;
/** Local target: no idle sample (one every 20 ms) for this long at least means blocked. */
const IDLE_SILENCE_MS = 40;

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * Captures the stack it runs on top of, with the target's monotonic clock (µs, the clock of
 * the agent's gap reports); restores the user's Error settings.
 */
const STACK_EXPRESSION = `(() => {
  const p = Error.prepareStackTrace, l = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  Error.prepareStackTrace = (_, cs) => cs.map((c) => [c.getFunctionName() || '', c.getFileName() || c.getScriptNameOrSourceURL() || '', c.getLineNumber() || 0, c.getColumnNumber() || 0]);
  try { return JSON.stringify({ t: Number(process.hrtime.bigint() / 1000n), stack: new Error().stack }); } finally { Error.prepareStackTrace = p; Error.stackTraceLimit = l; }
})()
//# sourceURL=${AGENT_SOURCE_URL}`;

/** A file name from a stack trace: a path for CommonJS, a file: URL for ESM. */
function toUrl(file: string): string {
  return file.startsWith('/') ? `file://${file}` : file;
}

/** Frames below the snapshot's own; `undefined` when the stack shows the stall had ended. */
export function framesOfSnapshot(
  raw: Array<[string, string, number, number]>,
): RawFrame[] | undefined {
  let i = 0;
  while (i < raw.length && isAgentFrame(raw[i][1]) && !raw[i][0]) i++;
  // Only our own (anonymous) frames: the loop was idle. Any named agent frame (the heartbeat,
  // a metrics poll) means the loop was turning: the stall is over.
  if (i === raw.length || raw.slice(i).some((f) => isAgentFrame(f[1]))) return undefined;
  return raw.slice(i).map(([fn, file, line, col]) => ({
    functionName: fn,
    url: toUrl(file),
    line0: Math.max(0, line - 1),
    col0: Math.max(0, col - 1),
    isDefinition: false,
  }));
}

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
  /** When the last probe was sent: one stack per silence, until the loop is heard again. */
  private probedAt: number | undefined;
  private inflight: Promise<void> | undefined;
  private snapshots: Snapshot[] = [];
  private watchdog: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: ModeContext) {}

  begin(): void {
    this.lastHeard = nowUs();
    this.watchdog = setInterval(() => this.check(), WATCHDOG_MS);
  }

  private check(): void {
    if (this.inflight) return;
    const now = nowUs();
    const idleAt = this.ctx.loopIdleAt?.() ?? 0;
    const heard = Math.max(this.lastHeard, idleAt);
    if (this.probedAt !== undefined && heard <= this.probedAt) return;
    const { tickEveryMs, thresholdMs } = this.ctx;
    // Ticks: silence longer than a tick period and half a beat means blocked right now (a stall
    // started up to one tick after the last message). With a high threshold, armed a little
    // before it, so that the evaluate reaches a stall just over it in time.
    const tickSilent =
      tickEveryMs > 0 &&
      now - this.lastHeard >=
        1000 * Math.max(tickEveryMs + this.ctx.heartbeatMs / 2 + 5, thresholdMs - tickEveryMs / 2);
    // Local: not seen idle in two samples running, and nothing heard from the agent either.
    const idleSilent =
      this.ctx.loopIdleAt !== undefined &&
      now - heard >= 1000 * Math.max(IDLE_SILENCE_MS, thresholdMs - 10);
    if (!tickSilent && !idleSilent) return;
    this.probedAt = now;
    this.ctx.logger.trace(
      'runtime.probe',
      `silent for ${Math.round((now - heard) / 1000)} ms: taking the stack`,
    );
    this.inflight = this.ctx.session
      .send('Runtime.evaluate', { expression: STACK_EXPRESSION, returnByValue: true })
      .then((r) => this.onReply(r?.result?.value))
      .finally(() => (this.inflight = undefined));
  }

  private onReply(value: unknown): void {
    let snap: Snapshot | undefined;
    try {
      const v = JSON.parse(String(value)) as {
        t: number;
        stack: Array<[string, string, number, number]>;
      };
      const frames = framesOfSnapshot(v.stack);
      if (frames && typeof v.t === 'number') snap = { t: v.t, frames };
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
  }

  /**
   * Every agent message proves the loop turned. For a gap [s, e] (target clock, µs), resolves
   * with the stack taken inside it, if one was; a reply still on its way gets a short wait.
   */
  async onAgentMessage(m: AgentMessage): Promise<RawFrame[] | undefined> {
    this.lastHeard = nowUs();
    if (m.type !== 'gap') return undefined;
    if (this.inflight) {
      let t: NodeJS.Timeout | undefined;
      const wait = new Promise<void>((r) => (t = setTimeout(r, REPLY_WAIT_MS)));
      await Promise.race([this.inflight, wait]).finally(() => clearTimeout(t));
    }
    const i = this.snapshots.findIndex((x) => x.t >= m.s && x.t <= m.e);
    if (i < 0) {
      this.ctx.logger.trace('runtime.probe', 'no stack was taken inside this gap');
      return undefined;
    }
    return this.snapshots.splice(i, 1)[0].frames;
  }

  dispose(): void {
    clearInterval(this.watchdog);
  }
}
