/**
 * Stand-alone entry of the `loop-lens` debug adapter over stdio (dist/adapter.js). VS Code runs the
 * adapter inline (ui/debugAdapterFactory.ts); this entry serves the DAP tests and other clients.
 */
import { OutputEvent } from '@vscode/debugadapter';
import * as fs from 'node:fs';
import { recorderFactory } from './recorder';
import { StallDebugSession } from './stallDebugSession';

// fd 1 carries DAP. Anything else that writes to process.stdout/stderr (a launched target's
// output relayed by the engine, a stray log) becomes an `output` event instead of corrupting it.
const dap = fs.createWriteStream('', { fd: 1 });
const session = new StallDebugSession(recorderFactory);
for (const [stream, category] of [
  [process.stdout, 'stdout'],
  [process.stderr, 'stderr'],
] as const) {
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    session.sendEvent(new OutputEvent(Buffer.from(chunk).toString('utf8'), category));
    const cb = rest.find((r): r is () => void => typeof r === 'function');
    cb?.();
    return true;
  }) as typeof stream.write;
}
process.on('SIGTERM', () => session.shutdown());
session.start(process.stdin, dap);
