// The adapter's DAP behaviour with a scripted recorder: what it sends for each runtime event and
// how it stops. The real engine against real processes is covered by test/dap.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { EventEmitter } from '../../../src/common/events';
import { nullLogger } from '../../../src/common/logger';
import type { RecorderFactory } from '../../../src/debug/stallDebugSession';
import { StallDebugSession } from '../../../src/debug/stallDebugSession';
import type { IRecordingSession, RecordOptions } from '../../../src/runtime/api';
import type { Recording, RuntimeEvent, Stall } from '../../../src/shared/protocol/runtime';

interface Msg {
  type: string;
  seq: number;
  command?: string;
  event?: string;
  success?: boolean;
  message?: string;
  request_seq?: number;
  body?: Record<string, unknown>;
}

/** A DAP client over in-memory streams. */
function connect(session: StallDebugSession) {
  const toAdapter = new PassThrough();
  const fromAdapter = new PassThrough();
  session.start(toAdapter, fromAdapter);
  const got: Msg[] = [];
  const waiters: Array<() => void> = [];
  let buf = Buffer.alloc(0);
  fromAdapter.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const head = buf.indexOf('\r\n\r\n');
      if (head < 0) return;
      const len = Number(/Content-Length: (\d+)/.exec(buf.subarray(0, head).toString())![1]);
      if (buf.length < head + 4 + len) return;
      got.push(JSON.parse(buf.subarray(head + 4, head + 4 + len).toString()) as Msg);
      buf = buf.subarray(head + 4 + len);
      for (const w of waiters.splice(0)) w();
    }
  });
  let seq = 1;
  const until = async (pred: (m: Msg) => boolean): Promise<Msg> => {
    for (;;) {
      const m = got.find(pred);
      if (m) return m;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  const request = (command: string, args: unknown = {}): Promise<Msg> => {
    const s = seq++;
    const json = JSON.stringify({ type: 'request', seq: s, command, arguments: args });
    toAdapter.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
    return until((m) => m.type === 'response' && m.request_seq === s);
  };
  const event = (name: string, pred: (m: Msg) => boolean = () => true) =>
    until((m) => m.type === 'event' && m.event === name && pred(m));
  return { request, event, got };
}

function fakeRecorder() {
  const emitter = new EventEmitter<RuntimeEvent>();
  const calls: RecordOptions[] = [];
  let stopped = 0;
  const rec: Recording = {
    version: 1,
    target: { pid: 77, url: 'ws://127.0.0.1:1/x' },
    startedAt: new Date().toISOString(),
    durationMs: 0,
    thresholdMs: 50,
    stalls: [],
    hotspots: [],
    metrics: [],
  };
  const session: IRecordingSession = {
    target: rec.target,
    onEvent: emitter.event,
    snapshot: () => rec,
    cpuProfile: () => undefined,
    stop: async () => {
      stopped++;
      return rec;
    },
  };
  const factory: RecorderFactory = async (opts) => {
    calls.push(opts);
    return session;
  };
  return { factory, emitter, calls, rec, stops: () => stopped };
}

/** What VS Code sends in `initialize`. */
const init = {
  adapterID: 'loop-lens',
  pathFormat: 'path',
  linesStartAt1: true,
  columnsStartAt1: true,
};

const stall: Stall = {
  startMs: 1200,
  durationMs: 140,
  kind: 'cpu',
  blame: { functionName: 'spinFor', file: '/app/src/x.js', line: 17, column: 5 },
  stack: [{ functionName: 'spinFor', file: '/app/src/x.js', line: 17, column: 5 }],
};

describe('StallDebugSession', () => {
  test('"trace": true puts the engine log in the Debug Console; the host logger always gets it', async () => {
    const fake = fakeRecorder();
    const host: string[] = [];
    const hostLogger = { ...nullLogger, info: (tag: string, m: string) => host.push(`[${tag}] ${m}`) };
    for (const trace of [true, false]) {
      const c = connect(new StallDebugSession(fake.factory, hostLogger));
      assert.ok((await c.request('initialize', init)).success);
      assert.ok((await c.request('attach', { port: 9229, trace })).success);
      // The engine logs through what the adapter passed it.
      fake.calls.at(-1)!.logger!.info('runtime.attach', `attached (trace ${trace})`);
      fake.calls.at(-1)!.logger!.trace('cdp', '→ Runtime.evaluate {}');
      const lines = () =>
        c.got.filter((m) => m.event === 'output' && m.body?.category === 'console').map((m) => String(m.body?.output));
      if (trace) {
        await c.event('output', (m) => /trace \[cdp\] → Runtime\.evaluate/.test(String(m.body?.output)));
        assert.ok(lines().some((l) => /info \[runtime\.attach\] attached \(trace true\)/.test(l)), lines().join(''));
      } else {
        await c.request('disconnect', {});
        assert.ok(!lines().some((l) => /\[cdp\]|\[runtime\.attach\]/.test(l)), lines().join(''));
      }
    }
    assert.deepEqual(host, ['[runtime.attach] attached (trace true)', '[runtime.attach] attached (trace false)']);
  });

  test('attach records, each stall is a clickable output line and a custom event, disconnect stops once', async () => {
    const fake = fakeRecorder();
    const c = connect(new StallDebugSession(fake.factory));
    assert.ok((await c.request('initialize', init)).success);
    const attached = await c.request('attach', {
      port: 9229,
      thresholdMs: 30,
      localRoot: '/w',
      remoteRoot: '/app',
    });
    assert.ok(attached.success, attached.message);
    assert.deepEqual(fake.calls[0]!.target, { kind: 'port', port: 9229, host: '127.0.0.1' });
    assert.equal(fake.calls[0]!.thresholdMs, 30);
    await c.event('loopLens.started');

    fake.rec.stalls.push(stall);
    fake.emitter.fire({ type: 'stall', stall });
    const out = await c.event('output', (m) => /stall 140 ms/.test(String(m.body?.output)));
    assert.equal(
      (out.body?.source as { path: string }).path,
      '/w/src/x.js',
      'remoteRoot is mapped to localRoot',
    );
    assert.equal(out.body?.line, 17);
    const custom = await c.event('loopLens.stall');
    assert.equal((custom.body?.stall as Stall).blame?.file, '/w/src/x.js');

    fake.emitter.fire({
      type: 'metrics',
      metrics: {
        atMs: 1000,
        loopDelay: { p50: 1, p99: 2, max: 3 },
        elu: 0.1,
        heapUsed: 1,
        activeResources: {},
      },
    });
    await c.event('loopLens.metrics');

    // A worker recorded, then exited: the UI draws its lane live and marks its exit.
    const worker = { id: 1, name: 'reader' };
    fake.emitter.fire({ type: 'thread', pid: 7, thread: worker, state: 'recording' });
    fake.emitter.fire({ type: 'thread', pid: 7, thread: worker, state: 'exited' });
    const exited = await c.event('loopLens.thread', (m) => m.body?.state === 'exited');
    assert.deepEqual(exited.body, { pid: 7, thread: worker, state: 'exited' });
    assert.ok(c.got.some((m) => m.event === 'loopLens.thread' && m.body?.state === 'recording'));

    assert.ok((await c.request('disconnect', { terminateDebuggee: true })).success);
    const stopped = await c.event('loopLens.stopped');
    assert.equal((stopped.body?.recording as Recording).stalls[0]!.blame!.file, '/w/src/x.js');
    assert.equal(fake.stops(), 1, 'stop() once; an attached target is never killed');
  });

  test('a target exit ends the session with a terminated event', async () => {
    const fake = fakeRecorder();
    const c = connect(new StallDebugSession(fake.factory));
    await c.request('initialize', init);
    await c.request('attach', { processId: 77 });
    fake.emitter.fire({ type: 'exit', code: 0, reason: 'target exited' });
    await c.event('terminated');
    assert.equal((await c.event('loopLens.exit')).body?.reason, 'target exited');
  });

  test('a bad configuration fails the request with a message naming the field', async () => {
    const fake = fakeRecorder();
    const c = connect(new StallDebugSession(fake.factory));
    await c.request('initialize', init);
    const r = await c.request('attach', { port: 'nope' });
    assert.equal(r.success, false);
    assert.match(String(r.message), /port must be 1-65535/);
    assert.equal(fake.calls.length, 0);
  });

  test('a failing connect is reported and cancel aborts a pending connect', async () => {
    const failing: RecorderFactory = async () => {
      throw new Error('no inspector answered within 5 s');
    };
    const c = connect(new StallDebugSession(failing));
    await c.request('initialize', init);
    const r = await c.request('attach', { port: 9 });
    assert.match(String(r.message), /no inspector answered/);

    let aborted = false;
    const hanging: RecorderFactory = (_o, signal) =>
      new Promise((_r, reject) =>
        signal.addEventListener('abort', () => ((aborted = true), reject(new Error('x')))),
      );
    const d = connect(new StallDebugSession(hanging));
    await d.request('initialize', { ...init, supportsProgressReporting: true });
    const pending = d.request('attach', { port: 9229 });
    const start = await d.event('progressStart');
    assert.equal(start.body?.cancellable, true);
    await d.request('cancel', { progressId: start.body?.progressId });
    const res = await pending;
    assert.equal(res.success, false);
    assert.match(String(res.message), /cancelled/);
    assert.ok(aborted);
    await d.event('progressEnd');
  });
});
