// The runtime UI inside a real VS Code: commands, a recording of a REAL blocking Node process
// through the loop-lens debug adapter, the stall tree, heat decorations, CodeLens, status bar,
// and save/open of the recording file.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LoopLensApi } from '../../../src/extension';
import type { StallNode } from '../../../src/ui/stallTree';
import { extensionId, waitFor } from './helpers';

const repo = process.env.LOOP_LENS_REPO ?? join(__dirname, '..', '..', '..', '..');
const blocker = join(repo, 'test', 'fixtures', 'blocking', 'blocker.js');

function markerLine(kind: 'cpu' | 'io'): number {
  return (
    readFileSync(blocker, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(`// BLOCK:${kind}`)) + 1
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runtime UI', () => {
  let api: LoopLensApi;
  let child: ChildProcess | undefined;

  before(async () => {
    const ext = vscode.extensions.getExtension<LoopLensApi>(extensionId);
    assert.ok(ext);
    api = await ext.activate();
    assert.ok(api?.runtime, 'activate() returns the runtime API');
  });

  after(async () => {
    await vscode.commands.executeCommand('loopLens.stopRecording');
    child?.kill('SIGKILL');
  });

  it('registers every runtime command', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of [
      'attachProcess',
      'attachRemote',
      'launchAndRecord',
      'recordDebugSession',
      'stopRecording',
      'saveRecording',
      'openRecording',
      'showHeatmap',
      'pickProcess',
    ]) {
      assert.ok(all.has(`loopLens.${id}`), `loopLens.${id} is registered`);
    }
  });

  it('attaching to a blocking process fills the stall tree with the blamed line', async () => {
    // --inspect-port=0: the inspector opened by SIGUSR1 takes a free port, not a busy 9229.
    // --max-inlined-bytecode-size=0 keeps the blame on the spin loop (see blocker.js).
    child = spawn(
      process.execPath,
      ['--max-inlined-bytecode-size=0', '--inspect-port=0', blocker, 'cpu', '300'],
      {
        stdio: 'ignore',
      },
    );
    const pid = child.pid!;
    await new Promise((r) => setTimeout(r, 300)); // let node start before SIGUSR1
    const ok = await vscode.commands.executeCommand<boolean>('loopLens.attachProcess', pid);
    assert.equal(ok, true, 'the loop-lens debug session started');
    const tree = api.runtime.stallTree;
    const line = markerLine('cpu');
    const hotspot = await waitFor(
      () => {
        const [hot] = tree.getChildren() as StallNode[];
        const items = hot ? tree.getChildren(hot) : [];
        return items.find(
          (n) => n.kind === 'hotspot' && n.heat.file === blocker && n.heat.line === line,
        );
      },
      'a hotspot on the spin loop line in the stall tree',
      90_000,
    );
    const item = tree.getTreeItem(hotspot);
    assert.match(String(item.label), /spinFor\s+blocker\.js:\d+/);
    assert.match(String(item.description), /in \d+ stalls?/);
    assert.deepEqual((item.command?.arguments?.[0] as vscode.Uri).fsPath, blocker);
    const stalls = tree.getChildren()[1]!;
    assert.match(String(tree.getTreeItem(stalls).label), /^Stalls \([1-9]\d*\)$/);
    assert.match(api.runtime.statusText(), /\$\(record\) Loop Lens/);
  });

  it('paints heat on the blamed line and puts a CodeLens on its function', async () => {
    const doc = await vscode.workspace.openTextDocument(blocker);
    await vscode.window.showTextDocument(doc);
    const line = markerLine('cpu');
    await waitFor(() => api.runtime.paintedLines(blocker).includes(line), `heat on line ${line}`);
    assert.deepEqual(api.runtime.paintedLines(blocker), [line], 'only the blamed line is painted');
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        doc.uri,
      );
      return l?.filter((c) => /blocked .+ in \d+ stalls?/.test(c.command?.title ?? '')).length
        ? l
        : undefined;
    }, 'a "blocked … in N stalls" CodeLens');
    const lens = lenses.find((c) => /blocked/.test(c.command?.title ?? ''))!;
    const fnLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith('function spinFor'));
    assert.ok(
      [fnLine, line - 1].includes(lens.range.start.line),
      `lens on spinFor (line ${lens.range.start.line + 1})`,
    );
  });

  it('Stop Recording detaches and leaves the process running', async () => {
    await vscode.commands.executeCommand('loopLens.stopRecording');
    await waitFor(() => !api.runtime.store.live, 'the recording to stop');
    assert.ok(api.runtime.store.current!.stalls.length > 0);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(alive(child!.pid!), 'the attached process still runs');
    assert.match(api.runtime.statusText(), /Loop Lens/);
    assert.doesNotMatch(api.runtime.statusText(), /\$\(record\)/);
  });

  it('saves the recording and opens it again with the same stalls; a bad file is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-lens-rec-'));
    const file = vscode.Uri.file(join(dir, 'rec.json'));
    const before = api.runtime.store.current!.stalls.length;
    await vscode.commands.executeCommand('loopLens.saveRecording', file);
    const saved = JSON.parse(readFileSync(file.fsPath, 'utf8')) as {
      version: number;
      hotspots: { file: string }[];
    };
    assert.equal(saved.version, 1);
    assert.ok(saved.hotspots.some((h) => h.file === blocker));
    await vscode.commands.executeCommand('loopLens.clearRecording');
    assert.equal(api.runtime.store.current, undefined);
    await waitFor(() => api.runtime.paintedLines(blocker).length === 0, 'heat to clear');
    assert.equal(await vscode.commands.executeCommand('loopLens.openRecording', file), true);
    assert.equal(api.runtime.store.current!.stalls.length, before);
    await waitFor(
      () => api.runtime.paintedLines(blocker).includes(markerLine('cpu')),
      'heat from the opened file',
    );
    const bad = vscode.Uri.file(join(dir, 'bad.json'));
    writeFileSync(bad.fsPath, '{"version": 2, "stalls": []}');
    assert.equal(await vscode.commands.executeCommand('loopLens.openRecording', bad), false);
    assert.equal(api.runtime.store.current!.stalls.length, before, 'a bad file loses nothing');
  });
});
