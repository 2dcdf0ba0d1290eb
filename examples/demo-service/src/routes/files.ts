/** GET /files: the size of every data file. */
import { promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { sendJson } from '../http';
import { filesDir } from '../startup';

export async function handleFiles(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  const names = await fsp.readdir(filesDir);
  // Saturates the threadpool: one readFile per file, all at once, queued on libuv's 4 threads,
  // so every other fs, dns.lookup and crypto call in the process waits behind them.
  const contents = await Promise.all(names.map((name) => fsp.readFile(join(filesDir, name))));
  const bytes = contents.reduce((sum, b) => sum + b.length, 0);
  sendJson(res, 200, { files: names.length, bytes });
}
