/**
 * Fake inspector endpoints on 127.0.0.1 that misbehave in one way each, for the robustness tests
 * and `npm run bench -- robustness`: the CLI's `record --port` must give a clear error, exit 2,
 * and never hang. Real sockets, real HTTP and a real WebSocket handshake; the faults are in what
 * the server sends, or does not.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

export const FAULTS = [
  'refuses',
  'http-closes',
  'http-garbage',
  'http-silent',
  'http-slow',
  'http-not-inspector',
  'ws-refuses-upgrade',
  'ws-closes-mid-message',
  'ws-garbage',
  'ws-not-json',
  'ws-silent',
  'ws-slow',
] as const;
export type Fault = (typeof FAULTS)[number];

export interface FakeInspector {
  port: number;
  close(): Promise<void>;
}

/** A listening fake inspector (or, for `refuses`, a port nobody listens on). */
export async function startFakeInspector(fault: Fault): Promise<FakeInspector> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const every = (ms: number, f: () => void) => timers.add(setInterval(f, ms));
  let server: Server;
  if (fault === 'refuses' || fault === 'http-closes' || fault === 'http-garbage') {
    server = createTcpServer((s) => {
      if (fault === 'http-closes') s.destroy();
      else s.end(randomBytes(4096));
    });
  } else {
    const http = createHttpServer((_req, res) => {
      if (fault === 'http-silent') return;
      if (fault === 'http-not-inspector') return void res.end('<html>hello</html>');
      const body = JSON.stringify([
        { webSocketDebuggerUrl: `ws://127.0.0.1:${portOf(http)}/fake`, type: 'node' },
      ]);
      if (fault === 'http-slow') {
        // One byte every 200 ms: the socket is never idle, the answer never complete in time.
        res.writeHead(200, { 'content-type': 'application/json' });
        let i = 0;
        every(200, () => (i < body.length ? res.write(body[i++]!) : res.end()));
        return;
      }
      res.end(body);
    });
    http.on('upgrade', (req: IncomingMessage, socket: Socket) =>
      onUpgrade(fault, req, socket, every),
    );
    server = http;
  }
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server);
  const close = async () => {
    timers.forEach(clearInterval);
    sockets.forEach((s) => s.destroy());
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  if (fault === 'refuses') await close();
  return { port, close: fault === 'refuses' ? async () => undefined : close };
}

function portOf(server: Server | ReturnType<typeof createHttpServer>): number {
  return (server.address() as AddressInfo).port;
}

function onUpgrade(
  fault: Fault,
  req: IncomingMessage,
  socket: Socket,
  every: (ms: number, f: () => void) => void,
): void {
  if (fault === 'ws-refuses-upgrade') {
    socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n');
    return;
  }
  const accept = createHash('sha1')
    .update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
    .digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  socket.on('data', () => {
    if (fault === 'ws-closes-mid-message') {
      // A text frame announcing 100 bytes, 10 of them sent, then the connection is gone.
      socket.write(Buffer.concat([Buffer.from([0x81, 100]), Buffer.from('{"id":1,"r')]));
      socket.destroy();
    } else if (fault === 'ws-garbage') {
      socket.write(randomBytes(512));
    } else if (fault === 'ws-not-json') {
      // A well-formed text frame whose text is not JSON (what random garbage sometimes makes).
      socket.write(Buffer.concat([Buffer.from([0x81, 9]), Buffer.from('not json!')]));
    } else if (fault === 'ws-slow') {
      // Frames of one space each, forever: the connection is busy, no reply ever completes.
      let first = true;
      every(200, () => {
        socket.write(Buffer.from([first ? 0x01 : 0x00, 1, 0x20]));
        first = false;
      });
    }
    // ws-silent: reads every command, answers none.
  });
}
