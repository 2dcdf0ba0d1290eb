/**
 * Watch mode: no profiler. The agent's heartbeat gives loop lag and sends a tick every ~20 ms;
 * when the recorder hears nothing for `threshold` ms the loop is blocked right now, so it sends
 * ONE `Debugger.pause` for that stall, records the paused stack and resumes at once. A pause
 * that lands after the stall ended (in the agent's own heartbeat, or after the gap report) is
 * discarded. The stall itself (start, duration) comes from the heartbeat gap.
 */
import type { Protocol } from 'devtools-protocol';
import type { AgentMessage } from './agent';
import type { RawFrame } from './attribution';
import { kindOfFrames } from './attribution';
import type { IDisposable } from '../common/disposable';
import type { IModeDriver, ModeContext } from './modeDriver';
import { usToMs } from './modeDriver';
import { isAgentFrame } from './stallAnalysis';

/** How often the agent tells us it is alive. */
export const WATCH_TICK_EVERY_MS = 20;
const WATCHDOG_MS = 10;

export class WatchMode implements IModeDriver {
  private readonly scripts = new Map<string, string>();
  private readonly subs: IDisposable[] = [];
  private lastHeard = performance.now();
  private armed = false;
  private snapshot: RawFrame[] | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private t0Us = 0;
  /** Stalls seen / snapshots kept / pauses discarded, for the overhead notes. */
  readonly stats = { pauses: 0, kept: 0, discarded: 0 };

  constructor(private readonly ctx: ModeContext) {}

  async start(): Promise<void> {
    const s = this.ctx.session;
    this.subs.push(
      s.on('Debugger.scriptParsed', (e) => {
        if (e.url) this.scripts.set(e.scriptId, e.url);
      }),
      s.on('Debugger.paused', (e) => this.onPaused(e)),
    );
    await s.sendOrThrow('Debugger.enable', {});
  }

  begin(t0Us: number): void {
    this.t0Us = t0Us;
    this.lastHeard = performance.now();
    this.watchdog = setInterval(() => this.check(), WATCHDOG_MS);
  }

  private check(): void {
    if (this.armed) return;
    if (performance.now() - this.lastHeard < this.ctx.thresholdMs) return;
    this.armed = true;
    this.snapshot = undefined;
    this.stats.pauses++;
    void this.ctx.session.send('Debugger.pause');
  }

  private onPaused(e: Protocol.Debugger.PausedEvent): void {
    // Resume first: the target must not stay paused a moment longer than needed.
    void this.ctx.session.send('Debugger.resume', {});
    const frames: RawFrame[] = e.callFrames.map((f) => ({
      functionName: f.functionName,
      url: f.url || this.scripts.get(f.location.scriptId) || '',
      line0: f.location.lineNumber,
      col0: f.location.columnNumber ?? 0,
      isDefinition: false,
    }));
    // Not ours (a `debugger;` statement or another client's pause), or the stall already ended.
    if (!this.armed || this.snapshot || frames.length === 0 || isAgentFrame(frames[0].url)) {
      if (this.armed) this.stats.discarded++;
      return;
    }
    this.snapshot = frames;
  }

  onAgentMessage(m: AgentMessage): void {
    this.lastHeard = performance.now();
    if (m.type !== 'gap') {
      // A tick while armed: the loop turned, so any pause still in flight is stale.
      if (this.armed && !this.snapshot) this.armed = false;
      return;
    }
    const snapshot = this.armed ? this.snapshot : undefined;
    this.armed = false;
    this.snapshot = undefined;
    void this.report(m.s, m.e, snapshot);
  }

  private async report(s: number, e: number, frames: RawFrame[] | undefined): Promise<void> {
    // The stall began somewhere within one heartbeat period after the last beat.
    const half = (this.ctx.heartbeatMs * 1000) / 2;
    const startUs = s + half;
    if (e - startUs < this.ctx.thresholdMs * 1000) return;
    if (frames) this.stats.kept++;
    const a = frames ? await this.ctx.attributor.fromPaused(frames) : { stack: [] };
    this.ctx.emitStall({
      startMs: usToMs(startUs - this.t0Us),
      durationMs: usToMs(e - startUs),
      // Without a snapshot we cannot tell; CPU work is by far the most common cause.
      kind: frames ? kindOfFrames(frames) : 'cpu',
      ...(a.blame ? { blame: a.blame } : {}),
      stack: a.stack,
    });
  }

  async flush(): Promise<void> {
    clearInterval(this.watchdog);
  }

  async teardown(): Promise<void> {
    await this.ctx.session.send('Debugger.disable');
  }

  dispose(): void {
    clearInterval(this.watchdog);
    for (const d of this.subs.splice(0)) d.dispose();
  }

  cpuProfile(): unknown | undefined {
    return undefined;
  }
}
