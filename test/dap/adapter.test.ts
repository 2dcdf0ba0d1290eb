// The loop-lens debug adapter (dist/adapter.js) driven over DAP by @vscode/debugadapter-testsupport,
// recording REAL Node processes that block their event loop (test/fixtures/blocking/blocker.js).
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import type { Recording, Stall } from '../../src/shared/protocol/runtime';

const root = join(__dirname, '..', '..');
const adapter = join(root, 'dist', 'adapter.js');
const blocker = join(root, 'test', 'fixtures', 'blocking', 'blocker.js');
/** Keeps V8 from inlining spinFor() into tick(), which would move the blame (see blocker.js). */
const noInline = '--max-inlined-bytecode-size=0';

/** 1-based line of the `// BLOCK:<kind>` marker in the fixture. */
/**
 * Lines a stall of `kind` may be blamed on: the marked line, or its call in tick() once V8 has
 * optimized tick() (the engine's attribution, checked in detail by test/runtime). The adapter must
 * report whichever line the engine blamed, with that source location.
 */
function blameLines(kind: 'cpu' | 'io'): number[] {
  const call = kind === 'cpu' ? "  if (mode === 'cpu'" : "  if (mode === 'io'";
  const lines = readFileSync(blocker, 'utf8').split('\n');
  return [markerLine(kind), lines.findIndex((l) => l.startsWith(call)) + 1];
}

function markerLine(kind: 'cpu' | 'io'): number {
  const lines = readFileSync(blocker, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`// BLOCK:${kind}`));
  assert.ok(i >= 0, `marker BLOCK:${kind} in the fixture`);
  return i + 1;
}

const children: ChildProcess[] = [];
const clients: DebugClient[] = [];

afterEach(async () => {
  for (const dc of clients.splice(0)) await dc.stop().catch(() => undefined);
});
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

async function client(): Promise<DebugClient> {
  const dc = new DebugClient('node', adapter, 'loop-lens', { cwd: root }, true);
  dc.defaultTimeout = 60_000;
  await dc.start();
  clients.push(dc);
  const initialized = dc.waitForEvent('initialized');
  await dc.initializeRequest({
    adapterID: 'loop-lens',
    pathFormat: 'path',
    linesStartAt1: true,
    columnsStartAt1: true,
  });
  await initialized;
  await dc.configurationDoneRequest();
  return dc;
}

/** Resolves with the first output event whose source location is one of `lines` of the fixture. */
function stallOutput(
  dc: DebugClient,
  lines: number[],
  timeoutMs = 60_000,
): Promise<DebugProtocol.OutputEvent> {
  const seen: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      dc.removeListener('output', on);
      reject(
        new Error(
          `no stall on blocker.js:${lines} within ${timeoutMs} ms; output was:\n${seen.join('')}`,
        ),
      );
    }, timeoutMs);
    const on = (e: DebugProtocol.OutputEvent) => {
      seen.push(e.body.output);
      if (e.body.source?.path === blocker && lines.includes(e.body.line ?? -1)) {
        clearTimeout(timer);
        dc.removeListener('output', on);
        resolve(e);
      }
    };
    dc.on('output', on);
  });
}

/** Resolves with the text of `category` output events once it matches `re` (chunks joined). */
function programOutput(
  dc: DebugClient,
  category: 'stdout' | 'stderr',
  re: RegExp,
  timeoutMs = 60_000,
): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      dc.removeListener('output', on);
      reject(new Error(`no ${category} output matching ${re} within ${timeoutMs} ms: ${text}`));
    }, timeoutMs);
    const on = (e: DebugProtocol.OutputEvent) => {
      if (e.body.category !== category) return;
      text += e.body.output;
      if (!re.test(text)) return;
      clearTimeout(timer);
      dc.removeListener('output', on);
      resolve(text);
    };
    dc.on('output', on);
  });
}

/** Starts the fixture with the given node flags; resolves once it printed its ready line. */
function startBlocker(
  nodeArgs: string[],
  args: string[],
): Promise<{ child: ChildProcess; port?: number; out: string[] }> {
  const child = spawn(process.execPath, [noInline, ...nodeArgs, blocker, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const out: string[] = [];
  let port: number | undefined;
  child.stdout!.on('data', (d: Buffer) => out.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    const m = /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(d.toString());
    if (m) port = Number(m[1]);
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`fixture exited early (${c})`)));
    child.stdout!.on('data', () => {
      if (
        out.join('').includes('blocker ready') &&
        (port || !nodeArgs.some((a) => a.startsWith('--inspect=')))
      ) {
        resolve({ child, port, out });
      }
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the child printed a new "tick" line: its loop still turns. */
function nextTick(out: string[]): Promise<void> {
  const before = out.join('').split('tick').length;
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (out.join('').split('tick').length > before) {
        clearInterval(poll);
        resolve();
      }
    }, 50);
  });
}

