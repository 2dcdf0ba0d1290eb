/** POST /signup {"user","password"}: healthy hashing with the asynchronous scrypt. */
import { randomBytes, scrypt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { readBody, sendJson } from '../http';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;
const accounts = new Map<string, { salt: Buffer; hash: Buffer }>();

export async function handleSignup(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = JSON.parse(await readBody(req, 4096)) as { user?: string; password?: string };
  if (!body.user || !body.password) {
    sendJson(res, 400, { error: 'user and password are required' });
    return;
  }
  const salt = await promisify(randomBytes)(16);
  accounts.set(body.user, { salt, hash: await scryptAsync(body.password, salt, 64) });
  sendJson(res, 201, { user: body.user });
}
