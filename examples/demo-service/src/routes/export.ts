/** GET /export: the data folder as a .tar.gz download. */
import { execSync } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dataDir } from '../startup';

export async function handleExport(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Blocks: execSync waits for tar and gzip to finish before the loop can do anything else.
  const archive = execSync('tar -czf - files', { cwd: dataDir, maxBuffer: 256 * 1024 * 1024 });
  res.writeHead(200, {
    'content-type': 'application/gzip',
    'content-disposition': 'attachment; filename="export.tar.gz"',
  });
  res.end(archive);
}