describe('loop-lens debug adapter (DAP, real processes)', () => {
  test('launch records CPU stalls and writes each to the Debug Console at the blamed line', async () => {
    const dc = await client();
    const lines = blameLines('cpu');
    const started = dc.waitForEvent('loopLens.started');
    const stall = stallOutput(dc, lines);
    const custom = dc.waitForEvent('loopLens.stall');
    await dc.launchRequest({
      program: blocker,
      args: ['cpu', '300'],
      thresholdMs: 50,
    } as DebugProtocol.LaunchRequestArguments);
    const rec = (await started).body as { recording: Recording };
    const pid = rec.recording.target.pid;
    assert.ok(pid, 'the launched target has a pid');
    const out = await stall;
    assert.match(out.body.output, /stall \d+ ms\s+cpu\s+(spinFor|tick)\s+blocker\.js:\d+/);
    const s = ((await custom).body as { stall: Stall }).stall;
    assert.equal(s.kind, 'cpu');
    assert.ok(s.durationMs >= 50, `stall of ${s.durationMs} ms is over the threshold`);
    const stopped = dc.waitForEvent('loopLens.stopped');
    await dc.disconnectRequest({ terminateDebuggee: true });
    const final = ((await stopped).body as { recording: Recording }).recording;
    assert.ok(final.stalls.some((x) => x.blame?.file === blocker && lines.includes(x.blame.line)));
    await waitUntil(() => !alive(pid), 'the launched target to end on terminateDebuggee');
  });

  test("launch sends the program's stdout and stderr to the Debug Console as output events", async () => {
    const dc = await client();
    const stdout = programOutput(dc, 'stdout', /hello from stdout ü\n/);
    const stderr = programOutput(dc, 'stderr', /hello from stderr\n/);
    const started = dc.waitForEvent('loopLens.started');
    // Prints once, then stays alive until the client ends it.
    const program =
      "console.log('hello from stdout ü'); console.error('hello from stderr'); setInterval(() => {}, 1000);";
    await dc.launchRequest({
      runtimeArgs: ['-e', program],
    } as DebugProtocol.LaunchRequestArguments);
    const pid = ((await started).body as { recording: Recording }).recording.target.pid;
    assert.ok(pid, 'the launched target has a pid');
    assert.equal(await stdout, 'hello from stdout ü\n');
    assert.equal(await stderr, 'hello from stderr\n', 'no inspector banner in the program stderr');
    await dc.disconnectRequest({ terminateDebuggee: true });
    await waitUntil(() => !alive(pid), 'the launched target to end on terminateDebuggee');
  });

  test('attach by port records sync-I/O stalls on the readFileSync line; disconnect leaves the target running', async () => {
    const { child, port, out } = await startBlocker(
      ['--inspect=127.0.0.1:0'],
      ['io', '300', '--verbose'],
    );
    const dc = await client();
    const stall = stallOutput(dc, blameLines('io'));
    const custom = dc.waitForEvent('loopLens.stall');
    await dc.attachRequest({ port, address: '127.0.0.1' } as DebugProtocol.AttachRequestArguments);
    const out1 = await stall;
    assert.match(out1.body.output, /sync-io\s+(readBig|tick)\s+blocker\.js/);
    assert.equal(((await custom).body as { stall: Stall }).stall.kind, 'sync-io');
    await dc.disconnectRequest({});
    await dc.stop();
    clients.splice(clients.indexOf(dc), 1);
    await nextTick(out);
    await nextTick(out);
    assert.ok(alive(child.pid!), 'the attached process still runs after disconnect');
    assert.equal(child.exitCode, null);
  });

  test('attach by processId opens the inspector of a process started without --inspect', async () => {
    // --inspect-port=0: SIGUSR1 then opens a free port instead of 9229, which may be taken here.
    const { child, out } = await startBlocker(['--inspect-port=0'], ['cpu', '300', '--verbose']);
    const dc = await client();
    const stall = stallOutput(dc, blameLines('cpu'));
    await dc.attachRequest({ processId: child.pid } as DebugProtocol.AttachRequestArguments);
    await stall;
    await dc.disconnectRequest({});
    await nextTick(out);
    assert.ok(alive(child.pid!), 'still running after detach');
  });

  test('an unreachable port fails the attach with a clear message', async () => {
    const dc = await client();
    await assert.rejects(
      dc.attachRequest({ port: 1, address: '127.0.0.1' } as DebugProtocol.AttachRequestArguments),
      /Loop Lens attach: .+/,
    );
  });
});

async function waitUntil(probe: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
