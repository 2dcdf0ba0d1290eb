// Stop Recording while the target is in a stall longer than VS Code waits for a disconnect
// (2 s): VS Code ends the session before the adapter has detached (the detach needs the target's
// loop). The sidebar must say the recording was stopped, not that it ended by itself, keep what
// was recorded, and the detach must still finish in the background: nothing left in the target.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LoopLensApi } from '../../../src/extension';
import { extensionId, waitFor } from './helpers';
import { blockUntilStall, startTarget, type Target } from './runtimeTarget';

/** CPU time (clock ticks, user + system) the process has used: it moves only while it runs. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

describe('Stop Recording during a long stall', () => {
  let api: LoopLensApi;
  let t: Target | undefined;

  before(async () => {
    api = await vscode.extensions.getExtension<LoopLensApi>(extensionId)!.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('loopLens.stopRecording');
    t?.child.kill('SIGKILL');
  });

  it('says Stopped, keeps the stalls, and the detach still leaves the target clean', async function () {
    if (process.platform !== 'linux') return this.skip();
    this.timeout(300_000);
    const store = api.runtime.store;
    t = await startTarget();
    const pid = t.child.pid!;
    assert.equal(await vscode.commands.executeCommand('loopLens.attachProcess', pid), true);
    await waitFor(() => store.live, 'a live recording');
    await blockUntilStall(api, t);
    const stalls = store.sessionRecording!.stalls.length;

    // A block of 6 s of CPU time; Stop once it has surely begun (the target used CPU since).
    const before = cpuTicks(pid);
    const done = t.run('cpu 6000');
    await waitFor(() => cpuTicks(pid) - before >= 30, 'the target spinning', 60_000);
    await vscode.commands.executeCommand('loopLens.stopRecording');
    await waitFor(() => !store.running, 'the recording to stop', 60_000);

    assert.equal(store.endReason, undefined, 'stopped by the user, not ended by itself');
    assert.equal(store.origin?.kind, 'session');
    assert.ok((store.current?.stalls.length ?? 0) >= stalls, 'the stalls recorded so far are kept');
    assert.ok(t.child.exitCode === null && t.child.signalCode === null, 'the target still runs');
    // The adapter goes on detaching once the target's loop is free again.
    await done;
    await waitFor(
      async () => (await t!.run('globals')) === '[]',
      'nothing left in the target',
      60_000,
    );
  });
});
