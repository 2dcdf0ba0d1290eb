/**
 * The agent's heartbeat, run in this process exactly as the target evaluates it: what it sends
 * before and after `tune` (the binding is a plain function here instead of Runtime.addBinding).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { AgentConfig, AgentMessage } from '../../../src/runtime/agent';
import {
  agentDisposeExpression,
  agentInstallExpression,
  agentMetricsExpression,
  agentTuneExpression,
  parseAgentMessage,
} from '../../../src/runtime/agent';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const g = globalThis as Record<string, unknown>;
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

/**
 * Installs the agent in this process as the target's evaluate would (with the command-line
 * API's `require`); its binding collects what it sends. Returns the install result.
 */
function install(cfg: AgentConfig, got: AgentMessage[] = []): string {
  g[cfg.binding] = (p: string) => {
    const m = parseAgentMessage(p);
    if (m) got.push(m);
  };
  g.require = createRequire(__filename);
  return String((0, eval)(agentInstallExpression(cfg)));
}

function uninstall(cfg: AgentConfig): void {
  (0, eval)(agentDisposeExpression(cfg));
  delete g.require;
}
const spin = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};

test('ticks and CPU per gap until tuned; after tune({ tickEveryMs: 0, cpu: false }) only gaps, without CPU', async () => {
  const cfg = configFor('Test', { tickEveryMs: 40, cpu: true });
  const got: AgentMessage[] = [];
  try {
    const hello = JSON.parse(install(cfg, got)) as { pid: number };
    assert.equal(hello.pid, process.pid);
    await sleep(200);
    spin(120);
    await sleep(60);
    assert.ok(got.filter((m) => m.type === 'tick').length >= 2, 'ticks every ~40 ms');
    const gap = got.find((m) => m.type === 'gap');
    assert.ok(gap && gap.type === 'gap' && typeof gap.cpu === 'number', 'a gap with its CPU');
    assert.ok(gap.e - gap.s >= 120_000, `the gap covers the 120 ms block (${gap.e - gap.s} µs)`);

    const tuning = { tickMs: 40, tickEveryMs: 0, cpu: false };
    assert.equal((0, eval)(agentTuneExpression(cfg, tuning)), true);
    got.length = 0;
    await sleep(250);
    assert.equal(
      got.length,
      0,
      `an idle loop sends nothing once ticks are off: ${JSON.stringify(got)}`,
    );
    spin(120);
    await sleep(60);
    assert.equal(got.length, 1, JSON.stringify(got));
    const g2 = got[0];
    assert.ok(g2.type === 'gap' && g2.cpu === undefined && g2.e - g2.s >= 120_000);
  } finally {
    uninstall(cfg);
  }
  assert.equal(g[cfg.key], undefined, 'dispose removes the agent');
  assert.equal(g[cfg.binding], undefined, 'and the binding');
  assert.equal(
    (0, eval)(agentTuneExpression(cfg, { tickMs: 40, tickEveryMs: 0, cpu: false })),
    false,
  );
});

test('the lease counts beats, not time: a long stall does not end it, beats without a poll do', async () => {
  const cfg = configFor('Lease', { leaseMs: 150 });
  try {
    install(cfg);
    (0, eval)(agentMetricsExpression(cfg));
    spin(400); // longer than the lease, but no beat runs during it
    await sleep(50);
    assert.ok(g[cfg.key], 'still installed after a 400 ms stall');
    await sleep(300); // ~15 beats without a poll: past the 150 ms lease
    assert.equal(g[cfg.key], undefined, 'removed itself');
    assert.equal(g[cfg.binding], undefined);
  } finally {
    uninstall(cfg);
  }
});

/** The agent object as the probe sees it. */
interface ProbedAgent {
  probed(busy: boolean): number;
}

