/**
 * Which probe stack a gap gets, on a local target whose loop is busy but turning before it
 * blocks (a loaded server): the probe fires on /proc silence alone, so a stack of the busy loop
 * comes first and must not be taken for the stall's. The session is a fake that answers each
 * probe with a scripted stack (pure logic; real targets are in test/runtime).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nullLogger } from '../../../src/common/logger';
import type { ModeContext } from '../../../src/runtime/modeDriver';
import { StackProbe } from '../../../src/runtime/stackProbe';

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Frame = [string, string, number, number];
const agentFrame: Frame = ['', 'loop-lens-agent.js', 1, 1];

/** A probe on a local target that never sees the loop idle; `answer` scripts each reply. */
function probeWith(answer: (n: number) => { b: number; stack: Frame[] }) {
  let n = 0;
  const ctx = {
    thresholdMs: 50,
    heartbeatMs: 40,
    tickEveryMs: 0,
    agentKey: '__k',
    loopIdleAt: () => 0,
    lastIdleWithin: () => undefined,
    logger: nullLogger,
    session: {
      send: async () => {
        const a = answer(n++);
        return { result: { value: JSON.stringify({ t: nowUs(), ...a }) } };
      },
    },
  } as unknown as ModeContext;
  const probe = new StackProbe(ctx);
  return { probe, probes: () => n };
}

test('a busy loop is probed again 200 ms later; the stack taken with the beat overdue is the stall’s', async () => {
  const beat = nowUs();
  const busy: Frame[] = [agentFrame, ['handle', '/app/server.js', 10, 3]];
  const stuck: Frame[] = [agentFrame, ['spin', '/app/server.js', 42, 5]];
  // The first probe finds the loop handling a request (beat on time), the next ones in `spin`.
  const { probe, probes } = probeWith((n) =>
    n === 0 ? { b: nowUs() - 5_000, stack: busy } : { b: beat, stack: stuck },
  );
  probe.begin();
  await sleep(450);
  probe.dispose();
  // 40 ms of silence, a busy stack, 200 ms more, the stuck stack with the beat overdue: then no
  // more probes for this silence (one stack per stall).
  assert.equal(probes(), 2, 'two probes, then none while the stall lasts');
  const frames = await probe.onAgentMessage({ type: 'gap', s: beat, e: nowUs() });
  assert.equal(frames?.[0]?.functionName, 'spin');
});

test('a stack taken before the beat was due is not given to the gap', async () => {
  const busy: Frame[] = [agentFrame, ['handle', '/app/server.js', 10, 3]];
  const { probe } = probeWith(() => ({ b: nowUs() - 5_000, stack: busy }));
  probe.begin();
  await sleep(60);
  probe.dispose();
  // The loop then blocks right after the stack was taken; the gap starts at a beat 10 ms
  // before it, so the stack fell in the gap's first 35 ms, when a beat was not yet due.
  const t = nowUs();
  const frames = await probe.onAgentMessage({ type: 'gap', s: t - 25_000, e: t + 60_000 });
  assert.equal(frames, undefined);
});
