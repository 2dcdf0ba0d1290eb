/** The inspector's small HTTP API (`/json/list`, `/json/version`), with hard timeouts. */
import * as http from 'node:http';

/** GET http://host:port/path as JSON; rejects on timeout, refusal or a non-JSON answer. */
export function getJson(
  host: string,
  port: number,
  path: string,
  timeoutMs: number,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch {
          reject(new Error(`${host}:${port}${path} did not answer with JSON (not an inspector?)`));
        }
      });
    });
    // `timeout` above is for an idle socket; a server that trickles bytes is never idle, so the
    // whole answer also has a deadline.
    const deadline = setTimeout(
      () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** The WebSocket URL of the first Node target behind an inspector port. */
export async function wsUrlForPort(host: string, port: number, timeoutMs: number): Promise<string> {
  let list: unknown;
  try {
    list = await getJson(host, port, '/json/list', timeoutMs);
  } catch (e) {
    throw new Error(
      `cannot reach a Node.js inspector at ${host}:${port}: ${(e as Error).message}` +
        ' (is the process running with --inspect, and is this the right port?)',
    );
  }
  const first = Array.isArray(list) ? (list[0] as { webSocketDebuggerUrl?: unknown }) : undefined;
  const url = first?.webSocketDebuggerUrl;
  if (typeof url !== 'string') {
    throw new Error(`${host}:${port} answers HTTP but lists no inspector target`);
  }
  // The inspector names itself by the address it bound; keep the host the user asked for.
  return url.replace(/^ws:\/\/[^/]+/, `ws://${host.includes(':') ? `[${host}]` : host}:${port}`);
}

/** True when `port` on `host` is a Node.js inspector (answers `/json/version`). */
export async function isInspectorPort(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<boolean> {
  try {
    const v = (await getJson(host, port, '/json/version', timeoutMs)) as { Browser?: unknown };
    return typeof v?.Browser === 'string' && /node/i.test(v.Browser);
  } catch {
    return false;
  }
}

/** Loopback addresses: the only ones we attach to without a warning. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || h === '::ffff:127.0.0.1';
}
