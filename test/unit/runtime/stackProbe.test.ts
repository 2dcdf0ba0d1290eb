/**
 * Which probe stack a gap gets, on a local target whose loop is busy but turning before it
 * blocks (a loaded server): the probe fires on /proc silence alone, so a stack of the busy loop
 * comes first and must not be taken for the stall's. The session is a fake that answers each
 * probe with a scripted stack (pure logic; real targets are in test/runtime).
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { nullLogger } from '../../../src/common/logger';
import type { ModeContext } from '../../../src/runtime/modeDriver';
import { StackProbe } from '../../../src/runtime/stackProbe';
import { waitFor } from '../../waitFor';
import { nowUs } from '../../../src/runtime/clock';

type Frame = [string, string, number, number];
const agentFrame: Frame = ['', 'loop-lens-agent.js', 1, 1];

/** Every probe made here; a failed assertion must not leave its watchdog keeping the run alive. */
const made: StackProbe[] = [];
afterEach(() => made.splice(0).forEach((p) => p.dispose()));

/** A probe's context for a local target whose loop /proc shows as `loop`. */
function localContext(
  loop: Record<string, unknown>,
  send: () => Promise<unknown>,
  logger = nullLogger,
): ModeContext {
  const liveness = {
    heartbeatMs: () => 40,
    tickEveryMs: () => 0,
    loop: () => loop,
    lastIdleWithin: () => undefined,
  };
  return {
    thresholdMs: 50,
    agentKey: '__k',
    liveness,
    logger,
    session: { send },
    // No room to warm files (loadedModules.ts): every evaluate sent is a probe.
    attributor: { prefetchStack: () => undefined, warmer: { full: () => true } },
  } as unknown as ModeContext;
}

/**
 * A probe on a local target that never sees the loop idle; `answer` scripts each reply,
 * `active` what /proc says the loop may have blocked since a time (µs; none: not asked).
 */
function probeWith(
  answer: (n: number) => { b: number; stack: Frame[]; t?: number },
  active?: (sinceUs: number) => number,
) {
  let n = 0;
  let starved = 0;
  const ctx = localContext(
    { idleAt: () => 0, activeSince: (s: number) => active?.(s) },
    async () => {
      const a = answer(n++);
      return { result: { value: JSON.stringify({ t: nowUs(), ...a }) } };
    },
    // A probe because this process was starved of CPU (a busy machine) is the design, not the
    // rule under test: counted apart.
    {
      ...nullLogger,
      trace: (_t: string, m: string) => void (/recorder starved/.test(m) && starved++),
    },
  );
  const probe = new StackProbe(ctx);
  made.push(probe);
  /** Resolves once the probe's watchdog has checked `k` more times (each ≥ 10 ms apart). */
  const checks = (k: number) => {
    const until = probe.checks + k;
    return waitFor(() => probe.checks >= until, `${k} watchdog checks`);
  };
  return { probe, probes: () => n, checks, starved: () => starved };
}

test('a busy loop is probed again 200 ms later; the stack taken with the beat overdue is the stall’s', async () => {
  const beat = nowUs();
  const busy: Frame[] = [agentFrame, ['handle', '/app/server.js', 10, 3]];
  const stuck: Frame[] = [agentFrame, ['spin', '/app/server.js', 42, 5]];
  // The first probe finds the loop handling a request (beat on time), the next ones in `spin`.
  const { probe, probes, checks } = probeWith((n) =>
    n === 0 ? { b: nowUs() - 5_000, stack: busy } : { b: beat, stack: stuck },
  );
  probe.begin();
  await waitFor(() => probes() === 2, 'two probes');
  await checks(25); // longer than the 200 ms after which a turning loop is probed again
  probe.dispose();
  // 40 ms of silence, a busy stack, 200 ms more, the stuck stack with the beat overdue: then no
  // more probes for this silence (one stack per stall).
  assert.equal(probes(), 2, 'two probes, then none while the stall lasts');
  const frames = await probe.onAgentMessage({ type: 'gap', s: beat, e: nowUs() });
  assert.equal(frames?.[0]?.functionName, 'spin');
});

test('a stack taken before the beat was due is not given to the gap', async () => {
  const busy: Frame[] = [agentFrame, ['handle', '/app/server.js', 10, 3]];
  const { probe, probes, checks } = probeWith(() => ({ b: nowUs() - 5_000, stack: busy }));
  probe.begin();
  await waitFor(() => probes() === 1, 'a probe');
  await checks(1); // its reply is in
  probe.dispose();
  // The loop then blocks right after the stack was taken; the gap starts at a beat 10 ms
  // before it, so the stack fell in the gap's first 35 ms, when a beat was not yet due.
  const t = nowUs();
  const frames = await probe.onAgentMessage({ type: 'gap', s: t - 25_000, e: t + 60_000 });
  assert.equal(frames, undefined);
});

