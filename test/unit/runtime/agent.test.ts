/**
 * The agent's functions (src/runtime/agent/), called directly in this process: what the
 * heartbeat sends before and after `tune`, the lazy beat, the lease; and that the installed
 * source is self-contained (a bare context, a worker's isolate). The binding is a plain function
 * here instead of Runtime.addBinding. Waits on what the agent does (its beats, its messages),
 * never for a time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { agentInstallExpression, parseAgentMessage } from '../../../src/runtime/agent';
import { disposeAgent, pollAgent, tuneAgent } from '../../../src/runtime/agent/commands';
import { installLoopAgent } from '../../../src/runtime/agent/loopAgent';
import type { AgentApi, AgentConfig, AgentMessage } from '../../../src/runtime/agent/types';
import { waitFor } from '../../waitFor';
import { nowUs } from '../../../src/runtime/clock';

const g = globalThis as unknown as Record<string, unknown>;
const req = createRequire(__filename);

/** A config with its own global names (`__loopLens<name>Agent`) so tests never collide. */
function configFor(name: string, over: Partial<AgentConfig> = {}): AgentConfig {
  return {
    thresholdMs: 50,
    tickMs: 20,
    key: `__loopLens${name}Agent`,
    binding: `__loopLens${name}Binding`,
    tickEveryMs: 0,
    cpu: false,
    leaseMs: 15_000,
    ...over,
  };
}

/** Installs the agent in this process; what it sends lands in `got`. */
function install(cfg: AgentConfig, got: AgentMessage[] = []) {
  g[cfg.binding] = (p: string) => {
    const m = parseAgentMessage(p);
    if (m) got.push(m);
  };
  const hello = JSON.parse(installLoopAgent(cfg, req)) as { pid: number };
  const agent = () => g[cfg.key] as AgentApi;
  /** Resolves once `n` more beats have run. */
  const beats = (n: number) => {
    const until = agent().beats + n;
    return waitFor(() => !g[cfg.key] || agent().beats >= until, `${n} beats`);
  };
  return { hello, got, agent, beats };
}

/** Spins this thread; returns the stall's [start, end] on the agent's clock. */
function spin(ms: number): [number, number] {
  const s = nowUs();
  while (nowUs() - s < ms * 1000);
  return [s, nowUs()];
}

/** One turn of the event loop: timers due before now fire first. */
const loopTurn = () => new Promise((r) => setTimeout(r, 0));

/**
 * The gap reported for a stall that ended at `endUs` (on a busy machine a beat may also come late
 * before it, so the first gap is not always the stall's).
 */
const gapOf = (got: AgentMessage[], endUs: number) =>
  waitFor(() => got.find((m) => m.type === 'gap' && m.e >= endUs), 'the stall’s gap');
/**
 * The native timer's histogram keeps intervals to about three significant figures (HdrHistogram):
 * a gap it measured may be this much shorter than the stall.
 */
const slackUs = (s: number, e: number) => 1000 + (e - s) / 100;

test('ticks and CPU per gap until tuned; after tune({ tickEveryMs: 0, cpu: false }) only gaps, without CPU', async () => {
  const cfg = configFor('Test', { tickEveryMs: 40, cpu: true });
  const { hello, got, beats } = install(cfg);
  try {
    assert.equal(hello.pid, process.pid);
    await waitFor(() => got.filter((m) => m.type === 'tick').length >= 2, 'two ticks');
    const [s, e] = spin(120);
    const gap = await gapOf(got, e);
    assert.ok(gap.type === 'gap' && typeof gap.cpu === 'number', 'a gap with its CPU');
    assert.ok(gap.s <= s && gap.e >= e, `the gap covers the block: ${JSON.stringify(gap)}`);

    assert.equal(tuneAgent(cfg.key, { tickMs: 40, tickEveryMs: 0, cpu: false }), true);
    got.length = 0;
    await beats(6);
    // On a busy machine the loop itself may come late (a gap); what tuning stops is the ticks,
    // and the CPU figure on gaps.
    assert.ok(
      !got.some((m) => m.type === 'tick'),
      `no tick once ticks are off: ${JSON.stringify(got)}`,
    );
    assert.ok(
      got.every((m) => m.type !== 'gap' || m.cpu === undefined),
      'gaps come without CPU',
    );
    const [s2, e2] = spin(120);
    const g2 = await gapOf(got, e2);
    await beats(1);
    assert.ok(!got.some((m) => m.type === 'tick'), JSON.stringify(got));
    assert.ok(g2.type === 'gap' && g2.cpu === undefined && g2.s <= s2 && g2.e >= e2);
  } finally {
    disposeAgent(cfg.key, cfg.binding);
  }
  assert.equal(g[cfg.key], undefined, 'dispose removes the agent');
  assert.equal(g[cfg.binding], undefined, 'and the binding');
  assert.equal(tuneAgent(cfg.key, { tickMs: 40, tickEveryMs: 0, cpu: false }), false);
  assert.equal(pollAgent(cfg.key), '');
});

