/**
 * The small agent the recorder installs in the target with one `Runtime.evaluate`: ONE timer
 * (the heartbeat) that reports real loop lag through a `Runtime.addBinding` function and keeps
 * the loop-delay samples, and a `metrics()` call the recorder polls once a second. Every timer
 * wake-up and every binding message costs the target CPU, so there is one timer and messages
 * only when something happened.
 *
 * It talks only when something happened (a heartbeat gap longer than the threshold), plus a
 * "tick" every `tickEveryMs` so a remote recorder notices a loop that is blocked right now (a
 * local one watches the main thread in /proc instead and `tune`s the ticks off). It removes
 * itself on `dispose()` and also when nobody polled it for `leaseMs`, so a recorder that died
 * without cleaning up leaves nothing running for long.
 *
 * `lazy` (a local target whose loop the recorder sees idle in /proc): the JavaScript beat rests
 * while the loop is quiet, since every beat of an idle loop is a wake-up (measured here: 160 µs
 * of CPU for a JavaScript timer, 80 µs for a native one). A native `monitorEventLoopDelay`
 * timer of the same period keeps running: it bounds the loop's epoll wait (how /proc tells the
 * loop's idle wait from execSync's) and records every interval between its firings. When the
 * recorder sees the loop busy for a while it probes, and the probe wakes the beat
 * (`probed`): a timer due at once fires as soon as the loop is free again, reads the interval
 * the native timer recorded since the probe, and reports it as a gap when it is a stall; then
 * the beat runs until the loop is quiet again. See docs/runtime.md.
 */

export interface AgentConfig {
  /** Global name of the agent object; unique per recorder so two recorders do not collide. */
  key: string;
  /** Global name of the binding (`Runtime.addBinding`). */
  binding: string;
  thresholdMs: number;
  /** Heartbeat period. */
  tickMs: number;
  /** Send a tick at least this often (0 = never). */
  tickEveryMs: number;
  /** Each gap carries the process's CPU time within it (one getrusage per beat). */
  cpu: boolean;
  /** Self-removal after this many ms of beats without a `metrics()` poll (stalls not counted). */
  leaseMs: number;
  /** The beat rests while the loop is quiet; a native timer keeps watch (see above). */
  lazy?: boolean;
}

/** What `tune` may change once the recorder knows more about the target. */
export type AgentTuning = Pick<AgentConfig, 'tickMs' | 'tickEveryMs' | 'cpu' | 'lazy'>;

/** What the binding carries; times are the target's monotonic clock in microseconds. */
export type AgentMessage =
  /**
   * A heartbeat gap [s, e]; `cpu` = process CPU time (µs, all threads) spent within it; `w`:
   * found by a woken lazy beat (s is the native timer's last firing before the stall); `l`: that
   * stall had ended before the probe came, so [s, e] is late by the time in between.
   */
  { type: 'gap'; s: number; e: number; cpu?: number; w?: 1; l?: 1 } | { type: 'tick'; t: number };

/** The answer of the install expression. */
export interface AgentHello {
  t: number;
  pid: number;
  version: string;
  argv: string[];
  execArgv: string[];
  platform: string;
}

/** One poll of `metrics()`; delays in ms. */
export interface AgentMetrics {
  t: number;
  p50: number;
  p99: number;
  max: number;
  elu: number;
  heapUsed: number;
  res: Record<string, number>;
}

export const AGENT_SOURCE_URL = 'loop-lens-agent.js';

