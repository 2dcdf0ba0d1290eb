// Two processes picked at once (#14): inside a real VS Code, "Attach to Node Process" with two
// pids ("pid,pid", as the picker returns several checked processes) records both through one
// loop-lens debug session, each stall with the pid of the process that stalled, and Stop
// detaches from both.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LoopLensApi } from '../../../src/extension';
import { extensionId, waitFor } from './helpers';
import { startTarget, type Target } from './runtimeTarget';

describe('attaching to two processes at once', () => {
  let api: LoopLensApi;
  const targets: Target[] = [];

  before(async () => {
    api = await vscode.extensions.getExtension<LoopLensApi>(extensionId)!.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('loopLens.stopRecording');
    for (const t of targets) t.child.kill('SIGKILL');
  });

  it('records both processes in one recording, each stall with its pid', async function () {
    this.timeout(300_000);
    const store = api.runtime.store;
    targets.push(await startTarget(), await startTarget());
    const [a, b] = targets.map((t) => t.child.pid!) as [number, number];
    const ok = await vscode.commands.executeCommand('loopLens.attachProcess', `${a},${b}`);
    assert.equal(ok, true, 'the loop-lens debug session started');
    await waitFor(() => store.live, 'a live recording');
    for (const [t, pid] of [
      [targets[0]!, a],
      [targets[1]!, b],
    ] as const) {
      // Both agents are in: the processes are recorded (each blocks until its stall is seen).
      await waitFor(async () => (await t.run('globals')) !== '[]', `the agent in ${pid}`, 60_000);
      const has = () => store.sessionRecording?.stalls.some((s) => s.pid === pid) ?? false;
      for (let i = 0; i < 8 && !has(); i++) {
        await t.run('cpu 300');
        await waitFor(has, `a stall of ${pid}`, 10_000).catch(() => undefined);
      }
      assert.ok(
        has(),
        `a stall of ${pid} in ${JSON.stringify(store.sessionRecording?.stalls.map((s) => s.pid))}`,
      );
    }
    await vscode.commands.executeCommand('loopLens.stopRecording');
    await waitFor(() => !store.running, 'the recording to stop');
    for (const t of targets) assert.equal(await t.run('globals'), '[]', 'nothing left in either');
  });
});
