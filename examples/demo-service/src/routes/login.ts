/** POST /login {"user","password"} (or GET /login?user=&password=): checks a password. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { query, readBody, sendJson } from '../http';
import { hashesEqual, hashPassword, users } from '../passwords';

async function credentials(req: IncomingMessage): Promise<{ user: string; password: string }> {
  if (req.method !== 'POST') {
    const q = query(req);
    return { user: q.get('user') ?? '', password: q.get('password') ?? '' };
  }
  const body = JSON.parse(await readBody(req)) as { user?: string; password?: string };
  return { user: body.user ?? '', password: body.password ?? '' };
}

export async function handleLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { user, password } = await credentials(req);
  const stored = users.get(user);
  // Blocks: hashPassword() runs pbkdf2Sync on the event loop for every login attempt.
  const ok = stored !== undefined && hashesEqual(hashPassword(password, stored.salt), stored.hash);
  sendJson(res, ok ? 200 : 401, { ok });
}
