/**
 * Recording through a CDP proxy that behaves like vscode-js-debug's (`requestCDPProxy`,
 * src/adapter/cdpProxy.ts there): commands pass through, but NO event reaches a client unless it
 * asked for it with `JsDebug.subscribe`. The engine must still find stalls (its heartbeat arrives
 * as `Runtime.bindingCalled`, an event). The real proxy is covered by the extension-host test.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { wsUrlForPort } from '../../src/runtime/targets/inspectorHttp';
import type { Recorder, Target } from './runtimeHelpers';
import { BLOCKER, blockLine, describeStall, record, stallFor, startTarget } from './runtimeHelpers';

/** The little of `ws` 7 used here (no @types/ws installed): the export is the client class. */
interface Socket {
  send(data: string): void;
  close(): void;
  on(e: 'message', f: (d: Buffer) => void): void;
  on(e: 'open' | 'close', f: () => void): void;
}
interface WsModule {
  new (url: string): Socket;
  Server: new (o: { host: string; port: number }) => {
    on(e: 'connection', f: (s: Socket) => void): void;
    on(e: 'listening', f: () => void): void;
    address(): AddressInfo;
    close(): void;
  };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ws = require('ws') as WsModule;

/** Starts the proxy in front of `upstreamUrl`; resolves with its ws URL and a counter. */
async function startProxy(upstreamUrl: string) {
  const server = new ws.Server({ host: '127.0.0.1', port: 0 });
  const subscribed: string[] = [];
  server.on('connection', (client) => {
    const up = new ws(upstreamUrl);
    const events = new Set<string>();
    const queue: string[] = [];
    let open = false;
    up.on('open', () => ((open = true), queue.splice(0).forEach((m) => up.send(m))));
    up.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { id?: number; method?: string };
      if (m.id !== undefined || (m.method && events.has(m.method))) client.send(d.toString());
    });
    up.on('close', () => client.close());
    client.on('close', () => up.close());
    client.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { id: number; method: string; params?: unknown };
      if (m.method === 'JsDebug.subscribe') {
        for (const e of (m.params as { events: string[] }).events) events.add(e);
        subscribed.push(...events);
        return client.send(JSON.stringify({ id: m.id, result: {} }));
      }
      if (open) up.send(d.toString());
      else queue.push(d.toString());
    });
  });
  await new Promise<void>((r) => server.on('listening', r));
  const url = `ws://127.0.0.1:${server.address().port}/proxy`;
  return { url, subscribed, close: () => server.close() };
}

describe('recording through a js-debug-like CDP proxy', () => {
  let target: Target;
  let rec: Recorder;
  let proxy: Awaited<ReturnType<typeof startProxy>>;

  before(async () => {
    target = await startTarget(BLOCKER);
    proxy = await startProxy(await wsUrlForPort('127.0.0.1', target.port!, 10_000));
    rec = await record({ target: { kind: 'ws', url: proxy.url } });
  });

  after(async () => {
    await rec?.rec.stop();
    target?.kill();
    proxy?.close();
  });

  test('a CPU stall is reported with its blamed line, as on a direct session', async () => {
    const { stall, done } = await stallFor(target, rec, 'cpu 300');
    assert.ok(stall, `no stall reported through the proxy (blocked ${done.ms} ms)`);
    const msg = describeStall(stall);
    assert.equal(stall.kind, 'cpu', msg);
    assert.equal(stall.blame?.file, BLOCKER, msg);
    assert.equal(stall.blame?.line, blockLine(BLOCKER, 'cpu'), msg);
    assert.deepEqual(proxy.subscribed, ['Runtime.bindingCalled'], 'the one event it needs');
  });
});
