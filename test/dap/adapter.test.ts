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
import { findInspectorPort } from '../../src/runtime/processDiscovery';
import { waitFor } from '../waitFor';

const root = join(__dirname, '..', '..');
const adapter = join(root, 'dist', 'adapter.js');
const blocker = join(root, 'test', 'fixtures', 'blocking', 'blocker.js');

/** 1-based line of the `// BLOCK:<kind>` marker in the fixture: the line a stall must blame. */
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

/** Kind, duration, blame and innermost frames of a stall, for assertion messages. */
function describeStall(s: Stall): string {
  const at = (f: { functionName: string; file: string; line: number }) =>
    `${f.functionName || '(anonymous)'} ${f.file}:${f.line}`;
  const stack = s.stack.slice(0, 6).map(at).join(' < ');
  return `${s.kind} ${s.durationMs} ms, blame ${s.blame ? at(s.blame) : 'none'}, stack ${stack}`;
}

/** The first stall blamed in the fixture, with the Debug Console line the adapter wrote for it. */
interface FixtureStall {
  stall: Stall;
  output: DebugProtocol.OutputEvent;
  /** Every stall before it (blamed elsewhere or not at all), described. */
  before: string[];
}

/**
 * Resolves with the first stall the adapter reports with a blame in the fixture, whatever its line,
 * so a test can assert the line rather than skip past a wrong one. The adapter sends the output
 * event of a stall just before its `loopLens.stall` event.
 */
function firstFixtureStall(dc: DebugClient, timeoutMs = 60_000): Promise<FixtureStall> {
  const before: string[] = [];
  let output: DebugProtocol.OutputEvent | undefined;
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      dc.removeListener('output', onOutput);
      dc.removeListener('loopLens.stall', onStall);
    };
    const timer = setTimeout(() => {
      done();
      reject(
        new Error(`no stall in blocker.js within ${timeoutMs} ms; seen: ${before.join('; ')}`),
      );
    }, timeoutMs);
    const onOutput = (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'console' && / stall \d+ ms /.test(e.body.output)) output = e;
    };
    const onStall = (e: DebugProtocol.Event) => {
      const stall = (e.body as { stall: Stall }).stall;
      if (stall.blame?.file !== blocker || !output) return void before.push(describeStall(stall));
      done();
      resolve({ stall, output, before });
    };
    dc.on('output', onOutput);
    dc.on('loopLens.stall', onStall);
  });
}

/**
 * Asserts the stall is of `kind`, blamed on `fn` at the fixture's `marker` line, and that its Debug
 * Console line says so and links that line.
 */
function assertBlamedOnMarker(
  got: FixtureStall,
  marker: 'cpu' | 'io',
  kind: Stall['kind'],
  fn: string,
): void {
  const line = markerLine(marker);
  const why = `${describeStall(got.stall)}; stalls before it: [${got.before.join('; ')}]`;
  assert.equal(got.stall.blame?.line, line, `blamed on blocker.js:${line} (${fn}): ${why}`);
  assert.equal(got.stall.blame?.functionName, fn, why);
  assert.equal(got.stall.kind, kind, why);
  assert.equal(got.output.body.source?.path, blocker, 'the Debug Console line links the fixture');
  assert.equal(got.output.body.line, line, 'the Debug Console line links the blamed line');
  const text = new RegExp(`stall \\d+ ms\\s+${kind}\\s+${fn}\\s+blocker\\.js:${line}\\b`);
  assert.match(got.output.body.output, text);
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
  const child = spawn(process.execPath, [...nodeArgs, blocker, ...args], {
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
    const started = dc.waitForEvent('loopLens.started');
    const stall = firstFixtureStall(dc);
    await dc.launchRequest({
      program: blocker,
      args: ['cpu', '300'],
      thresholdMs: 50,
    } as DebugProtocol.LaunchRequestArguments);
    const rec = (await started).body as { recording: Recording };
    const pid = rec.recording.target.pid;
    assert.ok(pid, 'the launched target has a pid');
    const got = await stall;
    assertBlamedOnMarker(got, 'cpu', 'cpu', 'spinFor');
    const s = got.stall;
    assert.ok(s.durationMs >= 50, `stall of ${s.durationMs} ms is over the threshold`);
    const stopped = dc.waitForEvent('loopLens.stopped');
    await dc.disconnectRequest({ terminateDebuggee: true });
    const final = ((await stopped).body as { recording: Recording }).recording;
    // Every stall the recording blames in the fixture is on the spin loop: no stray line to heat.
    const inFixture = final.stalls.filter((x) => x.blame?.file === blocker);
    assert.ok(inFixture.length > 0, 'the final recording holds the stalls');
    for (const x of inFixture) assert.equal(x.blame?.line, markerLine('cpu'), describeStall(x));
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
    // A user attaches to a process that has run a while: let it block a few times first.
    await nextTick(out);
    await nextTick(out);
    const dc = await client();
    const stall = firstFixtureStall(dc);
    await dc.attachRequest({ port, address: '127.0.0.1' } as DebugProtocol.AttachRequestArguments);
    const got = await stall;
    assertBlamedOnMarker(got, 'io', 'sync-io', 'readBig');
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
    // Attach once V8 has compiled the spin loop (it runs 150 ms a turn): the line must still be it.
    await nextTick(out);
    await nextTick(out);
    const dc = await client();
    const stall = firstFixtureStall(dc);
    await dc.attachRequest({ processId: child.pid } as DebugProtocol.AttachRequestArguments);
    assertBlamedOnMarker(await stall, 'cpu', 'cpu', 'spinFor');
    const consoleText: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => consoleText.push(e.body.output));
    await dc.disconnectRequest({});
    await nextTick(out);
    assert.ok(alive(child.pid!), 'still running after detach');
    // The inspector the attach opened is closed again, and the Debug Console says so.
    assert.match(
      consoleText.join(''),
      /Loop Lens: closed the inspector that Loop Lens opened in pid \d+\./,
    );
    assert.equal(await findInspectorPort(child.pid!), undefined, 'no inspector left listening');
  });

  test('an unreachable port fails the attach with a clear message', async () => {
    const dc = await client();
    await assert.rejects(
      dc.attachRequest({ port: 1, address: '127.0.0.1' } as DebugProtocol.AttachRequestArguments),
      /Loop Lens attach: .+/,
    );
  });
});

function waitUntil(probe: () => boolean, what: string): Promise<boolean> {
  return waitFor(probe, what, 20_000);
}