test('a gap found by a woken beat takes the stack of the probe that woke it, even early in the gap', async () => {
  const stuck: Frame[] = [agentFrame, ['spin', '/app/server.js', 42, 5]];
  // b = 0: the agent's beat was resting and this probe woke it (agent.ts).
  let t = 0;
  const { probe, probes, checks } = probeWith(() => ({ b: 0, stack: stuck, t: (t = nowUs()) }));
  probe.begin();
  await waitFor(() => probes() === 1, 'a probe');
  await checks(1); // its reply is in
  probe.dispose();
  // The native timer last fired 25 ms before the probe: a beat was not yet due then, but the
  // woken beat's check proved the loop blocked from the probe on.
  const gap = { type: 'gap', s: t - 25_000, e: t + 60_000 } as const;
  assert.equal((await probe.onAgentMessage({ ...gap, w: 1 }))?.[0]?.functionName, 'spin');
});

test('a resting beat (b = 0) is probed again 200 ms later, not counted as blocked', async () => {
  const stuck: Frame[] = [agentFrame, ['spin', '/app/server.js', 42, 5]];
  const at: number[] = [];
  const { probe, probes } = probeWith(() => (at.push(nowUs()), { b: 0, stack: stuck }));
  probe.begin();
  await waitFor(() => probes() >= 2, 'a second probe');
  probe.dispose();
  assert.equal(probes(), 2, 'one at 40 ms of silence, one later');
  assert.ok(at[1]! - at[0]! >= 199_000, `the second 200 ms after the first: ${at[1]! - at[0]!} µs`);
});

test('a silence spent waiting for a CPU is not probed; once the loop could have blocked 40 ms, it is', async () => {
  const stuck: Frame[] = [agentFrame, ['spin', '/app/server.js', 42, 5]];
  const t0 = nowUs();
  // While `waiting`, the thread ran a sixth of the silence at most 30 ms (a loaded server on a
  // busy machine); then it runs all the time (a CPU stall) from `busyFrom` on.
  let busyFrom = Infinity;
  const ran = (sinceUs: number) => {
    const now = nowUs();
    const sixth = Math.min(30_000, Math.max(0, Math.min(now, busyFrom) - sinceUs) / 6);
    return sixth + Math.max(0, now - Math.max(sinceUs, busyFrom));
  };
  const { probe, probes, checks, starved } = probeWith(() => ({ b: t0, stack: stuck }), ran);
  probe.begin();
  await checks(20);
  assert.equal(probes() - starved(), 0, 'no probe while the silence was mostly waiting for a CPU');
  busyFrom = nowUs();
  // (A probe of a starved recorder found the beat overdue already: it has the stall's stack.)
  const before = probes();
  if (before === 0) await waitFor(() => probes() > 0, 'a probe');
  await checks(10);
  probe.dispose();
  assert.equal(
    probes(),
    Math.max(1, before),
    'the beat was overdue: that stack is the stall’s, no more probes',
  );
  const frames = await probe.onAgentMessage({ type: 'gap', s: t0, e: nowUs() });
  assert.equal(frames?.[0]?.functionName, 'spin');
});

/** A begun probe on a local target whose /proc samples the test delivers (`sample()`). */
async function followingProbe(idleAt: () => number) {
  let listener: ((idle: boolean) => void) | undefined;
  const ctx = localContext(
    {
      idleAt,
      activeSince: () => 0,
      onSample: (l: (idle: boolean) => void) => ((listener = l), () => (listener = undefined)),
    },
    async () => ({}),
  );
  const probe = new StackProbe(ctx);
  made.push(probe);
  probe.begin();
  assert.equal(probe.watching, true, 'the watchdog runs from the start');
  // Its first watchdog check starts following the samples.
  await waitFor(() => listener !== undefined, 'the probe follows the samples');
  return { probe, sample: (idle: boolean) => listener!(idle), following: () => !!listener };
}

test('a local target’s probe checks at each /proc sample and keeps its 10 ms watchdog only while the loop is not seen idle', async () => {
  let idleAt = nowUs();
  const { probe, sample, following } = await followingProbe(() => idleAt);
  const before = probe.checks;
  idleAt = nowUs();
  sample(true);
  assert.equal(probe.checks, before + 1, 'a sample is a check');
  assert.equal(probe.watching, false, 'no watchdog after an idle sample');
  sample(false);
  assert.equal(probe.checks, before + 2);
  assert.equal(probe.watching, true, 'a busy sample arms it again');
  probe.dispose();
  assert.equal(following(), false, 'dispose stops following the samples');
  assert.equal(probe.watching, false);
});

test('a local target’s probe watches again by itself when no /proc sample follows an idle one', async () => {
  const { probe, sample } = await followingProbe(() => nowUs());
  sample(true);
  assert.equal(probe.watching, false, 'no watchdog after an idle sample');
  // The samples stop (the monitor ended, or was replaced by another one): a resting beat would
  // report no stall unless probed, so the watchdog must come back without them.
  await waitFor(() => probe.watching, 'the watchdog to run again without samples');
});
