/**
 * The agent: the code that runs IN THE TARGET (main thread or a worker's isolate), installed by
 * one `Runtime.evaluate` of `installLoopAgent`'s source (agent.ts builds it with remote.ts, as
 * vscode-js-debug's `remoteFunction` does). So this function must be self-contained: no
 * imports, no module-level helpers, only its parameters and the target's globals. Unit tests
 * call it directly in-process (test/unit/runtime/agent.test.ts).
 *
 * ONE timer (the heartbeat) reports real loop lag through a `Runtime.addBinding` function and
 * keeps the loop-delay samples; `metrics()` is polled once a second. Every timer wake-up and
 * every binding message costs the target CPU, so there is one timer and messages only when
 * something happened: a heartbeat gap longer than the threshold, plus a "tick" every
 * `tickEveryMs` so a remote recorder notices a loop that is blocked right now (a local one
 * watches the main thread in /proc instead and `tune`s the ticks off).
 *
 * `lazy` (a local target whose loop the recorder sees idle in /proc): the JavaScript beat rests
 * while the loop is quiet, since every beat of an idle loop is a wake-up (measured here: 160 µs
 * of CPU for a JavaScript timer, 80 µs for a native one). A native `monitorEventLoopDelay`
 * timer of the same period keeps running: it bounds the loop's epoll wait (how /proc tells the
 * loop's idle wait from execSync's) and records every interval between its firings. When the
 * recorder sees the loop busy for a while it probes, and the probe wakes the beat (`probed`): a
 * timer due at once fires as soon as the loop is free again, reads the interval the native
 * timer recorded since the probe, and reports it as a gap when it is a stall; then the beat runs
 * until the loop is quiet again. See docs/runtime.md.
 *
 * The lease: one more timer, due `leaseMs` after the last poll and pushed back by each poll
 * (`refresh()`: no wake-up while the recorder polls). When it fires the recorder is gone (killed,
 * its socket closed), and the agent removes itself. A stall does not end it: a poll sent during
 * a stall runs from V8's interrupt as soon as JavaScript runs again, before any timer.
 */
import type { AgentApi, AgentConfig, AgentRequire } from './types';