/** Installs an agent tuned to a lazy 20 ms beat; what it sends lands in `got`. */
function installLazy(name: string, leaseMs = 15_000) {
  const cfg = configFor(name, { leaseMs });
  const got: AgentMessage[] = [];
  install(cfg, got);
  (0, eval)(agentTuneExpression(cfg, { tickMs: 20, tickEveryMs: 0, cpu: false, lazy: true }));
  return { cfg, got, agent: () => g[cfg.key] as ProbedAgent };
}

test('lazy beat: rests while the loop is quiet; a probe wakes it and gets the stall from the native timer', async () => {
  const { cfg, got, agent } = installLazy('Lazy');
  try {
    await sleep(250);
    // Resting: the probe's answer says so (0) and wakes it.
    const stallEnd = () => {
      spin(120); // a stall nobody reports while the beat rests
      return Number(process.hrtime.bigint() / 1000n);
    };
    const ended = stallEnd();
    assert.equal(agent().probed(false), 0, 'the beat rested while the loop was quiet');
    await sleep(30);
    assert.equal(got.length, 1, JSON.stringify(got));
    const m = got[0];
    assert.ok(m.type === 'gap' && m.w === 1, JSON.stringify(m));
    assert.ok(
      m.e - m.s >= 120_000,
      `the native timer's interval covers the stall (${m.e - m.s} µs)`,
    );
    assert.ok(m.e >= ended && m.e - ended < 20_000, 'a stall that had ended: placed at the probe');
    // Awake: beats again, and its own gaps are reported as before.
    assert.ok(agent().probed(false) > 0, 'the probe right after finds the beat running');
    got.length = 0;
    spin(120);
    await sleep(30);
    assert.equal(got.length, 1, JSON.stringify(got));
    assert.ok(got[0].type === 'gap' && !got[0].w, 'reported by the beat itself');

    // Rests again, then a probe that lands in the middle of a stall (busy).
    await sleep(300);
    got.length = 0;
    spin(60);
    assert.equal(agent().probed(true), 0, 'rested again');
    const end = stallEnd();
    await sleep(30);
    assert.equal(got.length, 1, JSON.stringify(got));
    const w = got[0];
    assert.ok(w.type === 'gap' && w.w === 1 && w.e - w.s >= 180_000, JSON.stringify(w));
    assert.ok(w.e >= end && w.e - end < 20_000, 'ends when the loop came free');
  } finally {
    uninstall(cfg);
  }
  assert.equal(g[cfg.key], undefined);
});

test('lazy beat: a busy probe finds its stall even after a longer one nobody probed', async () => {
  const { cfg, got, agent } = installLazy('LazyMask');
  try {
    await sleep(250);
    spin(200); // the histogram's maximum from now on: nobody probes this one
    await sleep(60);
    assert.equal(got.length, 0, 'a resting beat reports nothing by itself');
    spin(30);
    assert.equal(agent().probed(true), 0, 'still resting');
    spin(90);
    await sleep(30);
    assert.equal(got.length, 1, JSON.stringify(got));
    const m = got[0];
    assert.ok(m.type === 'gap' && m.w === 1 && !m.l, JSON.stringify(m));
    const us = m.e - m.s;
    assert.ok(
      us >= 120_000 && us < 200_000,
      `the newer, shorter interval (${us} µs), not the old maximum`,
    );
  } finally {
    uninstall(cfg);
  }
});

test('a resting lazy beat still ends its lease when nobody polls', async () => {
  const { cfg, agent } = installLazy('LazyLease', 600);
  try {
    (0, eval)(agentMetricsExpression(cfg));
    await sleep(300);
    assert.equal(agent().probed(false), 0, 'resting');
    (0, eval)(agentMetricsExpression(cfg)); // a poll renews the lease
    await sleep(300);
    assert.ok(g[cfg.key], 'renewed by the poll');
    await sleep(1200);
    assert.equal(g[cfg.key], undefined, 'removed itself without polls');
  } finally {
    uninstall(cfg);
  }
});
