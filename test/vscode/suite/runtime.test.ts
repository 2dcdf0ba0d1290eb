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
import type { StackFrame } from '../../../src/shared/protocol/runtime';
import type { StallNode } from '../../../src/ui/stallTree';
import { extensionId, waitFor } from './helpers';

const repo = process.env.LOOP_LENS_REPO ?? join(__dirname, '..', '..', '..', '..');
const blocker = join(repo, 'test', 'fixtures', 'blocking', 'blocker.js');

/** Blamed lines of the fixture in the current recording. */
function blamedLines(api: LoopLensApi): number[] {
  const set = new Set<number>();
  for (const s of api.runtime.store.current?.stalls ?? []) {
    if (s.blame?.file === blocker) set.add(s.blame.line);
  }
  return [...set].sort((a, b) => a - b);
}

/** Kind, duration, blame and innermost frames of the first stalls, for assertion messages. */
function describeStalls(api: LoopLensApi, max = 5): string {
  const r = api.runtime.store.current;
  const at = (f: StackFrame) => `${f.functionName || '(anonymous)'} ${f.file}:${f.line}`;
  const each = (r?.stalls ?? []).slice(0, max).map((s) => {
    const stack = s.stack.slice(0, 6).map(at).join(' < ');
    return `${s.kind} ${s.durationMs} ms, blame ${s.blame ? at(s.blame) : 'none'}, stack ${stack}`;
  });
  return `live ${api.runtime.store.live}, ${r?.stalls.length ?? 0} stalls: [${each.join('; ')}]`;
}