/** Installs the agent under `globalThis[cfg.key]` (once); returns the hello JSON. */
export function installLoopAgent(cfg: AgentConfig, req: AgentRequire): string {
  const g = globalThis as unknown as Record<string, unknown>;
  const perfHooks = req('perf_hooks');
  const { performance } = perfHooks;
  const send = g[cfg.binding] as (payload: string) => void;
  const now = () => Number(process.hrtime.bigint() / 1000n);
  const hello = () =>
    JSON.stringify({
      t: now(),
      pid: process.pid,
      version: process.version,
      argv: process.argv,
      execArgv: process.execArgv,
      platform: process.platform,
    });
  if (g[cfg.key]) return hello();
  // Loop delay from the heartbeat itself (one timer; monitorEventLoopDelay would add its own).
  const lags = new Float64Array(1024);
  let nLags = 0;
  let maxLag = 0;
  let beats = 0;
  let elu = performance.eventLoopUtilization();
  let last = now();
  let lastSent = last;
  // getrusage per beat (~1 µs): tells a loop that was busy from one that slept through a late beat.
  const cpuNow = () => {
    if (!cfg.cpu) return 0;
    const c = process.cpuUsage();
    return c.user + c.system;
  };
  let lastCpu = cpuNow();
  const thresholdUs = cfg.thresholdMs * 1000;
  let tickEveryUs = cfg.tickEveryMs * 1000;
  const noteLag = (lag: number) => {
    lags[nLags++ & 1023] = lag;
    if (lag > maxLag) maxLag = lag;
  };
  function loopLensHeartbeat() {
    const t = now();
    const cpu = cpuNow();
    beats++;
    noteLag(Math.max(0, t - last - cfg.tickMs * 1000));
    const gap = t - last >= thresholdUs;
    if (gap) {
      send(
        cfg.cpu
          ? JSON.stringify({ type: 'gap', s: last, e: t, cpu: cpu - lastCpu })
          : '{"type":"gap","s":' + last + ',"e":' + t + '}',
      );
      lastSent = t;
    }
    // (2 ms early: timers fire on whole milliseconds, so a beat may come 19.9 ms after the last.)
    else if (tickEveryUs > 0 && t - lastSent >= tickEveryUs - 2000) {
      send('{"type":"tick","t":' + t + '}');
      lastSent = t;
    }
    last = t;
    lastCpu = cpu;
    if (lazy) lazy.step(gap);
  }
  let timer: NodeJS.Timeout | undefined;
  const beatEvery = (fn: () => void, ms: number) => {
    clearInterval(timer);
    timer = setInterval(fn, ms);
    timer.unref();
  };
  beatEvery(loopLensHeartbeat, cfg.tickMs);
  // The lease (see the file's comment).
  let lastPoll = now();
  const lease = setTimeout(function loopLensLease() {
    if (now() - lastPoll < cfg.leaseMs * 1000) lease.refresh();
    else api.dispose();
  }, cfg.leaseMs);
  lease.unref();

  // The lazy beat. The native timer's histogram is reset only before the beat rests, and the
  // beat rests only once that timer has fired twice since (a reset forgets when it last fired,
  // so the interval across a reset is never recorded).
  function lazyBeat() {
    const h = perfHooks.monitorEventLoopDelay({ resolution: cfg.tickMs });
    h.enable();
    const thresholdNs = thresholdUs * 1000;
    let resting = false;
    let fresh = false;
    let gone = false;
    let mark = performance.eventLoopUtilization();
    return {
      get resting() {
        return resting;
      },
      /** After each beat; `gapNow`: this beat just reported a gap. */
      step(gapNow: boolean) {
        const u = performance.eventLoopUtilization(mark).utilization;
        mark = performance.eventLoopUtilization();
        // Busy (or a gap): the histogram is reset again before resting, so what it holds at a
        // wake is the quiet spell's alone.
        if (gapNow || u >= 0.5) {
          fresh = false;
          return;
        }
        if (!fresh) {
          h.reset();
          fresh = true;
          return;
        }
        if (h.count < 1) return;
        resting = true;
        // Rest: no JavaScript timer at all (the lease needs none while polls come).
        clearInterval(timer);
      },
      /**
       * The recorder's probe: the loop has looked busy for a while. `busy`: the probe ran on top
       * of other JavaScript (a stall may go on); else in a free loop (a stall may just have
       * ended). The histogram has no times: an interval recorded after the probe ended at the
       * check, and is placed there; one that ended before a free probe is placed at the probe
       * (late).
       */
      wake(busy: boolean) {
        if (!resting) return;
        resting = false;
        // The one interval recorded since the probe is the new maximum, unless an older one was
        // longer: then the sum of the intervals tells it (mean × count: the histogram sums them
        // exactly, by bucket; ~0.1 ms a call, so only then).
        const p = now();
        const m0 = h.max;
        const c0 = h.count;
        const sum0 = c0 && m0 >= thresholdNs ? h.mean * c0 : 0;
        const report = (m: number, e: number, late: boolean) => {
          send('{"type":"gap","s":' + (e - m) + ',"e":' + e + ',"w":1' + (late ? ',"l":1}' : '}'));
          lastSent = e;
          noteLag(m - cfg.tickMs * 1000);
        };
        clearInterval(timer);
        let again = true;
        const check = () => {
          if (gone) return; // disposed while waiting (the setImmediate below)
          const t = now();
          const c = h.count;
          // A timer due now ran before the native one overdue since the stall: look once more.
          if (c === c0 && again) {
            again = false;
            setImmediate(check);
            return;
          }
          const m =
            h.max > m0 ? h.max : c === c0 + 1 && sum0 ? Math.round(h.mean * c - sum0) : 0;
          if (m >= thresholdNs) report(Math.round(m / 1000), t, false);
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
      dispose() {
        gone = true;
        h.disable();
      },
    };
  }
  let lazy: ReturnType<typeof lazyBeat> | null = null;
  const api: AgentApi = {
    get beats() {
      return beats;
    },
    get resting() {
      return !!lazy && lazy.resting;
    },
    metrics() {
      lastPoll = now();
      lease.refresh();
      const u = performance.eventLoopUtilization(elu);
      elu = performance.eventLoopUtilization();
      const res: Record<string, number> = {};
      for (const r of process.getActiveResourcesInfo()) res[r] = (res[r] || 0) + 1;
      const seen = lags.slice(0, Math.min(nLags, 1024)).sort();
      const pct = (p: number) =>
        seen.length ? seen[Math.min(seen.length - 1, Math.floor((seen.length * p) / 100))] / 1000 : 0;
      const heapUsed = process.memoryUsage().heapUsed;
      // Each lag (ms, 0.1 ms steps) for the recorder's delay histogram (export/): a few a second.
      const l = Array.from(seen, (x) => Math.round(x / 100) / 10);
      const m = { t: now(), p50: pct(50), p99: pct(99), max: maxLag / 1000, elu: u.utilization, heapUsed, res, l };
      nLags = 0;
      maxLag = 0;
      return JSON.stringify(m);
    },
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
      const counts = typeof perfHooks.createHistogram === 'function' && 'count' in perfHooks.createHistogram();
      lazy = cfg.lazy && counts ? lazyBeat() : null;
      beatEvery(loopLensHeartbeat, cfg.tickMs);
      last = now();
      lastCpu = cpuNow();
      return true;
    },
    dispose() {
      clearInterval(timer);
      clearTimeout(lease);
      if (lazy) lazy.dispose();
      lazy = null;
      delete g[cfg.key];
      delete g[cfg.binding];
    },
  };
  Object.defineProperty(g, cfg.key, { value: api, configurable: true, enumerable: false, writable: true });
  return hello();
}
