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
}

/** What `tune` may change once the recorder knows more about the target. */
export type AgentTuning = Pick<AgentConfig, 'tickMs' | 'tickEveryMs' | 'cpu'>;

/** What the binding carries; times are the target's monotonic clock in microseconds. */
export type AgentMessage =
  /** A heartbeat gap [s, e]; `cpu` = process CPU time (µs, all threads) spent within it. */
  { type: 'gap'; s: number; e: number; cpu?: number } | { type: 'tick'; t: number };

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
  const { performance } = req('perf_hooks');
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
  const thresholdUs = cfg.thresholdMs * 1000;
  let tickEveryUs = cfg.tickEveryMs * 1000;
  function loopLensHeartbeat() {
    const t = now(), cpu = cpuNow();
    const lag = Math.max(0, t - last - cfg.tickMs * 1000);
    lags[nLags++ & 1023] = lag;
    if (lag > maxLag) maxLag = lag;
    if (t - last >= thresholdUs) { send(cfg.cpu ? JSON.stringify({ type: 'gap', s: last, e: t, cpu: cpu - lastCpu }) : '{"type":"gap","s":' + last + ',"e":' + t + '}'); lastSent = t; }
    // (2 ms early: timers fire on whole milliseconds, so a beat may come 19.9 ms after the last.)
    else if (tickEveryUs > 0 && t - lastSent >= tickEveryUs - 2000) { send('{"type":"tick","t":' + t + '}'); lastSent = t; }
    last = t;
    lastCpu = cpu;
    if (++unpolled * cfg.tickMs > cfg.leaseMs) api.dispose();
  }
  let timer = setInterval(loopLensHeartbeat, cfg.tickMs);
  timer.unref();
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
    beatAt() {
      return last;
    },
    tune(t) {
      Object.assign(cfg, t);
      tickEveryUs = cfg.tickEveryMs * 1000;
      clearInterval(timer);
      timer = setInterval(loopLensHeartbeat, cfg.tickMs);
      timer.unref();
      last = now();
      lastCpu = cpuNow();
      return true;
    },
    dispose() {
      clearInterval(timer);
      delete g[cfg.key];
      delete g[cfg.binding];
    },
  };
  Object.defineProperty(g, cfg.key, { value: api, configurable: true, enumerable: false, writable: true });
  return hello();
})()
//# sourceURL=${AGENT_SOURCE_URL}`;
}

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
