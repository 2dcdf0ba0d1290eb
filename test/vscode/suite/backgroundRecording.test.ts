// A live recording goes on while the user opens a recording file: inside a real VS Code, a real
// Node process recorded through the loop-lens debug adapter keeps being recorded behind the file,
// Stop Recording stays offered (the `loopLens.recording` context key follows the session, not
// the sidebar), and Stop detaches from the process and shows what the session recorded.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LoopLensApi } from '../../../src/extension';
import { extensionId, waitFor } from './helpers';
import { blockUntilStall, startTarget, type Target } from './runtimeTarget';

describe('opening a recording file while a live recording runs', () => {
  let api: LoopLensApi;
  let target: Target | undefined;

  before(async () => {
    api = await vscode.extensions.getExtension<LoopLensApi>(extensionId)!.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('loopLens.stopRecording');
    target?.child.kill('SIGKILL');
  });

  it('keeps recording behind the file, offers Stop, and Stop detaches', async function () {
    this.timeout(300_000); // up to 16 blocks of the target on a loaded machine
    const store = api.runtime.store;
    const keys = () => api.runtime.contextKeys();
    target = await startTarget();
    const pid = target.child.pid!;
    assert.equal(await vscode.commands.executeCommand('loopLens.attachProcess', pid), true);
    await waitFor(() => store.live && store.current?.target.pid === pid, 'a live recording');
    await blockUntilStall(api, target);
    assert.equal(keys()['loopLens.recording'], true, 'Stop is offered while live');

    // Save what was recorded so far and open it: the sidebar now shows that file.
    const file = vscode.Uri.file(join(mkdtempSync(join(tmpdir(), 'loop-lens-bg-')), 'early.json'));
    await vscode.commands.executeCommand('loopLens.saveRecording', file);
    assert.equal(await vscode.commands.executeCommand('loopLens.openRecording', file), true);
    assert.deepEqual(store.origin, { kind: 'file', fileName: 'early.json' });
    assert.equal(store.live, false, 'the sidebar does not show the file as live');
    const inFile = store.current!.stalls.length;

    // The session still runs: Stop stays offered, and the status bar says it records.
    assert.equal(store.running, true);
    assert.equal(keys()['loopLens.recording'], true, 'Stop is still offered');
    assert.equal(keys()['loopLens.sessionInBackground'], true);
    assert.match(api.runtime.statusText(), /\$\(record\) Loop Lens \(in background\)/);
    assert.notEqual(await target.run('globals'), '[]', 'the agent is still in the target');

    // New stalls land in the session's recording, not in the file shown.
    await blockUntilStall(api, target);
    assert.equal(store.current!.stalls.length, inFile, 'the opened file gets no live stall');
    const recorded = store.sessionRecording!.stalls.length;
    assert.ok(recorded > inFile, `${recorded} stalls in the session, ${inFile} in the file`);

    await vscode.commands.executeCommand('loopLens.stopRecording');
    await waitFor(() => !store.running, 'the recording to stop');
    await waitFor(
      () => vscode.debug.activeDebugSession?.type !== 'loop-lens',
      'the loop-lens debug session to end',
    );
    assert.equal(keys()['loopLens.recording'], false, 'Stop is no longer offered');
    assert.equal(keys()['loopLens.sessionInBackground'], false);
    // Stop shows what the session recorded, including what came in behind the file.
    assert.deepEqual(store.origin, { kind: 'session' });
    assert.equal(store.endReason, undefined);
    assert.ok(store.current!.stalls.length >= recorded, 'the stopped recording kept every stall');
    assert.doesNotMatch(api.runtime.statusText(), /\$\(record\)/);
    // Detached: the process runs on with no global of Loop Lens left in it.
    assert.equal(await target.run('ping'), 'pong');
    assert.equal(await target.run('globals'), '[]', 'the agent removed itself from the target');
  });
});
