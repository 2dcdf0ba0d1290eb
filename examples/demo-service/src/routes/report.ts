/** GET /report: totals per customer from the (large) report file. */
import { promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http';
import { reportFile } from '../startup';

interface Row {
  customer: string;
  amount: number;
}

export async function handleReport(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = await fsp.readFile(reportFile, 'utf8'); // fine: asynchronous read
  // Blocks: parsing a ~4 MB document is tens of milliseconds of CPU on the event loop.
  const rows = JSON.parse(text) as Row[];
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.customer, (totals.get(row.customer) ?? 0) + row.amount);
  const top = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 10);
  sendJson(res, 200, { rows: rows.length, top });
}
