/**
 * The stack probe's expression, and the frames of the stack it brings back (stackProbe.ts).
 */
import { AGENT_SOURCE_URL } from './agent';
import { probeStack } from './agent/commands';
import { remoteCall } from './agent/remote';
import type { RawFrame } from './attribution';
import { isAgentFrame } from './stallAnalysis';

/** The probe's expression (agent/commands.ts `probeStack`). */
export function stackExpression(agentKey: string): string {
  return remoteCall(probeStack, agentKey, AGENT_SOURCE_URL);
}

/** A file name from a stack trace: a path for CommonJS, a file: URL for ESM. */
function toUrl(file: string): string {
  return file.startsWith('/') ? `file://${file}` : file;
}

/** Frames below the snapshot's own; `undefined` when the stack shows the stall had ended. */
export function framesOfSnapshot(
  raw: Array<[string, string, number, number]>,
): RawFrame[] | undefined {
  let i = 0;
  while (i < raw.length && isAgentFrame(raw[i][1]) && !raw[i][0]) i++;
  // Only our own (anonymous) frames: the loop was idle. Any named agent frame (the heartbeat,
  // a metrics poll) means the loop was turning: the stall is over.
  if (i === raw.length || raw.slice(i).some((f) => isAgentFrame(f[1]))) return undefined;
  return raw.slice(i).map(([fn, file, line, col]) => ({
    functionName: fn,
    url: toUrl(file),
    line0: Math.max(0, line - 1),
    col0: Math.max(0, col - 1),
    isDefinition: false,
  }));
}