test('the lease: polls renew it (a stall with a poll in it too); without polls the agent removes itself', async () => {
  const cfg = configFor('Lease', { leaseMs: 300 });
  const { beats } = install(cfg);
  try {
    for (let i = 0; i < 5; i++) {
      await beats(5); // about a third of the lease each
      assert.notEqual(pollAgent(cfg.key), '', `poll ${i}`);
    }
    // A stall longer than the lease, with a poll at its end (as V8's interrupt runs one).
    spin(400);
    pollAgent(cfg.key);
    await beats(5);
    assert.ok(g[cfg.key], 'still installed');
    await waitFor(() => !g[cfg.key], 'the agent to remove itself');
    assert.equal(g[cfg.binding], undefined, 'with its binding');
  } finally {
    disposeAgent(cfg.key, cfg.binding);
  }
});

/** Installs an agent tuned to a lazy 20 ms beat and waits until it rests. */
async function installLazy(name: string, leaseMs = 15_000) {
  const cfg = configFor(name, { leaseMs });
  const it = install(cfg);
  tuneAgent(cfg.key, { tickMs: 20, tickEveryMs: 0, cpu: false, lazy: true });
  await waitFor(() => it.agent().resting, 'the beat to rest');
  return { cfg, ...it };
}

test('lazy beat: rests while the loop is quiet; a probe wakes it and gets the stall from the native timer', async () => {
  const { cfg, got, agent } = await installLazy('Lazy');
  try {
    // A stall nobody reports while the beat rests; the probe comes after it ended.
    const [s, e] = spin(120);
    const probedAt = nowUs();
    assert.equal(agent().probed(false), 0, 'the beat rested while the loop was quiet');
    const m = await gapOf(got, e);
    assert.ok(m.type === 'gap' && m.w === 1, JSON.stringify(m));
    // The interval spans the stall (the native timer cannot fire during it); its end is the
    // beat's check, a little after that timer fired, so its start is not the stall's.
    assert.ok(
      m.e - m.s >= e - s - slackUs(s, e) && m.e >= probedAt,
      `the native timer's interval covers the stall: ${JSON.stringify(m)}`,
    );
    // Awake: beats again, and its own gaps are reported as before.
    assert.ok(agent().probed(false) > 0, 'the probe right after finds the beat running');
    got.length = 0;
    const [s2, e2] = spin(120);
    const own = await gapOf(got, e2);
    assert.ok(
      own.type === 'gap' && !own.w && own.s <= s2 && own.e >= e2,
      'reported by the beat itself',
    );

    // Rests again, then a probe that lands in the middle of a stall (busy).
    await waitFor(() => agent().resting, 'the beat to rest again');
    got.length = 0;
    const [s3] = spin(60);
    assert.equal(agent().probed(true), 0, 'rested again');
    const [, e3] = spin(120);
    const w = await gapOf(got, e3);
    assert.ok(w.type === 'gap' && w.w === 1 && !w.l, JSON.stringify(w));
    assert.ok(
      w.e - w.s >= e3 - s3 - slackUs(s3, e3) && w.e >= e3,
      `ends when the loop came free: ${JSON.stringify(w)}`,
    );
  } finally {
    disposeAgent(cfg.key, cfg.binding);
  }
  assert.equal(g[cfg.key], undefined);
});