/** The expression that installs the agent; evaluate with `includeCommandLineAPI` for `require`. */
export function agentInstallExpression(cfg: AgentConfig): string {
  return `(function () {
  const cfg = ${JSON.stringify(cfg)};
  const g = globalThis;
  const req = typeof require === 'function' ? require : g.process.mainModule && g.process.mainModule.require.bind(g.process.mainModule);
  const perfHooks = req('perf_hooks');
  const { performance } = perfHooks;
  const send = g[cfg.binding];
  const now = () => Number(process.hrtime.bigint() / 1000n);
  const hello = () => JSON.stringify({ t: now(), pid: process.pid, version: process.version, argv: process.argv, execArgv: process.execArgv, platform: process.platform });
  if (g[cfg.key]) return hello();
  // Loop delay from the heartbeat itself (one timer; monitorEventLoopDelay would add its own).
  const lags = new Float64Array(1024);
  let nLags = 0, maxLag = 0;
  let elu = performance.eventLoopUtilization();
  let last = now(), lastSent = last;
  // getrusage per beat (~1 µs): tells a loop that was busy from one that slept through a late beat.
  const cpuNow = () => { if (!cfg.cpu) return 0; const c = process.cpuUsage(); return c.user + c.system; };
  // Beats since the last metrics poll: a count, not a clock, so a long stall never ends the lease.
  let lastCpu = cpuNow(), unpolled = 0;
  const leaseSpent = (beats) => (unpolled += beats) * cfg.tickMs > cfg.leaseMs;
  const thresholdUs = cfg.thresholdMs * 1000;
  let tickEveryUs = cfg.tickEveryMs * 1000;
  function loopLensHeartbeat() {
    const t = now(), cpu = cpuNow();
    const lag = Math.max(0, t - last - cfg.tickMs * 1000);
    lags[nLags++ & 1023] = lag;
    if (lag > maxLag) maxLag = lag;
    const gap = t - last >= thresholdUs;
    if (gap) { send(cfg.cpu ? JSON.stringify({ type: 'gap', s: last, e: t, cpu: cpu - lastCpu }) : '{"type":"gap","s":' + last + ',"e":' + t + '}'); lastSent = t; }
    // (2 ms early: timers fire on whole milliseconds, so a beat may come 19.9 ms after the last.)
    else if (tickEveryUs > 0 && t - lastSent >= tickEveryUs - 2000) { send('{"type":"tick","t":' + t + '}'); lastSent = t; }
    last = t;
    lastCpu = cpu;
    if (leaseSpent(1)) return api.dispose();
    if (lazy) lazy.step(gap);
  }
  let timer;
  const beatEvery = (fn, ms) => { clearInterval(timer); timer = setInterval(fn, ms); timer.unref(); };
  beatEvery(loopLensHeartbeat, cfg.tickMs);
  // The lazy beat (see the file's comment). The native timer's histogram is reset only before
  // the beat rests, and the beat rests only once that timer has fired twice since (a reset
  // forgets when it last fired, so the interval across a reset is never recorded).
  function lazyBeat() {
    const h = perfHooks.monitorEventLoopDelay({ resolution: cfg.tickMs });
    h.enable();
    const thresholdNs = thresholdUs * 1000;
    let resting = false, fresh = false, mark = performance.eventLoopUtilization();
    const self = {
      get resting() { return resting; },
      // After each beat; \`gapNow\`: this beat just reported a gap.
      step(gapNow) {
        const u = performance.eventLoopUtilization(mark).utilization;
        mark = performance.eventLoopUtilization();
        // Busy (or a gap): the histogram is reset again before resting, so what it holds at a
        // wake is the quiet spell's alone.
        if (gapNow || u >= 0.5) { fresh = false; return; }
        if (!fresh) { h.reset(); fresh = true; return; }
        if (h.count < 1) return;
        resting = true;
        // Rest: a beat every few seconds keeps the lease (and does nothing else).
        const restMs = Math.min(5000, Math.max(100, cfg.leaseMs / 3));
        beatEvery(() => { if (leaseSpent(restMs / cfg.tickMs)) api.dispose(); }, restMs);
      },
      // The recorder's probe: the loop has looked busy for a while. \`busy\`: the probe ran on top
      // of other JavaScript (a stall may go on); else in a free loop (a stall may just have ended).
      // The histogram has no times: an interval recorded after the probe ended at the check, and
      // is placed there; one that ended before a free probe is placed at the probe (late).
      wake(busy) {
        if (!resting) return;
        resting = false;
        // The one interval recorded since the probe is the new maximum, unless an older one was
        // longer: then the sum of the intervals tells it (mean × count: the histogram sums them
        // exactly, by bucket; ~0.1 ms a call, so only then).
        const p = now(), m0 = h.max, c0 = h.count;
        const sum0 = c0 && m0 >= thresholdNs ? h.mean * c0 : 0;
        const report = (m, e, late) => {
          send('{"type":"gap","s":' + (e - m) + ',"e":' + e + ',"w":1' + (late ? ',"l":1}' : '}'));
          lastSent = e;
          const lag = m - cfg.tickMs * 1000;
          lags[nLags++ & 1023] = lag;
          if (lag > maxLag) maxLag = lag;
        };
        clearInterval(timer);
        let again = true;
        const check = () => {
          if (gone) return; // disposed while waiting (the setImmediate below)
          const t = now(), c = h.count;
          // A timer due now ran before the native one overdue since the stall: look once more.
          if (c === c0 && again) { again = false; return void setImmediate(check); }
          const m = h.max > m0 ? h.max : c === c0 + 1 && sum0 ? Math.round(h.mean * c - sum0) : 0;
          if (m >= thresholdNs) report(Math.round(m / 1000), t);
          else if (!busy && m0 >= thresholdNs) report(Math.round(m0 / 1000), p, true); // it ended before the probe
          fresh = false;
          mark = performance.eventLoopUtilization();
          last = t;
          beatEvery(loopLensHeartbeat, cfg.tickMs);
        };
        last = p;
        timer = setTimeout(check, 1);
        timer.unref();
      },
      dispose() { gone = true; h.disable(); },
    };
    let gone = false;
    return self;
  }
  let lazy = null;
  const api = {
    metrics() {
      unpolled = 0;
      const u = performance.eventLoopUtilization(elu);
      elu = performance.eventLoopUtilization();
      const res = {};
      for (const r of process.getActiveResourcesInfo()) res[r] = (res[r] || 0) + 1;
      const seen = lags.slice(0, Math.min(nLags, 1024)).sort();
      const pct = (p) => (seen.length ? seen[Math.min(seen.length - 1, Math.floor((seen.length * p) / 100))] / 1000 : 0);
      const m = { t: now(), p50: pct(50), p99: pct(99), max: maxLag / 1000, elu: u.utilization, heapUsed: process.memoryUsage().heapUsed, res };
      nLags = 0;
      maxLag = 0;
      return JSON.stringify(m);
    },
    // Called by the recorder's probe: the last beat (0 while the beat rested; this wakes it).
    probed(busy) {
      if (!lazy || !lazy.resting) return last;
      lazy.wake(busy);
      return 0;
    },
    tune(t) {
      Object.assign(cfg, t);
      tickEveryUs = cfg.tickEveryMs * 1000;
      if (lazy) lazy.dispose();
      // Needs the histogram's count (Node ≥ 17.4); without it the beat never rests.
      lazy = cfg.lazy && typeof perfHooks.createHistogram === 'function' && 'count' in perfHooks.createHistogram() ? lazyBeat() : null;
      beatEvery(loopLensHeartbeat, cfg.tickMs);
      last = now();
      lastCpu = cpuNow();
      return true;
    },
    dispose() {
      clearInterval(timer);
      if (lazy) lazy.dispose();
      lazy = null;
      delete g[cfg.key];
      delete g[cfg.binding];
    },
  };
  Object.defineProperty(g, cfg.key, { value: api, configurable: true, enumerable: false, writable: true });
  return hello();
})()
//# sourceURL=${AGENT_SOURCE_URL}`;
}

