// The runtime's log reaches the user: with VS Code's log level at trace, a recording of a real
// blocking process writes its attach, the agent's install, each stall's attribution and the CDP
// traffic into the "Loop Lens" output channel (a LogOutputChannel, kept in a file by VS Code).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LoopLensApi } from '../../../src/extension';
import { extensionId, waitFor } from './helpers';
import { blockUntilStall, startTarget, type Target } from './runtimeTarget';

describe('the "Loop Lens" log channel', () => {
  let api: LoopLensApi;
  let target: Target | undefined;

  before(async () => {
    api = await vscode.extensions.getExtension<LoopLensApi>(extensionId)!.activate();
    // VS Code's own command for extension tests; a user picks the level in the Output view.
    await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'trace');
  });

  after(async () => {
    await vscode.commands.executeCommand('loopLens.stopRecording');
    await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'info');
    target?.child.kill('SIGKILL');
  });

  it('at trace: attach, agent install, a stall’s attribution and CDP traffic', async function () {
    this.timeout(300_000);
    target = await startTarget();
    const pid = target.child.pid!;
    assert.equal(await vscode.commands.executeCommand('loopLens.attachProcess', pid), true);
    await waitFor(() => api.runtime.store.live, 'a live recording');
    await blockUntilStall(api, target);
    const file = api.runtime.logFile.fsPath;
    const log = () => (existsSync(file) ? readFileSync(file, 'utf8') : '');
    // The channel writes its file as lines come; wait for the stall's line to be in it.
    await waitFor(() => /\[attribution\] stall at/.test(log()), `an attribution line in ${file}`);
    const text = log();
    assert.match(text, new RegExp(`\\[info\\] \\[runtime\\.attach\\] attached to pid ${pid} `));
    assert.match(text, /\[trace\] \[agent\] installed as __loopLens_/);
    assert.match(text, /\[info\] \[attribution\] stall at \+[\d.]+ ms, [\d.]+ ms cpu: /);
    assert.match(text, /\[trace\] \[cdp\] → Runtime\.evaluate \{expression:/);
    assert.match(text, /\[trace\] \[cdp\] ⇠ Runtime\.bindingCalled /);
    assert.ok(!text.includes('loopLensHeartbeat'), 'the agent source is trimmed, not logged');
  });
});