test('lazy beat: a busy probe finds its stall even after a longer one nobody probed', async () => {
  const { cfg, got, agent } = await installLazy('LazyMask');
  try {
    const [so, eo] = spin(200); // the histogram's maximum from now on: nobody probes this one
    await loopTurn(); // the native timer fires (it was due first), recording the 200 ms
    const [s] = spin(30);
    assert.equal(agent().probed(true), 0, 'still resting');
    assert.equal(got.length, 0, 'a resting beat reported nothing by itself');
    const [, e] = spin(90);
    const m = await gapOf(got, e);
    // The woken beat's report comes first; the beat it restarts may report its own late beats
    // after it on a busy machine.
    assert.equal(got.indexOf(m), 0, JSON.stringify(got));
    assert.ok(m.type === 'gap' && m.w === 1 && !m.l, JSON.stringify(m));
    assert.ok(
      m.e - m.s >= e - s - slackUs(s, e) && m.e >= e,
      `the newer interval: ${JSON.stringify(m)}`,
    );
    // The old interval would start before the old stall ended; the new one starts at the native
    // timer's last firing before the new stall, which came after the old one ended.
    assert.ok(
      m.s >= eo - slackUs(so, eo),
      `not the old, longer one: ${JSON.stringify(m)} (old ended ${eo})`,
    );
  } finally {
    disposeAgent(cfg.key, cfg.binding);
  }
});

test('a resting lazy beat runs no JavaScript timer, and still ends its lease when nobody polls', async () => {
  const { cfg, agent } = await installLazy('LazyLease', 600);
  try {
    const rested = agent().beats;
    // Polls a third of the lease apart, over twice the lease: the lease is about time since
    // the last poll, so waiting on the clock is what is tested here.
    for (let i = 0, at = Date.now(); i < 4; i++, at = Date.now()) {
      await waitFor(() => Date.now() - at >= 200, 'a third of the lease');
      assert.notEqual(pollAgent(cfg.key), '', `renewed by poll ${i}`);
    }
    assert.equal(agent().beats, rested, 'no beat while resting');
    await waitFor(() => !g[cfg.key], 'the agent to remove itself without polls');
    assert.equal(g[cfg.binding], undefined);
  } finally {
    disposeAgent(cfg.key, cfg.binding);
  }
});

test('the installed source is self-contained: it runs in a bare context and in a worker', async () => {
  const cfg = configFor('Bare', { leaseMs: 60_000 });
  const sent: string[] = [];
  const sandbox: Record<string, unknown> = {
    process,
    require: req,
    setInterval,
    clearInterval,
    setTimeout,
    clearTimeout,
    setImmediate,
    Error,
    JSON,
    [cfg.binding]: (p: string) => sent.push(p),
  };
  const hello = JSON.parse(runInNewContext(agentInstallExpression(cfg), sandbox) as string);
  assert.equal(hello.pid, process.pid);
  const api = sandbox[cfg.key] as AgentApi;
  spin(100);
  await waitFor(() => sent.length > 0, 'a gap from the bare context');
  api.dispose();

  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     globalThis[${JSON.stringify(cfg.binding)}] = (p) => parentPort.postMessage(p);
     parentPort.postMessage(eval(${JSON.stringify(agentInstallExpression(cfg))}));
     setTimeout(() => { const s = Date.now(); while (Date.now() - s < 100); }, 50);
     setInterval(() => {}, 1000); // keeps the worker alive (the agent's timers are unref'd)`,
    { eval: true },
  );
  try {
    const fromWorker: string[] = [];
    worker.on('message', (m: string) => fromWorker.push(m));
    worker.on('error', (err) => fromWorker.push(String(err)));
    await waitFor(() => fromWorker.length >= 2, 'the worker agent hello and its gap');
    assert.equal(JSON.parse(fromWorker[0]).pid, process.pid);
    assert.equal(parseAgentMessage(fromWorker[1])?.type, 'gap');
  } finally {
    await worker.terminate();
  }
});