/** 1-based line of the `// BLOCK:<kind>` marker in the fixture: the line a stall must blame. */
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
  /** What the blocker printed ("tick N" after each round). */
  let childOut = '';

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
    child = spawn(process.execPath, ['--inspect-port=0', blocker, 'cpu', '300', '--verbose'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const pid = child.pid!;
    // Attach as a user does, to a process that has run a while: after two rounds of blocking, V8
    // has compiled the spin loop (and node listens for SIGUSR1).
    child.stdout!.on('data', (d: Buffer) => (childOut += d.toString()));
    await waitFor(() => childOut.includes('tick 2'), 'the fixture to block twice', 30_000);
    const ok = await vscode.commands.executeCommand<boolean>('loopLens.attachProcess', pid);
    assert.equal(ok, true, 'the loop-lens debug session started');
    const tree = api.runtime.stallTree;
    const line = markerLine('cpu');
    const hotspot = await waitFor(
      () => {
        const [hot] = tree.getChildren() as StallNode[];
        const items = hot ? tree.getChildren(hot) : [];
        return items.find((n) => n.kind === 'hotspot' && n.heat.file === blocker);
      },
      'a hotspot in blocker.js in the stall tree',
      90_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; recorded: ${describeStalls(api)}`);
    });
    assert.equal(hotspot.kind, 'hotspot');
    assert.equal(
      hotspot.kind === 'hotspot' && hotspot.heat.line,
      line,
      `the hotspot is the spin loop line; recorded: ${describeStalls(api)}`,
    );
    const item = tree.getTreeItem(hotspot);
    assert.match(String(item.label), new RegExp(`^spinFor\\s+blocker\\.js:${line}$`));
    assert.match(String(item.description), /in \d+ stalls?/);
    assert.deepEqual((item.command?.arguments?.[0] as vscode.Uri).fsPath, blocker);
    const stalls = tree.getChildren()[1]!;
    assert.match(String(tree.getTreeItem(stalls).label), /^Stalls \([1-9]\d*\)$/);
    assert.match(api.runtime.statusText(), /\$\(record\) Loop Lens/);
  });

  it('paints heat on the blamed line and puts a CodeLens on its function', async () => {
    const doc = await vscode.workspace.openTextDocument(blocker);
    await vscode.window.showTextDocument(doc);
    // Heat lands exactly on the lines the recording blamed in this file, and on no other line;
    // the only line blamed there is the spin loop.
    const line = markerLine('cpu');
    await waitFor(() => {
      const want = blamedLines(api);
      return (
        want.length && JSON.stringify(api.runtime.paintedLines(blocker)) === JSON.stringify(want)
      );
    }, 'heat on exactly the blamed lines').catch((e: Error) => {
      throw new Error(
        `${e.message}: painted ${api.runtime.paintedLines(blocker)}, blamed ${blamedLines(api)}`,
      );
    });
    assert.deepEqual(blamedLines(api), [line], `blamed lines; recorded: ${describeStalls(api)}`);
    // The line's note says what the hover says, without a hover: total, count, max, kind. The
    // recording is live, so the note may be a refresh behind the store, never ahead of it.
    const noteRe = /^blocked (\d+(?:\.\d)?) (s|ms) in (\d+) stalls · max (\d+) ms · CPU$/;
    const noteNow = () => api.runtime.paintedNotes(blocker)[line] ?? '';
    await waitFor(() => noteRe.test(noteNow()), 'a note on the blamed line').catch((e: Error) => {
      throw new Error(`${e.message}: "${noteNow()}"`);
    });
    const note = noteNow();
    const m = noteRe.exec(note)!;
    const onLine = () => api.runtime.store.current!.stalls.filter((s) => s.blame?.line === line);
    const [count, max] = [Number(m[3]), Number(m[4])];
    assert.ok(count >= 2 && count <= onLine().length, `${note}; ${onLine().length} stalls stored`);
    assert.ok(max >= 50 && max <= Math.round(Math.max(...onLine().map((s) => s.durationMs))), note);
    // The lens sits on the declaration of spinFor, the function that holds the blamed line. Until
    // VS Code's document symbols are ready (a busy machine), a lens sits on the blamed line
    // itself; the recording is live, so lenses are asked for again as stalls come.
    const spinFor = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith('function spinFor'));
    let seen = '';
    await waitFor(
      async () => {
        const l = await vscode.commands.executeCommand<vscode.CodeLens[]>(
          'vscode.executeCodeLensProvider',
          doc.uri,
        );
        const blocked = (l ?? []).filter((c) =>
          /blocked .+ in \d+ stalls?/.test(c.command?.title ?? ''),
        );
        seen = blocked
          .map((c) => `"${c.command?.title}" on line ${c.range.start.line + 1}`)
          .join(', ');
        return blocked.length > 0 && blocked.every((c) => c.range.start.line === spinFor);
      },
      `a "blocked … in N stalls" CodeLens on spinFor (line ${spinFor + 1})`,
    ).catch((e: Error) => {
      throw new Error(`${e.message}: ${seen || 'no lens'}`);
    });
  });

  it('Stop Recording detaches and leaves the process running', async () => {
    await vscode.commands.executeCommand('loopLens.stopRecording');
    await waitFor(() => !api.runtime.store.live, 'the recording to stop');
    assert.ok(api.runtime.store.current!.stalls.length > 0);
    // The sidebar reads "Stopped": a session's recording, not ended by the target.
    assert.deepEqual(api.runtime.store.origin, { kind: 'session' });
    assert.equal(api.runtime.store.endReason, undefined);
    await waitFor(
      () => vscode.debug.activeDebugSession?.type !== 'loop-lens',
      'the loop-lens debug session to end',
    );
    assert.ok(alive(child!.pid!), 'the attached process still runs after the detach');
    // Still running: it finishes another round after the stop (an event, not a fixed wait).
    const ticks = () => Number(/tick (\d+)\n?$/.exec(childOut)?.[1] ?? 0);
    const atStop = ticks();
    await waitFor(() => ticks() > atStop, 'the attached process to tick again after the stop');
    assert.match(api.runtime.statusText(), /Loop Lens/);
    assert.doesNotMatch(api.runtime.statusText(), /\$\(record\)/);
  });

  it('a target killed mid-recording ends the session with its reason; the stalls stay', async () => {
    const victim = spawn(
      process.execPath,
      ['--inspect-port=0', blocker, 'cpu', '300', '--verbose'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    try {
      let out = '';
      victim.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      await waitFor(() => out.includes('tick 2'), 'the fixture to block twice', 30_000);
      const ok = await vscode.commands.executeCommand<boolean>(
        'loopLens.attachProcess',
        victim.pid,
      );
      assert.equal(ok, true, 'attached');
      await waitFor(
        () => api.runtime.store.live && (api.runtime.store.current?.stalls.length ?? 0) > 0,
        'a stall of the new session',
        30_000,
      );
      victim.kill('SIGKILL');
      await waitFor(() => !api.runtime.store.live, 'the session to end by itself', 30_000);
      // The sidebar's badge reads "Ended" with this reason (stallsViewHtml), not "Stopped".
      assert.deepEqual(api.runtime.store.origin, { kind: 'session' });
      assert.match(api.runtime.store.endReason ?? '', /exit|killed|signal|gone|closed/i);
      assert.ok(api.runtime.store.current!.stalls.length > 0, 'what was recorded is kept');
      assert.doesNotMatch(api.runtime.statusText(), /\$\(record\)/);
    } finally {
      victim.kill('SIGKILL');
    }
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
    assert.equal(saved.version, 2);
    assert.ok(saved.hotspots.some((h) => h.file === blocker));
    // The Stalls tree is told of each switch at once (its refreshes while stalls stream in are
    // throttled to one a second, which must not delay a switch of recording).
    let treeChanges = 0;
    const sub = api.runtime.stallTree.onDidChangeTreeData(() => treeChanges++);
    await vscode.commands.executeCommand('loopLens.clearRecording');
    assert.equal(api.runtime.store.current, undefined);
    assert.ok(treeChanges >= 1, 'the tree was refreshed when the view was cleared');
    await waitFor(() => api.runtime.paintedLines(blocker).length === 0, 'heat to clear');
    assert.equal(await vscode.commands.executeCommand('loopLens.openRecording', file), true);
    assert.ok(treeChanges >= 2, `the tree was refreshed when the file opened (${treeChanges})`);
    sub.dispose();
    assert.equal(api.runtime.store.current!.stalls.length, before);
    // The sidebar and status bar say "opened from rec.json", not that a process is recording.
    assert.deepEqual(api.runtime.store.origin, { kind: 'file', fileName: 'rec.json' });
    assert.equal(api.runtime.store.live, false);
    await waitFor(
      () =>
        api.runtime.paintedLines(blocker).length > 0 &&
        api.runtime.paintedLines(blocker).every((l) => blamedLines(api).includes(l)),
      'heat from the opened file',
    );
    const bad = vscode.Uri.file(join(dir, 'bad.json'));
    writeFileSync(bad.fsPath, '{"version": 3, "stalls": []}');
    assert.equal(await vscode.commands.executeCommand('loopLens.openRecording', bad), false);
    assert.equal(api.runtime.store.current!.stalls.length, before, 'a bad file loses nothing');
  });
});

describe('Record the Active JavaScript Debug Session (vscode-js-debug CDP proxy)', () => {
  let jsSession: vscode.DebugSession | undefined;

  after(async () => {
    await vscode.commands.executeCommand('loopLens.stopRecording');
    if (jsSession) await vscode.debug.stopDebugging(jsSession.parentSession ?? jsSession);
  });

  it('records stalls with the blamed line through the CDP proxy of a js-debug launched process', async function () {
    if (!vscode.extensions.getExtension('ms-vscode.js-debug')) return this.skip();
    const api = await vscode.extensions.getExtension<LoopLensApi>(extensionId)!.activate();
    await vscode.commands.executeCommand('loopLens.clearRecording');
    // js-debug runs the process in a child session of the launch: that one has the CDP target.
    const child = new Promise<vscode.DebugSession>((resolve) => {
      const sub = vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === 'pwa-node' && s.parentSession) {
          sub.dispose();
          resolve(s);
        }
      });
    });
    const launched = await vscode.debug.startDebugging(undefined, {
      type: 'pwa-node',
      request: 'launch',
      name: 'js-debug: blocker',
      program: blocker,
      args: ['cpu', '300'],
      console: 'internalConsole',
    });
    assert.ok(launched, 'the JavaScript debug session started');
    jsSession = await child;
    const ok = await vscode.commands.executeCommand<boolean>(
      'loopLens.recordDebugSession',
      jsSession.id,
    );
    assert.equal(ok, true, 'a loop-lens session attached through the CDP proxy');
    // The recording through the proxy sees the blocked loop in its metrics (150 ms blocks).
    await waitFor(
      () => api.runtime.store.current?.metrics.some((m) => m.loopDelay.max >= 100),
      'loop-delay metrics over 100 ms recorded through the CDP proxy',
      60_000,
    );
    // Stalls arrive through the proxy as they do directly (the engine subscribes to js-debug's
    // forwarded Runtime.bindingCalled), blamed on the line that blocked.
    await waitFor(
      () => blamedLines(api).length > 0,
      'a stall blamed in blocker.js recorded through the CDP proxy',
      60_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; recorded: ${describeStalls(api)}`);
    });
    assert.deepEqual(
      blamedLines(api),
      [markerLine('cpu')],
      `blamed on the spin loop line; recorded: ${describeStalls(api)}`,
    );
    assert.match(api.runtime.store.current!.target.url, /^ws:\/\//);
  });
});
