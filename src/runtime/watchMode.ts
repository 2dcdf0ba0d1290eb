/**
 * Watch mode: no profiler, no debugger. The agent's heartbeat gives loop lag and sends a tick
 * every 40 ms; when the recorder hears nothing for longer, the loop is blocked right now, and
 * the {@link StackProbe} takes the JavaScript stack it is blocked in (one evaluate per stall).
 */
import type { AgentMessage } from './agent';
import type { RawFrame } from './attribution';
import { kindOfFrames } from './attribution';
import type { IModeDriver, ModeContext } from './modeDriver';
import { usToMs } from './modeDriver';
import { StackProbe } from './stackProbe';
import { judgeStall, stallOf } from './starvation';

export class WatchMode implements IModeDriver {
  private readonly probe: StackProbe;
  private t0Us = 0;

  constructor(private readonly ctx: ModeContext) {
    this.probe = new StackProbe(ctx);
  }

  async start(): Promise<void> {}

  begin(t0Us: number): void {
    this.t0Us = t0Us;
    this.probe.begin();
  }

  onAgentMessage(m: AgentMessage): void {
    const snapshot = this.probe.onAgentMessage(m);
    if (m.type === 'gap') {
      void snapshot.then((frames) => this.report(m, frames));
    }
  }

  private async report(
    gap: AgentMessage & { type: 'gap' },
    frames: RawFrame[] | undefined,
  ): Promise<void> {
    const { s, e, cpu: cpuUs } = gap;
    // The stall began somewhere within one heartbeat period after the last beat (narrowed by
    // the /proc samples of a local target: after the last one that saw the loop idle). A gap
    // placed late (the stall had ended before the probe) is not narrowed: the idle samples
    // after its real end would cut it short.
    const fallbackUs = s + (this.ctx.liveness.heartbeatMs() * 1000) / 2;
    const startUs = gap.l ? fallbackUs : this.ctx.liveness.stallStart(s, e, fallbackUs);
    const thresholdUs = this.ctx.thresholdMs * 1000;
    if (e - startUs < thresholdUs) return;
    const kind = frames ? kindOfFrames(frames) : 'cpu';
    this.ctx.logger.trace(
      'runtime.stall',
      `watch gap${gap.w ? ` (woken beat${gap.l ? ', late' : ''})` : ''} ${usToMs(e - startUs)} ms, snapshot ${frames ? kind : 'none'}`,
    );
    // A sync call in the stack is the code's own doing, however long the CPU wait inside it.
    // Not in sync I/O, a blocked loop kept a CPU busy: a process that slept through a late
    // heartbeat (idle) is not blocked; one that waited for a CPU is starved (starvation.ts).
    const verdict = await judgeStall(this.ctx, startUs, e, cpuUs, kind === 'sync-io');
    if (verdict.is === 'asleep') return;
    const t0 = performance.now();
    const a = frames ? await this.ctx.attributor.fromPaused(frames) : { stack: [] };
    this.ctx.logger.trace(
      'runtime.blame',
      `attributed in ${(performance.now() - t0).toFixed(2)} ms`,
    );
    this.ctx.emitStall(
      stallOf(
        usToMs(startUs - this.t0Us),
        usToMs(e - startUs),
        // Without a snapshot we cannot tell; CPU work is by far the most common cause.
        verdict.is === 'starved' ? 'starved' : verdict.syncWait ? 'sync-io' : kind,
        a,
        verdict.is === 'starved' ? { starvation: verdict.starvation } : {},
      ),
    );
  }

  async flush(): Promise<void> {
    this.probe.dispose();
  }

  async teardown(): Promise<void> {}

  dispose(): void {
    this.probe.dispose();
  }

  cpuProfile(): unknown | undefined {
    return undefined;
  }
}