/** Every agent's global is `${AGENT_KEY_PREFIX}<recorder id>` (one per recorder). */
export const AGENT_KEY_PREFIX = '__loopLens_';

/** Removes the agent and the binding function; safe when they are already gone. */
export function agentDisposeExpression(cfg: Pick<AgentConfig, 'key' | 'binding'>): string {
  const k = JSON.stringify(cfg.key);
  const b = JSON.stringify(cfg.binding);
  return `(function () { const g = globalThis; if (g[${k}]) g[${k}].dispose(); delete g[${b}]; return true; })()`;
}

/** Changes the heartbeat of an installed agent (false when it is gone). */
export function agentTuneExpression(cfg: Pick<AgentConfig, 'key'>, t: AgentTuning): string {
  const k = JSON.stringify(cfg.key);
  return `globalThis[${k}] ? globalThis[${k}].tune(${JSON.stringify(t)}) : false`;
}

export function agentMetricsExpression(cfg: Pick<AgentConfig, 'key'>): string {
  const k = JSON.stringify(cfg.key);
  return `globalThis[${k}] ? globalThis[${k}].metrics() : ''`;
}

/** Parses a binding payload; `undefined` for anything that is not ours. */
export function parseAgentMessage(payload: string): AgentMessage | undefined {
  try {
    const m = JSON.parse(payload) as AgentMessage;
    if (m.type === 'gap' && typeof m.s === 'number' && typeof m.e === 'number') return m;
    if (m.type === 'tick') return m;
  } catch {
    // Not ours.
  }
  return undefined;
}
