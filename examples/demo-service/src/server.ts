/**
 * The demo HTTP service. `PORT` (default 0: any free port) on 127.0.0.1; prints
 * `listening on http://127.0.0.1:<port>` once it accepts connections.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Handler, sendJson } from './http';
import { handleExport } from './routes/export';
import { handleFiles } from './routes/files';
import { handleItems } from './routes/items';
import { handleLogin } from './routes/login';
import { handleRender } from './routes/render';
import { handleReport } from './routes/report';
import { handleSignup } from './routes/signup';
import { settings } from './startup';

const routes = new Map<string, Handler>([
  ['/login', handleLogin],
  ['/render', handleRender],
  ['/report', handleReport],
  ['/export', handleExport],
  ['/files', handleFiles],
  ['/items', handleItems],
  ['/signup', handleSignup],
  [
    '/health',
    async (_req, res) => sendJson(res, 200, { ok: true, iterations: settings.pbkdf2Iterations }),
  ],
]);

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const handler = routes.get(path);
  if (!handler) {
    sendJson(res, 404, { error: `no route ${path}`, routes: [...routes.keys()] });
    return;
  }
  handler(req, res).catch((err: unknown) => {
    if (!res.headersSent)
      sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
    else res.destroy();
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections(); // keep-alive clients would otherwise hold close() open
  });
}
