/**
 * Installing the agent into a launched target that is still in Node's bootstrap: the target
 * waits for its debugger (`--inspect-brk`), where an evaluate fails (no main context yet, or
 * timers before Node's pre-execution: "testEnabled is not a function"). The install's retries
 * release the target again, so a release that did not take (the case behind a launch flake
 * seen under load) cannot leave it waiting while every attempt fails.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nullLogger } from '../../src/common/logger';
import { AgentLink } from '../../src/runtime/agentLink';
import { connectCri } from '../../src/runtime/criSession';
import { launchTarget } from '../../src/runtime/targets/launch';
import { BLOCKER } from './runtimeHelpers';

describe('agent install on a launched target', () => {
  test('a target still waiting for its debugger is released by the retries and gets the agent', async () => {
    const t = await launchTarget(process.execPath, [BLOCKER], {
      timeoutMs: 30_000,
      onOutput: () => {},
    });
    const session = await connectCri(t.wsUrl, 30_000);
    try {
      const link = new AgentLink(
        session,
        {
          key: '__loopLens_installTest',
          binding: '__loopLensBinding_installTest',
          thresholdMs: 50,
          tickMs: 20,
          tickEveryMs: 40,
          cpu: true,
          leaseMs: 10_000,
        },
        nullLogger,
      );
      await link.addBinding();
      // No Runtime.runIfWaitingForDebugger of our own: the target is still waiting, where no
      // evaluate can install the agent; one attempt (no release) says so.
      await assert.rejects(link.install(1), /cannot install the loop agent after 1 attempt: /);
      const hello = await link.install(50);
      assert.equal(hello.pid, t.child.pid);
      const r = await session.sendOrThrow('Runtime.evaluate', {
        expression: 'typeof globalThis.__loopLens_installTest',
        returnByValue: true,
      });
      assert.equal(r.result.value, 'object', 'the agent is installed in the running target');
      await link.remove();
    } finally {
      session.dispose();
      t.child.kill();
    }
  });
});
