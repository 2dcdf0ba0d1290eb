/**
 * Watch mode: no profiler, no debugger. The agent's heartbeat gives loop lag and sends a tick
 * every ~20 ms; when the recorder hears nothing for `threshold` ms the loop is blocked right
 * now, so it sends ONE `Runtime.evaluate` that captures the current JavaScript stack.
 *
 * Why not `Debugger.pause`: Node dispatches inspector messages from a V8 interrupt, so an
 * evaluate runs on top of the blocked JavaScript just like a pause would, and `new Error()`
 * there sees the interrupted frames (inlined ones too). It needs no `Debugger.enable`
 * (110–230 ms stall at attach), and the target never waits for our round trip: a pause holds
 * the target until our resume arrives, which on a loaded machine turned healthy processes'
 * late heartbeats into 60–140 ms stalls of our own making. A stack taken after the stall ended
 * (empty, or inside the agent's own heartbeat, or arriving after the gap report) is discarded.
 */
import type { AgentMessage } from './agent';
import { AGENT_SOURCE_URL } from './agent';
import type { RawFrame } from './attribution';
import { kindOfFrames } from './attribution';
import type { IModeDriver, ModeContext } from './modeDriver';
import { usToMs } from './modeDriver';
import { isAgentFrame } from './stallAnalysis';

/** How often the agent tells us it is alive (each message costs the target CPU). */
export const WATCH_TICK_EVERY_MS = 40;
const WATCHDOG_MS = 10;

/** Captures the stack it runs on top of; restores the user's Error settings. */
const STACK_EXPRESSION = `(() => {
  const p = Error.prepareStackTrace, l = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  Error.prepareStackTrace = (_, cs) => cs.map((c) => [c.getFunctionName() || '', c.getFileName() || c.getScriptNameOrSourceURL() || '', c.getLineNumber() || 0, c.getColumnNumber() || 0]);
  try { return JSON.stringify(new Error().stack); } finally { Error.prepareStackTrace = p; Error.stackTraceLimit = l; }
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

export class WatchMode implements IModeDriver {
  private lastHeard = performance.now();
  private armed = false;
  private snapshot: RawFrame[] | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private t0Us = 0;
  /** Snapshots taken / kept / discarded as stale. */
  readonly stats = { taken: 0, kept: 0, discarded: 0 };

  constructor(private readonly ctx: ModeContext) {}

  async start(): Promise<void> {}

  begin(t0Us: number): void {
    this.t0Us = t0Us;
    this.lastHeard = performance.now();
    this.watchdog = setInterval(() => this.check(), WATCHDOG_MS);
  }

  private check(): void {
    if (this.armed) return;
    // Silence longer than a tick period plus slack: the loop is blocked right now.
    const armAfter = Math.max(this.ctx.thresholdMs, WATCH_TICK_EVERY_MS + 2 * this.ctx.heartbeatMs);
    if (performance.now() - this.lastHeard < armAfter) return;
    this.armed = true;
    this.snapshot = undefined;
    this.stats.taken++;
    void this.ctx.session
      .send('Runtime.evaluate', { expression: STACK_EXPRESSION, returnByValue: true })
      .then((r) => this.onSnapshot(r?.result?.value));
  }

  private onSnapshot(value: unknown): void {
    // Not armed any more: the gap report came first, so this stack is from after the stall.
    if (!this.armed || typeof value !== 'string') return;
    let frames: RawFrame[] | undefined;
    try {
      frames = framesOfSnapshot(JSON.parse(value) as Array<[string, string, number, number]>);
    } catch {
      frames = undefined;
    }
    if (frames) this.snapshot = frames;
    else this.stats.discarded++;
  }

  onAgentMessage(m: AgentMessage): void {
    this.lastHeard = performance.now();
    if (m.type !== 'gap') return;
    const snapshot = this.armed ? this.snapshot : undefined;
    this.armed = false;
    this.snapshot = undefined;
    void this.report(m.s, m.e, m.cpu, snapshot);
  }

  private async report(
    s: number,
    e: number,
    cpuUs: number | undefined,
    frames: RawFrame[] | undefined,
  ): Promise<void> {
    // The stall began somewhere within one heartbeat period after the last beat.
    const startUs = s + (this.ctx.heartbeatMs * 1000) / 2;
    const thresholdUs = this.ctx.thresholdMs * 1000;
    if (e - startUs < thresholdUs) return;
    const starvedUs = await this.ctx.runQueueWaitUs(startUs, e);
    const kind = frames ? kindOfFrames(frames) : 'cpu';
    // Not in sync I/O, so a blocked loop kept a CPU busy: a process that slept through a late
    // heartbeat (descheduled, or idle while the machine was overloaded) is not blocked by code.
    const busyUs = cpuUs ?? this.ctx.mainThreadCpuUs(startUs, e);
    this.ctx.logger.trace(
      'runtime.stall',
      `watch gap ${usToMs(e - startUs)} ms, on a CPU ${busyUs === undefined ? '?' : usToMs(busyUs)} ms, waiting for one ${usToMs(starvedUs)} ms, snapshot ${frames ? kind : 'none'}`,
    );
    // A sync call in the stack is the code's own doing, however long the CPU wait inside it.
    if (kind !== 'sync-io') {
      if (e - startUs - starvedUs < thresholdUs / 2) return;
      if (busyUs !== undefined && busyUs < thresholdUs / 2) {
        return; // little CPU and no sync call seen: asleep (idle, or descheduled)
      }
    }
    if (frames) this.stats.kept++;
    const a = frames ? await this.ctx.attributor.fromPaused(frames) : { stack: [] };
    this.ctx.emitStall({
      startMs: usToMs(startUs - this.t0Us),
      durationMs: usToMs(e - startUs),
      // Without a snapshot we cannot tell; CPU work is by far the most common cause.
      kind,
      ...(a.blame ? { blame: a.blame } : {}),
      stack: a.stack,
    });
  }

  async flush(): Promise<void> {
    clearInterval(this.watchdog);
  }

  async teardown(): Promise<void> {}

  dispose(): void {
    clearInterval(this.watchdog);
  }

  cpuProfile(): unknown | undefined {
    return undefined;
  }
}
