/** GET /items: healthy code. Asynchronous reads, a fixed small number at a time. */
import { promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { query, sendJson } from '../http';
import { filesDir } from '../startup';

/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

export async function handleItems(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const count = Math.min(Number(query(req).get('count') ?? '5') || 5, 20);
  const names = (await fsp.readdir(filesDir)).slice(0, count);
  const sizes = await mapLimit(
    names,
    2,
    async (name) => (await fsp.stat(join(filesDir, name))).size,
  );
  sendJson(
    res,
    200,
    names.map((name, i) => ({ name, size: sizes[i] })),
  );
}
