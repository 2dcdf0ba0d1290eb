/**
 * A recorder killed with SIGKILL mid-recording cannot clean up: the target keeps running and
 * removes what was injected by itself (the agent's lease, src/runtime/agent/loopAgent.ts): its
 * globals and binding, its timers; the profiler stops with the closed inspector session. Checked
 * from a second inspector session and in the kernel's count of the main thread's wake-ups.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import CDP from 'chrome-remote-interface';
import { ROOT, cli, kill, startInspected } from './cliHelpers';
import { waitFor } from '../waitFor';

const TICKER = join(ROOT, 'test', 'fixtures', 'cli', 'ticker.js');

/** The main thread's voluntary context switches (each is a sleep: a wake-up follows). */
function switches(pid: number): number {
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  return Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1]);
}

test('recorder killed with SIGKILL: the target keeps running and removes the agent, its binding, timers and profiler by itself', async () => {
  const { proc: target, port } = await startInspected(TICKER);
  const pid = target.child.pid!;
  /** Wake-ups of the target's main thread over four of its own ticks (one second). */
  const wakeUpsOverFourTicks = async () => {
    const ticks = () => target.out().match(/^tick \d+$/gm)?.length ?? 0;
    const from = ticks();
    const before = switches(pid);
    await waitFor(() => ticks() >= from + 4, 'four ticks of the target');
    return switches(pid) - before;
  };
  const second = await CDP({ port, local: true });
  const ours = async () =>
    (
      await second.Runtime.evaluate({
        expression: `Object.getOwnPropertyNames(globalThis).filter((k) => k.startsWith('__loopLens')).join(',')`,
        returnByValue: true,
      })
    ).result.value as string;
  const recorder = cli(['record', '--port', String(port)]);
  try {
    const quiet = await wakeUpsOverFourTicks();
    await recorder.waitFor('stderr', /^Recording /m);
    const names = await waitFor(async () => {
      const n = (await ours()).split(',');
      return n.some((k) => k.startsWith('__loopLens_')) && n.length === 2 && n;
    }, 'the agent and its binding');
    assert.ok(names.some((k) => k.startsWith('__loopLensBinding_')), names.join());
    const recording = await wakeUpsOverFourTicks();
    assert.ok(recording > quiet + 20, `profiler and beat wake the target: ${recording} vs ${quiet}`);

    recorder.child.kill('SIGKILL');
    await recorder.exited;
    // The lease is 4 s after the last poll; 12 s is a bound for a busy machine, not a measured
    // margin (the agent of a 15 s lease, before, failed it).
    await waitFor(async () => (await ours()) === '', 'the agent to remove itself', 12_000);
    const after = await wakeUpsOverFourTicks();
    assert.ok(after <= quiet + 4, `nothing of ours wakes it any more: ${after} vs ${quiet} before`);
    assert.equal(target.child.exitCode, null, 'the target still runs');

    // A later recording finds a clean process, records and leaves it clean.
    const again = cli(['record', '--port', String(port), '--duration', '2']);
    assert.equal((await again.exited).code, 0, again.err());
    assert.equal(await ours(), '');
  } finally {
    await second.close();
    await kill(recorder);
    await kill(target);
  }
});
